"""Running ``annotator serve`` in a process of its own, for tests that need the real server."""

import http.client
import os
import socket
import subprocess
import sys
import time


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server_process(path: str, *args: str) -> tuple[subprocess.Popen, int]:
    """Run ``annotator serve`` on ``path`` in a process of its own; return it and its port once it answers."""
    port = _free_port()
    log = f"{path}.serve.log"  # a file, not a pipe: a pipe nobody reads fills up and stalls the server
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "annotator", "serve", "--db", path, "--port", str(port), *args],
            # Every test client logs in from 127.0.0.1: lift the per-address login limit.
            env={
                **os.environ,
                "ANNOTATOR_SECRET_KEY": "test-secret",
                "ANNOTATOR_LOGIN_RATE_LIMIT": "10000 per minute",
            },
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process, port
        except OSError:
            time.sleep(0.05)
        if process.poll() is not None:
            break
    process.kill()
    with open(log, "rb") as out:
        raise RuntimeError("the server did not start: " + out.read().decode(errors="replace")[-2000:])
