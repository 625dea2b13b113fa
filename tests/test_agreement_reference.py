"""``annotator agreement --from-jsonl --json`` against the reference libraries, on generated ``all`` exports.

The generator knows which item each annotator's attribution, claim or framing span stands for (each lies in
its own stretch of the paragraph, its boundaries moved a little per annotator), so the reference
annotators x units matrix is built from that knowledge, not from our alignment: one column per item anyone
marked, ``nan`` where an annotator did not mark it or left the field empty. ``krippendorff.alpha`` on that
matrix must equal our figure to 1e-9; per-pair Cohen's kappa must equal scikit-learn's.
"""

import json
import random

import numpy as np
import pytest

from annotator.cli import cli

krippendorff = pytest.importorskip("krippendorff")
metrics = pytest.importorskip("sklearn.metrics")

FORMS = ["named_person", "named_organization", "described_group", "anonymous_unspecified", "implicit"]
STANCES = ["neutral", "distancing", "endorsing"]
CHECK = ["CFS", "UFS", "NFS"]
TECHNIQUES = ["Loaded_Language", "Doubt", "Flag_Waving"]
KINDS = ["body", "body", "headline", "caption"]
STRIDE = 120  # each item's stretch of the paragraph: items of different stretches never overlap

# (kind of item, field, level, values) compared
FIELDS = [
    ("attributions", "source_form", "nominal", FORMS),
    ("attributions", "cue_stance", "nominal", STANCES),
    ("claims", "checkworthiness", "nominal", CHECK),
    ("claims", "sourcing_strength", "ordinal", [0, 1, 2, 3, 4]),
    ("framing_spans", "technique", "nominal", TECHNIQUES),
]


def _value(rng, truth, values, missing):
    """An annotator's value: the true one mostly, another sometimes, none (left empty) at rate ``missing``."""
    if rng.random() < missing:
        return None
    return truth if rng.random() < 0.7 else rng.choice(values)


def _jitter(rng, start, end, by):
    return {"start": start + rng.randint(-by, by), "end": end + rng.randint(-by, by), "text": "x"}


def generate(seed, annotators, paragraphs, marking, missing):
    """Return (JSONL lines, units) where ``units[(kind, field)]`` lists ``{annotator: value}`` per true item."""
    rng = random.Random(seed)
    names = [f"ann{k + 1}" for k in range(annotators)]
    lines = []
    units = {(kind, field): [] for kind, field, *_ in FIELDS}
    unaligned = {"attributions": 0, "claims": 0, "framing_spans": 0}
    for p in range(paragraphs):
        # most paragraphs go to every annotator, some to a subset of two or more, a few to one only
        r = rng.random()
        who = names if r < 0.7 else rng.sample(names, 1 if r > 0.95 else rng.randint(2, annotators))
        labels = {
            n: {"kind": rng.choice(KINDS), "attributions": [], "claims": [], "framing": {}} for n in who
        }
        for n in who:
            labels[n]["framing"] = {"frames": [], "primary_frame": None, "framing_spans": []}
        for k in range(rng.randint(0, 3)):
            base = STRIDE * k
            truth = {f: rng.choice(vals) for _, f, _, vals in FIELDS}
            has = {n: rng.random() < marking for n in who}
            if len(who) >= 2 and sum(has.values()) == 1:
                unaligned["attributions"] += 1
            for n in who:
                if not has[n]:
                    continue
                labels[n]["attributions"].append(
                    {
                        "id": f"a{k}",
                        "sources": [_jitter(rng, base, base + 8, 1)],
                        "cue": _jitter(rng, base + 10, base + 20, 2),
                        "contents": [_jitter(rng, base + 22, base + 60, 3)],
                        "source_form": _value(rng, truth["source_form"], FORMS, missing),
                        "source_interest": "unknown",
                        "record_status": "on_record",
                        "cue_stance": _value(rng, truth["cue_stance"], STANCES, missing),
                    }
                )
            for kind, field, *_ in FIELDS[:2]:
                if len(who) >= 2 and any(has.values()):
                    units[(kind, field)].append(
                        {
                            n: next(a[field] for a in labels[n]["attributions"] if a["id"] == f"a{k}")
                            for n in who
                            if has[n]
                        }
                    )
            # the claim of this attribution (an own-voice claim when the annotator did not mark the attribution)
            has_claim = {n: rng.random() < marking for n in who}
            if len(who) >= 2 and sum(has_claim.values()) == 1:
                unaligned["claims"] += 1
            claim_values = {}
            for n in who:
                if not has_claim[n]:
                    continue
                claim = {
                    "id": f"c{k}",
                    "span": _jitter(rng, base + 25, base + 70, 4),
                    "attribution_id": f"a{k}" if has[n] else None,
                    "checkworthiness": _value(rng, truth["checkworthiness"], CHECK, missing),
                    "sourcing_strength": _value(rng, truth["sourcing_strength"], [0, 1, 2, 3, 4], missing),
                }
                labels[n]["claims"].append(claim)
                claim_values[n] = claim
            if len(who) >= 2 and claim_values:
                for field in ("checkworthiness", "sourcing_strength"):
                    units[("claims", field)].append({n: c[field] for n, c in claim_values.items()})
            # a framing span in the stretch, marked by some
            has_span = {n: rng.random() < marking * 0.8 for n in who}
            if len(who) >= 2 and sum(has_span.values()) == 1:
                unaligned["framing_spans"] += 1
            span_values = {}
            for n in who:
                if has_span[n]:
                    technique = _value(rng, truth["technique"], TECHNIQUES, missing)
                    span = {
                        **_jitter(rng, base + 80, base + 100, 3),
                        "technique": technique,
                        "voice": "outlet",
                    }
                    labels[n]["framing"]["framing_spans"].append(span)
                    span_values[n] = technique
            if len(who) >= 2 and span_values:
                units[("framing_spans", "technique")].append(span_values)
        for n in who:
            lines.append(json.dumps({"paragraph_id": f"art{p // 10}#p{p % 10}", "annotator": n,
                                     "text": "x" * (STRIDE * 3), "labels": labels[n]}))  # fmt: skip
    return "\n".join(lines) + "\n", units, unaligned, names


def _matrix(units, names, values):
    """The annotators x units matrix ``krippendorff.alpha`` reads: value codes, ``nan`` for missing."""
    code = {v: float(k) for k, v in enumerate(values)}
    data = np.full((len(names), len(units)), np.nan)
    for u, unit in enumerate(units):
        for n, v in unit.items():
            if v is not None:
                data[names.index(n), u] = code[v] if isinstance(v, str) else float(v)
    return data


CASES = [
    # (annotators, paragraphs, share of items each annotator marks, share of values left empty)
    (2, 60, 1.0, 0.0),
    (2, 40, 0.8, 0.1),
    (3, 50, 1.0, 0.0),
    (3, 30, 0.75, 0.15),
    (5, 40, 1.0, 0.0),
    (5, 25, 0.7, 0.2),
]


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize(("annotators", "paragraphs", "marking", "missing"), CASES)
def test_alpha_equals_krippendorff_package(runner, tmp_path, seed, annotators, paragraphs, marking, missing):
    text, units, unaligned, names = generate(seed, annotators, paragraphs, marking, missing)
    path = tmp_path / "all.jsonl"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["agreement", "--from-jsonl", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    for kind, field, level, values in FIELDS:
        path_ = f"{'framing.framing_spans' if kind == 'framing_spans' else kind}.{field}"
        got = out["fields"][path_]
        data = _matrix(units[(kind, field)], names, values)
        pairable = int(((~np.isnan(data)).sum(axis=0) >= 2).sum())
        assert got["statistic"] == f"krippendorff_alpha_{level}"
        assert got["n"] == pairable, path_
        assert got["unit"].startswith({"attributions": "attribution", "claims": "claim"}.get(kind, "framing"))
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
        assert got["value"] == pytest.approx(expected, abs=1e-9), path_
    alignment = out["alignment"]
    assert alignment["attributions"]["unaligned_items"] == unaligned["attributions"]
    assert alignment["claims"]["unaligned_items"] == unaligned["claims"]
    assert alignment["framing.framing_spans"]["unaligned_items"] == unaligned["framing_spans"]


@pytest.mark.parametrize("annotators", [3, 5])
def test_pairwise_kappa_equals_scikit_learn(runner, tmp_path, annotators):
    text, units, _, names = generate(7, annotators, 40, 0.8, 0.1)
    path = tmp_path / "all.jsonl"
    path.write_text(text, encoding="utf-8")
    out = json.loads(runner.invoke(cli, ["agreement", "--from-jsonl", str(path), "--json"]).output)
    a, b = names[0], names[1]
    pair = out["pairs"][f"{a}|{b}"]
    for kind, field in (("claims", "checkworthiness"), ("attributions", "source_form")):
        both = [u for u in units[(kind, field)] if u.get(a) is not None and u.get(b) is not None]
        expected = metrics.cohen_kappa_score([u[a] for u in both], [u[b] for u in both])
        got = pair[f"{kind}.{field}"]
        assert got["statistic"] == "cohen_kappa" and got["n"] == len(both)
        assert got["value"] == pytest.approx(expected, abs=1e-9)
        assert got["unit"].endswith(
            "pair matched by cue" if kind == "attributions" else "pair matched by span"
        )


def test_the_table_names_the_unit_and_the_unaligned_items(runner, tmp_path):
    text, _, unaligned, _ = generate(3, 3, 20, 0.7, 0.0)
    path = tmp_path / "all.jsonl"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["agreement", "--from-jsonl", str(path)])
    assert result.exit_code == 0, result.output
    assert "claims: " in result.output
    assert f"{unaligned['claims']} items aligned with no other annotator's" in result.output
    line = next(x for x in result.output.splitlines() if x.startswith("claims.sourcing_strength "))
    assert "krippendorff_alpha_ordinal" in line and "claim aligned across annotators by span" in line
