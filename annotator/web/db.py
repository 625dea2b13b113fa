"""One database connection per request, closed on teardown (the flaskr pattern)."""

import contextlib
from collections.abc import Iterator

import sqlite_utils
from flask import current_app, g

from .. import store


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = store.connect(current_app.config["DB"], migrate=False)
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def streaming_db():
    """A connection of its own for a streamed response, which outlives the request's connection.

    The path is read now, inside the request; the connection opens when the stream starts.
    """
    return _connection(current_app.config["DB"])


@contextlib.contextmanager
def _connection(path: str) -> Iterator[sqlite_utils.Database]:
    db = store.connect(path, migrate=False)
    try:
        yield db
    finally:
        db.close()
