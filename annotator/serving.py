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
"""

from __future__ import annotations

import gc
import logging
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


def _worker(app, sock: socket.socket, threads: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 0
    try:
        waitress.create_server(app, sockets=[sock], threads=threads, ident="annotator").run()
    except BaseException:  # noqa: BLE001 - logged; the parent starts another worker
        log.exception("worker %d failed", os.getpid())
        code = 1
    finally:
        # Never return into the parent's code (the click command, its cleanup) from a child.
        os._exit(code)


def _supervise(app, sock: socket.socket, workers: int, threads: int) -> None:
    gc.freeze()
    children: dict[int, float] = {}
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid == 0:
            _worker(app, sock, threads)
        children[pid] = time.monotonic()

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
    for _ in range(workers):
        start()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        started = children.pop(pid, None)
        if stopping or started is None:
            continue
        log.warning("worker %d stopped (%s); starting another", pid, _describe(status))
        if time.monotonic() - started < RESTART_BACKOFF:
            time.sleep(RESTART_BACKOFF)
        if not stopping:
            start()
    sock.close()


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"
