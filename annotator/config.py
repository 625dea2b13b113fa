"""Configuration defaults; each key can be overridden by the instance file or ``ANNOTATOR_<KEY>``."""

import os
import secrets
from pathlib import Path

DEFAULTS = {
    # Path of the SQLite database; the secret key is kept beside it.
    "DB": "annotator.db",
    # Login attempts per client address (each server process counts its own).
    "LOGIN_RATE_LIMIT": "20 per minute; 300 per hour",
    # Wrong passwords in a row an account takes before each further one doubles its wait
    # (1 s, 2 s, 4 s ... up to LOGIN_MAX_DELAY_SECONDS). A browser where the user logged in
    # before skips the wait.
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_MAX_DELAY_SECONDS": 60,
    # A session unused for this long ends.
    "SESSION_LIFETIME_DAYS": 14,
    # Largest file accepted by the import page, in bytes.
    "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
    "IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "WTF_CSRF_HEADERS": ["X-CSRFToken"],
}


def default_db_path() -> str:
    """Return the database path from ``$ANNOTATOR_DB``, else ``./annotator.db``."""
    return os.environ.get("ANNOTATOR_DB") or DEFAULTS["DB"]


def load_or_create_secret(db_path: str | os.PathLike) -> str:
    """Return the secret key stored beside the database, creating it (mode 0600) on first use."""
    db_path = Path(db_path)
    key_path = db_path.with_name(db_path.name + ".secret")
    try:
        return key_path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting at once must agree on one key.
    try:
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_path.read_text().strip()
    with os.fdopen(fd, "w") as fp:
        fp.write(key + "\n")
    return key
