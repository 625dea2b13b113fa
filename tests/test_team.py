"""The team service: settings that move the queue, pausing, releasing leases, progress, who is working now."""

import importlib
import json

import pytest

from annotator import projects as project_service
from annotator import queue, store, team
from annotator.errors import Forbidden, Invalid
from annotator.project_settings import Settings
from annotator.store import users
from tests.test_queue import add_articles


def _user(db, name):
    return users.get_user_by_name(db, name)


def _annotate(db, project, name, paragraph_id=None, seconds=10.0):
    """Lease (or take) a paragraph, store an annotation row as the annotate page would, and complete it."""
    who = _user(db, name)
    if paragraph_id is None:
        paragraph_id = queue.next_paragraph(db, project, actor=who)["id"]
    at = store.now()
    db.execute(
        "insert into annotations (paragraph_id, user_id, labels, scheme_version, seconds, created_at, updated_at)"
        " values (?, ?, '{}', '1', ?, ?, ?)",
        [paragraph_id, who["id"], seconds, at, at],
    )
    db.conn.commit()
    queue.complete(db, project, actor=who, paragraph_id=paragraph_id)
    return paragraph_id


def test_require_project_role_uses_the_project_role(db, project):
    assert (
        project_service.require_project_role(db, project, "reviewer", actor=_user(db, "reviewer"))
        == "reviewer"
    )
    with pytest.raises(Forbidden):
        project_service.require_project_role(db, project, "reviewer", actor=_user(db, "annotator1"))
    project_service.remove_member(db, project, "reviewer")
    with pytest.raises(Forbidden, match="not a member"):
        project_service.require_project_role(db, project, "reviewer", actor=_user(db, "reviewer"))
    assert project_service.require_project_role(db, project, "admin", actor=_user(db, "admin")) == "admin"


def test_lowering_overlap_fills_paragraphs_and_raising_reopens_them(db, project):
    (ids,) = add_articles(db, project, [2])
    _annotate(db, project, "annotator1", ids[0])
    assert queue.next_paragraph(db, project, actor=_user(db, "annotator2"))["id"] == ids[0]
    queue.release(db, project, annotator=_user(db, "annotator2"))
    project = team.update_settings(db, project, overlap=1)
    assert project["overlap"] == 1
    # ids[0] has its one annotation now: annotator2 is sent to ids[1].
    assert queue.next_paragraph(db, project, actor=_user(db, "annotator2"))["id"] == ids[1]
    project = team.update_settings(db, project, overlap=3)
    filled = db.execute("select filled from paragraphs where id = ?", [ids[0]]).fetchone()[0]
    assert filled == 0


def test_new_kinds_requeue_paragraphs(db, project):
    (ids,) = add_articles(db, project, [3], kinds=["headline", "byline", "body"])
    queued = lambda: [r[0] for r in db.execute("select queued from paragraphs order by id")]  # noqa: E731
    assert queued() == [1, 0, 1]
    project = team.update_settings(db, project, kinds=["byline"])
    assert queued() == [0, 1, 0]
    assert team.progress(db, project)["by_annotations"][0] == {"annotations": 0, "paragraphs": 1}
    assert project["settings"]["kinds"] == ["byline"]
    with pytest.raises(Invalid):
        team.update_settings(db, project, kinds=[])
    with pytest.raises(Invalid):
        team.update_settings(db, project, kinds=["<script>"])


def test_shuffle_reranks_articles_like_the_importer(db, project):
    articles = add_articles(db, project, [2, 2, 2, 2, 2])
    project = team.update_settings(db, project, order="shuffle", seed=7)
    rows = db.execute("select id, uid, rank from articles order by id").fetchall()
    importing = importlib.import_module("annotator.importing")
    for _, uid, rank in rows:
        assert rank == importing._rank({"settings": Settings(order="shuffle", seed=7)}, uid, db, None)
    first = queue.next_paragraph(db, project, actor=_user(db, "annotator1"))
    best = min(rows, key=lambda r: r[2])
    assert first["article_id"] == best[0]
    project = team.update_settings(db, project, order="article")
    ranks = [r[0] for r in db.execute("select rank from articles order by id")]
    assert ranks == sorted(ranks) == list(range(len(articles)))
    para_ranks = [r[0] for r in db.execute("select rank from paragraphs order by id")]
    assert para_ranks == sorted(para_ranks)


def test_settings_are_checked_and_logged(db, project):
    for bad in (
        {"overlap": 0},
        {"overlap": "3"},
        {"order": "random"},
        {"lease_minutes": 0},
        {"seed": "x"},
        {"colour": 1},
    ):
        with pytest.raises(Invalid):
            team.update_settings(db, project, **bad)
    project = team.update_settings(
        db,
        project,
        lease_minutes=5,
        auto_gold_unanimous=False,
        feedback=True,
        paused=True,
        actor=_user(db, "admin"),
    )
    assert project["settings"]["lease_minutes"] == 5 and project["paused"] == 1
    assert project["settings"]["feedback"] is True and project["settings"]["auto_gold_unanimous"] is False
    event = db.execute("select kind, detail from events where kind = 'project.settings'").fetchone()
    assert json.loads(event[1])["lease_minutes"] == 5
    add_articles(db, project, [1])
    with pytest.raises(queue.Paused):
        queue.next_paragraph(db, project, actor=_user(db, "annotator1"))
    project = team.set_paused(db, project, False)
    assert queue.next_paragraph(db, project, actor=_user(db, "annotator1")) is not None
    lease = queue.find_assignment(db, paragraph_id=1, annotator=_user(db, "annotator1"))
    assert lease["leased_until"] < store.iso_in(minutes=6)


def test_release_leases_by_name(db, project):
    add_articles(db, project, [2])
    queue.next_paragraph(db, project, actor=_user(db, "annotator1"))
    assert [w["name"] for w in team.working_now(db, project)] == ["annotator1"]
    assert team.release_leases(db, project, "annotator1", actor=_user(db, "admin")) == 1
    assert team.working_now(db, project) == []
    assert [m["leases"] for m in team.members(db, project)] == [0, 0, 0, 0]


def test_working_now_includes_recent_saves(db, project):
    add_articles(db, project, [3])
    _annotate(db, project, "annotator2")
    queue.next_paragraph(db, project, actor=_user(db, "annotator1"))
    working = {w["name"]: w for w in team.working_now(db, project)}
    assert set(working) == {"annotator1", "annotator2"}
    assert working["annotator2"]["last_saved"] and not working["annotator2"]["leases"]
    assert working["annotator1"]["leases"][0]["position"] == 0


def test_progress(db, project):
    (ids,) = add_articles(db, project, [4])
    _annotate(db, project, "annotator1", seconds=10)
    _annotate(db, project, "annotator1", seconds=30)
    _annotate(db, project, "annotator1", seconds=20)
    _annotate(db, project, "annotator2", seconds=5)
    queue.next_paragraph(db, project, actor=_user(db, "annotator2"))
    skipped = queue.next_paragraph(db, project, actor=_user(db, "reviewer"))
    queue.skip(db, project, actor=_user(db, "reviewer"), paragraph_id=skipped["id"], reason="unclear")
    at = store.now()
    db.execute(
        "insert into decisions (paragraph_id, labels, source, created_at, updated_at) values (?, '{}', 'unanimous', ?, ?)",
        [ids[0], at, at],
    )
    db.conn.commit()
    p = team.progress(db, project)
    assert p["overlap"] == 2 and p["paragraphs"] == 4
    assert p["by_annotations"] == [
        {"annotations": 0, "paragraphs": 1},
        {"annotations": 1, "paragraphs": 2},
        {"annotations": 2, "paragraphs": 1},
    ]
    assert p["complete"] == 1 and p["leased"] == 1 and p["decided"] == 1 and p["unanimous"] == 1
    by_name = {a["name"]: a for a in p["annotators"]}
    assert by_name["annotator1"]["done"] == 3 and by_name["annotator1"]["done_today"] == 3
    assert by_name["annotator1"]["median_seconds"] == 20
    assert by_name["annotator2"]["done"] == 1 and by_name["annotator2"]["leased"] == 1
    assert by_name["reviewer"]["skipped"] == 1 and by_name["reviewer"]["median_seconds"] is None
    assert len(p["daily"]) == team.CHART_DAYS and p["daily"][-1]["done"] == 4
    chart = team.chart(p)
    assert chart["top"] == 4 and len(chart["bars"]) == team.CHART_DAYS
    assert chart["bars"][-1]["h"] == chart["baseline"] - chart["top_y"]


def test_progress_keeps_former_members(db, project):
    add_articles(db, project, [2])
    _annotate(db, project, "annotator1")
    project_service.remove_member(db, project, "annotator1")
    by_name = {a["name"]: a for a in team.progress(db, project)["annotators"]}
    assert by_name["annotator1"]["done"] == 1 and by_name["annotator1"]["member"] is False
