"""Accounts: creating users, checking passwords, locking out password guessers."""

import re
import secrets
from datetime import UTC, datetime, timedelta

import sqlite_utils
from werkzeug.security import check_password_hash, generate_password_hash

from . import store
from .errors import Forbidden, Invalid
from .store import events, users

ROLES = ("annotator", "reviewer", "admin")
# Each role can do everything the roles before it can.
RANK = {role: rank for rank, role in enumerate(ROLES)}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 8
# werkzeug's scrypt; tests swap in a cheap method so the suite stays fast.
HASH_METHOD = "scrypt"

# A hash to compare against when the user does not exist, so that the time a login
# takes does not reveal which names exist.
_DUMMY_HASH = generate_password_hash("not a real password")


def has_role(user: dict | None, role: str) -> bool:
    """Return whether ``user`` holds ``role`` or a higher one."""
    return bool(user) and RANK[user["role"]] >= RANK[role]


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise Invalid(f"unknown role {role!r}: choose one of {', '.join(ROLES)}", field="role")
    return role


def check_new_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"the password must have at least {MIN_PASSWORD} characters", field="password")
    return password


def create_user(
    db: sqlite_utils.Database, name: str, *, role: str, password: str, actor_id: int | None = None
) -> dict:
    """Create and return a user. Raises ``Invalid`` for a bad name, role or password, ``Conflict`` for a taken name."""
    if not NAME_RE.match(name or ""):
        raise Invalid(
            f"invalid user name {name!r}: use 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit",
            field="name",
        )
    check_role(role)
    check_new_password(password)
    user = users.insert_user(
        db, name=name, password_hash=generate_password_hash(password, method=HASH_METHOD), role=role
    )
    events.log_event(db, "user.created", user_id=actor_id, name=name, role=role)
    return user


def authenticate(
    db: sqlite_utils.Database, name: str, password: str, *, max_failures: int = 10, window_minutes: int = 15
) -> dict:
    """Return the active user with this name and password.

    Raises ``Forbidden`` with a message fit for the login page when the name, the password,
    the account state or the lock-out says no. After ``max_failures`` failures within
    ``window_minutes`` the account is locked for ``window_minutes``.
    """
    at = datetime.now(UTC)
    user = users.find_user_by_name(db, name)
    if user and user["locked_until"] and user["locked_until"] > store.now():
        check_password_hash(_DUMMY_HASH, password)
        raise Forbidden(
            "too many failed logins: this account is locked for a while, or until an admin unlocks it"
        )
    if user is None or not check_password_hash(user["password_hash"], password):
        if user is None:
            check_password_hash(_DUMMY_HASH, password)
        users.record_login_failure(db, name, at=store.now())
        since = (at - timedelta(minutes=window_minutes)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if user and users.count_login_failures(db, name, since=since) >= max_failures:
            until = (at + timedelta(minutes=window_minutes)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            users.update_user(db, user["id"], locked_until=until)
            events.log_event(db, "user.locked", user_id=user["id"], until=until)
        raise Forbidden("wrong user name or password")
    if not user["active"]:
        raise Forbidden("this account is deactivated")
    users.clear_login_failures(db, name)
    if user["locked_until"]:
        users.update_user(db, user["id"], locked_until=None)
    events.log_event(db, "user.login", user_id=user["id"])
    return user


def is_locked(user: dict) -> bool:
    return bool(user["locked_until"]) and user["locked_until"] > store.now()


def set_role(db: sqlite_utils.Database, name: str, role: str, *, actor_id: int | None = None) -> dict:
    user = users.get_user_by_name(db, name)
    check_role(role)
    if user["id"] == actor_id and role != "admin":
        raise Forbidden("you cannot take the admin role from yourself")
    user = users.update_user(db, user["id"], role=role)
    events.log_event(db, "user.role", user_id=actor_id, name=name, role=role)
    return user


def set_active(db: sqlite_utils.Database, name: str, active: bool, *, actor_id: int | None = None) -> dict:
    user = users.get_user_by_name(db, name)
    if user["id"] == actor_id and not active:
        raise Forbidden("you cannot deactivate yourself")
    user = users.update_user(db, user["id"], active=1 if active else 0)
    events.log_event(db, "user.active", user_id=actor_id, name=name, active=active)
    return user


def set_password(db: sqlite_utils.Database, name: str, password: str, *, actor_id: int | None = None) -> dict:
    user = users.get_user_by_name(db, name)
    check_new_password(password)
    user = users.update_user(
        db, user["id"], password_hash=generate_password_hash(password, method=HASH_METHOD), locked_until=None
    )
    users.clear_login_failures(db, name)
    events.log_event(db, "user.password", user_id=actor_id, name=name)
    return user


def unlock(db: sqlite_utils.Database, name: str, *, actor_id: int | None = None) -> dict:
    user = users.get_user_by_name(db, name)
    users.clear_login_failures(db, name)
    user = users.update_user(db, user["id"], locked_until=None)
    events.log_event(db, "user.unlocked", user_id=actor_id, name=name)
    return user


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return [{**user, "locked": is_locked(user)} for user in users.list_users(db)]


def get_user(db: sqlite_utils.Database, user_id: int) -> dict:
    return users.get_user(db, user_id)


def find_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    return users.find_user(db, user_id)


def list_events(db: sqlite_utils.Database, *, kind: str | None = None, limit: int = 200) -> list[dict]:
    return events.list_events(db, kind=kind, limit=limit)
