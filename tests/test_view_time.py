"""Time on a paragraph: whole milliseconds, page views before a save counted in it, no float drift."""

import json

import pytest

from annotator import annotation
from annotator.errors import Forbidden, Invalid
from annotator.store import annotations as annotation_store
from tests.annotate_fixtures import user, worked


def test_views_before_a_save_count_in_it_and_sums_stay_whole_milliseconds(db, project):
    ids, records = worked(db, project)
    me = user(db, "annotator1")
    labels = records[0]["labels"]
    # Two page views that did not save (a reload, a break), then one that saved.
    annotation.record_time(db, project, actor=me, paragraph_id=ids[0], ms=20_100)
    annotation.save_draft(db, project, actor=me, paragraph_id=ids[0], labels=labels, version=0, ms=5_500)
    annotation.save(db, project, actor=me, paragraph_id=ids[0], labels=labels, version=0, seconds=0.1)
    assert annotation_store.find_annotation(db, ids[0], me["id"])["seconds"] == 25.7
    # What was reported is spent: the next save counts only its own time, and the sum has no float dust.
    for version in range(1, 4):
        annotation.save(
            db, project, actor=me, paragraph_id=ids[0], labels=labels, version=version, seconds=0.1
        )
    assert annotation_store.find_annotation(db, ids[0], me["id"])["seconds"] == 26.0


def test_time_needs_the_paragraph_to_be_yours(db, project):
    ids, _ = worked(db, project)
    other = user(db, "annotator2")
    with pytest.raises(Forbidden):
        annotation.record_time(db, project, actor=other, paragraph_id=ids[0], ms=1000)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1500", 1500), ("", 0), (None, 0), ("-5", 0), ("999999999999", 86_400_000)]
)
def test_ms_are_whole_and_clamped(raw, expected):
    assert annotation.parse_ms(raw) == expected


def test_ms_must_be_a_whole_number():
    with pytest.raises(Invalid, match="ms"):
        annotation.parse_ms("1.5e3x")


def test_web_save_takes_ms_and_the_time_route_keeps_a_view(client_as, project, db):
    ids, records = worked(db, project)
    client = client_as("annotator1")
    pid = ids[0]
    url = f"/projects/{project['id']}/paragraphs/{pid}"
    assert client.post(f"{url}/time", data={"ms": "3000"}).status_code == 204
    r = client.post(
        f"{url}/annotation",
        data={"labels": json.dumps(records[0]["labels"]), "version": "0", "ms": "1234"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 200
    assert annotation_store.find_annotation(db, pid, user(db, "annotator1")["id"])["seconds"] == 4.234
