"""WARC archives in: `annotator extract` and `annotator import` on a crawl built from the shared sample pages."""

import json
from collections import Counter

from annotator import store
from annotator.cli import cli
from annotator.ingest import read_document, warc

from .warc_helpers import build_warc, sample_pages

N = 5


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def _articles(lines: list[dict]) -> list[list[dict]]:
    articles: list[list[dict]] = []
    for line in lines:
        if "meta" in line:
            articles.append([line])
        else:
            articles[-1].append(line)
    return articles


def test_the_reader_yields_html_responses_and_counts_the_rest(tmp_path):
    expected = build_warc(tmp_path / "crawl.warc", sample_pages(2), gzip=False)
    counts = Counter()
    with open(tmp_path / "crawl.warc", "rb") as fh:
        pages = list(warc.iter_pages(fh, counts=counts))
    # The nav-only page is HTML: the reader yields it, and read_page finds no article in it.
    first, second = (url for url, _ in sample_pages(2))
    assert [p.url for p in pages] == [first, "https://news.example/", second]
    assert pages[0].date == "2024-03-05T08:00:00Z" and pages[0].body == sample_pages(2)[0][1]
    assert counts == {
        k: v for k, v in expected.items() if k in ("not a response", "not HTML", "not status 200")
    }


def test_extract_reads_each_html_response_as_the_page_alone_reads(runner, tmp_path):
    pages = sample_pages(N)
    expected = build_warc(tmp_path / "crawl.warc.gz", pages)
    result = runner.invoke(cli, ["extract", str(tmp_path / "crawl.warc.gz")])
    assert result.exit_code == 0, result.output
    articles = _articles(_lines(result.stdout))
    assert len(articles) == N
    for (url, body), article in zip(pages, articles, strict=True):
        meta = article[0]
        assert meta["meta"]["url"] == url and meta["file"].endswith("crawl.warc.gz") and meta["record"] > 1
        alone = read_document(body, name="page.html", format="html")[0]
        assert [(u["kind"], u["text"]) for u in article[1:]] == [(u.kind, u.text) for u in alone.units]
        # The page's own date when it has one, else the day it was crawled.
        assert meta["meta"]["published"] == (alone.meta.get("published") or "2024-03-05")
    summary = result.stderr
    assert f"{N} articles" in summary
    passed = sum(v for k, v in expected.items() if k != "articles")
    assert f"{passed} records passed over" in summary and "1 not HTML" in summary


def test_import_stores_each_article_with_its_record_url_and_counts_the_rest(runner, app, project, tmp_path):
    pages = sample_pages(N)
    expected = build_warc(tmp_path / "crawl.warc.gz", pages)
    result = runner.invoke(
        cli, ["import", str(tmp_path / "crawl.warc.gz"), "--project", "test", "--jobs", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report["added"]) == N and report["failed"] == [] and report["files"] == 1
    archive = report["archives"][0]
    assert archive["articles"] == N
    assert archive["skipped"] == {k: v for k, v in expected.items() if k != "articles"}
    db = store.connect(app.config["DB"])
    urls = [row[0] for row in db.execute("select url from articles order by id")]
    db.close()
    assert sorted(urls) == sorted(url for url, _ in pages)
    again = runner.invoke(cli, ["import", str(tmp_path / "crawl.warc.gz"), "--project", "test"])
    assert again.exit_code == 0 and f"0 added, {N} skipped as duplicates" in again.output
    assert f"{N} articles;" in again.output


def test_a_broken_archive_fails_alone(runner, project, tmp_path):
    build_warc(tmp_path / "good.warc.gz", sample_pages(1))
    (tmp_path / "bad.warc.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip at all")
    result = runner.invoke(cli, ["import", str(tmp_path), "--project", "test"])
    assert result.exit_code == 1
    assert "1 added" in result.output
    assert "failed: " in result.output and "bad.warc.gz" in result.output


def test_the_api_imports_an_archive_with_the_clis_report(runner, app, db, db_path, tmp_path):
    import io

    from annotator import projects as project_service

    from .api_helpers import bearer, make_token

    build_warc(tmp_path / "crawl.warc.gz", sample_pages(2))
    for name in ("by-cli", "by-api"):
        project_service.create_project(db, name)
    cli_report = json.loads(
        runner.invoke(
            cli, ["import", str(tmp_path / "crawl.warc.gz"), "--project", "by-cli", "--json"]
        ).stdout
    )
    project_id = project_service.get_project_by_name(db, "by-api")["id"]
    response = app.test_client().post(
        f"/api/v1/projects/{project_id}/articles",
        data={
            "files": [
                (io.BytesIO((tmp_path / "crawl.warc.gz").read_bytes()), str(tmp_path / "crawl.warc.gz"))
            ]
        },
        headers=bearer(make_token(db_path, "admin")),
        content_type="multipart/form-data",
    )
    api_report = response.json
    assert api_report.pop("summary").endswith("6 WARC records not articles")
    for item in api_report["added"] + cli_report["added"]:
        item.pop("article_id")
    assert api_report == cli_report and len(api_report["added"]) == 2
