"""The request's database connection: one per server thread, lent to one request at a time.

flaskr opens and closes a connection per request. With SQLite in WAL mode, closing the last
connection checkpoints the log into the database and syncs it, which doubled the CPU cost of
each annotation; so each worker thread keeps its connection and hands it to its next request.
"""

import collections
import contextlib
import os
import threading
from collections.abc import Iterator

import sqlite_utils
from flask import current_app, g

from .. import store

# What a storage failure was, for the error handlers (they may not reach the store themselves).
storage_problem = store.storage_problem

# Databases a thread keeps open at once; tests run many apps on many files in one thread.
KEEP_PER_THREAD = 4
_local = threading.local()


def _forget_inherited() -> None:
    # A forked server worker must not use (or close) SQLite connections it inherited: they share
    # the parent's file locks. It opens its own.
    global _local
    _local = threading.local()


os.register_at_fork(after_in_child=_forget_inherited)


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = _thread_connection(current_app.config["DB"])
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        # Never lend a half-finished transaction to the next request.
        db.conn.rollback()


def _thread_connection(path: str) -> sqlite_utils.Database:
    cache: collections.OrderedDict = getattr(_local, "connections", None)
    if cache is None:
        cache = _local.connections = collections.OrderedDict()
    try:
        identity = os.stat(path).st_ino
    except FileNotFoundError:
        identity = None
    entry = cache.get(path)
    if entry is not None and entry[0] == identity and identity is not None:
        cache.move_to_end(path)
        return entry[1]
    if entry is not None:  # the file was replaced: drop the stale connection
        entry[1].close()
    db = store.connect(path, migrate=False)
    cache[path] = (os.stat(path).st_ino, db)
    while len(cache) > KEEP_PER_THREAD:
        _, (_, old) = cache.popitem(last=False)
        old.close()
    return db


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
