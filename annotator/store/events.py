"""The audit log."""

import json

import sqlite_utils

from .connection import now, query, write


def log_event(
    db: sqlite_utils.Database,
    kind: str,
    *,
    user_id: int | None = None,
    project_id: int | None = None,
    **detail,
) -> None:
    with write(db):
        db.execute(
            "insert into events (at, user_id, project_id, kind, detail) values (?, ?, ?, ?, ?)",
            [now(), user_id, project_id, kind, json.dumps(detail, ensure_ascii=False)],
        )


def list_events(db: sqlite_utils.Database, *, kind: str | None = None, limit: int = 100) -> list[dict]:
    where = "where e.kind = :kind" if kind else ""
    rows = query(
        db,
        f"""select e.*, u.name as user_name from events e left join users u on u.id = e.user_id
        {where} order by e.id desc limit :limit""",
        {"kind": kind, "limit": limit},
    )
    return [{**row, "detail": json.loads(row["detail"])} for row in rows]
