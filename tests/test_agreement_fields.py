"""The per-field agreement report over labels documents (SCHEMA.md, "How agreement is measured on it")."""

import copy
import json
import random
from pathlib import Path

import pytest

from annotator.agreement import FieldAccumulator, field_report, krippendorff_alpha, paragraph_disagreement

_NAME = "rt-2024-01-30-lavrov-weapons.labels.jsonl"
SAMPLE = Path(__file__).resolve().parent.parent / "annotator" / "samples" / _NAME


def _docs():
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _span(text, phrase):
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "text": phrase}


def _perturbed(docs):
    """Bob's labels: alice's (the worked example) with known changes."""
    p1, p2 = copy.deepcopy(docs[0]["labels"]), copy.deepcopy(docs[1]["labels"])
    # paragraph 1: a distancing cue, a higher sourcing strength, one frame fewer
    p1["attributions"][0]["cue_stance"] = "distancing"
    p1["claims"][0]["sourcing_strength"] = 3
    p1["framing"]["frames"] = ["External_regulation_and_reputation"]
    # paragraph 2: no second attribution (nor its claim), another primary frame, one more framing span
    del p2["attributions"][1]
    del p2["claims"][1]
    p2["framing"]["primary_frame"] = "Security_and_defense"
    p2["framing"]["framing_spans"].append(
        {**_span(docs[1]["text"], "black market"), "technique": "Loaded_Language", "voice": "outlet"}
    )
    return p1, p2


@pytest.fixture(scope="module")
def worked():
    docs = _docs()
    bob = _perturbed(docs)
    items = [
        {"paragraph_id": f"rt#p{k}", "text": d["text"], "annotations": {"alice": d["labels"], "bob": bob[k]}}
        for k, d in enumerate(docs)
    ]
    return items, field_report(items)


# (path, statistic, value, n) computed by hand; see the comments
EXPECTED = [
    # every kind is 'body': undefined, not 1
    ("kind", "krippendorff_alpha_nominal", None, 2),
    # matched attributions: (neutral, distancing), (neutral, neutral): n=4 values, n_neutral=3, n_distancing=1;
    # alpha = 1 - (4-1) * 2 / (16 - 9 - 1) = 0
    ("attributions.cue_stance", "krippendorff_alpha_nominal", 0.0, 2),
    ("attributions.source_form", "krippendorff_alpha_nominal", None, 2),
    ("attributions.quote_type", "krippendorff_alpha_nominal", 1.0, 2),
    # p1: 1 cue each, the same; p2: alice 2 cues, bob 1 of them: F1 = 2 * 2 / 5
    ("attributions.cue", "span_f1_exact", 0.8, 5),
    ("attributions.cue.overlap", "span_f1_overlap", 0.8, 5),
    # one 'Lavrov' per paragraph and annotator (shared by both of alice's attributions in p2)
    ("attributions.sources", "span_f1_exact", 1.0, 4),
    ("attributions.contents", "span_f1_exact", 0.8, 5),
    ("claims.span", "span_f1_exact", 0.8, 5),
    ("claims.checkworthiness", "krippendorff_alpha_nominal", None, 2),
    # (2, 3), (2, 2): two distinct values, so ordinal alpha equals nominal: 0
    ("claims.sourcing_strength", "krippendorff_alpha_ordinal", 0.0, 2),
    ("claims.sourcing_strength.within_1", "share_within_1", 1.0, 2),
    ("claims.attribution_link", "percent_agreement", 1.0, 2),
    # MASI: p1 {Ext, Sec} vs {Ext} (2/3 apart), p2 equal sets C; De sum = 20/3, Do sum = 4/3; alpha = 1 - 3*(4/3)/(20/3)
    ("framing.frames", "krippendorff_alpha_masi", 0.4, 2),
    ("framing.frames.Security_and_defense", "krippendorff_alpha_nominal", 0.0, 2),
    ("framing.frames.Crime_and_punishment", "krippendorff_alpha_nominal", 1.0, 2),
    ("framing.frames.External_regulation_and_reputation", "krippendorff_alpha_nominal", None, 2),
    # (Ext, Ext), (Crime, Security): alpha = 1 - 3 * 2 / (16 - 4 - 1 - 1)
    ("framing.primary_frame", "krippendorff_alpha_nominal", 0.4, 2),
    ("framing.framing_spans", "span_f1_exact", 0.8, 5),
    ("framing.framing_spans.technique", "krippendorff_alpha_nominal", 1.0, 2),
    ("framing.framing_spans.voice", "krippendorff_alpha_nominal", 1.0, 2),
]


@pytest.mark.parametrize(("path", "statistic", "value", "n"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_worked_example(worked, path, statistic, value, n):
    res = worked[1]["fields"][path]
    assert res["statistic"] == statistic
    assert res["n"] == n
    if value is None:
        assert res["value"] is None
        assert res["reason"].startswith("no variation: every value is ")
    else:
        assert res["value"] == pytest.approx(value, abs=1e-12)
        assert res["reason"] is None


def test_worked_example_reasons(worked):
    fields = worked[1]["fields"]
    assert fields["kind"]["reason"] == "no variation: every value is 'body'"
    assert (
        fields["framing.frames.External_regulation_and_reputation"]["reason"]
        == "no variation: every value is True"
    )


def test_worked_example_pairs(worked):
    report = worked[1]
    assert report["annotators"] == ["alice", "bob"]
    assert list(report["pairs"]) == ["alice|bob"]
    pair = report["pairs"]["alice|bob"]
    # (Ext, Ext), (Crime, Security): po = 0.5, pe = 0.25, kappa = 1/3
    assert pair["framing.primary_frame"]["statistic"] == "cohen_kappa"
    assert pair["framing.primary_frame"]["value"] == pytest.approx(1 / 3)
    # (neutral, distancing), (neutral, neutral): po = 0.5 = pe
    assert pair["attributions.cue_stance"]["value"] == pytest.approx(0.0)
    assert pair["kind"]["value"] is None
    assert pair["claims.span"]["value"] == pytest.approx(0.8)
    assert pair["framing.frames"]["value"] == pytest.approx(0.4)


def test_worked_example_paragraphs(worked):
    paragraphs = worked[1]["paragraphs"]
    assert set(paragraphs) == {"rt#p0", "rt#p1"}
    for p in paragraphs.values():
        assert p["n_annotators"] == 2
        assert 0 < p["disagreement"] < 1
    # p2 lost an attribution and a claim: more disagreement than p1's attribute changes
    assert paragraphs["rt#p1"]["disagreement"] > paragraphs["rt#p0"]["disagreement"]


def test_report_is_json_serialisable(worked):
    json.dumps(worked[1])


def test_identical_annotators():
    docs = _docs()
    items = [
        {"paragraph_id": str(k), "text": d["text"], "annotations": {"a": d["labels"], "b": d["labels"]}}
        for k, d in enumerate(docs)
    ]
    report = field_report(items)
    for p in report["paragraphs"].values():
        assert p["disagreement"] == 0.0
    for path in ("claims.span", "attributions.cue", "framing.framing_spans"):
        assert report["fields"][path]["value"] == 1.0


def test_one_annotator_is_undefined():
    docs = _docs()
    report = field_report(
        {"paragraph_id": str(k), "text": d["text"], "annotations": {"alice": d["labels"]}}
        for k, d in enumerate(docs)
    )
    assert report["pairs"] == {}
    assert report["annotators"] == ["alice"]
    for path, res in report["fields"].items():
        assert res["value"] is None, path
        assert res["reason"] == "only one annotator", path
    assert report["paragraphs"]["0"] == {"disagreement": 0.0, "n_annotators": 1}


def test_no_paragraphs():
    report = field_report([])
    assert report["fields"]["kind"]["reason"] == "only one annotator"
    assert report["paragraphs"] == {}


def test_extended_fields_only_when_present():
    docs = _docs()
    core_only = []
    for d in docs:
        labels = copy.deepcopy(d["labels"])
        for a in labels["attributions"]:
            for f in ("source_role", "attribution_type", "quote_type"):
                a.pop(f)
        for c in labels["claims"]:
            for f in ("claim_category", "source_commitment"):
                c.pop(f)
        core_only.append(labels)
    report = field_report([{"paragraph_id": "x", "annotations": {"a": core_only[1], "b": core_only[1]}}])
    fields = report["fields"]
    assert "attributions.source_role" not in fields
    assert "claims.claim_category" not in fields
    for core in ("attributions.source_interest", "attributions.record_status", "claims.checkworthiness"):
        assert core in fields


# -- against the general coefficients on generated data ----------------------------------------------------

KINDS = ["body", "headline", "caption", "quote_only"]
FORMS = ["named_person", "named_organization", "described_group", "implicit"]
FRAMES = ["Economic", "Political", "Morality", "Security_and_defense", "Crime_and_punishment"]


def _random_labels(rng, n_attr):
    attributions, claims = [], []
    for k in range(n_attr):
        cue = {"start": 20 * k + 5, "end": 20 * k + 10 + rng.choice([0, 0, 1]), "text": "x"}
        attributions.append(
            {
                "id": f"a{k + 1}",
                "sources": [{"start": 20 * k, "end": 20 * k + 4, "text": "x"}],
                "cue": cue,
                "contents": [{"start": 20 * k + 11, "end": 20 * k + 19, "text": "x"}],
                "source_form": rng.choice(FORMS),
                "source_interest": rng.choice(["independent", "unknown"]),
                "record_status": "on_record",
                "cue_stance": rng.choice(["neutral", "distancing"]),
            }
        )
        claims.append(
            {
                "id": f"c{k + 1}",
                "span": {"start": 20 * k + 12, "end": 20 * k + 19, "text": "x"},
                "attribution_id": f"a{k + 1}",
                "checkworthiness": rng.choice(["CFS", "NFS"]),
                "sourcing_strength": rng.randint(0, 4),
            }
        )
    frames = rng.sample(FRAMES, rng.randint(0, 2))
    return {
        "kind": rng.choice(KINDS),
        "attributions": attributions,
        "claims": claims,
        "framing": {"frames": frames, "primary_frame": frames[0] if frames else None, "framing_spans": []},
    }


def _random_items(seed, paragraphs=60):
    rng = random.Random(seed)
    names = ["ann", "bea", "cal", "dee"]
    items = []
    for p in range(paragraphs):
        n_attr = rng.randint(0, 3)
        chosen = rng.sample(names, rng.randint(1, 4))
        items.append(
            {
                "paragraph_id": f"p{p}",
                "text": "",
                "annotations": {n: _random_labels(rng, n_attr) for n in chosen},
            }
        )
    return items


@pytest.mark.parametrize("seed", range(6))
def test_paragraph_fields_equal_general_alpha(seed):
    items = _random_items(seed)
    report = field_report(items)
    kind = krippendorff_alpha({n: labels["kind"] for n, labels in it["annotations"].items()} for it in items)
    assert report["fields"]["kind"]["value"] == pytest.approx(kind["value"], abs=1e-9)
    assert report["fields"]["kind"]["n"] == kind["n"]
    frames = krippendorff_alpha(
        ({n: labels["framing"]["frames"] for n, labels in it["annotations"].items()} for it in items), "masi"
    )
    assert report["fields"]["framing.frames"]["value"] == pytest.approx(frames["value"], abs=1e-9)
    primary = krippendorff_alpha(
        {n: labels["framing"]["primary_frame"] for n, labels in it["annotations"].items()} for it in items
    )
    assert report["fields"]["framing.primary_frame"]["value"] == pytest.approx(primary["value"], abs=1e-9)
    for frame in FRAMES:
        binary = krippendorff_alpha(
            {n: frame in labels["framing"]["frames"] for n, labels in it["annotations"].items()}
            for it in items
        )
        got = report["fields"].get(f"framing.frames.{frame}")
        if got is not None and binary["value"] is not None:
            assert got["value"] == pytest.approx(binary["value"], abs=1e-9)


def _item_matrix(items, kind, field):
    """The annotators x units matrix of one attribute: one unit per position (cues never overlap here)."""
    import numpy as np

    names = sorted({n for it in items for n in it["annotations"]})
    columns = []
    for it in items:
        ann = it["annotations"]
        if len(ann) < 2:
            continue
        for k in range(max(len(labels[kind]) for labels in ann.values())):
            column = []
            for n in names:
                value = ann[n][kind][k][field] if n in ann and k < len(ann[n][kind]) else None
                column.append(np.nan if value is None else value)
            columns.append(column)
    return np.array(columns, dtype=object).T


@pytest.mark.parametrize("seed", range(6))
def test_matched_attributes_equal_krippendorff_package_on_aligned_units(seed):
    # cues here never overlap across attributions, so one attribution position is one unit for all annotators
    krippendorff = pytest.importorskip("krippendorff")
    items = _random_items(seed)
    report = field_report(items)
    for kind, field, level in (
        ("attributions", "source_form", "nominal"),
        ("attributions", "cue_stance", "nominal"),
        ("claims", "checkworthiness", "nominal"),
        ("claims", "sourcing_strength", "ordinal"),
    ):
        matrix = _item_matrix(items, kind, field)
        domain = sorted({v for v in matrix.ravel() if isinstance(v, str | int)}, key=str)
        codes = {v: float(k) for k, v in enumerate(domain)} if level == "nominal" else None
        numeric = [[codes[v] if codes and isinstance(v, str) else float(v) for v in row] for row in matrix]
        expected = krippendorff.alpha(reliability_data=numeric, level_of_measurement=level)
        got = report["fields"][f"{kind}.{field}"]
        pairable = sum(1 for col in zip(*numeric, strict=True) if sum(v == v for v in col) >= 2)
        assert got["n"] == pairable
        assert got["value"] == pytest.approx(expected, abs=1e-9)
        assert got["unit"].startswith(kind[:-1])


@pytest.mark.parametrize("seed", range(4))
def test_pair_kappa_equals_sklearn(seed):
    metrics = pytest.importorskip("sklearn.metrics")
    items = _random_items(seed, paragraphs=120)
    report = field_report(items)
    a, b = [], []
    for it in items:
        ann = it["annotations"]
        if "ann" in ann and "bea" in ann:
            a.append(ann["ann"]["kind"])
            b.append(ann["bea"]["kind"])
    got = report["pairs"]["ann|bea"]["kind"]
    assert got["n"] == len(a)
    assert got["value"] == pytest.approx(metrics.cohen_kappa_score(a, b), abs=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_merge_equals_one_pass(seed):
    items = _random_items(seed)
    whole = field_report(items)
    left, right = FieldAccumulator(), FieldAccumulator()
    for k, it in enumerate(items):
        (left if k % 3 else right).add(it)
    left.merge(right)
    merged = left.report()
    assert merged["paragraphs"] == whole["paragraphs"]
    for path, res in whole["fields"].items():
        if res["value"] is None:
            assert merged["fields"][path]["value"] is None
        else:
            assert merged["fields"][path]["value"] == pytest.approx(res["value"], abs=1e-12), path


# -- paragraph disagreement ----------------------------------------------------------------------------------


def test_paragraph_disagreement_zero_when_same_up_to_ids_and_order():
    labels = _docs()[1]["labels"]
    other = copy.deepcopy(labels)
    other["attributions"].reverse()
    for a in other["attributions"]:
        a["id"] = {"a1": "a2", "a2": "a1"}[a["id"]]
    for c in other["claims"]:
        c["attribution_id"] = {"a1": "a2", "a2": "a1"}[c["attribution_id"]]
    other["claims"].reverse()
    assert paragraph_disagreement({"x": labels, "y": other}) == 0.0


def test_paragraph_disagreement_orders_by_size_of_difference():
    labels = _docs()[1]["labels"]
    small = copy.deepcopy(labels)
    small["claims"][0]["sourcing_strength"] = 3
    large = copy.deepcopy(small)
    large["kind"] = "headline"
    large["attributions"] = []
    large["claims"] = []
    d_small = paragraph_disagreement({"x": labels, "y": small})
    d_large = paragraph_disagreement({"x": labels, "y": large})
    assert 0 < d_small < d_large <= 1


def test_paragraph_disagreement_wrong_link_counts():
    labels = _docs()[1]["labels"]
    relinked = copy.deepcopy(labels)
    relinked["claims"][0]["attribution_id"] = "a2"
    assert paragraph_disagreement({"x": labels, "y": relinked}) > 0


@pytest.mark.parametrize("seed", range(5))
def test_paragraph_disagreement_in_unit_interval(seed):
    for it in _random_items(seed):
        d = paragraph_disagreement(it["annotations"])
        assert 0.0 <= d <= 1.0
        if len(it["annotations"]) < 2:
            assert d == 0.0


def test_malformed_spans_do_not_crash():
    labels = _docs()[0]["labels"]
    broken = copy.deepcopy(labels)
    broken["attributions"][0]["cue"] = None
    broken["claims"][0]["span"] = {"start": 3}
    report = field_report([{"paragraph_id": "p", "annotations": {"a": labels, "b": broken}}])
    assert report["fields"]["attributions.cue"]["value"] == 0.0
    assert 0 < report["paragraphs"]["p"]["disagreement"] <= 1


@pytest.mark.parametrize("seed", range(4))
def test_equal_views_shortcut_counts_like_full_comparison(seed, monkeypatch):
    from annotator.agreement import fields

    rng = random.Random(seed)
    items = _random_items(seed)
    for it in items:  # make some annotators copy others, so the shortcut is taken
        names = list(it["annotations"])
        for name in names[1:]:
            if rng.random() < 0.5:
                it["annotations"][name] = copy.deepcopy(it["annotations"][names[0]])
    fast = field_report(items)
    monkeypatch.setattr(fields, "compare_same", lambda *args: False)
    slow = field_report(items)
    assert fast == slow


def test_accumulator_pickles():
    import pickle

    items = _random_items(1)
    acc = FieldAccumulator()
    for it in items:
        acc.add(it)
    assert pickle.loads(pickle.dumps(acc)).report() == acc.report()


@pytest.mark.parametrize(
    ("change", "zero"),
    [
        (lambda d: d.update(notes="other words"), True),
        (lambda d: d["claims"][0].update(decontextualized="other words"), True),
        (lambda d: d["attributions"][0]["cue"].update(text="REITERATED"), True),
        (lambda d: d["attributions"][0]["supplement"].clear(), False),
        (lambda d: d["framing"]["framing_spans"][0].update(alternative="Kyïv"), False),
        (lambda d: d["framing"]["stance"].pop(), False),
    ],
)
def test_zero_disagreement_means_unanimous(change, zero):
    from annotator.agreement import RESIDUAL, is_unanimous

    labels = _docs()[1]["labels"]
    other = copy.deepcopy(labels)
    change(other)
    d = paragraph_disagreement({"x": labels, "y": other})
    assert (d == 0.0) is zero is is_unanimous({"x": labels, "y": other})
    if not zero:
        assert d == RESIDUAL
