"""Every statement the queue runs is an index seek: no scan of paragraphs or assignments, no sort."""

import re

from annotator import queue, store
from annotator.store import users
from tests.test_queue import add_articles

WRITE_OR_READ = re.compile(r"^\s*(select|update|delete|insert)\b", re.IGNORECASE)


def _statements(db, action):
    seen = []
    db.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        db.conn.set_trace_callback(None)
    return [sql for sql in seen if WRITE_OR_READ.match(sql)]


def _plan(db, sql):
    return [row[3] for row in db.execute("explain query plan " + sql).fetchall()]


def test_queue_statements_use_indexes(db, project):
    a1 = users.get_user_by_name(db, "annotator1")
    a2 = users.get_user_by_name(db, "annotator2")
    article, other = add_articles(db, project, [5, 5])

    def work():
        for who in (a1, a2):
            got = queue.next_paragraph(db, project, actor=who)
            queue.next_paragraph(db, project, actor=who)  # resume
            queue.renew(db, project, actor=who, paragraph_id=got["id"])
            queue.complete(db, project, actor=who, paragraph_id=got["id"])
            got = queue.next_paragraph(db, project, actor=who)  # continue the article
            queue.skip(db, project, actor=who, paragraph_id=got["id"], reason="unclear")
            queue.progress_for(db, project, actor=who)
            queue.history(db, project, actor=who)
            queue.history(db, project, actor=who, before_paragraph_id=got["id"])
            queue.history(db, project, actor=who, after_paragraph_id=article[0])
        db.execute("update assignments set leased_until = ?", [store.iso_in(minutes=-1)])
        db.conn.commit()
        queue.next_paragraph(db, project, actor=a1)  # reclaims
        queue.release(db, project, annotator=a1)
        queue.complete(db, project, actor=a2, paragraph_id=other[4])  # a save without a lease

    statements = _statements(db, work)
    assert len(statements) > 30
    checked = 0
    for sql in statements:
        if sql.lower().startswith("update assignments set leased_until = '"):
            continue  # the test's own expiry
        plan = _plan(db, sql)
        where = f"{sql}\n{plan}"
        # Scanning a bounded subquery's own rows is fine; scanning a table is not.
        assert not [step for step in plan if step.startswith("SCAN") and "subquery" not in step], where
        assert not [step for step in plan if "TEMP B-TREE" in step], where
        checked += 1
    assert checked > 30


def test_first_open_paragraph_names_its_partial_index(db, project):
    plan = _plan(
        db,
        "select p.id from paragraphs p indexed by paragraphs_unfilled "
        "where p.project_id = 1 and p.queued = 1 and p.filled = 0 order by p.rank, p.id limit 1",
    )
    assert plan == ["SEARCH p USING INDEX paragraphs_unfilled (project_id=?)"]


def test_save_and_next_statements_use_indexes(db, project):
    """A save that makes the paragraph unanimous (an automatic gold decision), then one that breaks it
    (the decision withdrawn), each leasing the next paragraph: no statement scans a table."""
    from annotator import annotation
    from tests.annotate_fixtures import add_article

    ids = add_article(db, project, ["First paragraph.", "Second paragraph.", "Third paragraph."])
    a1 = users.get_user_by_name(db, "annotator1")
    a2 = users.get_user_by_name(db, "annotator2")
    assert project["overlap"] == 2

    def work():
        for who, kind in ((a1, "body"), (a2, "body"), (a1, "other")):
            got = queue.next_paragraph(db, project, actor=who) if kind == "body" else {"id": ids[0]}
            annotation.save_and_lease_next(
                db,
                project=project,
                actor=who,
                paragraph_id=got["id"],
                labels={"kind": kind},
                version=0 if kind == "body" else 1,
            )

    statements = _statements(db, work)
    assert any("insert into decision_revisions" in sql for sql in statements)
    assert any("delete from decisions" in sql for sql in statements)
    for sql in statements:
        plan = _plan(db, sql)
        assert not [step for step in plan if step.startswith("SCAN") and "subquery" not in step], (
            f"{sql}\n{plan}"
        )
