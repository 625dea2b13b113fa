"""The scheme file is the one source of an export's shape, span labels, counted values and BRAT types.

A project on a second scheme (tests/data/newsverdict-2.toml: newsattr-1 with values renamed,
``claims[].decontextualized`` removed and a ``claims[].verdict`` choice added) exports its own
fields and values in every view, in the manifest, the dataset card and BRAT, and loads in pandas
and Hugging Face ``datasets``.
"""

from __future__ import annotations

import copy
import json

import pandas
import pytest

from annotator import annotation, export
from annotator import projects as project_service
from annotator.cli import cli
from annotator.scheme import load_scheme
from tests.annotate_fixtures import add_article, hand_over, reference, user
from tests.second_scheme_data import RENAMED, SECOND, second_labels

SPAN = {"start": "int64", "end": "int64", "text": "string"}

# The export shape of newsattr-1 as it was written out by hand before it was read off the scheme:
# the derived shape must be the same, or every existing export and stored form would change.
HAND_WRITTEN_LABELS = {
    "kind": "string",
    "attributions": [
        {
            "id": "string",
            "sources": [SPAN],
            "cue": SPAN,
            "contents": [SPAN],
            "supplement": [SPAN],
            "embedded_source": {"source": SPAN, "cue": SPAN},
            "source_form": "string",
            "source_role": "string",
            "source_interest": "string",
            "record_status": "string",
            "attribution_type": "string",
            "quote_type": "string",
            "cue_stance": "string",
            "origin": "string",
        }
    ],
    "claims": [
        {
            "id": "string",
            "span": SPAN,
            "attribution_id": "string",
            "checkworthiness": "string",
            "sourcing_strength": "int64",
            "claim_category": "string",
            "source_commitment": "string",
            "decontextualized": "string",
            "origin": "string",
        }
    ],
    "framing": {
        "frames": ["string"],
        "primary_frame": "string",
        "framing_spans": [{**SPAN, "technique": "string", "voice": "string", "alternative": "string"}],
        "stance": [{"target": "string", "outlet_voice": "int64", "conveyed": "int64"}],
    },
    "notes": "string",
}


def test_the_default_scheme_gives_the_shape_that_was_written_by_hand():
    assert json.dumps(export.labels_spec()) == json.dumps(HAND_WRITTEN_LABELS)  # keys in order, too
    assert export.LABELS == HAND_WRITTEN_LABELS
    assert export.RECORD_SPECS["all"]["labels"] == HAND_WRITTEN_LABELS
    assert export.record_spec("gold") == export.RECORD_SPECS["gold"]


def test_the_second_scheme_has_its_own_shape_counts_and_brat_types():
    second = load_scheme(SECOND)
    claim = export.labels_spec(second)["claims"][0]
    assert claim["verdict"] == "string" and "decontextualized" not in claim
    assert export.record_spec("all", second)["labels"]["claims"][0] == claim
    assert export.labels_format(second) != export.LABELS_FORMAT
    layout = export.layout(second)
    assert layout.claim_attributes["Verdict"].values == ("supported", "refuted", "unchecked")
    assert layout.claim_attributes["Checkworthiness"].values == ("check_worthy", "trivial_fact", "not_a_fact")
    assert "Emotive_Wording" in layout.techniques and "Loaded_Language" not in layout.techniques
    conf = export.annotation_conf(second)
    assert "Verdict\tArg:Claim, Value:supported|refuted|unchecked" in conf
    assert "Loaded_Language" not in conf and "Loaded_Language" in export.annotation_conf()


@pytest.fixture
def second(db, runner):
    """A project on the second scheme; annotator1 and annotator2 agree on the worked example (unanimous gold)."""
    result = runner.invoke(
        cli, ["projects", "add", "second", "--scheme", str(SECOND), "--overlap", "2", "--extended", "all"]
    )
    assert result.exit_code == 0, result.output
    project = project_service.get_project_by_name(db, "second")
    for name in ("annotator1", "annotator2", "reviewer"):
        project_service.add_member(db, project, name, role="annotator")
    project = project_service.get_project(db, project["id"])
    records = reference()
    ids = add_article(db, project, [r["text"] for r in records])
    for pid, rec in zip(ids, records, strict=True):
        labels = second_labels(copy.deepcopy(rec["labels"]), "refuted")
        for name in ("annotator1", "annotator2"):
            hand_over(db, project, name, pid)
            annotation.save(
                db,
                project=project,
                actor=user(db, name),
                paragraph_id=pid,
                labels=labels,
                version=0,
                seconds=3.5,
            )
    return project


def _export(runner, tmp_path, view, *extra):
    out = tmp_path / f"{view}{'-'.join(extra)}"
    result = runner.invoke(
        cli, ["export", "--project", "second", "--view", view, "--out", str(out), "--split", "none", *extra]
    )
    assert result.exit_code == 0, result.output
    return out


def _claims_feature(manifest: dict) -> list[str]:
    labels = next(f for f in manifest["features"] if f["name"] == "labels")["struct"]
    claims = next(f for f in labels if f["name"] == "claims")["list"]
    return [f["name"] for f in claims]


def test_a_project_on_a_second_scheme_exports_its_own_fields_and_values(runner, second, tmp_path, db):
    stored = {row[0] for row in db.execute("select export_format from annotations")}
    assert stored == {export.labels_format(load_scheme(SECOND))}  # forms made under the project's scheme

    out = _export(runner, tmp_path, "all")
    lines = (out / "all.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 4 and {r["schema"] for r in records} == {"newsverdict-2"}
    for r in records:
        for claim in r["labels"]["claims"]:
            assert claim["verdict"] == "refuted" and "decontextualized" not in claim
            assert claim["checkworthiness"] in RENAMED.values()
    manifest = json.loads((out / "manifest.json").read_text())
    assert "verdict" in _claims_feature(manifest) and "decontextualized" not in _claims_feature(manifest)
    total = manifest["counts"]["labels"]["total"]
    assert total["verdict=refuted"] == sum(len(r["labels"]["claims"]) for r in records)
    assert total["checkworthiness=check_worthy"] > 0 and total["Vague_Wording"] == 2
    assert not any("CFS" in k or "Obfuscation" in k for k in total)
    assert "`claims[].verdict` (single)" in (out / "README.md").read_text(encoding="utf-8")

    # The stored forms and the row-by-row encoder agree byte for byte (three annotators required
    # takes the row-by-row path: the summary comes from the labels).
    rows = list(export.read_all_export(lines, load_scheme(SECOND)))
    assert [
        json.loads(line)
        for batch in export.encode_records("all", rows, scheme=load_scheme(SECOND))
        for line in batch.lines
    ] == records

    frame = pandas.read_json(out / "all.jsonl", lines=True)
    assert frame.loc[0, "labels"]["claims"][0]["verdict"] == "refuted"
    hf = pytest.importorskip("datasets")
    loaded = hf.load_dataset(str(out), cache_dir=str(tmp_path / "hf"))["train"]
    assert loaded.num_rows == 4
    assert loaded[0]["labels"]["claims"][0]["verdict"] == "refuted"
    assert "decontextualized" not in loaded[0]["labels"]["claims"][0]

    # And the export reads back into the project under its scheme.
    result = runner.invoke(cli, ["import-annotations", str(out / "all.jsonl"), "--project", "second"])
    assert result.exit_code == 0, result.output
    assert "4 unchanged" in result.output


def test_gold_spans_and_brat_of_the_second_scheme(runner, second, tmp_path):
    gold = _export(runner, tmp_path, "gold")
    records = [json.loads(x) for x in (gold / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2 and {r["decision"]["source"] for r in records} == {"unanimous"}
    assert {c["verdict"] for r in records for c in r["labels"]["claims"]} == {"refuted"}
    manifest = json.loads((gold / "manifest.json").read_text())
    assert "verdict" in _claims_feature(manifest)
    assert manifest["counts"]["labels"]["total"]["decision=unanimous"] == 2
    hf = pytest.importorskip("datasets")
    loaded = hf.load_dataset(str(gold), cache_dir=str(tmp_path / "hf"))["train"]
    assert loaded[0]["labels"]["claims"][0]["verdict"] == "refuted"

    spans = _export(runner, tmp_path, "spans")
    labels = {
        s["label"]
        for line in (spans / "spans.jsonl").read_text(encoding="utf-8").splitlines()
        for s in json.loads(line)["spans"]
    }
    assert "Vague_Wording" in labels and "Obfuscation-Vagueness-Confusion" not in labels
    assert {"SOURCE", "CUE", "CONTENT", "CLAIM"} <= labels
    frame = pandas.read_json(spans / "spans.jsonl", lines=True)
    assert len(frame) == 2

    brat = _export(runner, tmp_path, "gold", "--format", "brat")
    conf = (brat / "annotation.conf").read_text(encoding="utf-8")
    assert "Verdict\tArg:Claim, Value:supported|refuted|unchecked" in conf
    assert "Checkworthiness\tArg:Claim, Value:check_worthy|trivial_fact|not_a_fact" in conf
    assert "Emotive_Wording" in conf and "Loaded_Language" not in conf
    (ann_path,) = brat.glob("*.ann")
    attrs = [
        line.split("\t")[1].split(" ") for line in ann_path.read_text().splitlines() if line.startswith("A")
    ]
    assert ["Verdict", "refuted"] == [a for a in attrs if a[0] == "Verdict"][0][::2]
    assert {a[2] for a in attrs if a[0] == "Checkworthiness"} <= {
        "check_worthy",
        "trivial_fact",
        "not_a_fact",
    }
    assert any(a[0] == "Cue_stance" and a[2] == "plain" for a in attrs)
