"""Users and their count of failed logins."""

import sqlite_utils

from ..errors import Conflict, NotFound
from .connection import now, query, write


def find_user_by_name(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = list(query(db, "select * from users where name = :name", {"name": name}))
    return rows[0] if rows else None


def find_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    rows = list(query(db, "select * from users where id = :id", {"id": user_id}))
    return rows[0] if rows else None


def get_user_by_name(db: sqlite_utils.Database, name: str) -> dict:
    user = find_user_by_name(db, name)
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def get_user(db: sqlite_utils.Database, user_id: int) -> dict:
    user = find_user(db, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return list(query(db, "select * from users order by name collate nocase"))


def insert_user(db: sqlite_utils.Database, *, name: str, password_hash: str, role: str) -> dict:
    with write(db):
        if find_user_by_name(db, name):
            raise Conflict(f"a user named {name!r} already exists")
        cursor = db.execute(
            "insert into users (name, password_hash, role, active, created_at) values (?, ?, ?, 1, ?)",
            [name, password_hash, role, now()],
        )
    return get_user(db, cursor.lastrowid)


def update_user(db: sqlite_utils.Database, user_id: int, **changes) -> dict:
    allowed = {"password_hash", "role", "active", "locked_until", "failed_logins", "last_failed_login"}
    assert set(changes) <= allowed, set(changes) - allowed
    with write(db):
        get_user(db, user_id)
        assignments = ", ".join(f"{key} = :{key}" for key in changes)
        db.execute(f"update users set {assignments} where id = :id", {**changes, "id": user_id})
    return get_user(db, user_id)


def record_failed_login(db: sqlite_utils.Database, user_id: int) -> None:
    with write(db):
        db.execute(
            "update users set failed_logins = failed_logins + 1, last_failed_login = ? where id = ?",
            [now(), user_id],
        )


def clear_failed_logins(db: sqlite_utils.Database, user_id: int) -> None:
    with write(db):
        db.execute(
            "update users set failed_logins = 0, last_failed_login = null, locked_until = null"
            " where id = ? and (failed_logins != 0 or locked_until is not null)",
            [user_id],
        )
