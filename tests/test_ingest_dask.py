"""The Dask recipe: WARC archives extracted by dask.bag on the local multiprocessing scheduler give
exactly what the CLI makes of the archives themselves."""

import json

from annotator import projects as project_service
from annotator.cli import cli
from annotator.ingest.distributed import dask_warc_to_jsonl

from .warc_helpers import build_warc, sample_pages


def _extracted(output: str) -> list[dict]:
    """Extract's lines without the keys that name where a line came from."""
    lines = []
    for line in output.splitlines():
        record = json.loads(line)
        for key in ("file", "record", "line"):
            record.pop(key, None)
        lines.append(record)
    return lines


def test_dask_gives_exactly_the_clis_output(runner, app, db, tmp_path):
    pages = sample_pages(6)
    crawls = tmp_path / "crawls"
    crawls.mkdir()
    build_warc(crawls / "a.warc.gz", pages[:4])
    build_warc(crawls / "b.warc.gz", pages[4:])
    build_warc(crawls / "empty.warc.gz", [])

    written = dask_warc_to_jsonl(sorted(crawls.iterdir()), tmp_path / "jsonl", scheduler="processes")
    assert [p.rsplit("/", 1)[1] for p in written] == ["0.jsonl", "1.jsonl"]

    from_warc = runner.invoke(cli, ["extract", str(crawls)])
    from_dask = runner.invoke(cli, ["extract", str(tmp_path / "jsonl")])
    assert from_warc.exit_code == 0 and from_dask.exit_code == 0, from_dask.output
    assert _extracted(from_dask.stdout) == _extracted(from_warc.stdout)
    assert sum("meta" in line for line in _extracted(from_warc.stdout)) == 6

    for name in ("cli", "dask"):
        project_service.create_project(db, name)
    assert runner.invoke(cli, ["import", str(crawls), "--project", "cli"]).exit_code == 0
    assert runner.invoke(cli, ["import", str(tmp_path / "jsonl"), "--project", "dask"]).exit_code == 0
    stored = {}
    for name in ("cli", "dask"):
        stored[name] = db.execute(
            """select a.url, a.title, a.published, a.text_sha256, group_concat(p.kind || ':' || p.text, '|')
            from articles a join projects j on j.id = a.project_id join paragraphs p on p.article_id = a.id
            where j.name = ? group by a.id order by a.rank, a.id""",
            [name],
        ).fetchall()
    assert stored["dask"] == stored["cli"] and len(stored["cli"]) == 6


def test_units_lines_are_checked_like_any_jsonl():
    import pytest

    from annotator.ingest import IngestError, read_document

    good = {"title": "T", "units": [{"kind": "headline", "text": "T"}, {"kind": "body", "text": "Said it."}]}
    doc = read_document(json.dumps(good).encode(), format="jsonl")[0]
    assert [(u.kind, u.text) for u in doc.units] == [("headline", "T"), ("body", "Said it.")]
    no_headline = {"title": "T", "units": [{"kind": "body", "text": "Said it."}]}
    assert [u.kind for u in read_document(json.dumps(no_headline).encode(), format="jsonl")[0].units] == [
        "body"
    ]
    for bad in (
        [{"kind": "banner", "text": "x"}],
        [{"kind": "body", "text": 3}],
        [{"kind": "body", "text": "x", "colour": "red"}],
        "body",
        [{"kind": "headline", "text": "only a headline"}],
    ):
        line = json.dumps({"title": "ok", "text": "fine"}) + "\n" + json.dumps({"units": bad})
        with pytest.raises(IngestError) as caught:
            read_document(line.encode(), format="jsonl")
        assert caught.value.line == 2 and caught.value.field == "units", bad
