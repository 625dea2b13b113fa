"""The store's write transactions: one BEGIN IMMEDIATE, nested blocks as savepoints."""

import re

import pytest

from annotator import store


@pytest.fixture
def conn_db(tmp_path):
    db = store.connect(str(tmp_path / "w.db"))
    db.conn.execute("create table t (x integer)")
    yield db
    db.close()


def _values(db):
    return [row[0] for row in db.conn.execute("select x from t order by x")]


def test_a_failing_nested_block_rolls_back_alone_and_the_outer_one_commits(conn_db):
    with store.write(conn_db):
        conn_db.conn.execute("insert into t values (1)")
        with pytest.raises(ValueError):
            with store.write(conn_db):
                conn_db.conn.execute("insert into t values (2)")
                raise ValueError("inner")
        with store.write(conn_db):
            conn_db.conn.execute("insert into t values (3)")
    assert not conn_db.conn.in_transaction
    assert _values(conn_db) == [1, 3]


def test_nested_blocks_two_deep_keep_their_own_savepoints(conn_db):
    with store.write(conn_db):
        with store.write(conn_db):
            conn_db.conn.execute("insert into t values (1)")
            with pytest.raises(KeyError):
                with store.write(conn_db):
                    conn_db.conn.execute("insert into t values (2)")
                    raise KeyError("innermost")
            conn_db.conn.execute("insert into t values (3)")
        conn_db.conn.execute("insert into t values (4)")
    assert _values(conn_db) == [1, 3, 4]


def test_a_failing_outer_block_rolls_back_everything(conn_db):
    with pytest.raises(RuntimeError):
        with store.write(conn_db):
            with store.write(conn_db):
                conn_db.conn.execute("insert into t values (1)")
            raise RuntimeError("outer")
    assert _values(conn_db) == []


def test_now_is_iso_utc_to_the_microsecond():
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", store.now())


def test_writers_of_one_file_queue_across_connections_and_threads(tmp_path):
    import os
    import threading
    import time

    path = str(tmp_path / "q.db")
    first, second = store.connect(path), store.connect(path)
    first.conn.execute("create table t (x integer)")
    first.conn.commit()
    assert first.writers is second.writers  # one queue per file in a process
    assert oct(os.stat(f"{path}-writers").st_mode & 0o777) == "0o600"
    events = []

    def slow_writer():
        with store.write(first):
            events.append("first in")
            first.conn.execute("insert into t values (1)")
            time.sleep(0.2)
            events.append("first out")

    thread = threading.Thread(target=slow_writer)
    thread.start()
    while not events:
        time.sleep(0.005)
    second.conn.execute("PRAGMA busy_timeout = 0")  # SQLite's own lock would refuse at once
    with store.write(second):  # waits in the queue, not in SQLite's busy handler
        events.append("second in")
        second.conn.execute("insert into t values (2)")
    thread.join()
    assert events == ["first in", "first out", "second in"]
    assert _values(second) == [1, 2]
    first.close()
    second.close()


def test_writers_in_another_process_queue_on_the_file_lock(tmp_path):
    import subprocess
    import sys
    import time

    path = str(tmp_path / "p.db")
    db = store.connect(path)
    db.conn.execute("create table t (x integer)")
    db.conn.commit()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
import time
from annotator import store
db = store.connect({path!r})
with store.write(db):
    db.conn.execute("insert into t values (1)")
    print("holding", flush=True)
    time.sleep(0.4)
""",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"
    db.conn.execute("PRAGMA busy_timeout = 0")  # without the file lock, BEGIN IMMEDIATE would fail now
    started = time.monotonic()
    with store.write(db):
        db.conn.execute("insert into t values (2)")
    assert time.monotonic() - started > 0.1  # it waited for the other process's commit
    assert holder.wait(10) == 0
    holder.stdout.close()
    assert _values(db) == [1, 2]
    db.close()
