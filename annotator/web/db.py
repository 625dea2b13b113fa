"""One database connection per request, closed on teardown (the flaskr pattern)."""

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
