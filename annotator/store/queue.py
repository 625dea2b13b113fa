"""The work queue's SQL: assignments, leases, the paragraph counters, and the look-ups that pick work.

Every look-up here is an index seek; none scans the paragraphs table (``tests/test_queue_plans.py``
checks the query plans). ``n_taken`` counts done assignments plus leases, ``n_done`` done ones,
and ``filled`` caches ``n_taken >= projects.overlap`` (kept by triggers, m008, whoever changes
either) so that the partial index ``paragraphs_unfilled`` holds only paragraphs that still want
annotations. Callers run these
inside one ``write()`` transaction, so check-then-lease cannot race.
"""

import sqlite_utils

PARAGRAPH = (
    "p.id, p.article_id, p.project_id, p.position, p.kind, p.text, p.credit, p.text_sha256, "
    "p.doc_char_start, p.queued, p.rank, p.n_taken, p.n_done, p.filled"
)
_NOT_MINE = "not exists (select 1 from assignments a where a.paragraph_id = p.id and a.user_id = :user_id)"


def _one(db: sqlite_utils.Database, sql: str, params) -> dict | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def bump(db: sqlite_utils.Database, paragraph_id: int, *, taken: int = 0, done: int = 0) -> None:
    """Change a paragraph's counters and keep ``filled`` in step with its project's overlap."""
    db.execute(
        """update paragraphs set n_taken = n_taken + :taken, n_done = n_done + :done,
            filled = (n_taken + :taken >= (select overlap from projects where projects.id = paragraphs.project_id))
        where id = :id""",
        {"taken": taken, "done": done, "id": paragraph_id},
    )


def reclaim_expired(db: sqlite_utils.Database, *, at: str) -> int:
    """Delete leases that ended before ``at`` (all projects) and free their slots; return how many."""
    rows = db.execute(
        "select id, paragraph_id from assignments where state = 'leased' and leased_until <= ?", [at]
    ).fetchall()
    for assignment_id, paragraph_id in rows:
        db.execute("delete from assignments where id = ?", [assignment_id])
        bump(db, paragraph_id, taken=-1)
    return len(rows)


def find_paragraph(db: sqlite_utils.Database, paragraph_id: int) -> dict | None:
    return _one(db, f"select {PARAGRAPH} from paragraphs p where p.id = ?", [paragraph_id])


def find_assignment(db: sqlite_utils.Database, paragraph_id: int, user_id: int) -> dict | None:
    return _one(
        db, "select * from assignments where paragraph_id = ? and user_id = ?", [paragraph_id, user_id]
    )


def find_lease(db: sqlite_utils.Database, project_id: int, user_id: int, *, at: str) -> dict | None:
    """Return the paragraph ``user_id`` holds an unexpired lease on in the project, with ``leased_until``."""
    return _one(
        db,
        f"""select {PARAGRAPH}, a.leased_until
        from assignments a indexed by assignments_user join paragraphs p on p.id = a.paragraph_id
        where a.user_id = ? and a.project_id = ? and a.state = 'leased' and a.leased_until > ?
        order by a.updated_at desc limit 1""",
        [user_id, project_id, at],
    )


def find_latest_assignment(db: sqlite_utils.Database, project_id: int, user_id: int) -> dict | None:
    """Return the user's most recently changed assignment in the project, with its paragraph's place."""
    return _one(
        db,
        """select a.paragraph_id, a.state, a.updated_at, p.article_id, p.position, p.rank
        from assignments a join paragraphs p on p.id = a.paragraph_id
        where a.user_id = ? and a.project_id = ? order by a.updated_at desc, a.id desc limit 1""",
        [user_id, project_id],
    )


def find_next_in_article(
    db: sqlite_utils.Database, article_id: int, after_position: int, user_id: int
) -> dict | None:
    """Return the first paragraph after ``after_position`` in the article that wants work from ``user_id``."""
    return _one(
        db,
        f"""select {PARAGRAPH} from paragraphs p
        where p.article_id = :article_id and p.position > :position and p.queued = 1 and p.filled = 0
        and {_NOT_MINE} order by p.position limit 1""",
        {"article_id": article_id, "position": after_position, "user_id": user_id},
    )


# The rank of the ``window``-th paragraph that still wants annotations: a bound that keeps a scan short.
_WINDOW_END = """(select max(w.rank) from (select rank from paragraphs indexed by paragraphs_unfilled
    where project_id = :project_id and queued = 1 and filled = 0 order by rank limit :window) w)"""


def find_first_open(
    db: sqlite_utils.Database, project_id: int, user_id: int, *, window: int | None = None
) -> dict | None:
    """Return the first paragraph by rank that wants work from ``user_id``.

    With ``window``, look only among the first ``window`` paragraphs that want annotations, so the
    cost stays bounded however many of the user's own unfilled paragraphs lead the queue.
    ``indexed by`` makes SQLite fail loudly rather than fall back to a scan if the index goes.
    """
    bound = f"and p.rank <= {_WINDOW_END}" if window is not None else ""
    return _one(
        db,
        f"""select {PARAGRAPH} from paragraphs p indexed by paragraphs_unfilled
        where p.project_id = :project_id and p.queued = 1 and p.filled = 0 {bound} and {_NOT_MINE}
        order by p.rank, p.id limit 1""",
        {"project_id": project_id, "user_id": user_id, "window": window},
    )


def find_open_after(db: sqlite_utils.Database, project_id: int, user_id: int, *, rank: int) -> dict | None:
    """Return the first paragraph ranked after ``rank`` that wants work from ``user_id``."""
    return _one(
        db,
        f"""select {PARAGRAPH} from paragraphs p indexed by paragraphs_unfilled
        where p.project_id = :project_id and p.queued = 1 and p.filled = 0 and p.rank > :rank and {_NOT_MINE}
        order by p.rank, p.id limit 1""",
        {"project_id": project_id, "user_id": user_id, "rank": rank},
    )


def count_open_for(
    db: sqlite_utils.Database,
    project_id: int,
    user_id: int,
    *,
    cap: int,
    after_rank: int | None = None,
    window: int | None = None,
) -> int:
    """Count paragraphs that want work from ``user_id``, stopping at ``cap`` so the cost stays bounded.

    With ``after_rank`` and ``window``: those ranked after ``after_rank``, plus those among the
    first ``window`` wanting annotations at or before it (the user's own finished work, which
    leads the queue when they are ahead of the others, is then never walked).
    """
    params = {"project_id": project_id, "user_id": user_id, "cap": cap, "rank": after_rank, "window": window}
    base = f"""select 1 from paragraphs p indexed by paragraphs_unfilled
        where p.project_id = :project_id and p.queued = 1 and p.filled = 0 and {_NOT_MINE}"""
    if after_rank is None:
        return db.execute(f"select count(*) from ({base} limit :cap)", params).fetchone()[0]
    ahead = db.execute(f"select count(*) from ({base} and p.rank > :rank limit :cap)", params).fetchone()[0]
    behind = db.execute(
        f"select count(*) from ({base} and p.rank <= :rank and p.rank <= {_WINDOW_END} limit :cap)", params
    ).fetchone()[0]
    return min(cap, ahead + behind)


def count_user_done(db: sqlite_utils.Database, project_id: int, user_id: int) -> int:
    """Return how many paragraphs the user has done in the project (kept by triggers, m010)."""
    row = db.execute(
        "select n from assignment_counts where project_id = ? and user_id = ? and state = 'done'",
        [project_id, user_id],
    ).fetchone()
    return row[0] if row else 0


def insert_assignment(
    db: sqlite_utils.Database,
    *,
    project_id: int,
    paragraph_id: int,
    user_id: int,
    state: str,
    at: str,
    leased_until: str | None = None,
    skip_reason: str | None = None,
) -> None:
    db.execute(
        """insert into assignments (project_id, paragraph_id, user_id, state, leased_until, skip_reason, created_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?)""",
        [project_id, paragraph_id, user_id, state, leased_until, skip_reason, at, at],
    )


def set_assignment_state(
    db: sqlite_utils.Database,
    assignment_id: int,
    *,
    state: str,
    at: str,
    leased_until: str | None = None,
    skip_reason: str | None = None,
) -> None:
    db.execute(
        "update assignments set state = ?, leased_until = ?, skip_reason = ?, updated_at = ? where id = ?",
        [state, leased_until, skip_reason, at, assignment_id],
    )


def extend_lease(db: sqlite_utils.Database, assignment_id: int, *, until: str) -> None:
    db.execute(
        "update assignments set leased_until = ? where id = ? and state = 'leased'", [until, assignment_id]
    )


def release_leases(db: sqlite_utils.Database, project_id: int, user_id: int) -> int:
    """Delete the user's leases in the project and free their slots; return how many."""
    rows = db.execute(
        "select id, paragraph_id from assignments where user_id = ? and project_id = ? and state = 'leased'",
        [user_id, project_id],
    ).fetchall()
    for assignment_id, paragraph_id in rows:
        db.execute("delete from assignments where id = ?", [assignment_id])
        bump(db, paragraph_id, taken=-1)
    return len(rows)


def find_history(
    db: sqlite_utils.Database,
    project_id: int,
    user_id: int,
    *,
    before: tuple[str, int] | None = None,
    after: tuple[str, int] | None = None,
) -> dict | None:
    """Return the user's done or skipped paragraph just before (or after) an assignment's place in time.

    With neither bound, the latest one. Places are ``(updated_at, assignment id)``.
    """
    params = {"user_id": user_id, "project_id": project_id}
    where, order = "", "desc"
    if before is not None:
        where = "and (a.updated_at, a.id) < (:at, :id)"
        params.update(at=before[0], id=before[1])
    elif after is not None:
        where, order = "and (a.updated_at, a.id) > (:at, :id)", "asc"
        params.update(at=after[0], id=after[1])
    return _one(
        db,
        f"""select {PARAGRAPH}, a.state, a.skip_reason, a.updated_at as assigned_at
        from assignments a join paragraphs p on p.id = a.paragraph_id
        where a.user_id = :user_id and a.project_id = :project_id and a.state in ('done', 'skipped') {where}
        order by a.updated_at {order}, a.id {order} limit 1""",
        params,
    )


def set_overlap(db: sqlite_utils.Database, project_id: int, overlap: int) -> None:
    """Change a project's overlap; the trigger ``projects_filled_overlap`` recomputes ``filled`` (one pass)."""
    db.execute("update projects set overlap = ? where id = ?", [overlap, project_id])


def set_queued_kinds(db: sqlite_utils.Database, project_id: int, kinds: list[str]) -> int:
    """Queue exactly the paragraphs of the given kinds; return how many changed."""
    marks = ", ".join("?" for _ in kinds) or "null"
    cursor = db.execute(
        f"""update paragraphs set queued = (kind in ({marks}))
        where project_id = ? and queued != (kind in ({marks}))""",
        [*kinds, project_id, *kinds],
    )
    return cursor.rowcount


def list_article_uids(db: sqlite_utils.Database, project_id: int) -> list[tuple[int, str]]:
    return db.execute("select id, uid from articles where project_id = ?", [project_id]).fetchall()


def set_article_ranks(db: sqlite_utils.Database, ranks: list[tuple[int, int]], *, stride: int) -> None:
    """Set each article's rank and its paragraphs' queue ranks (``rank * stride + position``)."""
    db.conn.executemany(
        "update articles set rank = ? where id = ?", [(rank, article_id) for article_id, rank in ranks]
    )
    db.conn.executemany(
        "update paragraphs set rank = ? * ? + position where article_id = ?",
        [(rank, stride, article_id) for article_id, rank in ranks],
    )
