"""Random walks through the queue, checked against a brute-force model after every step.

Invariants: the counters match the rows; done + leased never exceeds k; ``filled`` is exactly
``n_taken >= k``; nobody holds two assignments of one paragraph; and ``next_paragraph`` answers
``None`` only when no unleased slot is open to that user.
"""

import random

import pytest

from annotator import accounts, queue, store
from annotator import projects as project_service
from annotator.errors import Conflict
from tests.test_queue import add_articles


def _check(db, project, k):
    rows = db.execute(
        """select p.id, p.n_taken, p.n_done, p.filled,
            (select count(*) from assignments a where a.paragraph_id = p.id and a.state = 'done'),
            (select count(*) from assignments a where a.paragraph_id = p.id and a.state = 'leased')
        from paragraphs p where p.project_id = ?""",
        [project["id"]],
    ).fetchall()
    for pid, n_taken, n_done, filled, done, leased in rows:
        assert n_done == done, pid
        assert n_taken == done + leased, pid
        assert done + leased <= k, pid
        assert filled == (n_taken >= k), pid
    # The progress counts kept by triggers equal a fresh count.
    counted = dict(
        db.execute(
            "select n_done, n from paragraph_counts where project_id = ? and n > 0", [project["id"]]
        ).fetchall()
    )
    fresh = dict(
        db.execute(
            "select n_done, count(*) from paragraphs where project_id = ? and queued = 1 group by n_done",
            [project["id"]],
        ).fetchall()
    )
    assert counted == fresh
    counted = set(
        db.execute(
            "select user_id, state, n from assignment_counts where project_id = ? and n > 0", [project["id"]]
        ).fetchall()
    )
    fresh = set(
        db.execute(
            """select user_id, state, count(*) from assignments where project_id = ? and state != 'leased'
            group by user_id, state""",
            [project["id"]],
        ).fetchall()
    )
    assert counted == fresh


def _open_to(db, project, user_id):
    """Brute force: the queued paragraphs with a free slot that this user never had."""
    return {
        row[0]
        for row in db.execute(
            """select p.id from paragraphs p where p.project_id = ? and p.queued = 1
            and p.n_taken < ? and p.id not in (select paragraph_id from assignments where user_id = ?)""",
            [project["id"], project["overlap"], user_id],
        )
    }


@pytest.mark.parametrize("seed", range(6))
def test_random_walk_keeps_the_invariants(db, seed):
    rng = random.Random(seed)
    k = rng.choice([1, 2, 3])
    project = project_service.create_project(db, f"walk{seed}", overlap=k)
    people = []
    for i in range(5):
        user = accounts.create_user(
            db, f"walker{seed}x{i}", role="annotator", password="a long walker password"
        )
        project_service.add_member(db, project, user["name"])
        people.append(user)
    add_articles(db, project, [rng.randint(1, 5) for _ in range(6)])
    for _ in range(300):
        user = rng.choice(people)
        roll = rng.random()
        if roll < 0.45:
            before = _open_to(db, project, user["id"])
            lease = queue.current_lease(db, project, actor=user)
            got = queue.next_paragraph(db, project, actor=user)
            if got is None:
                assert lease is None and not before
            elif lease is None:
                assert got["id"] in before
            else:
                assert got["id"] == lease["id"]
        else:
            mine = db.execute(
                "select paragraph_id, state from assignments where user_id = ? and project_id = ?",
                [user["id"], project["id"]],
            ).fetchall()
            any_paragraph = rng.choice(
                [r[0] for r in db.execute("select id from paragraphs where project_id = ?", [project["id"]])]
            )
            target = rng.choice(mine)[0] if mine and rng.random() < 0.8 else any_paragraph
            if roll < 0.75:
                try:
                    queue.complete(db, project, actor=user, paragraph_id=target)
                except Conflict:
                    assert (
                        db.execute("select filled from paragraphs where id = ?", [target]).fetchone()[0] == 1
                    )
            elif roll < 0.82:
                try:
                    queue.skip(db, project, actor=user, paragraph_id=target, reason="unclear")
                except Conflict:
                    pass  # already done by this user
            elif roll < 0.88:
                queue.renew(db, project, actor=user, paragraph_id=target)
            elif roll < 0.94:
                queue.release(db, project, annotator=user)
            else:
                db.execute(
                    "update assignments set leased_until = ? where user_id = ? and state = 'leased'",
                    [store.iso_in(minutes=-1), user["id"]],
                )
                db.conn.commit()
                queue.reclaim(db)
        _check(db, project, k)
