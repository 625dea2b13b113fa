"""API tokens: a user's named secrets for scripts, each acting with that user's role and projects.

A token is shown once, when it is made; the database keeps its sha256 only. A token has 256
random bits, so a plain hash is enough (a slow password hash guards guessable secrets, and
would cost every API request tens of milliseconds). A token carries no rights of its own: each
request is authorised for its user's current role and memberships, so demoting, removing or
deactivating someone takes effect on their tokens at once.
"""

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

import sqlite_utils

from . import store
from .errors import Invalid, Unauthorized
from .store import events, users
from .store import tokens as tokens_store

PREFIX = "ann_"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
# Last use is written at most this often per token: a busy script would otherwise make every
# read request a write transaction.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    if not NAME_RE.match(name or ""):
        raise Invalid(
            f"invalid token name {name!r}: use 1 to 64 letters, digits, '.', '_', ':' or '-'", field="name"
        )
    return name


def create_token(db: sqlite_utils.Database, *, owner: dict, name: str) -> tuple[dict, str]:
    """Make a token for ``owner``; return (its record, the secret), the secret to be shown once."""
    check_name(name)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = tokens_store.insert_token(
        db, user_id=owner["id"], name=name, token_hash=_hash(secret), prefix=secret[: len(PREFIX) + 6]
    )
    events.log_event(db, "token.created", user_id=owner["id"], name=name)
    return token, secret


def list_tokens(db: sqlite_utils.Database, *, owner: dict) -> list[dict]:
    return tokens_store.list_tokens(db, owner["id"])


def revoke_token(db: sqlite_utils.Database, *, owner: dict, name: str) -> dict:
    token = tokens_store.revoke_token(db, owner["id"], name)
    events.log_event(db, "token.revoked", user_id=owner["id"], name=name)
    return token


def user_by_name(db: sqlite_utils.Database, name: str) -> dict:
    return users.get_user_by_name(db, name)


def authenticate(db: sqlite_utils.Database, secret: str | None) -> dict:
    """Return the active user a bearer secret belongs to, recording its use; raise ``Unauthorized``."""
    if not secret:
        raise Unauthorized("this API takes a token: send 'Authorization: Bearer <token>'")
    found = tokens_store.find_user_by_token_hash(db, _hash(secret.strip()))
    if found is None:
        raise Unauthorized("the token is unknown or revoked")
    token, user = found
    if not user["active"]:
        raise Unauthorized("the token's account is deactivated")
    at = store.now()
    last = token["last_used_at"]
    if last is None or _parse(at) - _parse(last) >= TOUCH_EVERY:
        tokens_store.touch_token(db, token["id"], at)
    return {**user, "token": token["name"]}


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
