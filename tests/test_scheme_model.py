"""annotator.scheme.model: the shipped TOML against SCHEMA.md, loading, extended fields, scheme-file errors."""

import ast
import copy
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

from annotator.scheme import Choice, SchemeError, build_scheme, list_schemes, load_scheme
from annotator.scheme.model import SCHEMES_DIR

# ../shared beside the checkout, as on developers' machines and in CI.
SHARED_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "SCHEMA.md"

# The fields table of SCHEMA.md, copied verbatim; test_table_copy_is_current keeps it in step.
SCHEMA_TABLE = """\
| field | type | tier | values |
|---|---|---|---|
| `kind` | single | core, required | body, quote_only, headline, standfirst, caption, embed, boilerplate, other |
| `attributions[]` | list | core | one per cue |
| `.sources` | spans | core | the source noun phrase(s); `[]` when implicit |
| `.cue` | span | core, required | the one contiguous expression that signals attribution |
| `.contents` | spans | core, ≥1 | what is attributed, complementizer included |
| `.source_form` | single | core, required | named_person, named_organization, described_person, described_group, anonymous_unspecified, document_or_data, media_outlet, author_self, implicit |
| `.source_interest` | single | core, required if sources | party_to_dispute, aligned_with_party, independent, unknown |
| `.record_status` | single | core, required | on_record, background, deep_background, off_record_signaled, not_applicable |
| `.cue_stance` | single | core, required | endorsing, neutral, distancing, disputing |
| `.source_role` | single | extended | government_executive, legislator_politician, military_security, intergovernmental_org, state_media, independent_media, academic_expert, think_tank, ngo_civil_society, corporate, legal_judicial, citizen_witness, other, unknown |
| `.attribution_type` | single | extended | assertion, belief, fact, eventuality |
| `.quote_type` | single | extended | direct, mixed, indirect |
| `.supplement` | spans | extended | where/when/to whom the speech act happened |
| `.embedded_source` | {source span, cue span} | extended | inner holder of a reported claim ("Moscow's claims that …") |
| `claims[]` | list | core | one per attributed content, plus the outlet's own factual assertions |
| `.span` | span | core, required | the proposition: content minus leading that/whether/if and wrapping quotation marks |
| `.attribution_id` | ref | core | an attribution's id, or null for the outlet's own voice |
| `.checkworthiness` | single | core, required | CFS (check-worthy factual), UFS (unimportant factual), NFS (not factual: opinion, belief, question) |
| `.sourcing_strength` | ordinal 0–4 | core, required | S0–S4, below |
| `.claim_category` | single | extended | event_action, quantity, correlation_causation, laws_rules, prediction, personal_experience, other_claim |
| `.source_commitment` | single | extended | certain_true, probable_true, possible, probable_false, certain_false, uncommitted |
| `.decontextualized` | free text | extended | the claim restated to stand alone |
| `framing.frames` | multi | core | Economic, Capacity_and_resources, Morality, Fairness_and_equality, Legality_Constitutionality_and_jurisprudence, Policy_prescription_and_evaluation, Crime_and_punishment, Security_and_defense, Health_and_safety, Quality_of_life, Cultural_identity, Public_opinion, Political, External_regulation_and_reputation, Other |
| `framing.primary_frame` | single | core, required if frames | one of `frames` |
| `framing.framing_spans[]` | span + technique + voice | core | technique: Loaded_Language, Name_Calling-Labeling, Contested_Naming (with `alternative`, e.g. Kiev → Kyiv), Exaggeration-Minimisation, Obfuscation-Vagueness-Confusion, Doubt, Appeal_to_Fear-Prejudice, Flag_Waving, Repetition, Slogans, Other_Technique; voice: outlet (the outlet's words, indirect speech included) or source (inside quotation marks) |
| `framing.stance[]` | {target, outlet_voice −2…+2, conveyed −2…+2} | extended | toward targets from an article-level list |
| `notes` | free text | core | anything the fields cannot say |
"""

# The sourcing-strength scale of SCHEMA.md, verbatim.
SCALE_TEXT = """\
- **S0 unsourced**: the outlet's own voice or an implicit source, no evidence shown.
- **S1 opaque**: attributed, but the source cannot be identified ("sources say", "experts believe", "reports suggest").
- **S2 identified, unsupported**: an identifiable source and no checkable support; also any party to the dispute making an unsupported allegation, whatever its rank (the interested-party cap).
- **S3 identified with a basis, or independent**: an identifiable independent source; or any identifiable source plus a specific checkable basis in the paragraph (a named document, a dated and located incident, data); or an unnamed source plus the outlet's explicit independent corroboration.
- **S4 corroborated or primary**: primary evidence presented or linked, two or more independent identifiable sources agree, or the outlet reports its own verification.
"""

TYPES = {
    "single": "single",
    "multi": "multi",
    "list": "list",
    "span": "span",
    "spans": "spans",
    "ordinal 0–4": "ordinal",
    "free text": "text",
    "ref": "ref",
    "{source span, cue span}": "object",
    "span + technique + voice": "list",
    "{target, outlet_voice −2…+2, conveyed −2…+2}": "list",
}


def _split(cell: str) -> list[str]:
    return [v.strip() for v in re.sub(r"\s*\([^)]*\)", "", cell).split(",")]


def schema_rows() -> dict[str, dict]:
    """Return {path: {type, tier, required, values}} from SCHEMA_TABLE."""
    rows, prefix = {}, ""
    for line in SCHEMA_TABLE.splitlines()[2:]:
        name, typ, tier, values = (c.strip() for c in line.strip().strip("|").split("|"))
        name = name.strip("`")
        if name.startswith("."):
            path = prefix + name[1:]
        else:
            path = name.removesuffix("[]")
            if name.endswith("[]"):
                prefix = name + "."
        rows[path] = {"type": typ, "tier": tier, "values": values}
    return rows


@pytest.fixture(scope="module")
def scheme():
    return load_scheme("newsattr-1", extended="all")


@pytest.fixture(scope="module")
def raw():
    with (SCHEMES_DIR / "newsattr-1.toml").open("rb") as fp:
        return tomllib.load(fp)


def test_table_copy_is_current():
    if not SHARED_SCHEMA.is_file():
        # Outside the team's workspace there is no shared/ to compare with: the copy stands alone.
        assert "| `kind` |" in SCHEMA_TABLE
        return
    shared = SHARED_SCHEMA.read_text(encoding="utf-8")
    assert SCHEMA_TABLE in shared
    assert SCALE_TEXT in shared


def test_shipped_schemes():
    assert "newsattr-1" in list_schemes()
    s = load_scheme()
    assert (s.name, s.version) == ("newsattr-1", "1.0")
    assert s.title and s.description


def test_every_field_of_schema_md_is_in_the_scheme(scheme):
    rows = schema_rows()
    paths = {f.path for f in scheme.fields}
    # the scheme adds only ids and the children of structured fields
    extra = paths - set(rows)
    assert extra == {
        "attributions[].id",
        "claims[].id",
        "framing",
        "attributions[].embedded_source.source",
        "attributions[].embedded_source.cue",
        "framing.framing_spans[].technique",
        "framing.framing_spans[].voice",
        "framing.framing_spans[].alternative",
        "framing.stance[].target",
        "framing.stance[].outlet_voice",
        "framing.stance[].conveyed",
    }
    assert set(rows) <= paths


@pytest.mark.parametrize("path", list(schema_rows()))
def test_field_type_tier_required_match_schema_md(path, scheme):
    row = schema_rows()[path]
    f = scheme.field(path)
    assert f.type == TYPES[row["type"]]
    assert f.tier == ("core" if row["tier"].startswith("core") else "extended")
    assert f.required == (
        "≥1" in row["tier"] or ("required" in row["tier"] and "required if" not in row["tier"])
    )
    if "required if" in row["tier"]:
        assert f.required_if is not None and f.required_if.field == row["tier"].split("required if ")[1]
    if "≥1" in row["tier"]:
        assert f.min_items == 1
    assert f.label and f.help


@pytest.mark.parametrize("path", [p for p, r in schema_rows().items() if r["type"] in ("single", "multi")])
def test_value_lists_match_schema_md_exactly(path, scheme):
    row = schema_rows()[path]
    values = [c.value for c in scheme.choices(path)]
    if path == "framing.primary_frame":
        assert row["values"] == "one of `frames`"
        assert values == [c.value for c in scheme.choices("framing.frames")]
        assert scheme.field(path).one_of == "frames"
    else:
        assert values == _split(row["values"])


def test_technique_and_voice_match_schema_md(scheme):
    cell = schema_rows()["framing.framing_spans"]["values"]
    technique, voice = re.fullmatch(r"technique: (.*); voice: (.*)", cell).groups()
    assert [c.value for c in scheme.choices("framing.framing_spans[].technique")] == _split(technique)
    assert [c.value for c in scheme.choices("framing.framing_spans[].voice")] == [
        v.strip() for v in re.sub(r"\s*\([^)]*\)", "", voice).split(" or ")
    ]
    alt = scheme.field("framing.framing_spans[].alternative")
    assert (
        alt.required_if.to_dict()
        == alt.allowed_if.to_dict()
        == {"field": "technique", "equals": "Contested_Naming"}
    )


def test_sourcing_scale_matches_schema_md(scheme):
    levels = re.findall(r"- \*\*S(\d) ([^*]+)\*\*: (.+)", SCALE_TEXT)
    assert [(s.value, s.code, s.name) for s in scheme.sourcing_scale] == [
        (int(n), f"S{n}", name) for n, name, _ in levels
    ]
    for s, (_, _, definition) in zip(scheme.sourcing_scale, levels, strict=True):
        assert s.definition == definition[0].upper() + definition[1:]
        assert s.key == str(s.value)
    f = scheme.field("claims[].sourcing_strength")
    assert (f.min, f.max) == (0, 4)
    assert scheme.choices(f.path) == [
        Choice(s.value, s.key, f"{s.code} {s.name}", s.definition) for s in scheme.sourcing_scale
    ]
    assert "highest level" in scheme.sourcing_rules["assign"]
    assert any("Quotation marks never raise" in n for n in scheme.sourcing_rules["notes"])


def test_stance_is_an_ordinal_from_minus_2_to_2(scheme):
    for path in ("framing.stance[].outlet_voice", "framing.stance[].conveyed"):
        f = scheme.field(path)
        assert (f.type, f.min, f.max) == ("ordinal", -2, 2)
        assert [c.value for c in f.values] == [-2, -1, 0, 1, 2]


LETTER_KEYED = {"framing.frames", "framing.primary_frame", "attributions[].source_role"}


@pytest.mark.parametrize("path", [f.path for f in load_scheme().fields if f.values])
def test_keyboard_keys(path, scheme):
    choices = scheme.choices(path)
    keys = [c.key for c in choices]
    assert len(set(keys)) == len(keys)
    assert all(c.label and c.help for c in choices)
    if path in LETTER_KEYED:
        assert all(len(k) == 1 and k.isalpha() and k.islower() for k in keys)
    elif path == "claims[].sourcing_strength":
        assert keys == ["0", "1", "2", "3", "4"]
    else:  # number keys 1-9, then 0; letters only past ten values
        digits = list("1234567890")
        assert keys[:10] == digits[: len(keys[:10])]
        assert all(k.isalpha() for k in keys[10:])


def test_span_roles(scheme):
    roles = {r.name: r for r in scheme.span_roles}
    assert {n: r.key for n, r in roles.items()} == {
        "source": "s",
        "cue": "c",
        "content": "t",
        "claim": "l",
        "framing": "f",
        "supplement": "p",
        "embedded_source": "e",
        "embedded_cue": "E",
    }
    for r in scheme.span_roles:
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", r.colour)
        assert r.badge and r.underline and r.label and r.help
        scheme.field(r.field)
    # never colour alone: badges and underline styles tell roles apart too
    assert len({r.badge for r in scheme.span_roles}) == len(roles)
    assert len({r.underline for r in scheme.span_roles}) == len(roles)
    assert len({r.colour.lower() for r in scheme.span_roles}) == len(roles)


def test_boundary_rules_and_guidelines(scheme):
    assert [r["role"] for r in scheme.boundary_rules] == ["source", "cue", "content", "none"]
    assert "complementizer" in scheme.boundary_rules[2]["rule"]
    g = scheme.guidelines
    assert g["intro"] and all(s["title"] and s["body"] for s in g["sections"])
    assert g["worked_example"] == "samples/rt-2024-01-30-lavrov-weapons.labels.jsonl"
    records = scheme.worked_example()
    assert [set(r) for r in records] == [{"text", "labels"}] * 2


def test_extended_fields_default_off():
    s = load_scheme()
    assert s.extended == frozenset()
    assert s.extended_fields == (
        "attributions[].supplement",
        "attributions[].embedded_source",
        "attributions[].source_role",
        "attributions[].attribution_type",
        "attributions[].quote_type",
        "claims[].claim_category",
        "claims[].source_commitment",
        "claims[].decontextualized",
        "framing.stance",
    )
    for path in s.extended_fields:
        assert not s.enabled(path)
    assert not s.enabled("attributions[0].embedded_source.cue")  # children follow their parent
    assert not s.enabled("framing.stance[2].conveyed")
    assert s.enabled("attributions[0].cue") and s.enabled("framing.primary_frame")


@pytest.mark.parametrize(
    "extended, expected",
    [
        ("all", "all"),
        (["all"], "all"),
        ([], set()),
        (["source_role", "stance"], {"attributions[].source_role", "framing.stance"}),
        (["attributions[].source_role", "framing.stance"], {"attributions[].source_role", "framing.stance"}),
        (
            ["attributions.supplement", "claims[0].decontextualized"],
            {"attributions[].supplement", "claims[].decontextualized"},
        ),
    ],
)
def test_extended_override(extended, expected):
    s = load_scheme(extended=extended)
    assert s.extended == (frozenset(s.extended_fields) if expected == "all" else expected)
    for path in s.extended_fields:
        assert s.enabled(path) == (path in s.extended)


@pytest.mark.parametrize("extended", [["colour"], ["kind"], ["cue"], "none", ["embedded_source.cue"]])
def test_extended_override_rejects_unknown_names(extended):
    with pytest.raises(SchemeError, match="unknown extended field"):
        load_scheme(extended=extended)


def test_field_lookup(scheme):
    assert scheme.field("claims[1].sourcing_strength") is scheme.field("claims[].sourcing_strength")
    assert scheme.field("attributions[0]").path == "attributions"
    assert scheme.field("framing.framing_spans[2].technique").name == "technique"
    assert scheme.field("framing.framing_spans[2].technique").parent == "framing.framing_spans"
    assert scheme.field("kind").parent is None
    assert [f.name for f in scheme.children("framing")] == [
        "frames",
        "primary_frame",
        "framing_spans",
        "stance",
    ]
    with pytest.raises(KeyError):
        scheme.field("attributions[0].colour")
    assert scheme.choices("kind")[0] == ("body", "1", "Body", "Running text of the article.")


def test_to_dict_is_json_for_the_browser():
    s = load_scheme(extended=["source_role"])
    d = json.loads(json.dumps(s.to_dict()))
    assert d["name"] == "newsattr-1" and d["extended"] == ["attributions[].source_role"]
    fields = {f["path"]: f for f in d["fields"]}
    assert fields["attributions[].source_role"]["enabled"] is True
    assert fields["framing.stance"]["enabled"] is False
    assert fields["kind"]["values"][0] == {
        "value": "body",
        "key": "1",
        "label": "Body",
        "help": "Running text of the article.",
    }
    assert fields["attributions[].source_interest"]["required_if"] == {"field": "sources", "equals": None}
    assert fields["claims[].attribution_id"]["refers_to"] == "attributions"
    roles = {r["name"]: r for r in d["span_roles"]}
    assert roles["cue"]["key"] == "c" and roles["cue"]["enabled"] is True
    assert roles["supplement"]["enabled"] is False
    assert [lvl["code"] for lvl in d["sourcing_scale"]] == ["S0", "S1", "S2", "S3", "S4"]
    assert d["boundary_rules"] and d["guidelines"]["sections"]


def test_load_from_path_and_file_settings(tmp_path, raw):
    text = (SCHEMES_DIR / "newsattr-1.toml").read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(text.replace("extended = []", 'extended = ["stance", "quote_type"]'), encoding="utf-8")
    s = load_scheme(str(path))
    assert s.extended == {"framing.stance", "attributions[].quote_type"}
    assert load_scheme(path, extended=[]).extended == frozenset()
    assert load_scheme(path, extended="all").extended == set(s.extended_fields)
    path.write_text(text.replace("extended = []", 'extended = "all"'), encoding="utf-8")
    assert load_scheme(path).extended == set(s.extended_fields)  # a changed file is read again


def test_load_is_cached():
    assert load_scheme() is load_scheme("newsattr-1")
    assert load_scheme(extended="all") is load_scheme(extended="all")
    assert load_scheme(extended=["stance"]) is not load_scheme()


@pytest.mark.parametrize("name", ["newsattr-9", "nope", "missing/dir/x.toml", "x.toml"])
def test_unknown_scheme(name):
    with pytest.raises(SchemeError):
        load_scheme(name)


def test_invalid_toml_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scheme\nname = 1", encoding="utf-8")
    with pytest.raises(SchemeError, match="bad.toml"):
        load_scheme(bad)


def _field_index(data, path):
    return next(i for i, f in enumerate(data["fields"]) if f["path"] == path)


def _set(path, key, value):
    def mutate(data):
        data["fields"][_field_index(data, path)][key] = value

    return mutate


def _delete(path, key):
    def mutate(data):
        del data["fields"][_field_index(data, path)][key]

    return mutate


def _move_cue_first(data):
    data["fields"].insert(0, data["fields"].pop(_field_index(data, "attributions[].cue")))


def _dup_kind(data):
    data["fields"].append(copy.deepcopy(data["fields"][0]))


def _kind_values(mutate_values):
    def mutate(data):
        mutate_values(data["fields"][_field_index(data, "kind")]["values"])

    return mutate


BAD_SCHEMES = [
    (_set("kind", "type", "choice"), "unknown type 'choice'"),
    (_set("kind", "colour", "red"), "unknown keys"),
    (_set("kind", "tier", "optional"), "tier"),
    (_delete("kind", "help"), "'help' must be a non-empty string"),
    (_delete("kind", "values"), "needs values"),
    (_kind_values(lambda v: v[1].update(key="1")), "duplicate '1'"),
    (_kind_values(lambda v: v[1].update(value="body")), "duplicate 'body'"),
    (_kind_values(lambda v: v[1].pop("help")), "missing keys"),
    (_move_cue_first, "needs a list or object"),
    (_dup_kind, "duplicate path 'kind'"),
    (_set("claims[].attribution_id", "refers_to", "kind"), "refers_to"),
    (_set("framing.primary_frame", "one_of", "framing_spans"), "one_of"),
    (_set("attributions[].source_interest", "required_if", "speakers"), "unknown sibling"),
    (_set("attributions[].source_interest", "required_if", 3), "required_if"),
    (_set("framing.stance[].conveyed", "max", 1), "within min..max"),
    (_delete("claims[].id", "prefix"), "prefix"),
    (_set("framing.framing_spans", "item", "token"), "item"),
    (_set("framing.stance", "unique_by", "name"), "unique_by"),
    (_set("claims[].sourcing_strength", "scale", "other"), "scale"),
    (lambda d: d["span_roles"][1].update(key="s"), "span_roles keys"),
    (lambda d: d["span_roles"][1].update(field="kind"), "not a span field"),
    (lambda d: d["span_roles"][1].pop("badge"), "span_roles"),
    (lambda d: d.pop("scheme"), r"\[scheme\]"),
    (lambda d: d.pop("fields"), "no \\[\\[fields\\]\\]"),
    (lambda d: d["sourcing"]["scale"][0].pop("definition"), "sourcing.scale"),
    (lambda d: d["settings"].update(extended=["kind"]), "unknown extended field 'kind'"),
]


@pytest.mark.parametrize("mutate, message", BAD_SCHEMES, ids=[m for _, m in BAD_SCHEMES])
def test_bad_scheme_files_are_rejected(mutate, message, raw):
    data = copy.deepcopy(raw)
    build_scheme(copy.deepcopy(raw))  # the unmodified document builds
    mutate(data)
    with pytest.raises(SchemeError, match=message):
        build_scheme(data, source="x.toml")


PACKAGE = Path(__file__).resolve().parent.parent / "annotator"
OWN_FILES = sorted((PACKAGE / "scheme").glob("*.py")) + [PACKAGE / "schemes" / "newsattr-1.toml"]


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_files_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 600


@pytest.mark.parametrize("path", [p for p in OWN_FILES if p.suffix == ".py"], ids=lambda p: p.name)
def test_scheme_package_is_pure(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in sys.stdlib_module_names | {"__future__"}, name
