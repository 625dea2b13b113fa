"""Accounts: creating users, checking passwords, slowing password guessers, login sessions."""

import hashlib
import re
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

import sqlite_utils
from werkzeug.security import check_password_hash, generate_password_hash

from . import store
from .errors import Forbidden, Invalid
from .store import events, sessions, users

ROLES = ("annotator", "reviewer", "admin")
# Each role can do everything the roles before it can.
RANK = {role: rank for rank, role in enumerate(ROLES)}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 8
# Hashing is the slow part of a login; a longer password is refused before it is hashed.
MAX_PASSWORD = 256
# zxcvbn's score from 0 to 4; 3 means "safely unguessable" (about 10^8 guesses or more).
MIN_STRENGTH = 3
LOGIN_FAILED = "wrong user name or password (after several failed tries, wait a minute before the next)"
# werkzeug's scrypt; tests swap in a cheap method so the suite stays fast.
HASH_METHOD = "scrypt"

# A hash to compare against when the user does not exist, so that the time a login
# takes does not reveal which names exist.
_DUMMY_HASH = generate_password_hash("not a real password")


def has_role(account: dict | None, role: str) -> bool:
    """Return whether ``account`` holds ``role`` or a higher one."""
    return bool(account) and RANK[account["role"]] >= RANK[role]


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise Invalid(f"unknown role {role!r}: choose one of {', '.join(ROLES)}", field="role")
    return role


def check_new_password(password: str, *, user_inputs: tuple[str, ...] = ()) -> str:
    """Refuse a short, over-long, common or easily guessed password, saying why."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"the password must have at least {MIN_PASSWORD} characters", field="password")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"the password must have at most {MAX_PASSWORD} characters", field="password")
    # zxcvbn estimates the guesses an attacker needs, knowing common passwords (its frequency
    # lists of leaked passwords), words, names, keyboard walks, repeats, dates and the user's name.
    from zxcvbn import zxcvbn

    result = zxcvbn(password, user_inputs=[i for i in user_inputs if i], max_length=MAX_PASSWORD)
    if result["score"] < MIN_STRENGTH:
        feedback = result["feedback"]
        why = " ".join([feedback.get("warning") or "", *feedback.get("suggestions", [])]).strip()
        raise Invalid(
            "this password is too easy to guess"
            + (f": {why}" if why else "")
            + " Try a few unrelated words, or let the system generate one.",
            field="password",
        )
    return password


def create_user(
    db: sqlite_utils.Database, name: str, *, role: str, password: str, actor: dict | None = None
) -> dict:
    """Create and return a user. Raises ``Invalid`` for a bad name, role or password, ``Conflict`` for a taken name."""
    if not NAME_RE.match(name or ""):
        raise Invalid(
            f"invalid user name {name!r}: use 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit",
            field="name",
        )
    check_role(role)
    check_new_password(password, user_inputs=(name,))
    user = users.insert_user(
        db, name=name, password_hash=generate_password_hash(password, method=HASH_METHOD), role=role
    )
    events.log_event(db, "user.created", user_id=actor["id"] if actor else None, name=name, role=role)
    return user


def authenticate(
    db: sqlite_utils.Database,
    name: str,
    password: str,
    *,
    trusted: bool = False,
    free_failures: int = 5,
    max_delay_seconds: float = 60,
) -> dict:
    """Return the active user with this name and password, else raise ``Forbidden(LOGIN_FAILED)``.

    Every refusal has the same message, so a guesser learns nothing about which names exist.
    After ``free_failures`` wrong passwords in a row, each further failure makes the account wait
    twice as long as the last (up to ``max_delay_seconds``) before it takes a guess again: an
    attacker is slowed to about one guess a minute, while the owner waits at most a minute.
    ``trusted`` (a browser where this user logged in before) skips the wait, so that nobody can
    keep the owner out by guessing. Unknown names write nothing.
    """
    if len(password) > MAX_PASSWORD or len(name) > 256:
        raise Forbidden(LOGIN_FAILED)
    user = users.find_user_by_name(db, name)
    if user is None or (not trusted and is_locked(user)):
        # The same work as a real check, so the time taken does not tell these cases apart.
        check_password_hash(_DUMMY_HASH, password)
        raise Forbidden(LOGIN_FAILED)
    if not check_password_hash(user["password_hash"], password):
        failures = user["failed_logins"] + 1
        users.record_failed_login(db, user["id"])
        if failures >= free_failures:
            delay = min(2 ** (failures - free_failures), max_delay_seconds)
            users.update_user(db, user["id"], locked_until=store.iso_in(seconds=delay))
            if failures == free_failures:
                events.log_event(db, "user.throttled", user_id=user["id"], failures=failures)
        raise Forbidden(LOGIN_FAILED)
    if not user["active"]:
        raise Forbidden(LOGIN_FAILED)
    if user["failed_logins"] or user["locked_until"]:
        users.clear_failed_logins(db, user["id"])
    events.log_event(db, "user.login", user_id=user["id"])
    return user


def is_locked(account: dict) -> bool:
    """Whether the account is waiting out its backoff after failed logins."""
    return bool(account["locked_until"]) and account["locked_until"] > store.now()


# Sessions ---------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    db: sqlite_utils.Database,
    account: dict,
    *,
    lifetime_days: float,
    address: str | None = None,
    agent: str | None = None,
) -> str:
    """Open a session for ``account`` and return its token, the only thing the cookie carries."""
    token = secrets.token_urlsafe(32)
    sessions.insert_session(
        db,
        token_hash=_token_hash(token),
        user_id=account["id"],
        lifetime_days=lifetime_days,
        address=address,
        agent=(agent or "")[:200] or None,
    )
    return token


# A session's last use is written at most this often, so that reading a page writes nothing.
TOUCH_EVERY = timedelta(minutes=5)


def session_user(db: sqlite_utils.Database, token: str, *, lifetime_days: float) -> dict | None:
    """Return the user of a live session token (with its ``session_id``), or None."""
    if not isinstance(token, str) or len(token) > 100:
        return None
    user = sessions.find_session_user(db, _token_hash(token))
    if user is None:
        return None
    seen = datetime.fromisoformat(user["session_seen_at"].replace("Z", "+00:00"))
    if datetime.now(UTC) - seen > TOUCH_EVERY:
        try:
            sessions.touch_session(db, user["session_id"], lifetime_days=lifetime_days)
        except sqlite3.OperationalError:
            # A full, read-only or busy database: reading pages goes on; the request's own
            # writes, if any, report the failure.
            pass
    return user


def end_session(db: sqlite_utils.Database, session_id: int, *, actor: dict) -> bool:
    """End one of ``actor``'s own sessions; False when it is not theirs or already gone."""
    return sessions.delete_session(db, session_id, user_id=actor["id"]) > 0


def end_sessions(db: sqlite_utils.Database, *, actor: dict, keep: int | None = None) -> int:
    """End every session of ``actor`` except ``keep``; return how many ended."""
    return sessions.delete_user_sessions(db, actor["id"], keep=keep)


def list_sessions(db: sqlite_utils.Database, *, actor: dict) -> list[dict]:
    return sessions.list_sessions(db, actor["id"])


def set_role(db: sqlite_utils.Database, name: str, role: str, *, actor: dict | None = None) -> dict:
    user = users.get_user_by_name(db, name)
    check_role(role)
    if actor and user["id"] == actor["id"] and role != "admin":
        raise Forbidden("you cannot take the admin role from yourself")
    changed = user["role"] != role
    user = users.update_user(db, user["id"], role=role)
    if changed:
        # Whatever a page showed under the old role is stale; the user logs in again.
        sessions.delete_user_sessions(db, user["id"])
    events.log_event(db, "user.role", user_id=actor["id"] if actor else None, name=name, role=role)
    return user


def set_active(db: sqlite_utils.Database, name: str, active: bool, *, actor: dict | None = None) -> dict:
    user = users.get_user_by_name(db, name)
    if actor and user["id"] == actor["id"] and not active:
        raise Forbidden("you cannot deactivate yourself")
    user = users.update_user(db, user["id"], active=1 if active else 0)
    if not active:
        sessions.delete_user_sessions(db, user["id"])
    events.log_event(db, "user.active", user_id=actor["id"] if actor else None, name=name, active=active)
    return user


def set_password(
    db: sqlite_utils.Database,
    name: str,
    password: str,
    *,
    actor: dict | None = None,
    keep_session: int | None = None,
) -> dict:
    """Set a user's password and end their sessions (all but ``keep_session``, the one that asked)."""
    user = users.get_user_by_name(db, name)
    check_new_password(password, user_inputs=(name,))
    user = users.update_user(
        db, user["id"], password_hash=generate_password_hash(password, method=HASH_METHOD)
    )
    users.clear_failed_logins(db, user["id"])
    sessions.delete_user_sessions(db, user["id"], keep=keep_session)
    events.log_event(db, "user.password", user_id=actor["id"] if actor else None, name=name)
    return user


def unlock(db: sqlite_utils.Database, name: str, *, actor: dict | None = None) -> dict:
    user = users.get_user_by_name(db, name)
    users.clear_failed_logins(db, user["id"])
    user = users.get_user(db, user["id"])
    events.log_event(db, "user.unlocked", user_id=actor["id"] if actor else None, name=name)
    return user


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return [{**user, "locked": is_locked(user)} for user in users.list_users(db)]


def get_user(db: sqlite_utils.Database, account_id: int) -> dict:
    return users.get_user(db, account_id)


def find_user(db: sqlite_utils.Database, account_id: int) -> dict | None:
    return users.find_user(db, account_id)


def list_events(db: sqlite_utils.Database, *, kind: str | None = None, limit: int = 200) -> list[dict]:
    return events.list_events(db, kind=kind, limit=limit)
