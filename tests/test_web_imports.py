"""The import page, the articles list and the article page with its unit edits."""

import io
import json
from html import escape

import pytest

from annotator import importing
from annotator.store import articles as article_store
from tests.test_cli_import import SAMPLE
from tests.test_importing import BAD_INPUTS, HTML, HTML_BODY, JSONL, RECORD_A, TEXT, TEXT_BODY, count, jsonl
from tests.test_importing_units import add_work

HX = {"HX-Request": "true"}


def upload(client, files, *, project_id=1, format="auto", headers=None):
    data = {"format": format, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(
        f"/projects/{project_id}/import", data=data, content_type="multipart/form-data", headers=headers or {}
    )


def test_import_page(admin_client, project):
    page = admin_client.get(f"/projects/{project['id']}/import")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="files"' in html and "multiple" in html
    assert 'hx-post="/projects/1/import"' in html and 'action="/projects/1/import"' in html
    assert '<section id="import-result"' in html


@pytest.mark.parametrize(
    ("name", "data", "body"),
    [("story.txt", TEXT, TEXT_BODY), ("page.html", HTML, HTML_BODY), ("feed.jsonl", JSONL, None)],
)
def test_upload_each_format(admin_client, db, project, name, data, body):
    response = upload(admin_client, [(name, data)])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    added = 2 if name.endswith("jsonl") else 1
    assert (
        f"1 file: {added} added, 0 skipped as duplicates, 0 changed versions not imported, 0 failed." in html
    )
    assert count(db) == added
    if body:
        texts = [u["text"] for u in article_store.list_paragraphs(db, 1)]
        assert body in texts
    assert (
        db.execute("select imported_by from articles").fetchone()[0]
        == db.execute("select id from users where name = 'admin'").fetchone()[0]
    )


def test_upload_several_files_some_bad(admin_client, db, project):
    bad = jsonl(RECORD_A) + b"{broken\n"
    response = upload(
        admin_client, [("a.txt", TEXT), ("b.jsonl", bad), ("c.html", HTML), ("d.txt", b"\xff\x00\xfe")]
    )
    # Some files were refused (422), and the good ones are imported and reported all the same.
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "4 files: 2 added, 0 skipped as duplicates, 0 changed versions not imported, 2 failed." in html
    assert (
        "b.jsonl, line 2: invalid JSON: Expecting property name enclosed in double quotes at column 2" in html
    )
    assert "d.txt: undecodable bytes" in html
    assert count(db) == 2
    again = upload(admin_client, [("a.txt", TEXT), ("c.html", HTML)]).get_data(as_text=True)
    assert "2 files: 0 added, 2 skipped as duplicates" in again
    assert count(db) == 2


def test_upload_reports_a_changed_version(admin_client, db, project):
    upload(admin_client, [("v1.jsonl", jsonl(RECORD_A))])
    html = upload(
        admin_client, [("v2.jsonl", jsonl({**RECORD_A, "paragraphs": ["New text entirely."]}))]
    ).get_data(as_text=True)
    assert "1 changed versions not imported" in html
    assert "https://wire.example/a was imported before with different text" in html
    assert count(db) == 1


def test_htmx_upload_answers_with_the_summary_fragment(admin_client, project):
    response = upload(admin_client, [("a.txt", TEXT)], headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.strip().startswith('<section id="import-result"')
    assert "HX-Request" in response.headers["Vary"]


def test_upload_without_files_is_a_400(admin_client, project):
    response = admin_client.post(
        "/projects/1/import", data={"format": "auto"}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "choose at least one file" in response.get_data(as_text=True)


def test_upload_with_an_unknown_format_is_a_400(admin_client, db, project):
    response = upload(admin_client, [("a.txt", TEXT)], format="pdf")
    assert response.status_code == 400
    assert count(db) == 0


def test_upload_over_the_size_limit(app, admin_client, db, project):
    app.config["IMPORT_MAX_BYTES"] = 100
    html = upload(
        admin_client, [("big.txt", TEXT), ("small.jsonl", jsonl({"paragraphs": ["Tiny."]}))]
    ).get_data(as_text=True)
    assert "big.txt: file over the size limit (more than 0.0001 MB)" in html
    assert count(db) == 1


def test_upload_into_a_missing_project_is_404(admin_client, project):
    assert upload(admin_client, [("a.txt", TEXT)], project_id=99).status_code == 404
    assert admin_client.get("/projects/99/import").status_code == 404
    assert admin_client.get("/projects/99/articles").status_code == 404


def test_csrf_is_required(app, admin_client, db, project):
    app.config["WTF_CSRF_ENABLED"] = True
    response = upload(admin_client, [("a.txt", TEXT)])
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert count(db) == 0


@pytest.mark.parametrize("name", ["annotator1", "reviewer"])
def test_only_admins(client_as, db, project, name):
    importing.import_bytes(db, project, TEXT, source_name="a.txt")
    client = client_as(name)
    unit = article_store.list_paragraphs(db, 1)[1]["id"]
    for method, url in [
        ("GET", "/projects/1/import"),
        ("POST", "/projects/1/import"),
        ("GET", "/projects/1/articles"),
        ("GET", "/articles/1"),
        ("POST", f"/articles/1/units/{unit}/kind"),
        ("POST", f"/articles/1/units/{unit}/merge"),
        ("GET", f"/articles/1/units/{unit}/split"),
        ("POST", f"/articles/1/units/{unit}/split"),
        ("POST", f"/articles/1/units/{unit}/drop"),
    ]:
        assert client.open(url, method=method).status_code == 403, (method, url)
    assert len(article_store.list_paragraphs(db, 1)) == 4


def test_anonymous_visitors_are_sent_to_log_in(client, project):
    response = client.get("/projects/1/articles")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_articles_list(admin_client, db, project):
    importing.import_bytes(db, project, JSONL, source_name="feed.jsonl")
    html = admin_client.get("/projects/1/articles").get_data(as_text=True)
    assert "2 articles." in html
    assert '<a href="/articles/1">Council votes on budget</a>' in html
    assert '<a href="/articles/2">Rail strike called off</a>' in html
    assert "Wire" in html and "2024-02-01" in html


def test_nav_links_to_articles_and_import(admin_client, project):
    html = admin_client.get("/").get_data(as_text=True)
    assert 'href="/projects/1/articles"' in html and 'href="/projects/1/import"' in html


HOSTILE = {
    "url": "javascript:alert(1)",
    "title": "<script>alert('t')</script>",
    "outlet": "<b>Outlet</b>",
    "paragraphs": ["<img src=x onerror=alert(1)> body", "Second </td></tr></table> paragraph."],
    "note": "<i>kept</i>",
}


def test_article_text_is_escaped(admin_client, db, project):
    report = importing.import_bytes(db, project, jsonl(HOSTILE), source_name="<evil>.jsonl")
    article_id = report.added[0]["article_id"]
    html = admin_client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert (
        "<script>alert" not in html
        and "<img src=x" not in html
        and "<b>Outlet" not in html
        and "<i>kept" not in html
    )
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; body" in html
    assert 'href="javascript:' not in html
    assert "&lt;evil&gt;.jsonl" in html
    listing = admin_client.get("/projects/1/articles").get_data(as_text=True)
    assert "<script>alert" not in listing
    summary = upload(
        admin_client, [("<x>.jsonl", jsonl({**HOSTILE, "url": "u2", "paragraphs": ["Other."]}))]
    ).get_data(as_text=True)
    assert "<script>alert" not in summary and "&lt;x&gt;.jsonl" in summary


@pytest.fixture
def article(db, project):
    importing.import_bytes(db, project, TEXT, source_name="story.txt")
    return 1


def unit_ids(db, article_id=1):
    return [u["id"] for u in article_store.list_paragraphs(db, article_id)]


def test_article_page_shows_units_and_dropped(admin_client, db, project):
    sample = SAMPLE.read_bytes()
    importing.import_bytes(db, project, sample, source_name="rt.txt")
    html = admin_client.get("/articles/1").get_data(as_text=True)
    units = article_store.list_paragraphs(db, 1)
    for unit in units:
        assert f'id="unit-{unit["position"] + 1}" data-kind="{unit["kind"]}"' in html
    caption = next(u for u in units if u["kind"] == "caption")
    assert f"Credit: {caption['credit']}" in html
    dropped = article_store.get_article_source(db, 1)["dropped"]
    assert f"<summary>Dropped as boilerplate ({len(dropped)})</summary>" in html
    assert '<details id="dropped">' in html and '<details id="dropped" open' not in html
    # Each dropped line shows why it was dropped.
    assert all(d["reason"] for d in dropped)
    assert f'<span class="reason">({escape(dropped[0]["reason"])})</span>' in html


def test_set_kind_plain_form_redirects(admin_client, db, article):
    pid = unit_ids(db)[3]
    response = admin_client.post(f"/articles/1/units/{pid}/kind", data={"kind": "quote"})
    assert response.status_code == 302 and response.headers["Location"] == "/articles/1"
    page = admin_client.get("/articles/1").get_data(as_text=True)
    assert "Unit 4 is now quote." in page
    assert article_store.list_paragraphs(db, 1)[3]["kind"] == "quote"


def test_set_kind_htmx_returns_the_units_fragment(admin_client, db, article):
    pid = unit_ids(db)[3]
    response = admin_client.post(f"/articles/1/units/{pid}/kind", data={"kind": "caption"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.strip().startswith('<section id="units">')
    assert 'id="unit-4" data-kind="caption"' in html


@pytest.mark.parametrize("kind", ["", "banner"])
def test_bad_kind_is_a_400(admin_client, db, article, kind):
    response = admin_client.post(f"/articles/1/units/{unit_ids(db)[1]}/kind", data={"kind": kind})
    assert response.status_code == 400


def test_merge_and_drop(admin_client, db, project, article):
    ids = unit_ids(db)
    assert admin_client.post(f"/articles/1/units/{ids[2]}/merge").status_code == 302
    units = article_store.list_paragraphs(db, 1)
    assert len(units) == 3 and units[2]["text"].endswith("not to be named. " + TEXT_BODY)
    response = admin_client.post(f"/articles/1/units/{ids[1]}/drop", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="unit-3"' not in html
    assert (
        '<details id="dropped" hx-swap-oob="true">' in html
        and "<summary>Dropped as boilerplate (1)</summary>" in html
    )
    assert [u["position"] for u in article_store.list_paragraphs(db, 1)] == [0, 1]
    detail = [
        json.loads(e["detail"])["action"]
        for e in db.query("select detail from events where kind = 'article.edited'")
    ]
    assert detail == ["merge", "drop"]


def test_split_page_and_split(admin_client, db, article):
    pid = unit_ids(db)[2]
    text = article_store.get_paragraph(db, pid)["text"]
    page = admin_client.get(f"/articles/1/units/{pid}/split").get_data(as_text=True)
    point = text.index("said one") - 1
    assert f'value="{point}"' in page and 'id="split-text"' in page and "split.js" in page
    response = admin_client.post(f"/articles/1/units/{pid}/split", data={"offset": point})
    assert response.status_code == 302 and response.headers["Location"] == "/articles/1#unit-3"
    units = article_store.list_paragraphs(db, 1)
    assert [u["text"] for u in units[2:4]] == [text[:point].rstrip(), text[point:].lstrip()]


@pytest.mark.parametrize(
    ("offset", "status", "message"),
    [
        ("", 400, "choose where to split"),
        ("abc", 400, "Not a valid integer"),
        ("9999", 400, "outside the unit"),
    ],
)
def test_bad_split_offsets(admin_client, db, article, offset, status, message):
    response = admin_client.post(f"/articles/1/units/{unit_ids(db)[2]}/split", data={"offset": offset})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert len(unit_ids(db)) == 4


def test_worked_unit_gives_a_409_that_says_why(admin_client, db, project, article):
    ids = unit_ids(db)
    add_work(db, project, ids[1], "annotation")
    response = admin_client.post(f"/articles/1/units/{ids[1]}/drop")
    assert response.status_code == 409
    assert "cannot drop unit 2: it already has 1 annotation" in response.get_data(as_text=True)
    htmx = admin_client.post(f"/articles/1/units/{ids[0]}/merge", headers=HX)
    assert htmx.status_code == 409 and htmx.headers["HX-Retarget"] == "#flash"
    assert "cannot merge unit 1: unit 2 after it already has 1 annotation" in htmx.get_data(as_text=True)
    page = admin_client.get("/articles/1").get_data(as_text=True)
    assert "has 1 annotation" in page
    assert len(unit_ids(db)) == 4


def test_units_of_another_article_are_404(admin_client, db, project, article):
    importing.import_bytes(db, project, HTML, source_name="page.html")
    foreign = unit_ids(db, 2)[1]
    for method, action in [
        ("POST", "kind"),
        ("POST", "merge"),
        ("GET", "split"),
        ("POST", "split"),
        ("POST", "drop"),
    ]:
        response = admin_client.open(
            f"/articles/1/units/{foreign}/{action}", method=method, data={"kind": "body", "offset": 3}
        )
        assert response.status_code == 404, action
    assert admin_client.get("/articles/99").status_code == 404


def test_a_request_over_the_upload_limit_is_a_413(app, admin_client, db, project):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = upload(admin_client, [("a.txt", TEXT * 10)], headers=HX)
    assert response.status_code == 413
    assert response.headers["HX-Retarget"] == "#flash"
    assert count(db) == 0


def test_htmx_upload_without_files_says_why_in_the_fragment(admin_client, project):
    response = admin_client.post(
        "/projects/1/import", data={"format": "auto"}, content_type="multipart/form-data", headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "<html" not in html
    assert '<p class="error">Files: choose at least one file</p>' in html


@pytest.mark.parametrize(("name", "data", "option", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_each_bad_input_through_the_web(app, admin_client, db, project, name, data, option, message):
    if isinstance(option, int):
        app.config["IMPORT_MAX_BYTES"] = option
    response = upload(
        admin_client, [(name, data), ("ok.txt", TEXT)], format=option if isinstance(option, str) else "auto"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    failures = html.split('<li class="error">')[1:]
    # With --format jsonl or a tiny size limit, the good text file fails too.
    assert len(failures) == (2 if option == "jsonl" or isinstance(option, int) else 1), failures
    assert failures[0].startswith(escape(message))
    assert count(db) == (0 if len(failures) == 2 else 1)


def test_restore_several_dropped_lines_at_once(admin_client, db, project, article):
    ids = unit_ids(db)
    before = [(u["kind"], u["text"]) for u in article_store.list_paragraphs(db, 1)]
    admin_client.post(f"/articles/1/units/{ids[1]}/drop", headers=HX)
    html = admin_client.get("/articles/1").get_data(as_text=True)
    assert '<input type="checkbox" name="line" value="1">' in html and "(dropped by hand)" in html
    response = admin_client.post("/articles/1/dropped/restore", data={"line": ["1"]}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<summary>Dropped as boilerplate (0)</summary>" in html
    assert [(u["kind"], u["text"]) for u in article_store.list_paragraphs(db, 1)] == before
    ids = unit_ids(db)  # the restored unit is a new row
    assert admin_client.post(f"/articles/1/units/{ids[1]}/drop").status_code == 302
    assert admin_client.post(f"/articles/1/units/{ids[2]}/drop").status_code == 302
    response = admin_client.post("/articles/1/dropped/restore", data={"line": ["1", "2"]})
    assert response.status_code == 302
    assert [(u["kind"], u["text"]) for u in article_store.list_paragraphs(db, 1)] == before
    assert admin_client.post("/articles/1/dropped/restore", data={"line": ["7"]}).status_code == 400


def test_drop_several_units_at_once_and_restore_them(admin_client, db, project, article):
    before = [(u["kind"], u["text"]) for u in article_store.list_paragraphs(db, 1)]
    ids = unit_ids(db)
    html = admin_client.get("/articles/1").get_data(as_text=True)
    assert f'<input type="checkbox" name="unit" value="{ids[1]}" form="drop-many"' in html
    response = admin_client.post(
        "/articles/1/units/drop", data={"unit": [str(ids[1]), str(ids[3])]}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<summary>Dropped as boilerplate (2)</summary>" in html
    left = article_store.list_paragraphs(db, 1)
    assert [u["text"] for u in left] == [before[0][1], before[2][1], *[t for _, t in before[4:]]]
    assert admin_client.post("/articles/1/dropped/restore", data={"line": ["1", "2"]}).status_code == 302
    assert [(u["kind"], u["text"]) for u in article_store.list_paragraphs(db, 1)] == before
    # One unknown unit: nothing is dropped.
    ids = unit_ids(db)
    assert (
        admin_client.post("/articles/1/units/drop", data={"unit": [str(ids[1]), "999999"]}).status_code == 404
    )
    assert len(article_store.list_paragraphs(db, 1)) == len(before)
