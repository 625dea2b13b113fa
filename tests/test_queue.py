"""The queue: order (resume, continue the article, rank), overlap k, leases, skips, saves, history."""

import hashlib
import itertools

import pytest

from annotator import projects as project_service
from annotator import queue, store
from annotator.errors import Conflict, Forbidden, Invalid, NotFound
from annotator.store import articles as article_store

_serial = itertools.count()


def add_articles(db, project, sizes, *, kinds=None):
    """Insert one article per size with that many body paragraphs; return their paragraph ids per article."""
    out = []
    for size in sizes:
        serial = next(_serial)
        sha = hashlib.sha256(f"article {serial}".encode()).hexdigest()
        rank = article_store.next_article_rank(db, project["id"])
        paragraphs = [
            {
                "position": i,
                "kind": (kinds[i] if kinds else "body"),
                "text": f"Paragraph {i} of article {serial}.",
                "text_sha256": hashlib.sha256(f"{serial}/{i}".encode()).hexdigest(),
                "doc_char_start": i * 40,
                "queued": (kinds[i] if kinds else "body") in project["settings"]["kinds"],
            }
            for i in range(size)
        ]
        article = {
            "uid": f"test-{sha[:12]}",
            "source_format": "text",
            "raw_sha256": sha,
            "text_sha256": sha,
            "rank": rank,
        }
        article_id = article_store.insert_article(
            db, project_id=project["id"], article=article, paragraphs=paragraphs, raw=b"", dropped=[]
        )
        ids = [
            row["id"]
            for row in db.query(
                "select id from paragraphs where article_id = ? order by position", [article_id]
            )
        ]
        out.append(ids)
    return out


def _user(db, name):
    from annotator.store import users

    return users.get_user_by_name(db, name)


def counters(db, paragraph_id):
    row = db.execute("select n_taken, n_done, filled from paragraphs where id = ?", [paragraph_id]).fetchone()
    return tuple(row)


@pytest.fixture
def a1(db):
    return _user(db, "annotator1")


@pytest.fixture
def a2(db):
    return _user(db, "annotator2")


@pytest.fixture
def admin(db):
    return _user(db, "admin")


def test_empty_project_has_no_work(db, project, a1):
    assert queue.next_paragraph(db, project, actor=a1) is None


def test_order_is_rank_then_resume_then_continue_the_article(db, project, a1):
    (first, second) = add_articles(db, project, [3, 2])
    got = queue.next_paragraph(db, project, actor=a1)
    assert got["id"] == first[0] and got["text"].startswith("Paragraph 0") and got["leased_until"]
    # Asking again resumes the same lease rather than taking a second paragraph.
    assert queue.next_paragraph(db, project, actor=a1)["id"] == first[0]
    assert counters(db, first[0]) == (1, 0, 0)
    queue.complete(db, project, actor=a1, paragraph_id=first[0])
    assert counters(db, first[0]) == (1, 1, 0)
    assert [queue.next_paragraph(db, project, actor=a1)["id"]] == [first[1]]
    queue.complete(db, project, actor=a1, paragraph_id=first[1])
    assert queue.next_paragraph(db, project, actor=a1)["id"] == first[2]
    queue.complete(db, project, actor=a1, paragraph_id=first[2])
    assert queue.next_paragraph(db, project, actor=a1)["id"] == second[0]


def test_continue_the_article_before_an_earlier_ranked_one(db, project, a1, a2):
    (first, second) = add_articles(db, project, [3, 3])
    # annotator2 takes the second article's first paragraph by hand; annotator1 works in article one.
    queue.renew(db, project, actor=a2, paragraph_id=second[0])
    queue.complete(db, project, actor=a2, paragraph_id=second[0])
    # The next one for annotator2 continues article two, although article one ranks first.
    assert queue.next_paragraph(db, project, actor=a2)["id"] == second[1]


def test_overlap_k_and_never_the_same_paragraph_twice(db, project, a1, a2, admin):
    (ids,) = add_articles(db, project, [1])
    assert project["overlap"] == 2
    for who in (a1, a2):
        got = queue.next_paragraph(db, project, actor=who)
        assert got["id"] == ids[0]
        queue.complete(db, project, actor=who, paragraph_id=ids[0])
    assert counters(db, ids[0]) == (2, 2, 1)
    # Filled: a third user gets nothing, and the same user never gets it again.
    assert queue.next_paragraph(db, project, actor=admin) is None
    assert queue.next_paragraph(db, project, actor=a1) is None


def test_leases_count_towards_k(db, project, a1, a2, admin):
    (ids,) = add_articles(db, project, [2])
    assert queue.next_paragraph(db, project, actor=a1)["id"] == ids[0]
    assert queue.next_paragraph(db, project, actor=a2)["id"] == ids[0]
    # Two leases fill overlap 2: the admin gets the next paragraph.
    assert queue.next_paragraph(db, project, actor=admin)["id"] == ids[1]


def test_an_expired_lease_returns_to_the_pool(db, project, a1, a2, admin):
    (ids,) = add_articles(db, project, [1])
    queue.next_paragraph(db, project, actor=a1)
    queue.next_paragraph(db, project, actor=a2)
    assert queue.next_paragraph(db, project, actor=admin) is None
    db.execute(
        "update assignments set leased_until = ? where user_id = ?", [store.iso_in(minutes=-1), a1["id"]]
    )
    db.conn.commit()
    assert queue.next_paragraph(db, project, actor=admin)["id"] == ids[0]
    assert counters(db, ids[0]) == (2, 0, 1)
    assert queue.find_assignment(db, paragraph_id=ids[0], annotator=a1) is None


def test_lease_minutes_come_from_the_project(db, project, a1):
    add_articles(db, project, [1])
    got = queue.next_paragraph(db, project, actor=a1, lease_minutes=1)
    assert store.iso_in(seconds=50) < got["leased_until"] < store.iso_in(seconds=70)
    got = queue.next_paragraph(db, project, actor=a1)  # resuming extends to the project's 30 minutes
    assert store.iso_in(minutes=29) < got["leased_until"] < store.iso_in(minutes=31)


def test_late_save_is_accepted_while_a_slot_is_free(db, project, a1):
    (ids,) = add_articles(db, project, [1])
    queue.next_paragraph(db, project, actor=a1)
    queue.release(db, project, annotator=a1)
    assert counters(db, ids[0]) == (0, 0, 0)
    queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    assert counters(db, ids[0]) == (1, 1, 0)


def test_late_save_over_k_is_refused(db, project, a1, a2, admin):
    (ids,) = add_articles(db, project, [1])
    queue.next_paragraph(db, project, actor=a1)
    queue.release(db, project, annotator=a1)
    for who in (a2, admin):
        queue.next_paragraph(db, project, actor=who)
        queue.complete(db, project, actor=who, paragraph_id=ids[0])
    with pytest.raises(Conflict, match="kept as a draft"):
        queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    assert queue.renew(db, project, actor=a1, paragraph_id=ids[0]) is False
    assert counters(db, ids[0]) == (2, 2, 1)


def test_complete_is_idempotent(db, project, a1):
    (ids,) = add_articles(db, project, [1])
    queue.next_paragraph(db, project, actor=a1)
    for _ in range(3):
        queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    assert counters(db, ids[0]) == (1, 1, 0)


def test_renew_extends_or_retakes(db, project, a1):
    (ids,) = add_articles(db, project, [1])
    queue.next_paragraph(db, project, actor=a1, lease_minutes=1)
    assert queue.renew(db, project, actor=a1, paragraph_id=ids[0]) is True
    lease = queue.next_paragraph(db, project, actor=a1)
    assert lease["leased_until"] > store.iso_in(minutes=29)
    queue.release(db, project, annotator=a1)
    assert queue.renew(db, project, actor=a1, paragraph_id=ids[0]) is True
    assert counters(db, ids[0]) == (1, 0, 0)
    queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    assert queue.renew(db, project, actor=a1, paragraph_id=ids[0]) is True


def test_skip_frees_the_slot_and_is_never_shown_again(db, project, a1, a2, admin):
    (ids,) = add_articles(db, project, [2])
    assert queue.next_paragraph(db, project, actor=a1)["id"] == ids[0]
    queue.skip(db, project, actor=a1, paragraph_id=ids[0], reason="unclear")
    assert counters(db, ids[0]) == (0, 0, 0)
    assert queue.next_paragraph(db, project, actor=a1)["id"] == ids[1]
    assert queue.next_paragraph(db, project, actor=a2)["id"] == ids[0]
    with pytest.raises(Invalid):
        queue.skip(db, project, actor=a1, paragraph_id=ids[1], reason="boring")
    queue.complete(db, project, actor=a1, paragraph_id=ids[1])
    with pytest.raises(Conflict):
        queue.skip(db, project, actor=a1, paragraph_id=ids[1], reason="unclear")


def test_unqueued_kinds_are_not_offered(db, project, a1):
    project = project_service.get_project(db, project["id"])
    add_articles(db, project, [3], kinds=["byline", "body", "byline"])
    got = queue.next_paragraph(db, project, actor=a1)
    assert got["kind"] == "body"
    queue.complete(db, project, actor=a1, paragraph_id=got["id"])
    assert queue.next_paragraph(db, project, actor=a1) is None


def test_paused_project_raises_paused(db, project, a1):
    add_articles(db, project, [1])
    with pytest.raises(queue.Paused, match="paused"):
        queue.next_paragraph(db, project={**project, "paused": 1}, actor=a1)


def test_only_members_get_work(db, project, a1):
    add_articles(db, project, [1])
    project_service.remove_member(db, project, "annotator1")
    with pytest.raises(Forbidden):
        queue.next_paragraph(db, project, actor=a1)


def test_paragraphs_of_another_project_are_not_found(db, project, a1):
    other = project_service.create_project(db, "other")
    (ids,) = add_articles(db, other, [1])
    with pytest.raises(NotFound):
        queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    with pytest.raises(NotFound):
        queue.skip(db, project, actor=a1, paragraph_id=ids[0], reason="unclear")


def test_release_drops_only_that_users_leases(db, project, a1, a2):
    (ids,) = add_articles(db, project, [1])
    queue.next_paragraph(db, project, actor=a1)
    queue.next_paragraph(db, project, actor=a2)
    assert queue.release(db, project, annotator=a1) == 1
    assert queue.release(db, project, annotator=a1) == 0
    assert counters(db, ids[0]) == (1, 0, 0)


def test_progress_for(db, project, a1, a2):
    (ids,) = add_articles(db, project, [4])
    assert queue.progress_for(db, project, actor=a1) == {
        "done": 0,
        "assigned": 4,
        "leased": 0,
        "remaining": 4,
        "more": False,
    }
    queue.next_paragraph(db, project, actor=a1)
    queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    queue.next_paragraph(db, project, actor=a1)
    assert queue.progress_for(db, project, actor=a1) == {
        "done": 1,
        "assigned": 4,
        "leased": 1,
        "remaining": 2,
        "more": False,
    }


def test_progress_remaining_is_capped(db, project, a1, monkeypatch):
    monkeypatch.setattr(queue, "REMAINING_CAP", 3)
    add_articles(db, project, [5])
    progress = queue.progress_for(db, project, actor=a1)
    assert progress["remaining"] == 3 and progress["more"] is True


def test_progress_estimate_follows_the_users_own_work_and_catches_up_with_others(
    db, project, a1, a2, monkeypatch
):
    monkeypatch.setattr(queue, "_estimates", type(queue._estimates)())
    (ids,) = add_articles(db, project, [6])
    project = {**project, "overlap": 1}
    db.execute("update projects set overlap = 1 where id = ?", [project["id"]])
    assert queue.progress_estimate(db, project, actor=a1) == queue.progress_for(db, project, actor=a1)
    for _ in range(2):  # a1 works: the estimate stays exact
        paragraph = queue.next_paragraph(db, project, actor=a1)
        queue.complete(db, project, actor=a1, paragraph_id=paragraph["id"])
        assert queue.progress_estimate(db, project, actor=a1) == queue.progress_for(db, project, actor=a1)
    # a2 takes two paragraphs: a1's line shows them only once the estimate is older than ESTIMATE_SECONDS.
    for _ in range(2):
        paragraph = queue.next_paragraph(db, project, actor=a2)
        queue.complete(db, project, actor=a2, paragraph_id=paragraph["id"])
    exact = queue.progress_for(db, project, actor=a1)
    stale = queue.progress_estimate(db, project, actor=a1)
    assert stale["done"] == exact["done"] == 2 and stale["remaining"] == exact["remaining"] + 2
    monkeypatch.setattr(queue, "ESTIMATE_SECONDS", 0.0)
    assert queue.progress_estimate(db, project, actor=a1) == exact


def test_progress_estimate_keeps_a_capped_count_capped(db, project, a1, monkeypatch):
    monkeypatch.setattr(queue, "_estimates", type(queue._estimates)())
    monkeypatch.setattr(queue, "REMAINING_CAP", 3)
    add_articles(db, project, [8])
    assert queue.progress_estimate(db, project, actor=a1)["more"] is True
    paragraph = queue.next_paragraph(db, project, actor=a1)
    queue.complete(db, project, actor=a1, paragraph_id=paragraph["id"])
    progress = queue.progress_estimate(db, project, actor=a1)
    assert progress == queue.progress_for(db, project, actor=a1)
    assert progress["remaining"] == 3 and progress["more"] is True


def test_history_walks_back_and_forth(db, project, a1):
    (ids,) = add_articles(db, project, [4])
    assert queue.history(db, project, actor=a1) is None
    for pid in ids[:3]:
        assert queue.next_paragraph(db, project, actor=a1)["id"] == pid
        if pid == ids[1]:
            queue.skip(db, project, actor=a1, paragraph_id=pid, reason="not_news")
        else:
            queue.complete(db, project, actor=a1, paragraph_id=pid)
    current = queue.next_paragraph(db, project, actor=a1)
    assert current["id"] == ids[3]
    previous = queue.history(db, project, actor=a1, before_paragraph_id=current["id"])
    assert previous["id"] == ids[2] and previous["state"] == "done"
    previous = queue.history(db, project, actor=a1, before_paragraph_id=previous["id"])
    assert (
        previous["id"] == ids[1] and previous["state"] == "skipped" and previous["skip_reason"] == "not_news"
    )
    previous = queue.history(db, project, actor=a1, before_paragraph_id=previous["id"])
    assert previous["id"] == ids[0]
    assert queue.history(db, project, actor=a1, before_paragraph_id=ids[0]) is None
    assert queue.history(db, project, actor=a1, after_paragraph_id=ids[0])["id"] == ids[1]
    assert queue.history(db, project, actor=a1, after_paragraph_id=ids[2]) is None
    assert queue.history(db, project, actor=a1)["id"] == ids[2]
    # Editing an earlier paragraph keeps its place in the history.
    queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    assert queue.history(db, project, actor=a1)["id"] == ids[2]


def test_history_is_per_user_and_blind(db, project, a1, a2):
    (ids,) = add_articles(db, project, [1])
    queue.next_paragraph(db, project, actor=a1)
    queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    assert queue.history(db, project, actor=a2) is None
    row = queue.history(db, project, actor=a1)
    assert "labels" not in row


def test_filled_follows_counters_and_overlap_whoever_changes_them(db, project, a1):
    (ids,) = add_articles(db, project, [2])
    # As import-annotations does: counters bumped by plain SQL.
    db.execute("update paragraphs set n_taken = n_taken + 2, n_done = n_done + 2 where id = ?", [ids[0]])
    db.conn.commit()
    assert counters(db, ids[0]) == (2, 2, 1)
    assert queue.next_paragraph(db, project, actor=a1)["id"] == ids[1]
    db.execute("update projects set overlap = 3 where id = ?", [project["id"]])
    db.conn.commit()
    assert counters(db, ids[0]) == (2, 2, 0)
    db.execute("update projects set overlap = 1 where id = ?", [project["id"]])
    db.conn.commit()
    assert counters(db, ids[0]) == (2, 2, 1) and counters(db, ids[1]) == (1, 0, 1)


def test_a_user_far_ahead_goes_on_from_their_place(db, project, a1, a2, monkeypatch):
    monkeypatch.setattr(queue, "FIRST_OPEN_WINDOW", 2)
    first, second, third = add_articles(db, project, [2, 2, 2])
    # annotator1 labels the first two articles alone: the head of the queue is now their own work.
    for pid in first + second:
        assert queue.next_paragraph(db, project, actor=a1)["id"] == pid
        queue.complete(db, project, actor=a1, paragraph_id=pid)
    # Article three comes next although the window of two (first[0], first[1]) holds only their work.
    assert queue.next_paragraph(db, project, actor=a1)["id"] == third[0]
    queue.complete(db, project, actor=a1, paragraph_id=third[0])
    # annotator2 takes a paragraph behind annotator1's place and skips it: it is open again, behind.
    queue.renew(db, project, actor=a2, paragraph_id=first[0])
    queue.complete(db, project, actor=a2, paragraph_id=first[0])
    assert queue.next_paragraph(db, project, actor=a1)["id"] == third[1]
    queue.complete(db, project, actor=a1, paragraph_id=third[1])
    assert queue.next_paragraph(db, project, actor=a1) is None
    assert queue.progress_for(db, project, actor=a1)["remaining"] == 0
    progress = queue.progress_for(db, project, actor=a2)
    assert progress["remaining"] == 5


def test_wrap_around_finds_work_behind_the_users_place(db, project, a1, monkeypatch):
    monkeypatch.setattr(queue, "FIRST_OPEN_WINDOW", 1)
    first, second = add_articles(db, project, [2, 1])
    for pid in (first[0], second[0]):  # taken by hand, out of order: their place is article two
        queue.renew(db, project, actor=a1, paragraph_id=pid)
        queue.complete(db, project, actor=a1, paragraph_id=pid)
    # The window (first[0]) is theirs and nothing is ranked after second[0]: the whole queue is searched.
    assert queue.next_paragraph(db, project, actor=a1)["id"] == first[1]
    assert queue.progress_for(db, project, actor=a1)["remaining"] == 0
