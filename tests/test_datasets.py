"""Exports from a real database: CLI and browser download, filters, splits, loaders, and the round trip."""

import json
from pathlib import Path

import pandas
import pytest

from annotator import demo, importing, store
from annotator.cli import cli

SAMPLE_LABELS = (
    Path(__file__).resolve().parent.parent
    / "annotator"
    / "samples"
    / "rt-2024-01-30-lavrov-weapons.labels.jsonl"
)


def _all_lines(db, items) -> list[str]:
    """Lines in the ``all`` export format for (paragraph row id, annotator, labels) items."""
    from annotator import export

    rows = []
    for paragraph_id, annotator, labels in items:
        row = next(
            db.query(
                """select a.uid as article_id, a.uid || '#p' || p.position as paragraph_id, p.position, p.kind, p.text,
            p.text_sha256, p.doc_char_start, coalesce(a.outlet, '') as outlet, coalesce(a.url, '') as url,
            coalesce(a.published, '') as published, coalesce(a.title, '') as title
            from paragraphs p join articles a on a.id = p.article_id where p.id = ?""",
                [paragraph_id],
            )
        )
        rows.append(
            {**row, "annotator": annotator, "labels": labels, "seconds": 30.0, "updated_at": store.now()}
        )
    return [export.dumps_record(r) for r in export.records("all", rows, scheme_name="newsattr-1")]


def _reference():
    return [json.loads(line) for line in SAMPLE_LABELS.read_text().splitlines() if line.strip()]


@pytest.fixture
def labelled(db, project):
    """The sample article imported, both worked paragraphs labelled by two annotators (one disagreeing), one gold."""
    demo.import_samples(db, project)
    rows = {
        r["text"]: r
        for r in db.query(
            "select p.id, p.text, p.position, a.uid from paragraphs p join articles a on a.id = p.article_id"
        )
    }
    items = []
    for ref in _reference():
        other = json.loads(json.dumps(ref["labels"]))
        other["claims"][0]["sourcing_strength"] = 3
        items += [
            (rows[ref["text"]]["id"], "annotator1", ref["labels"]),
            (rows[ref["text"]]["id"], "annotator2", other),
        ]
    path = Path(db.conn.execute("pragma database_list").fetchone()[2]).with_name("in.jsonl")
    path.write_text("".join(_all_lines(db, items)))
    first = rows[_reference()[0]["text"]]
    stamp = store.now()
    db.execute(
        """insert into decisions (paragraph_id, labels, source, reviewer_id, annotators, note, agreement, created_at, updated_at)
        values (?, ?, 'adjudicated', (select id from users where name = 'reviewer'), '["annotator1"]', 'S2: party to the dispute', '{}', ?, ?)""",
        [first["id"], json.dumps(_reference()[0]["labels"]), stamp, stamp],
    )
    db.conn.commit()
    return path


def test_import_annotations_then_export_all_round_trips(runner, labelled, tmp_path, db):
    result = runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    assert result.exit_code == 0, result.output
    assert "4 annotations added" in result.output
    out = tmp_path / "all"
    result = runner.invoke(
        cli, ["export", "--project", "test", "--view", "all", "--out", str(out), "--split", "none"]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (out / "all.jsonl").read_text().splitlines()]
    assert len(records) == 4
    by_key = {(r["paragraph_id"], r["annotator"]): r for r in records}
    for ref in _reference():
        record = next(r for (pid, a), r in by_key.items() if a == "annotator1" and r["text"] == ref["text"])
        for attribution, expected in zip(
            record["labels"]["attributions"], ref["labels"]["attributions"], strict=True
        ):
            assert attribution["cue"] == expected["cue"]
            assert attribution["sources"] == expected["sources"]
        for claim in record["labels"]["claims"]:
            assert claim["span"]["text"] == record["text"][claim["span"]["start"] : claim["span"]["end"]]
    # Importing our own export again changes nothing; the labels are the same.
    again = runner.invoke(cli, ["import-annotations", str(out / "all.jsonl"), "--project", "test"])
    assert "0 annotations added, 0 updated, 4 unchanged" in again.output
    out2 = tmp_path / "all2"
    runner.invoke(
        cli, ["export", "--project", "test", "--view", "all", "--out", str(out2), "--split", "none"]
    )
    second = [json.loads(line) for line in (out2 / "all.jsonl").read_text().splitlines()]
    assert [r["labels"] for r in second] == [r["labels"] for r in records]
    assert db.execute("select count(*) from annotation_revisions").fetchone()[0] == 4


def test_import_annotations_is_all_or_nothing_and_names_the_line(runner, labelled, db):
    lines = labelled.read_text().splitlines()
    bad = json.loads(lines[2])
    bad["labels"]["claims"][0]["sourcing_strength"] = 9
    lines[2] = json.dumps(bad)
    labelled.write_text("\n".join(lines) + "\n")
    result = runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    assert result.exit_code == 1
    assert "line 3" in result.output and "sourcing_strength" in result.output
    assert db.execute("select count(*) from annotations").fetchone()[0] == 0


def test_import_annotations_rejects_unknown_user_and_changed_text(runner, labelled, db):
    lines = labelled.read_text().splitlines()
    record = json.loads(lines[0])
    record["annotator"] = "ghost"
    labelled.write_text(json.dumps(record) + "\n")
    result = runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    assert "line 1, field annotator" in result.output
    record["annotator"] = "annotator1"
    record["text"] = record["text"] + " extra"
    labelled.write_text(json.dumps(record) + "\n")
    result = runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    assert result.exit_code == 1
    assert "line 1" in result.output


def test_gold_and_spans_exports_load_in_pandas_and_datasets(runner, labelled, tmp_path):
    runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    gold = tmp_path / "gold"
    result = runner.invoke(cli, ["export", "--project", "test", "--view", "gold", "--out", str(gold)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((gold / "manifest.json").read_text())
    assert manifest["counts"]["records"]["total"] == 1
    assert "agreement_summary" in manifest and manifest["agreement_summary"]["fields"]
    assert (gold / "README.md").read_text().lower().count("licen") >= 1
    non_empty = [f["path"] for f in manifest["files"] if f["records"]]
    frame = pandas.read_json(gold / non_empty[0], lines=True)
    assert {"paragraph_id", "text", "labels", "decision", "agreement"} <= set(frame.columns)
    assert frame.loc[0, "decision"]["source"] == "adjudicated"
    assert frame.loc[0, "decision"]["reviewer"] == "reviewer"

    spans = tmp_path / "spans"
    runner.invoke(
        cli, ["export", "--project", "test", "--view", "spans", "--out", str(spans), "--split", "none"]
    )
    import datasets as hf

    loaded = hf.load_dataset("json", data_files=str(spans / "spans.jsonl"), cache_dir=str(tmp_path / "hf"))[
        "train"
    ]
    assert set(loaded.column_names) >= {"text", "spans", "meta"}
    for record in loaded:
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]


def test_export_filters(runner, labelled, tmp_path):
    runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    out = tmp_path / "unanimous"
    runner.invoke(
        cli, ["export", "--project", "test", "--view", "gold", "--only", "unanimous", "--out", str(out)]
    )
    assert json.loads((out / "manifest.json").read_text())["counts"]["records"]["total"] == 0
    out = tmp_path / "three"
    runner.invoke(
        cli, ["export", "--project", "test", "--view", "all", "--min-annotators", "3", "--out", str(out)]
    )
    assert json.loads((out / "manifest.json").read_text())["counts"]["records"]["total"] == 0
    result = runner.invoke(
        cli, ["export", "--project", "test", "--view", "all", "--only", "adjudicated", "--out", str(out)]
    )
    assert result.exit_code == 1 and "--only applies" in result.output
    result = runner.invoke(
        cli, ["export", "--project", "test", "--view", "all", "--split", "80,20", "--out", str(out)]
    )
    assert result.exit_code == 1 and "--split" in result.output


def test_splits_keep_articles_whole_and_stable(runner, db, project, tmp_path):
    for i in range(30):
        text = f"Headline {i}\n\nFirst paragraph of article {i} says something important, officials said on Monday.\n\nSecond paragraph {i} adds more detail about the matter at hand, according to the report."
        importing.import_bytes(db, project, text.encode(), source_name=f"a{i}.txt", format="text")
    rows = list(
        db.query(
            "select p.id, p.text, a.uid, p.position from paragraphs p join articles a on a.id = p.article_id where p.kind = 'body'"
        )
    )
    empty = {
        "kind": "body",
        "attributions": [],
        "claims": [],
        "framing": {"frames": [], "primary_frame": None, "framing_spans": []},
        "notes": "",
    }
    source = tmp_path / "in.jsonl"
    source.write_text("".join(_all_lines(db, [(r["id"], "annotator1", empty) for r in rows])))
    result = runner.invoke(cli, ["import-annotations", str(source), "--project", "test"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "split"
    runner.invoke(cli, ["export", "--project", "test", "--view", "all", "--out", str(out), "--seed", "7"])
    where = {}
    for split in ("train", "dev", "test"):
        for line in (out / f"{split}.jsonl").read_text().splitlines():
            article = json.loads(line)["article_id"]
            assert where.setdefault(article, split) == split
    assert len(set(where.values())) >= 2
    # Add articles: nobody already exported changes split.
    for i in range(30, 40):
        importing.import_bytes(
            db,
            project,
            f"Another headline {i}\n\nA further paragraph number {i} with enough words to count as body text here.".encode(),
            source_name=f"b{i}.txt",
            format="text",
        )
    out2 = tmp_path / "split2"
    runner.invoke(cli, ["export", "--project", "test", "--view", "all", "--out", str(out2), "--seed", "7"])
    for split in ("train", "dev", "test"):
        for line in (out2 / f"{split}.jsonl").read_text().splitlines():
            article = json.loads(line)["article_id"]
            if article in where:
                assert where[article] == split


def test_a_failing_export_leaves_no_partial_file(db, project, tmp_path, monkeypatch, labelled, runner):
    from annotator import datasets, export

    runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    original = export.encode_stored_all  # what the all view streams: one batch of lines per article

    def broken(*args, **kwargs):
        yield next(original(*args, **kwargs))
        raise OSError("disk full")

    monkeypatch.setattr(export, "encode_stored_all", broken)
    out = tmp_path / "broken"
    with pytest.raises(OSError):
        datasets.export_dataset(db, project, view="all", out_dir=out, split=None)
    assert list(out.iterdir()) == []


def test_admin_downloads_a_streamed_export(client_as, labelled, runner):
    runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    admin = client_as("admin")
    assert b"Download JSONL" in admin.get("/projects/1/export").data
    response = admin.get("/projects/1/export.jsonl?view=all")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    lines = response.data.decode().splitlines()
    assert len(lines) == 4 and all(json.loads(line)["schema"] == "newsattr-1" for line in lines)
    assert admin.get("/projects/1/export.jsonl?view=nope").status_code == 400
    assert client_as("reviewer").get("/projects/1/export.jsonl?view=all").status_code == 403


def test_brat_export_offsets_match_the_text(runner, labelled, tmp_path):
    runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    out = tmp_path / "brat"
    result = runner.invoke(
        cli, ["export", "--project", "test", "--view", "gold", "--format", "brat", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    (txt_path,) = out.glob("*.txt")
    txt = txt_path.read_text()
    ann = txt_path.with_suffix(".ann").read_text().splitlines()
    spans = [line.split("\t") for line in ann if line.startswith("T")]
    assert any(kind.startswith("Attribution ") for _, kind, _ in spans)
    for _, kind_offsets, text in spans:
        _, start, end = kind_offsets.split(" ")[:3]
        assert txt[int(start) : int(end)] == text
    assert any(line.startswith("E") for line in ann)
    assert (out / "annotation.conf").exists()


def test_imported_annotations_join_the_review_queue(runner, labelled, client_as):
    runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"])
    reviewer = client_as("reviewer")
    # Both worked paragraphs were labelled twice with different sourcing strengths; the first has a decision.
    first, second = _reference()
    assert second["text"][:40] in reviewer.get("/projects/1/review").data.decode()
    assert first["text"][:40] in reviewer.get("/projects/1/review?state=decided").data.decode()
