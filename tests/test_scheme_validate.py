"""annotator.scheme.validate: rule by rule, with the worked example as the valid case."""

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.scheme import FieldError, empty_labels, load_scheme, normalize, validate

SAMPLE = "rt-2024-01-30-lavrov-weapons.labels.jsonl"
EXTENDED_KEYS = {
    "attributions": ["supplement", "embedded_source", "source_role", "attribution_type", "quote_type"],
    "claims": ["claim_category", "source_commitment", "decontextualized"],
}


def _worked_example() -> list[dict]:
    records = load_scheme().worked_example()
    assert len(records) == 2, "the package ships the worked example in annotator/samples/"
    return records


@pytest.fixture(scope="module")
def example():
    return _worked_example()


@pytest.fixture(scope="module")
def full():
    return load_scheme(extended="all")


@pytest.fixture(scope="module")
def core():
    return load_scheme()


def pairs(errors: list[FieldError]) -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in errors]


def test_worked_example_is_valid_with_all_extended_fields(example, full):
    assert len(example) == 2
    for record in example:
        assert validate(record["labels"], record["text"], full) == []


def test_worked_example_is_invalid_with_extended_fields_off(example, core):
    for record in example:
        labels = record["labels"]
        expected = set()
        for list_name, keys in EXTENDED_KEYS.items():
            for i, item in enumerate(labels[list_name]):
                expected |= {(f"{list_name}[{i}].{k}", "disabled") for k in keys if k in item}
        expected.add(("framing.stance", "disabled"))
        errors = validate(labels, record["text"], core)
        assert set(pairs(errors)) == expected
        assert all("not enabled" in e.message for e in errors)


def test_some_extended_fields_on(example):
    scheme = load_scheme(
        extended=[
            "source_role",
            "attribution_type",
            "quote_type",
            "supplement",
            "embedded_source",
            "claims[].claim_category",
            "source_commitment",
            "decontextualized",
        ]
    )
    record = example[1]
    assert pairs(validate(record["labels"], record["text"], scheme)) == [("framing.stance", "disabled")]


def test_normalize_then_validate_drops_only_empty_disabled_fields(example, core):
    record = example[0]
    norm = normalize(record["labels"], core)
    assert "embedded_source" not in norm["attributions"][0]  # null: nothing is lost by dropping it
    assert norm["attributions"][0]["source_role"] == "government_executive"  # data is kept ...
    assert ("attributions[0].source_role", "disabled") in pairs(
        validate(norm, record["text"], core)
    )  # ... and reported


def test_normalize_keeps_a_valid_document_unchanged(example, full):
    for record in example:
        norm = normalize(record["labels"], full)
        assert norm == record["labels"]
        assert json.dumps(norm) == json.dumps(normalize(norm, full))  # idempotent, same key order
        assert list(norm["framing"]["framing_spans"][0])[:3] == ["start", "end", "text"]


def test_normalize_fills_missing_optional_fields(full):
    text = "Lavrov said so."
    labels = {
        "kind": "body",
        "attributions": [
            {
                "id": "a1",
                "cue": {"start": 7, "end": 11, "text": "said"},
                "contents": [{"start": 12, "end": 14, "text": "so"}],
                "source_form": "implicit",
                "record_status": "not_applicable",
                "cue_stance": "neutral",
            }
        ],
        "framing": {
            "framing_spans": [
                {
                    "start": 0,
                    "end": 6,
                    "text": "Lavrov",
                    "technique": "Contested_Naming",
                    "voice": "outlet",
                    "alternative": "Lavrov",
                },
                {"start": 0, "end": 6, "text": "Lavrov", "technique": "Doubt", "voice": "outlet"},
            ]
        },
    }
    assert validate(labels, text, full) == []
    norm = normalize(labels, full)
    a = norm["attributions"][0]
    assert a["sources"] == [] and a["supplement"] == [] and a["embedded_source"] is None
    assert a["source_interest"] is None and a["source_role"] is None
    assert norm["claims"] == [] and norm["notes"] == ""
    assert norm["framing"]["frames"] == [] and norm["framing"]["stance"] == []
    assert "alternative" not in norm["framing"]["framing_spans"][1]  # only where allowed
    assert validate(norm, text, full) == []


def test_empty_labels(core, full):
    assert empty_labels(core) == {
        "kind": None,
        "attributions": [],
        "claims": [],
        "framing": {"frames": [], "primary_frame": None, "framing_spans": []},
        "notes": "",
    }
    assert empty_labels(full)["framing"]["stance"] == []
    assert pairs(validate(empty_labels(core), "Some text.", core)) == [("kind", "required")]
    assert validate(empty_labels(core, kind="body"), "Some text.", core) == []
    assert validate(empty_labels(full, kind="headline"), "Some text.", full) == []


@pytest.mark.parametrize("labels", [None, [], "body", 3])
def test_labels_must_be_an_object(labels, core):
    assert pairs(validate(labels, "x", core)) == [("", "type")]


def A(i):
    return lambda d: d["attributions"][i]


def C(i):
    return lambda d: d["claims"][i]


def F(d):
    return d["framing"]


def setitem(getter, key, value):
    def mutate(d):
        getter(d)[key] = value

    return mutate


def delitem(getter, key):
    def mutate(d):
        del getter(d)[key]

    return mutate


def root(d):
    return d


def span(start, end, text):
    return {"start": start, "end": end, "text": text}


def _both(*mutations):
    def mutate(d):
        for m in mutations:
            m(d)

    return mutate


# (id, mutation of the second worked-example paragraph, expected [(path, code)]); [] = still valid.
CASES = [
    ("unknown-top-key", setitem(root, "extra", 1), [("extra", "unknown")]),
    ("unknown-attribution-key", setitem(A(0), "colour", "red"), [("attributions[0].colour", "unknown")]),
    ("unknown-framing-key", setitem(F, "tone", "x"), [("framing.tone", "unknown")]),
    ("kind-missing", delitem(root, "kind"), [("kind", "required")]),
    ("kind-null", setitem(root, "kind", None), [("kind", "required")]),
    ("kind-unknown", setitem(root, "kind", "article"), [("kind", "value")]),
    ("kind-not-string", setitem(root, "kind", 3), [("kind", "type")]),
    ("attributions-not-list", setitem(root, "attributions", {}), [("attributions", "type")]),
    ("attributions-null", setitem(root, "attributions", None), [("attributions", "type")]),
    ("attribution-not-object", lambda d: d["attributions"].append("a3"), [("attributions[2]", "type")]),
    (
        "attributions-missing-breaks-refs",
        delitem(root, "attributions"),
        [("claims[0].attribution_id", "ref"), ("claims[1].attribution_id", "ref")],
    ),
    (
        "id-missing",
        delitem(A(0), "id"),
        [("attributions[0].id", "required"), ("claims[0].attribution_id", "ref")],
    ),
    (
        "id-bad-form",
        setitem(A(1), "id", "x2"),
        [("attributions[1].id", "value"), ("claims[1].attribution_id", "ref")],
    ),
    (
        "id-zero",
        setitem(A(1), "id", "a0"),
        [("attributions[1].id", "value"), ("claims[1].attribution_id", "ref")],
    ),
    (
        "id-duplicate",
        _both(setitem(A(1), "id", "a1"), setitem(C(1), "attribution_id", "a1")),
        [("attributions[1].id", "duplicate")],
    ),
    ("id-renumbered-ok", _both(setitem(A(1), "id", "a7"), setitem(C(1), "attribution_id", "a7")), []),
    ("cue-missing", delitem(A(0), "cue"), [("attributions[0].cue", "required")]),
    ("cue-null", setitem(A(0), "cue", None), [("attributions[0].cue", "required")]),
    (
        "cue-two-spans",
        setitem(A(1), "cue", [span(158, 167, "expressed"), span(168, 177, "disbelief")]),
        [("attributions[1].cue", "type")],
    ),
    ("contents-empty", setitem(A(0), "contents", []), [("attributions[0].contents", "required")]),
    ("contents-missing", delitem(A(0), "contents"), [("attributions[0].contents", "required")]),
    (
        "contents-not-list",
        setitem(A(0), "contents", span(72, 78, "Moscow")),
        [("attributions[0].contents", "type")],
    ),
    ("sources-null", setitem(A(0), "sources", None), [("attributions[0].sources", "type")]),
    ("sources-bad-item", setitem(A(0), "sources", ["Lavrov"]), [("attributions[0].sources[0]", "type")]),
    (
        "source-form-unknown",
        setitem(A(0), "source_form", "person"),
        [("attributions[0].source_form", "value")],
    ),
    ("source-form-missing", delitem(A(0), "source_form"), [("attributions[0].source_form", "required")]),
    (
        "source-interest-null-with-sources",
        setitem(A(0), "source_interest", None),
        [("attributions[0].source_interest", "required")],
    ),
    (
        "source-interest-missing-with-sources",
        delitem(A(0), "source_interest"),
        [("attributions[0].source_interest", "required")],
    ),
    (
        "source-interest-null-implicit-ok",
        _both(
            setitem(A(0), "sources", []),
            setitem(A(0), "source_interest", None),
            setitem(A(0), "source_form", "implicit"),
        ),
        [],
    ),
    (
        "source-interest-unknown",
        setitem(A(0), "source_interest", "hostile"),
        [("attributions[0].source_interest", "value")],
    ),
    (
        "record-status-missing",
        delitem(A(1), "record_status"),
        [("attributions[1].record_status", "required")],
    ),
    ("cue-stance-unknown", setitem(A(0), "cue_stance", "hostile"), [("attributions[0].cue_stance", "value")]),
    (
        "cue-stance-empty-string",
        setitem(A(0), "cue_stance", ""),
        [("attributions[0].cue_stance", "required")],
    ),
    ("source-role-unknown", setitem(A(0), "source_role", "king"), [("attributions[0].source_role", "value")]),
    ("source-role-null-ok", setitem(A(0), "source_role", None), []),
    ("quote-type-not-string", setitem(A(0), "quote_type", 1), [("attributions[0].quote_type", "type")]),
    (
        "attribution-type-unknown",
        setitem(A(1), "attribution_type", "opinion"),
        [("attributions[1].attribution_type", "value")],
    ),
    (
        "supplement-text-mismatch",
        setitem(A(0), "supplement", [span(0, 9, "Last Week")]),
        [("attributions[0].supplement[0]", "span")],
    ),
    (
        "embedded-source-cue-missing",
        delitem(lambda d: d["attributions"][0]["embedded_source"], "cue"),
        [("attributions[0].embedded_source.cue", "required")],
    ),
    (
        "embedded-source-unknown-key",
        setitem(lambda d: d["attributions"][0]["embedded_source"], "x", 1),
        [("attributions[0].embedded_source.x", "unknown")],
    ),
    (
        "embedded-source-string",
        setitem(A(0), "embedded_source", "Moscow"),
        [("attributions[0].embedded_source", "type")],
    ),
    (
        "embedded-source-bad-span",
        setitem(lambda d: d["attributions"][0]["embedded_source"], "source", span(72, 78, "Moscov")),
        [("attributions[0].embedded_source.source", "span")],
    ),
    ("claims-not-list", setitem(root, "claims", "c1"), [("claims", "type")]),
    ("claim-id-wrong-prefix", setitem(C(0), "id", "a1"), [("claims[0].id", "value")]),
    ("claim-id-duplicate", setitem(C(1), "id", "c1"), [("claims[1].id", "duplicate")]),
    ("claim-span-missing", delitem(C(0), "span"), [("claims[0].span", "required")]),
    (
        "attribution-id-unresolved",
        setitem(C(0), "attribution_id", "a9"),
        [("claims[0].attribution_id", "ref")],
    ),
    ("attribution-id-claim-id", setitem(C(0), "attribution_id", "c1"), [("claims[0].attribution_id", "ref")]),
    ("attribution-id-int", setitem(C(0), "attribution_id", 1), [("claims[0].attribution_id", "type")]),
    ("attribution-id-null-ok", setitem(C(0), "attribution_id", None), []),
    ("attribution-id-missing-ok", delitem(C(0), "attribution_id"), []),
    (
        "checkworthiness-unknown",
        setitem(C(0), "checkworthiness", "XFS"),
        [("claims[0].checkworthiness", "value")],
    ),
    (
        "checkworthiness-lowercase",
        setitem(C(0), "checkworthiness", "cfs"),
        [("claims[0].checkworthiness", "value")],
    ),
    ("sourcing-5", setitem(C(1), "sourcing_strength", 5), [("claims[1].sourcing_strength", "value")]),
    ("sourcing-negative", setitem(C(1), "sourcing_strength", -1), [("claims[1].sourcing_strength", "value")]),
    ("sourcing-bool", setitem(C(1), "sourcing_strength", True), [("claims[1].sourcing_strength", "type")]),
    ("sourcing-float", setitem(C(1), "sourcing_strength", 2.0), [("claims[1].sourcing_strength", "type")]),
    ("sourcing-string", setitem(C(1), "sourcing_strength", "S2"), [("claims[1].sourcing_strength", "type")]),
    (
        "sourcing-null",
        setitem(C(1), "sourcing_strength", None),
        [("claims[1].sourcing_strength", "required")],
    ),
    ("sourcing-0-ok", setitem(C(1), "sourcing_strength", 0), []),
    ("sourcing-4-ok", setitem(C(1), "sourcing_strength", 4), []),
    (
        "claim-category-unknown",
        setitem(C(0), "claim_category", "fact"),
        [("claims[0].claim_category", "value")],
    ),
    (
        "source-commitment-unknown",
        setitem(C(0), "source_commitment", "sure"),
        [("claims[0].source_commitment", "value")],
    ),
    (
        "decontextualized-not-string",
        setitem(C(0), "decontextualized", 5),
        [("claims[0].decontextualized", "type")],
    ),
    ("framing-null", setitem(root, "framing", None), [("framing", "type")]),
    ("framing-missing-ok", delitem(root, "framing"), []),
    ("frames-unknown", lambda d: F(d)["frames"].append("Weather"), [("framing.frames[3]", "value")]),
    (
        "frames-duplicate",
        lambda d: F(d)["frames"].append("Security_and_defense"),
        [("framing.frames[3]", "duplicate")],
    ),
    (
        "frames-not-list",
        setitem(F, "frames", "Political"),
        [("framing.frames", "type"), ("framing.primary_frame", "value")],
    ),
    (
        "frames-item-not-string",
        setitem(F, "frames", ["Crime_and_punishment", 3]),
        [("framing.frames[1]", "type")],
    ),
    ("primary-frame-null", setitem(F, "primary_frame", None), [("framing.primary_frame", "required")]),
    ("primary-frame-missing", delitem(F, "primary_frame"), [("framing.primary_frame", "required")]),
    (
        "primary-frame-not-chosen",
        setitem(F, "primary_frame", "Political"),
        [("framing.primary_frame", "value")],
    ),
    ("primary-frame-unknown", setitem(F, "primary_frame", "Weather"), [("framing.primary_frame", "value")]),
    ("no-frames-no-primary-ok", _both(setitem(F, "frames", []), setitem(F, "primary_frame", None)), []),
    ("no-frames-but-primary", setitem(F, "frames", []), [("framing.primary_frame", "value")]),
    (
        "technique-unknown",
        setitem(lambda d: F(d)["framing_spans"][0], "technique", "Lies"),
        [("framing.framing_spans[0].technique", "value")],
    ),
    (
        "technique-missing",
        delitem(lambda d: F(d)["framing_spans"][0], "technique"),
        [("framing.framing_spans[0].technique", "required")],
    ),
    (
        "voice-unknown",
        setitem(lambda d: F(d)["framing_spans"][0], "voice", "author"),
        [("framing.framing_spans[0].voice", "value")],
    ),
    (
        "alternative-missing",
        delitem(lambda d: F(d)["framing_spans"][0], "alternative"),
        [("framing.framing_spans[0].alternative", "required")],
    ),
    (
        "alternative-blank",
        setitem(lambda d: F(d)["framing_spans"][0], "alternative", " "),
        [("framing.framing_spans[0].alternative", "required")],
    ),
    (
        "alternative-without-contested-naming",
        setitem(lambda d: F(d)["framing_spans"][0], "technique", "Loaded_Language"),
        [("framing.framing_spans[0].alternative", "not_allowed")],
    ),
    (
        "loaded-language-without-alternative-ok",
        _both(
            setitem(lambda d: F(d)["framing_spans"][0], "technique", "Loaded_Language"),
            delitem(lambda d: F(d)["framing_spans"][0], "alternative"),
        ),
        [],
    ),
    (
        "framing-span-text-mismatch",
        setitem(lambda d: F(d)["framing_spans"][0], "text", "Kyiv"),
        [("framing.framing_spans[0]", "span")],
    ),
    (
        "framing-span-no-offsets",
        delitem(lambda d: F(d)["framing_spans"][0], "start"),
        [("framing.framing_spans[0]", "span")],
    ),
    (
        "framing-span-unknown-key",
        setitem(lambda d: F(d)["framing_spans"][0], "colour", "red"),
        [("framing.framing_spans[0].colour", "unknown")],
    ),
    (
        "framing-span-not-object",
        setitem(F, "framing_spans", ["Kiev"]),
        [("framing.framing_spans[0]", "type")],
    ),
    (
        "stance-outlet-voice-3",
        setitem(lambda d: F(d)["stance"][0], "outlet_voice", 3),
        [("framing.stance[0].outlet_voice", "value")],
    ),
    (
        "stance-conveyed-minus-3",
        setitem(lambda d: F(d)["stance"][1], "conveyed", -3),
        [("framing.stance[1].conveyed", "value")],
    ),
    (
        "stance-bool",
        setitem(lambda d: F(d)["stance"][0], "conveyed", False),
        [("framing.stance[0].conveyed", "type")],
    ),
    (
        "stance-conveyed-missing",
        delitem(lambda d: F(d)["stance"][0], "conveyed"),
        [("framing.stance[0].conveyed", "required")],
    ),
    (
        "stance-target-empty",
        setitem(lambda d: F(d)["stance"][0], "target", ""),
        [("framing.stance[0].target", "required")],
    ),
    (
        "stance-target-duplicate",
        setitem(lambda d: F(d)["stance"][1], "target", "Ukrainian government"),
        [("framing.stance[1].target", "duplicate")],
    ),
    (
        "stance-unknown-key",
        setitem(lambda d: F(d)["stance"][0], "source", 1),
        [("framing.stance[0].source", "unknown")],
    ),
    ("notes-null", setitem(root, "notes", None), [("notes", "type")]),
    ("notes-not-string", setitem(root, "notes", ["a"]), [("notes", "type")]),
    ("notes-missing-ok", delitem(root, "notes"), []),
    # span rules, on the cue of a1 ("reiterated", 61:71)
    (
        "span-start-bool",
        setitem(A(0), "cue", {"start": True, "end": 71, "text": "reiterated"}),
        [("attributions[0].cue", "type")],
    ),
    (
        "span-start-float",
        setitem(A(0), "cue", {"start": 61.0, "end": 71, "text": "reiterated"}),
        [("attributions[0].cue", "type")],
    ),
    (
        "span-start-string",
        setitem(A(0), "cue", {"start": "61", "end": 71, "text": "reiterated"}),
        [("attributions[0].cue", "type")],
    ),
    ("span-text-missing", setitem(A(0), "cue", {"start": 61, "end": 71}), [("attributions[0].cue", "span")]),
    (
        "span-text-not-string",
        setitem(A(0), "cue", {"start": 61, "end": 71, "text": None}),
        [("attributions[0].cue", "type")],
    ),
    (
        "span-extra-key",
        setitem(A(0), "cue", dict(span(61, 71, "reiterated"), label="cue")),
        [("attributions[0].cue.label", "unknown")],
    ),
    (
        "span-negative-start",
        setitem(A(0), "cue", span(-1, 71, "reiterated")),
        [("attributions[0].cue", "span")],
    ),
    ("span-empty", setitem(A(0), "cue", span(61, 61, "")), [("attributions[0].cue", "span")]),
    ("span-reversed", setitem(A(0), "cue", span(71, 61, "")), [("attributions[0].cue", "span")]),
    ("span-past-end", setitem(A(0), "cue", span(215, 223, "of this.")), [("attributions[0].cue", "span")]),
    (
        "span-text-mismatch",
        setitem(A(0), "cue", span(61, 71, "Reiterated")),
        [("attributions[0].cue", "span")],
    ),
    (
        "span-offsets-shifted",
        setitem(A(0), "cue", span(62, 72, "reiterated")),
        [("attributions[0].cue", "span")],
    ),
    (
        "span-leading-space",
        setitem(A(0), "cue", span(60, 71, " reiterated")),
        [("attributions[0].cue", "span")],
    ),
    (
        "span-trailing-space",
        setitem(A(0), "cue", span(61, 72, "reiterated ")),
        [("attributions[0].cue", "span")],
    ),
    ("span-final-char-ok", setitem(A(0), "cue", span(221, 222, ".")), []),
]


@pytest.mark.parametrize("mutate, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(mutate, expected, example, full):
    record = example[1]
    labels = copy.deepcopy(record["labels"])
    mutate(labels)
    errors = validate(labels, record["text"], full)
    assert sorted(pairs(errors)) == sorted(expected), [str(e) for e in errors]
    assert all(e.message for e in errors)


def test_errors_are_reported_together_with_precise_paths(example, full):
    record = example[1]
    labels = copy.deepcopy(record["labels"])
    labels["claims"][1]["sourcing_strength"] = 7
    labels["attributions"][0]["cue"]["text"] = "said"
    labels["framing"]["primary_frame"] = "Economic"
    assert pairs(validate(labels, record["text"], full)) == [
        ("attributions[0].cue", "span"),
        ("claims[1].sourcing_strength", "value"),
        ("framing.primary_frame", "value"),
    ]


def test_field_error_renders():
    e = FieldError("claims[1].sourcing_strength", "must be from 0 to 4", "value")
    assert str(e) == "claims[1].sourcing_strength: must be from 0 to 4"
    assert e.to_dict() == {
        "path": "claims[1].sourcing_strength",
        "message": "must be from 0 to 4",
        "code": "value",
    }
    assert FieldError("kind", "required").code == "invalid"


# Offsets are Unicode code points: an emoji or a mathematical letter counts 1, not 2 as in UTF-16.
ASTRAL = "🙂 “𝕏 is a platform,” Musk 👨‍👩‍👧 said on 𝟚𝟘𝟚𝟜-01-30 in Kyiv."


def _labels_for(text, cue, source, content, claim, framing=None):
    def sp(s):
        i = text.index(s)
        return span(i, i + len(s), s)

    return {
        "kind": "body",
        "attributions": [
            {
                "id": "a1",
                "sources": [sp(source)],
                "cue": sp(cue),
                "contents": [sp(content)],
                "source_form": "named_person",
                "source_interest": "unknown",
                "record_status": "on_record",
                "cue_stance": "neutral",
            }
        ],
        "claims": [
            {
                "id": "c1",
                "span": sp(claim),
                "attribution_id": "a1",
                "checkworthiness": "NFS",
                "sourcing_strength": 2,
            }
        ],
        "framing": {
            "frames": [],
            "primary_frame": None,
            "framing_spans": [dict(sp(framing), technique="Loaded_Language", voice="source")]
            if framing
            else [],
        },
        "notes": "👍",
    }


def test_non_bmp_offsets_are_code_points(core):
    labels = _labels_for(
        ASTRAL, cue="said", source="Musk", content="“𝕏 is a platform,”", claim="𝕏 is a platform", framing="𝕏"
    )
    assert validate(labels, ASTRAL, core) == []
    cue = labels["attributions"][0]["cue"]
    assert cue["start"] == ASTRAL.index("said")
    # the same span in UTF-16 indices (what a browser reports) is rejected
    utf16_start = len(ASTRAL[: cue["start"]].encode("utf-16-le")) // 2
    assert utf16_start != cue["start"]
    labels["attributions"][0]["cue"] = span(utf16_start, utf16_start + 4, "said")
    assert pairs(validate(labels, ASTRAL, core)) == [("attributions[0].cue", "span")]


def test_zwj_sequence_and_combining_marks_are_plain_code_points(core):
    text = "Café 👨‍👩‍👧 said it."
    family = "👨‍👩‍👧"
    assert len(family) == 5
    labels = _labels_for(text, cue="said", source=family, content="it", claim="it")
    assert validate(labels, text, core) == []
    labels["attributions"][0]["sources"][0] = span(
        5, 6, "👨"
    )  # a part of a grapheme is still a code-point span
    assert validate(labels, text, core) == []
    decomposed = "Cafe\u0301 said it."
    labels = _labels_for(decomposed, cue="said", source="Cafe\u0301", content="it", claim="it")
    assert labels["attributions"][0]["sources"][0]["end"] == 5
    assert validate(labels, decomposed, core) == []


def test_unicode_whitespace_at_span_edges_is_rejected(core):
    text = "Lavrov\u00a0said\u2003it."
    labels = _labels_for(text, cue="said", source="Lavrov", content="it", claim="it")
    assert validate(labels, text, core) == []
    labels["attributions"][0]["cue"] = span(6, 11, "\u00a0said")
    assert pairs(validate(labels, text, core)) == [("attributions[0].cue", "span")]


@given(text=st.text(alphabet=st.sampled_from("ab 🙂𝕏é\u00a0\n"), min_size=1, max_size=30), data=st.data())
def test_any_slice_is_a_valid_span_unless_it_has_edge_whitespace(text, data):
    scheme = load_scheme()
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    piece = text[start:end]
    labels = empty_labels(scheme, kind="other")
    labels["framing"]["framing_spans"] = [dict(span(start, end, piece), technique="Doubt", voice="outlet")]
    errors = validate(labels, text, scheme)
    if piece == piece.strip():
        assert errors == []
    else:
        assert pairs(errors) == [("framing.framing_spans[0]", "span")]
