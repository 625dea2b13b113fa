"""Server-side login sessions: the cookie holds a random token, the database its hash."""

import sqlite_utils

from .connection import iso_in, now, query, write


def insert_session(
    db: sqlite_utils.Database,
    *,
    token_hash: str,
    user_id: int,
    lifetime_days: float,
    address: str | None,
    agent: str | None,
) -> int:
    at = now()
    with write(db):
        cursor = db.execute(
            "insert into sessions (token_hash, user_id, created_at, seen_at, expires_at, address, agent)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [token_hash, user_id, at, at, iso_in(days=lifetime_days), address, agent],
        )
    return cursor.lastrowid


def find_session_user(db: sqlite_utils.Database, token_hash: str) -> dict | None:
    """Return the active user of a live session, with the session's ``session_id`` and ``session_seen_at``.

    One query on the unique index of ``token_hash``: this runs on every request.
    """
    rows = list(
        query(
            db,
            "select users.*, sessions.id as session_id, sessions.seen_at as session_seen_at"
            " from sessions join users on users.id = sessions.user_id"
            " where sessions.token_hash = :token and sessions.expires_at > :now and users.active = 1",
            {"token": token_hash, "now": now()},
        )
    )
    return rows[0] if rows else None


def touch_session(db: sqlite_utils.Database, session_id: int, *, lifetime_days: float) -> None:
    with write(db):
        db.execute(
            "update sessions set seen_at = ?, expires_at = ? where id = ?",
            [now(), iso_in(days=lifetime_days), session_id],
        )


def list_sessions(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    return list(
        query(
            db,
            "select id, created_at, seen_at, expires_at, address, agent from sessions"
            " where user_id = :user and expires_at > :now order by seen_at desc",
            {"user": user_id, "now": now()},
        )
    )


def delete_session(db: sqlite_utils.Database, session_id: int, *, user_id: int | None = None) -> int:
    """Delete one session (only if it belongs to ``user_id`` when given); return how many went."""
    sql = "delete from sessions where id = ?"
    params = [session_id]
    if user_id is not None:
        sql += " and user_id = ?"
        params.append(user_id)
    with write(db):
        return db.execute(sql, params).rowcount


def delete_user_sessions(db: sqlite_utils.Database, user_id: int, *, keep: int | None = None) -> int:
    """Delete every session of a user but ``keep``; return how many went."""
    with write(db):
        cursor = db.execute(
            "delete from sessions where user_id = ? and id is not ?",
            [user_id, keep],
        )
        # Expired sessions of anyone go too, so the table does not grow with abandoned logins.
        db.execute("delete from sessions where expires_at <= ?", [now()])
    return cursor.rowcount
