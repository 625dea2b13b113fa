"""Progress figures: paragraphs by annotations done, decisions, and each annotator's activity.

Per-annotator figures are index seeks on ``assignments_user`` and ``annotations_user`` (one user
at a time), so they cost what that user did, not what the whole database holds.
"""

import sqlite_utils

from .connection import query


def paragraph_counts(db: sqlite_utils.Database, project_id: int) -> list[dict]:
    """Return ``[{"n_done", "paragraphs"}]`` over the project's queued paragraphs (kept by triggers, m009)."""
    return list(
        query(
            db,
            "select n_done, n as paragraphs from paragraph_counts where project_id = ? and n > 0 order by n_done",
            [project_id],
        )
    )


def count_decided(db: sqlite_utils.Database, project_id: int) -> dict:
    # ``cross join`` keeps decisions outside: the planner would otherwise walk every paragraph of the project.
    row = db.execute(
        """select count(*), coalesce(sum(d.source = 'unanimous'), 0), coalesce(sum(d.source = 'adjudicated'), 0)
        from decisions d cross join paragraphs p on p.id = d.paragraph_id where p.project_id = ?""",
        [project_id],
    ).fetchone()
    return {"decided": row[0], "unanimous": row[1], "adjudicated": row[2]}


def user_activity(db: sqlite_utils.Database, project_id: int, user_id: int, *, today: str, now: str) -> dict:
    """Return one user's counts in the project: done, done since ``today``, skipped, live leases, last activity."""
    row = db.execute(
        """select
            coalesce((select n from assignment_counts where project_id = :p and user_id = :u and state = 'done'), 0),
            (select count(*) from assignments where user_id = :u and project_id = :p and state = 'done'
                and updated_at >= :today),
            coalesce((select n from assignment_counts where project_id = :p and user_id = :u and state = 'skipped'), 0),
            (select count(*) from assignments where user_id = :u and project_id = :p and state = 'leased'
                and leased_until > :now),
            (select max(updated_at) from assignments where user_id = :u and project_id = :p)""",
        {"u": user_id, "p": project_id, "today": today, "now": now},
    ).fetchone()
    return dict(zip(("done", "done_today", "skipped", "leased", "last_active"), row, strict=True))


def daily_done(
    db: sqlite_utils.Database, project_id: int, user_id: int, *, since: str
) -> list[tuple[str, int]]:
    """Return ``(day, paragraphs done)`` for one user since ``since``, by the day their assignment was done."""
    return db.execute(
        """select substr(updated_at, 1, 10) as day, count(*) from assignments
        where user_id = ? and project_id = ? and state = 'done' and updated_at >= ? group by day order by day""",
        [user_id, project_id, since],
    ).fetchall()


def recent_seconds(db: sqlite_utils.Database, project_id: int, user_id: int, *, limit: int) -> list[float]:
    """Return the seconds spent on the user's latest ``limit`` annotations in the project."""
    return [
        row[0]
        for row in db.execute(
            """select an.seconds from annotations an join paragraphs p on p.id = an.paragraph_id
            where an.user_id = ? and p.project_id = ? order by an.updated_at desc limit ?""",
            [user_id, project_id, limit],
        ).fetchall()
    ]


def last_saved(db: sqlite_utils.Database, project_id: int, user_id: int, *, since: str) -> str | None:
    """Return when the user last saved an annotation in the project, if after ``since``."""
    row = db.execute(
        """select an.updated_at from annotations an join paragraphs p on p.id = an.paragraph_id
        where an.user_id = ? and an.updated_at >= ? and p.project_id = ? order by an.updated_at desc limit 1""",
        [user_id, since, project_id],
    ).fetchone()
    return row[0] if row else None


def active_leases(db: sqlite_utils.Database, project_id: int, *, now: str) -> list[dict]:
    """Return the project's unexpired leases with who holds them and where they are."""
    return list(
        query(
            db,
            """select a.user_id, u.name, a.paragraph_id, a.leased_until, a.created_at as leased_at,
                p.position, ar.uid as article_uid, ar.title as article_title
            from assignments a join users u on u.id = a.user_id join paragraphs p on p.id = a.paragraph_id
            join articles ar on ar.id = p.article_id
            where a.state = 'leased' and a.leased_until > ? and a.project_id = ? order by u.name collate nocase""",
            [now, project_id],
        )
    )


def list_people(db: sqlite_utils.Database, project_id: int) -> list[dict]:
    """Return every user who is a member of the project, an admin, or ever worked in it, with their project role."""
    return list(
        query(
            db,
            """select u.id, u.name, u.role, u.active, m.role as member_role from users u
            left join project_members m on m.project_id = :p and m.user_id = u.id
            where m.user_id is not null or u.role = 'admin'
               or exists (select 1 from assignments a where a.user_id = u.id and a.project_id = :p)
            order by u.name collate nocase""",
            {"p": project_id},
        )
    )
