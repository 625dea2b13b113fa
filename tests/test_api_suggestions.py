"""API: a model's labels imported as suggestions with a token, as `annotator import-suggestions` takes them."""

import copy
import io
import json

import pytest

from tests.annotate_fixtures import add_article, reference
from tests.api_helpers import bearer, make_token
from tests.test_suggestions import model_lines


@pytest.fixture
def example(db, project):
    return add_article(db, project, [r["text"] for r in reference()])


def _jsonl(lines) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def test_an_admin_token_imports_suggestions_as_a_body_or_a_file(app, db, db_path, project, example):
    client = app.test_client()
    headers = bearer(make_token(db_path, "admin"))
    url = f"/api/v1/projects/{project['id']}/suggestions"
    response = client.post(
        url + "?source=model-a",
        data=_jsonl(model_lines()),
        headers={**headers, "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"source": "model-a", "paragraphs": 2, "lines": 2}
    response = client.post(
        url + "?source=model-b",
        data={"file": (io.BytesIO(_jsonl(model_lines()[:1])), "model.jsonl")},
        headers=headers,
    )
    assert response.get_json()["paragraphs"] == 1
    sources = dict(db.execute("select source, count(*) from suggestions group by source").fetchall())
    assert sources == {"model-a": 2, "model-b": 1}


def test_a_bad_line_answers_400_naming_it_and_imports_nothing(app, db, db_path, project, example):
    bad = copy.deepcopy(model_lines())
    bad[1]["labels"]["attributions"][0]["source_form"] = "a rumour"
    response = app.test_client().post(
        f"/api/v1/projects/{project['id']}/suggestions?source=m",
        data=_jsonl(bad),
        headers={**bearer(make_token(db_path, "admin")), "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (
        error["code"] == "invalid" and "line 2, field labels.attributions[0].source_form" in error["message"]
    )
    assert db.execute("select count(*) from suggestions").fetchone()[0] == 0


@pytest.mark.parametrize(
    "query, body, status",
    [("", b"{}\n", 400), ("?source=rules", b"{}\n", 400), ("?source=m", b"\xff\xfe", 400)],
)
def test_a_missing_or_reserved_source_or_bad_bytes_is_refused(
    app, db_path, project, example, query, body, status
):
    response = app.test_client().post(
        f"/api/v1/projects/{project['id']}/suggestions{query}",
        data=body,
        headers={**bearer(make_token(db_path, "admin")), "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == status and response.get_json()["error"]["field"] in ("source", "file")


def test_annotators_may_not_import_suggestions(app, db, db_path, project, example):
    response = app.test_client().post(
        f"/api/v1/projects/{project['id']}/suggestions?source=m",
        data=_jsonl(model_lines()),
        headers={**bearer(make_token(db_path, "annotator1")), "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 403
    assert db.execute("select count(*) from suggestions").fetchone()[0] == 0
