"""``annotator serve --workers N``: worker processes sharing one socket, watched by the parent."""

import http.client
import os
import signal
import time
from pathlib import Path

import pytest

from annotator import store

from .server_process import start_server_process

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="--workers forks")]


def _children(pid: int) -> set[int]:
    return {
        int(c)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for c in (task / "children").read_text().split()
    }


def _two_workers(pid: int) -> set[int] | None:
    children = _children(pid)
    return children if len(children) == 2 else None


def _wait_for(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.fixture
def db_file(tmp_path):
    path = str(tmp_path / "serve.db")
    store.connect(path).close()
    return path


def test_workers_answer_a_dead_one_is_replaced_and_sigterm_stops_all(db_file):
    process, port = start_server_process(db_file, "--workers", "2", "--threads", "1")
    try:
        workers = _wait_for(lambda: _two_workers(process.pid))
        # Many connections in a row are all answered, whichever worker accepts them.
        assert {_get(port, "/healthz") for _ in range(40)} == {200}

        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        replaced = _wait_for(lambda: (c := _two_workers(process.pid)) and victim not in c and c)
        assert victim not in replaced and workers - {victim} <= replaced
        assert _get(port, "/login") == 200
    finally:
        process.terminate()
    assert process.wait(10) == 0
    for pid in replaced:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_one_worker_is_a_plain_server(db_file):
    process, port = start_server_process(db_file, "--workers", "1")
    try:
        assert _get(port, "/healthz") == 200
        assert _children(process.pid) == set()
    finally:
        process.terminate()
        process.wait(10)


def _sockets(pid: int) -> int:
    fds = Path(f"/proc/{pid}/fd")
    return sum(1 for fd in fds.iterdir() if os.readlink(fd).startswith("socket:"))


def test_kept_alive_connections_are_spread_over_the_workers(db_file):
    process, port = start_server_process(db_file, "--workers", "2", "--threads", "1")
    conns = []
    try:
        workers = _wait_for(lambda: _two_workers(process.pid))
        for _ in range(10):  # ten browsers, each keeping its connection open
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            assert conn.getresponse().status == 200
            conns.append(conn)
        held = sorted(_sockets(pid) - 1 for pid in workers)  # less the shared listening socket
        assert sum(held) == 10
        assert held[1] - held[0] <= 2, held
    finally:
        for conn in conns:
            conn.close()
        process.terminate()
        process.wait(10)
