"""A full, read-only or busy database answers 503 in the form the client asked for, and stores nothing."""

import io
import json
import sqlite3
import threading

import pytest

from annotator import store
from annotator.store import annotations as annotation_store
from annotator.web import db as web_db
from tests.annotate_fixtures import post_labels, user, worked
from tests.api_helpers import articles_jsonl, bearer, make_token


def _break_storage(monkeypatch, how: str) -> None:
    """Make every connection the app opens from now on fail its writes the way ``how`` says."""
    real = store.connect

    def connect(path, **kwargs):
        db = real(path, **kwargs)
        if how == "read-only":
            db.execute("pragma query_only = 1")
        elif how == "full":
            pages = db.execute("pragma page_count").fetchone()[0]
            db.execute(f"pragma max_page_count = {pages}")
        elif how == "locked":
            db.execute("pragma busy_timeout = 50")
        return db

    monkeypatch.setattr(store, "connect", connect)
    # The request threads keep their connections: start afresh so they open broken ones.
    monkeypatch.setattr(web_db, "_local", threading.local())


@pytest.fixture
def locked(db_path):
    """Another program holding the database's write lock for the whole test."""
    holder = sqlite3.connect(db_path)
    holder.execute("begin immediate")
    yield
    holder.rollback()
    holder.close()


def _labels(records, size=0):
    labels = dict(records[0]["labels"])
    if size:
        labels["notes"] = "n" * size  # more than the free pages can hold
    return labels


@pytest.mark.parametrize("how", ["read-only", "full", "locked"])
def test_a_json_save_gets_a_503_in_json_and_nothing_is_stored(
    request, monkeypatch, db, project, client_as, how
):
    ids, records = worked(db, project)
    client = client_as("annotator1")
    _break_storage(monkeypatch, how)
    if how == "locked":
        request.getfixturevalue("locked")
    response = post_labels(client, project, ids[0], _labels(records, size=200_000 if how == "full" else 0))
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    body = response.json
    what = {"read-only": "read-only", "full": "disk is full", "locked": "busy"}[how]
    assert what in body["message"] and "still in this page" in body["message"]
    assert response.headers["Retry-After"]
    if how == "locked":
        return  # the lock is still held: reading the result would wait on it
    assert annotation_store.find_annotation(db, ids[0], user(db, "annotator1")["id"]) is None


def test_an_htmx_save_and_next_gets_a_fragment_that_leaves_the_page_alone(
    monkeypatch, db, project, client_as
):
    ids, records = worked(db, project)
    client = client_as("annotator1")
    _break_storage(monkeypatch, "read-only")
    response = client.post(
        f"/projects/{project['id']}/paragraphs/{ids[0]}/annotation",
        data={"labels": json.dumps(_labels(records)), "version": "0", "next": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "<html" not in html and "read-only" in html
    # Into the flash area, not over the task: the labels in the page stay.
    assert response.headers["HX-Retarget"] == "#flash"


def test_the_annotate_page_gets_a_503_page_not_a_500(monkeypatch, db, project, client_as):
    worked(db, project)
    client = client_as("annotator2")  # nothing leased yet: opening the page leases, which writes
    _break_storage(monkeypatch, "read-only")
    response = client.get(f"/projects/{project['id']}/annotate")
    assert response.status_code == 503
    assert b"<html" in response.data and b"read-only" in response.data


def test_a_draft_on_a_full_disk_is_a_503(monkeypatch, db, project, client_as):
    ids, records = worked(db, project)
    client = client_as("annotator1")
    _break_storage(monkeypatch, "full")
    response = client.post(
        f"/projects/{project['id']}/paragraphs/{ids[0]}/draft",
        data={"labels": json.dumps(_labels(records, size=200_000)), "version": "0"},
        headers={"Accept": "application/json", "HX-Request": "true"},
    )
    assert response.status_code == 503 and "disk is full" in response.json["message"]
    assert annotation_store.find_draft(db, ids[0], user(db, "annotator1")["id"]) is None


def test_reading_pages_goes_on_while_the_database_is_read_only(monkeypatch, db, project, client_as):
    client = client_as("annotator1")
    db.execute("update sessions set seen_at = '2000-01-01T00:00:00.000000Z'")  # due for its touch
    db.conn.commit()
    _break_storage(monkeypatch, "read-only")
    assert client.get("/").status_code == 200


def test_an_api_write_on_a_read_only_database_is_a_503_in_the_apis_shape(
    monkeypatch, db, db_path, project, app
):
    headers = bearer(make_token(db_path, "admin"))
    before = db.execute("select count(*) from articles").fetchone()[0]
    _break_storage(monkeypatch, "read-only")
    response = app.test_client().post(
        f"/api/v1/projects/{project['id']}/articles",
        data={"format": "jsonl", "files": [(io.BytesIO(articles_jsonl()), "a.jsonl")]},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"
    assert "read-only" in response.json["error"]["message"]
    assert response.headers["Retry-After"]
    assert db.execute("select count(*) from articles").fetchone()[0] == before
