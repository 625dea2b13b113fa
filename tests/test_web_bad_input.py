"""Malformed label payloads over HTTP: each gets a 400 in JSON naming the problem, and nothing is stored."""

import json

import pytest

from annotator.store import annotations as annotation_store
from tests.annotate_fixtures import user, worked

DEEP = "[" * 5000 + "]" * 5000
PAYLOADS = {
    "labels nested 5000 deep": ("{" + '"kind": ' + DEEP + "}", "0", "nested too deeply"),
    "notes nested 5000 deep": ('{"notes": ' + DEEP + "}", "0", "nested too deeply"),
    "lone surrogate in notes": ('{"notes": "\\ud800"}', "0", "lone surrogate"),
    "lone surrogate in span text": (
        '{"attributions": [{"id": "a1", "cue": {"start": 0, "end": 1, "text": "\\udc00"}}]}',
        "0",
        "lone surrogate",
    ),
    "version 2**70": ('{"kind": "body"}', str(2**70), "version is out of range"),
    "version with 5000 digits": ('{"kind": "body"}', "9" * 5000, "version is out of range"),
    "NaN": ('{"kind": NaN}', "0", "NaN is not a JSON number"),
    "integer past 64 bits": ('{"kind": ' + "9" * 25 + "}", "0", "out of range"),
    "not JSON": ("{kind: body", "0", "invalid JSON"),
    "a list": ("[1, 2]", "0", "must be a JSON object"),
}


@pytest.mark.parametrize("endpoint", ["annotation", "draft"])
@pytest.mark.parametrize("case", list(PAYLOADS))
def test_malformed_labels_get_a_400_and_change_nothing(db, project, client_as, endpoint, case):
    ids, _ = worked(db, project)
    raw, version, message = PAYLOADS[case]
    response = client_as("annotator1").post(
        f"/projects/{project['id']}/paragraphs/{ids[0]}/{endpoint}",
        data={"labels": raw, "version": version, "seconds": "1"},
        headers={"Accept": "application/json", "HX-Request": "true"},
    )
    assert response.status_code == 400, response.data[:300]
    assert response.mimetype == "application/json"
    assert message in response.json["message"]
    me = user(db, "annotator1")["id"]
    assert annotation_store.find_annotation(db, ids[0], me) is None
    assert annotation_store.find_draft(db, ids[0], me) is None


def test_a_one_megabyte_invalid_draft_is_refused(db, project, client_as):
    ids, _ = worked(db, project)
    draft = {"kind": "body", "unknown_field": "x" * 900_000}
    response = client_as("annotator1").post(
        f"/projects/{project['id']}/paragraphs/{ids[0]}/draft",
        data={"labels": json.dumps(draft), "version": "0"},
        headers={"Accept": "application/json", "HX-Request": "true"},
    )
    assert response.status_code == 400
    assert any(e["code"] == "unknown" for e in response.json["errors"])
    assert annotation_store.find_draft(db, ids[0], user(db, "annotator1")["id"]) is None


def test_flagging_a_paragraph_never_given_to_the_user_is_refused(db, project, client_as):
    ids, _ = worked(db, project, name="annotator1")
    response = client_as("annotator2").post(
        f"/projects/{project['id']}/paragraphs/{ids[0]}/flag", data={"reason": "other"}
    )
    assert response.status_code == 403
    assert db.execute("select count(*) from flags").fetchone()[0] == 0


def test_authenticated_pages_are_not_cached_and_public_ones_may_be(client, client_as, project):
    annotator = client_as("annotator1")
    for url in ("/", f"/projects/{project['id']}/my-work", "/account/password", "/account/sessions"):
        response = annotator.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    static = annotator.get("/static/js/app.js")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
