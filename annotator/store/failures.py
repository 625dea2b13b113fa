"""Storage failures a request may meet (a full or read-only disk, a database locked too long).

They are not the request's fault and may pass, so the web layer answers them 503, not 500; what
SQLite and the OS say for each is known here, beside the connection, not in the views.
"""

import errno
import sqlite3

# SQLite's messages for a database that cannot take a write at the moment, and the OS errors
# for a disk that cannot: the request may well succeed later, so they answer 503, not 500.
STORAGE_MESSAGES = {
    "database or disk is full": "the disk is full",
    "disk i/o error": "the disk failed to write",
    "attempt to write a readonly database": "the database is read-only",
    "database is locked": "the database stayed busy too long",
    "unable to open database file": "the database cannot be opened",
}
STORAGE_ERRNOS = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the disk is read-only",
    errno.EDQUOT: "the disk quota is used up",
    errno.EIO: "the disk failed to write",
}


def storage_problem(error: BaseException) -> str | None:
    """Return what went wrong when ``error`` is a storage failure (full, read-only, locked), else None."""
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        return next((what for key, what in STORAGE_MESSAGES.items() if key in text), None)
    if isinstance(error, OSError):
        return STORAGE_ERRNOS.get(error.errno)
    return None
