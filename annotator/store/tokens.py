"""API tokens: their hashes, owners, last use and revocation."""

import sqlite_utils

from ..errors import Conflict, NotFound
from .connection import now, query, write

_COLUMNS = "id, user_id, name, prefix, created_at, last_used_at, revoked_at"


def insert_token(db: sqlite_utils.Database, *, user_id: int, name: str, token_hash: str, prefix: str) -> dict:
    with write(db):
        if find_active_token(db, user_id, name):
            raise Conflict(f"you already have a token named {name!r}: revoke it first", field="name")
        cursor = db.execute(
            "insert into api_tokens (user_id, name, token_hash, prefix, created_at) values (?, ?, ?, ?, ?)",
            [user_id, name, token_hash, prefix, now()],
        )
    return next(query(db, f"select {_COLUMNS} from api_tokens where id = ?", [cursor.lastrowid]))


def find_active_token(db: sqlite_utils.Database, user_id: int, name: str) -> dict | None:
    rows = list(
        query(
            db,
            f"select {_COLUMNS} from api_tokens where user_id = ? and name = ? and revoked_at is null",
            [user_id, name],
        )
    )
    return rows[0] if rows else None


def list_tokens(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    """Return the user's tokens that still work, newest first."""
    return list(
        query(
            db,
            f"select {_COLUMNS} from api_tokens where user_id = ? and revoked_at is null "
            "order by created_at desc, id desc",
            [user_id],
        )
    )


def revoke_token(db: sqlite_utils.Database, user_id: int, name: str) -> dict:
    with write(db):
        token = find_active_token(db, user_id, name)
        if token is None:
            raise NotFound(f"no token named {name!r}", field="name")
        db.execute("update api_tokens set revoked_at = ? where id = ?", [now(), token["id"]])
    return token


def find_user_by_token_hash(db: sqlite_utils.Database, token_hash: str) -> tuple[dict, dict] | None:
    """Return (token, user) for a working token's hash, or ``None``."""
    rows = list(
        query(
            db,
            "select t.id as token_id, t.name as token_name, t.last_used_at, u.* from api_tokens t "
            "join users u on u.id = t.user_id where t.token_hash = ? and t.revoked_at is null",
            [token_hash],
        )
    )
    if not rows:
        return None
    row = rows[0]
    token = {
        "id": row.pop("token_id"),
        "name": row.pop("token_name"),
        "last_used_at": row.pop("last_used_at"),
    }
    return token, row


def touch_token(db: sqlite_utils.Database, token_id: int, at: str) -> None:
    with write(db):
        db.execute("update api_tokens set last_used_at = ? where id = ?", [at, token_id])
