"""Serving the web app with waitress: in one process, or in worker processes forked from one.

A Python process runs one thread's Python at a time, and with SQLite every request is short and
CPU-bound, so threads beyond one or two in a process only add switching: with ten annotators
hammering one process, eight threads cost 1.6x the CPU per annotation of one thread and gave
two thirds of the throughput. Using both cores of a machine therefore takes processes. The
parent builds the app, opens the listening socket and forks ``workers`` children, each a
waitress server with ``threads`` threads accepting on that one socket; the parent only watches
them, starts a new one when one dies, and stops them all on SIGTERM or Ctrl+C.

The children share the parent's memory until they write to it: ``gc.freeze`` keeps the
collector from touching (and so copying) the objects built before the fork, so a second worker
costs far less than a second server would.

Browsers keep their connections open, and a connection stays with the worker that accepted it;
left to the kernel, ten annotators split 7 to 3 as often as 5 to 5, and the busier worker caps
the throughput. So each worker posts its number of open connections in memory shared by all,
and stops accepting while it holds two more than the least loaded one (which always accepts).
"""

from __future__ import annotations

import gc
import logging
import mmap
import os
import signal
import socket
import time

import waitress

log = logging.getLogger("annotator.serving")

# A worker that dies sooner than this after its start is restarted only after this long, so a
# worker that cannot start does not fork in a tight loop.
RESTART_BACKOFF = 1.0


def quiet_waitress() -> None:
    # waitress warns at each new depth of its task queue: under any burst, lines by the
    # thousand that say only that all threads are busy (which is the design, above).
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def serve(app, *, host: str, port: int, workers: int = 1, threads: int = 4) -> None:
    """Serve ``app`` on ``host:port`` until stopped."""
    quiet_waitress()
    if workers <= 1:
        waitress.create_server(app, host=host, port=port, threads=threads, ident="annotator").run()
        return
    if not hasattr(os, "fork"):
        raise RuntimeError("--workers above 1 needs os.fork (Linux, macOS); use --workers 1 here")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=1024)
    sock.setblocking(False)
    _supervise(app, sock, workers, threads)


def _worker(app, sock: socket.socket, threads: int, slot: int, counts: memoryview) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 0
    try:
        server = waitress.create_server(app, sockets=[sock], threads=threads, ident="annotator")
        _balance(server, slot, counts)
        server.run()
    except BaseException:  # noqa: BLE001 - logged; the parent starts another worker
        log.exception("worker %d failed", os.getpid())
        code = 1
    finally:
        # Never return into the parent's code (the click command, its cleanup) from a child.
        os._exit(code)


def _balance(server, slot: int, counts: memoryview) -> None:
    """Make ``server`` accept connections only while it holds at most one more than the least loaded worker."""
    accepts = server.readable
    idle = len(server._map)  # the listening socket and waitress's trigger, before any connection
    others = [i for i in range(len(counts)) if i != slot]

    def readable() -> bool:
        # waitress asks this on every turn of its loop, before it polls the listening socket.
        mine = len(server._map) - idle
        counts[slot] = mine
        return accepts() and all(mine <= counts[i] + 1 for i in others)

    server.readable = readable


def _supervise(app, sock: socket.socket, workers: int, threads: int) -> None:
    gc.freeze()
    counts = memoryview(mmap.mmap(-1, 8 * workers)).cast("q")  # shared with the children
    children: dict[int, tuple[int, float]] = {}  # pid -> (slot, started)
    stopping = False

    def start(slot: int) -> None:
        counts[slot] = 0
        pid = os.fork()
        if pid == 0:
            _worker(app, sock, threads, slot, counts)
        children[pid] = (slot, time.monotonic())

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(workers):
        start(slot)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        slot, started = children.pop(pid, (None, 0.0))
        if stopping or slot is None:
            continue
        log.warning("worker %d stopped (%s); starting another", pid, _describe(status))
        if time.monotonic() - started < RESTART_BACKOFF:
            time.sleep(RESTART_BACKOFF)
        if not stopping:
            start(slot)
    sock.close()


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"
