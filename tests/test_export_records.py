"""Export records: fixed shapes per view, spans that match their text, lazy generation."""

from __future__ import annotations

import json

import pytest

from annotator.export import LABELS, RECORD_SPECS, RecordError, normalise_agreement, records, spans_of
from annotator.export.records import iter_label_spans
from tests.test_export_fixtures import EMOJI_TEXT, all_rows, gold_rows


def assert_shape(value, spec, path="record"):
    """Every struct has exactly the spec's keys; leaves have the spec's JSON type or null."""
    if value is None:
        return
    if isinstance(spec, str):
        expected = {"string": str, "int64": int, "float64": float, "bool": bool}[spec]
        assert type(value) is expected, f"{path}: {value!r} is not {spec}"
    elif isinstance(spec, list):
        assert isinstance(value, list), path
        for i, item in enumerate(value):
            assert_shape(item, spec[0], f"{path}[{i}]")
    else:
        assert isinstance(value, dict), path
        assert list(value) == list(spec), f"{path}: keys {list(value)} != {list(spec)}"
        for k, sub in spec.items():
            assert_shape(value[k], sub, f"{path}.{k}")


@pytest.mark.parametrize("view, rows", [("all", all_rows), ("gold", gold_rows), ("spans", gold_rows)])
def test_every_record_has_the_fixed_shape_of_its_view(view, rows):
    out = list(records(view, rows(("a1", "a2")), scheme_name="newsattr-1"))
    assert len(out) == len(rows(("a1", "a2")))
    for rec in out:
        assert_shape(rec, RECORD_SPECS[view])
    # Byte-level: the JSON keys of every labels object are identical across records.
    if view != "spans":
        assert len({tuple(r["labels"]) for r in out}) == 1


def test_envelope_strings_are_never_null_dates_never_empty_and_numbers_have_one_type():
    out = list(records("all", all_rows(), scheme_name="newsattr-1"))
    p1 = [r for r in out if r["position"] == 1]
    assert {r["published"] for r in p1} == {None} and {r["outlet"] for r in p1} == {""}
    assert all(r["published"] == "2024-01-30T13:45" for r in out if r["position"] != 1)
    assert all(type(r["seconds"]) is float for r in out)  # rows gave the int 42
    assert out[0]["schema"] == "newsattr-1"
    assert out[0]["paragraph_id"] == "rt-lavrov#p0"


def test_absent_optional_label_keys_are_null_and_lists_empty():
    rec = next(r for r in records("all", all_rows(), scheme_name="s") if r["position"] == 2)
    a = rec["labels"]["attributions"][0]
    assert a["supplement"] == [] and a["embedded_source"] is None and a["source_role"] is None
    assert rec["labels"]["framing"]["stance"] == []
    assert rec["labels"]["framing"]["framing_spans"][0]["alternative"] is None
    assert rec["labels"]["notes"] is None
    assert rec["labels"]["claims"][0]["decontextualized"] is None


def test_every_span_in_every_view_matches_its_text():
    for view, rows in (("all", all_rows()), ("gold", gold_rows())):
        for rec in records(view, rows, scheme_name="s"):
            spans = list(iter_label_spans(rec["labels"]))
            assert spans
            for s, _label in spans:
                assert rec["text"][s["start"] : s["end"]] == s["text"]
    for rec in records("spans", gold_rows(), scheme_name="s"):
        for s in rec["spans"]:
            assert rec["text"][s["start"] : s["end"]] == s["text"]


def test_offsets_are_code_points_after_emoji_and_survive_json():
    rec = next(r for r in records("all", all_rows(), scheme_name="s") if r["text"] == EMOJI_TEXT)
    line = json.loads(json.dumps(rec, ensure_ascii=False))
    cue = line["labels"]["attributions"][0]["cue"]
    assert (
        cue["start"] == EMOJI_TEXT.index("told")
        and line["text"][cue["start"] : cue["end"]] == "told reporters"
    )
    assert EMOJI_TEXT.encode("utf-16-le").decode("utf-16-le")[cue["start"] : cue["end"]] == "told reporters"


def test_spans_view_is_the_spacy_prodigy_shape():
    out = list(records("spans", gold_rows(), scheme_name="newsattr-1"))
    rec = out[1]  # the second worked example: two attributions share the source "Lavrov"
    assert set(rec) == {"text", "spans", "meta"}
    labels = [s["label"] for s in rec["spans"]]
    assert labels.count("SOURCE") == 1  # the shared source span once, not twice
    assert labels.count("CUE") == 2 and labels.count("CONTENT") == 2 and labels.count("CLAIM") == 2
    assert "Contested_Naming" in labels
    assert rec["spans"] == sorted(rec["spans"], key=lambda s: (s["start"], s["end"], s["label"]))
    assert rec["meta"]["paragraph_id"] == "rt-lavrov#p1" and "text" not in rec["meta"]
    assert rec["meta"]["source"] == "adjudicated" and rec["meta"]["reviewer"] == "rita"
    assert rec["meta"]["annotators"] == ["alice", "bob"]
    assert out[0]["meta"]["reviewer"] is None


def test_gold_carries_decision_and_agreement_in_a_fixed_shape():
    out = list(records("gold", gold_rows(), scheme_name="newsattr-1"))
    assert out[0]["decision"] == {
        "source": "unanimous",
        "reviewer": None,
        "annotators": ["alice", "bob"],
        "note": "all agreed",
        "decided_at": "2024-02-02T09:00:00Z",
        "compared": [],
        "taken": [],
    }
    assert out[1]["decision"]["note"] == ""
    assert out[1]["agreement"] == {
        "n_annotators": 2,
        "disagreement": 0.25,
        "fields": [
            {"field": "claims.span", "statistic": None, "value": 0.5, "n": None, "reason": None},
            {"field": "kind", "statistic": "alpha", "value": 1.0, "n": 2, "reason": None},
        ],
    }
    assert out[2]["agreement"] == {"n_annotators": None, "disagreement": None, "fields": []}


@pytest.mark.parametrize(
    "figures, expected_fields",
    [
        (None, []),
        ({"kind": 1}, [{"field": "kind", "statistic": None, "value": 1.0, "n": None, "reason": None}]),
        (
            {"fields": {"kind": {"statistic": "alpha", "value": None, "n": 1, "reason": "one annotator"}}},
            [{"field": "kind", "statistic": "alpha", "value": None, "n": 1, "reason": "one annotator"}],
        ),
    ],
)
def test_normalise_agreement(figures, expected_fields):
    assert normalise_agreement(figures)["fields"] == expected_fields


def test_a_label_key_outside_the_schema_fails_naming_paragraph_annotator_and_field():
    rows = all_rows()
    rows[3]["labels"]["attributions"][0]["mood"] = "grim"
    with pytest.raises(RecordError) as e:
        list(records("all", rows, scheme_name="s"))
    assert e.value.path == "labels.attributions[].mood"
    assert "rt-lavrov#p1 (bob)" in str(e.value)


@pytest.mark.parametrize(
    "path, value, message",
    [
        (("position",), "two", "expected an integer"),
        (("labels", "claims", 0, "sourcing_strength"), "S2", "expected an integer"),
        (("labels", "attributions"), "none", "expected a list"),
        (("labels", "framing"), ["x"], "expected an object"),
    ],
)
def test_a_wrongly_typed_value_fails(path, value, message):
    rows = all_rows()
    target = rows[0]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(RecordError, match=message):
        list(records("all", rows, scheme_name="s"))


def test_integral_floats_become_ints_and_missing_row_keys_are_named():
    rows = all_rows()
    rows[0]["labels"]["claims"][0]["sourcing_strength"] = 2.0
    assert next(records("all", rows, scheme_name="s"))["labels"]["claims"][0]["sourcing_strength"] == 2
    del rows[0]["text_sha256"]
    with pytest.raises(RecordError, match="text_sha256"):
        next(records("all", rows, scheme_name="s"))


def test_records_is_lazy_one_row_in_one_record_out():
    taken = []

    def rows():
        for row in all_rows():
            taken.append(row["paragraph_id"])
            yield row
        raise AssertionError("read past the end")

    gen = records("all", rows(), scheme_name="s")
    next(gen)
    next(gen)
    assert len(taken) == 2


def test_unknown_view_is_refused():
    with pytest.raises(ValueError, match="unknown export view"):
        next(records("silver", [], scheme_name="s"))


def test_spans_of_none_and_empty_labels():
    assert spans_of(None) == [] and spans_of({}) == []
    assert list(LABELS) == ["kind", "attributions", "claims", "framing", "notes"]
