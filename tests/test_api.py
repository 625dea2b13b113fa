"""The JSON API driven with tokens only: a whole cycle, authentication, errors, incremental sync."""

import io
import json

import pyarrow.parquet as pq
import pytest

from annotator import create_app
from annotator import projects as project_service
from annotator.cli import cli

from .api_helpers import ARTICLES, articles_jsonl, bearer, label_next, make_token


def _upload(client, project_id, headers, files, fmt="auto"):
    data = {"format": fmt, "files": [(io.BytesIO(body), name) for name, body in files]}
    return client.post(
        f"/api/v1/projects/{project_id}/articles",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


def test_a_whole_cycle_with_a_token_only(app, db, db_path, tmp_path):
    client = app.test_client()  # never logged in: the token is the only credential
    admin = bearer(make_token(db_path, "admin"))

    created = client.post("/api/v1/projects", json={"name": "nightly", "overlap": 2}, headers=admin)
    assert created.status_code == 201, created.json
    project_id = created.json["id"]
    assert created.json["overlap"] == 2
    for name in ("annotator1", "annotator2"):  # the team, as an admin sets it up on the settings page
        project_service.add_member(db, project_service.get_project(db, project_id), name)

    imported = _upload(client, project_id, admin, [("crawl.jsonl", articles_jsonl())])
    assert imported.status_code == 200, imported.json
    report = imported.json
    assert report["files"] == 1 and len(report["added"]) == 2 and report["failed"] == []
    assert report["summary"].startswith("1 file: 2 added")
    again = _upload(client, project_id, admin, [("crawl.jsonl", articles_jsonl())]).json
    assert len(again["duplicates"]) == 2 and again["added"] == []

    listing = client.get(f"/api/v1/projects/{project_id}/articles", headers=admin).json
    assert [a["url"] for a in listing["articles"]] == [a["url"] for a in ARTICLES]
    article = client.get(
        f"/api/v1/projects/{project_id}/articles/{listing['articles'][0]['id']}", headers=admin
    ).json
    assert [u["kind"] for u in article["units"]] == ["headline", "body", "body"]
    assert article["units"][1]["text"] == "The minister said on Monday that the talks would go on."

    progress = client.get(f"/api/v1/projects/{project_id}/progress", headers=admin).json
    assert progress["paragraphs"] == 6 and progress["complete"] == 0

    # Two annotators agree on the first paragraph: it becomes unanimous gold.
    for name in ("annotator1", "annotator2"):
        label_next(db_path, project_id, name)
    progress = client.get(f"/api/v1/projects/{project_id}/progress", headers=admin).json
    assert progress["complete"] == 1

    first = client.get(f"/api/v1/projects/{project_id}/gold?since=0", headers=admin).json
    assert [item["record"]["paragraph_id"] for item in first["items"]] == [
        f"{listing['articles'][0]['uid']}#p0"
    ]
    assert first["items"][0]["record"]["decision"]["source"] == "unanimous"
    assert first["has_more"] is False
    cursor = first["next_cursor"]
    assert client.get(f"/api/v1/projects/{project_id}/gold?since={cursor}", headers=admin).json["items"] == []

    for name in ("annotator1", "annotator2"):
        label_next(db_path, project_id, name)
    later = client.get(f"/api/v1/projects/{project_id}/gold?since={cursor}", headers=admin).json
    assert [item["record"]["paragraph_id"] for item in later["items"]] == [
        f"{listing['articles'][0]['uid']}#p1"
    ]
    assert later["next_cursor"] > cursor

    exported = client.get(f"/api/v1/projects/{project_id}/export?view=gold&format=parquet", headers=admin)
    assert exported.status_code == 200
    assert exported.mimetype == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(exported.data))
    jsonl = client.get(f"/api/v1/projects/{project_id}/export?view=gold&format=jsonl", headers=admin)
    expected = [json.loads(line) for line in jsonl.data.decode().splitlines()]
    assert table.to_pylist() == expected and len(expected) == 2
    labels_type = table.schema.field("labels").type
    assert str(labels_type.field("attributions").type).startswith("list<element: struct<")
    assert str(table.schema.field("doc_char_start").type) == "int64"


def test_the_import_report_is_the_clis(app, db, db_path, runner, tmp_path):
    for name in ("a", "b"):
        project_service.create_project(db, name)
    bad = b'{"text": "fine"}\n{not json\n'
    (tmp_path / "good.jsonl").write_bytes(articles_jsonl())
    (tmp_path / "bad.jsonl").write_bytes(bad)
    result = runner.invoke(
        cli, ["import", str(tmp_path / "good.jsonl"), str(tmp_path / "bad.jsonl"), "--project", "a", "--json"]
    )
    cli_report = json.loads(result.stdout)
    project_id = project_service.get_project_by_name(db, "b")["id"]
    response = _upload(
        app.test_client(),
        project_id,
        bearer(make_token(db_path, "admin")),
        [(str(tmp_path / "good.jsonl"), articles_jsonl()), (str(tmp_path / "bad.jsonl"), bad)],
    )
    api_report = response.json
    assert api_report.pop("summary").startswith("2 files: 2 added")
    for item in api_report["added"] + cli_report["added"]:
        item.pop("article_id")  # row ids differ between the two projects
    assert api_report == cli_report
    assert api_report["failed"][0]["line"] == 2


def test_requests_without_a_working_token_are_refused(app, db, db_path, client_as):
    client = app.test_client()
    missing = client.get("/api/v1/projects")
    assert missing.status_code == 401
    assert missing.json["error"]["code"] == "unauthorized"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/projects", headers=bearer("ann_not-a-token")).status_code == 401
    # A browser session is no credential here.
    assert client_as("admin").get("/api/v1/projects").status_code == 401

    secret = make_token(db_path, "admin", "ci")
    assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 200
    from annotator import tokens

    admin = db.execute("select * from users where name = 'admin'").fetchone()
    rows = tokens.list_tokens(db, owner={"id": admin[0]})
    assert rows[0]["name"] == "ci" and rows[0]["last_used_at"] is not None
    assert secret not in json.dumps(rows) and secret not in str(
        db.execute("select * from api_tokens").fetchall()
    )
    tokens.revoke_token(db, owner={"id": admin[0]}, name="ci")
    assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 401


def test_a_token_acts_with_its_users_current_role_and_projects(app, db, db_path, project):
    from annotator import accounts

    client = app.test_client()
    other = project_service.create_project(db, "elsewhere")
    reviewer = bearer(make_token(db_path, "reviewer"))
    assert client.get(f"/api/v1/projects/{project['id']}/gold", headers=reviewer).status_code == 200
    outside = client.get(f"/api/v1/projects/{other['id']}/gold", headers=reviewer)
    assert outside.status_code == 403 and outside.json["error"]["code"] == "forbidden"
    assert [p["name"] for p in client.get("/api/v1/projects", headers=reviewer).json["projects"]] == ["test"]
    annotator = bearer(make_token(db_path, "annotator1"))
    assert client.get(f"/api/v1/projects/{project['id']}/gold", headers=annotator).status_code == 403
    accounts.set_role(db, "annotator1", "reviewer")
    project_service.add_member(db, project, "annotator1", role="reviewer")
    assert client.get(f"/api/v1/projects/{project['id']}/gold", headers=annotator).status_code == 200
    accounts.set_active(db, "annotator1", False)
    assert client.get(f"/api/v1/projects/{project['id']}/gold", headers=annotator).status_code == 401


def test_no_csrf_token_is_asked_of_token_requests(db_path, app):
    strict = create_app(
        {"TESTING": True, "DB": db_path, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": True}
    )
    client = strict.test_client()
    response = client.post(
        "/api/v1/projects", json={"name": "csrf-free"}, headers=bearer(make_token(db_path, "admin"))
    )
    assert response.status_code == 201, response.json
    # The pages still demand it.
    assert client.post("/logout").status_code == 400


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/projects/{id}/gold?since=-1", 400, "since"),
        ("/api/v1/projects/{id}/gold?limit=abc", 400, "limit"),
        ("/api/v1/projects/{id}/export?view=nope", 400, "view"),
        ("/api/v1/projects/{id}/export?view=all&only=adjudicated", 400, "only"),
        ("/api/v1/projects/999/gold", 404, None),
        ("/api/v1/projects/{id}/articles/999", 404, None),
    ],
)
def test_errors_are_json_naming_the_field(app, db_path, project, url, status, field):
    response = app.test_client().get(
        url.format(id=project["id"]), headers=bearer(make_token(db_path, "admin"))
    )
    assert response.status_code == status
    assert response.is_json
    assert response.json["error"]["field"] == field
    assert response.json["error"]["message"]


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("GET", "/api/v1/no-such-thing", 404, "not_found"),
        ("GET", "/api/v1", 404, "not_found"),
        ("DELETE", "/api/v1/openapi.json", 405, "method_not_allowed"),
    ],
)
def test_routing_errors_under_the_api_answer_in_its_json_shape(app, method, url, status, code):
    # A client with a typo in a path must get the API's error object, not an HTML page.
    response = app.test_client().open(url, method=method, headers={"Accept": "*/*"})
    assert response.status_code == status
    assert response.is_json
    assert response.json["error"]["code"] == code


def test_routing_errors_elsewhere_are_still_pages(app):
    response = app.test_client().get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_bad_bodies_change_nothing(app, db, db_path):
    client = app.test_client()
    admin = bearer(make_token(db_path, "admin"))
    for body, field in [
        ({"name": ""}, "name"),
        ({"name": "x", "overlap": 0}, "overlap"),
        ({"name": "x", "overlap": True}, "overlap"),
        ({"name": "x", "scheme": "/etc/passwd"}, "scheme"),
        ({"name": "x", "colour": "red"}, "colour"),
        ({}, "name"),
    ]:
        response = client.post("/api/v1/projects", json=body, headers=admin)
        assert response.status_code == 400 and response.json["error"]["field"] == field, body
    assert (
        client.post("/api/v1/projects", data="[1", headers=admin, content_type="application/json").status_code
        == 400
    )
    assert project_service.list_projects(db) == []


def test_annotations_page_through_in_a_stable_order(app, db, db_path, project):
    client = app.test_client()
    admin = bearer(make_token(db_path, "admin"))
    _upload(client, project["id"], admin, [("a.jsonl", articles_jsonl())])
    for _ in range(3):
        for name in ("annotator1", "annotator2"):
            label_next(db_path, project["id"], name)
    seen, cursor, pages = [], 0, 0
    while True:
        page = client.get(
            f"/api/v1/projects/{project['id']}/annotations?since={cursor}&limit=4", headers=admin
        ).json
        seen += [(i["record"]["paragraph_id"], i["record"]["annotator"]) for i in page["items"]]
        cursor, pages = page["next_cursor"], pages + 1
        if not page["has_more"]:
            break
    assert len(seen) == 6 == len(set(seen)) and pages == 2
    # A label changed later comes again, after the cursor, once.
    label_next(db_path, project["id"], "annotator1")
    newer = client.get(f"/api/v1/projects/{project['id']}/annotations?since={cursor}", headers=admin).json
    assert len(newer["items"]) == 1 and newer["items"][0]["record"]["annotator"] == "annotator1"
    everything = client.get(f"/api/v1/projects/{project['id']}/annotations?limit=1000", headers=admin).json
    assert len(everything["items"]) == 7
    cursors = [i["cursor"] for i in everything["items"]]
    assert cursors == sorted(cursors)


def test_a_withdrawn_decision_comes_as_a_removal(app, db, db_path, project):
    from annotator.store import decisions, write

    client = app.test_client()
    admin = bearer(make_token(db_path, "admin"))
    _upload(client, project["id"], admin, [("a.jsonl", articles_jsonl())])
    for name in ("annotator1", "annotator2"):
        label_next(db_path, project["id"], name)
    page = client.get(f"/api/v1/projects/{project['id']}/gold", headers=admin).json
    paragraph_id = page["items"][0]["record"]["paragraph_id"]
    row_id = db.execute("select paragraph_id from decisions").fetchone()[0]
    with write(db):
        decisions.delete_decision(db, row_id)
    later = client.get(
        f"/api/v1/projects/{project['id']}/gold?since={page['next_cursor']}", headers=admin
    ).json
    assert later["items"] == [{"cursor": later["next_cursor"], "removed": True, "paragraph_id": paragraph_id}]
