"""Benchmark: the whole annotation loop over HTTP against ``annotator serve``.

The server runs as ``.venv/bin/annotator serve --workers W --threads T`` in its own process
(tree); the client is another process (this file with ``--client``), one thread per annotator,
each with its own session and keep-alive connection, CSRF on. Two flows (``--flow``):

- ``page`` (default), what the annotate page does: "Save & next" is one ``POST
  …/paragraphs/<id>/annotation`` with ``next=1`` that saves the labels (an attribution of three
  spans) and answers with the next paragraph's fragment, leased. Its latency is reported as the
  next-paragraph latency, since the annotator waits on it for the next paragraph.
- ``two``: ``GET /projects/1/annotate`` (the next paragraph) then a separate save with a JSON answer.

Reported per configuration (1, 10, 50 annotators × 10k and 1M paragraphs): annotations/s,
p50/p95/p99 of each request, server CPU ms per annotation (all server processes, ``/proc/<pid>/stat``,
timed phase only), the client's CPU ms per annotation, and the server's peak memory: the largest
PSS (shared pages divided among the processes that map them) summed over its processes, sampled
through the run, with the sum of their peak RSS beside it. Targets (issue 5) with 10 annotators at
10k paragraphs: ≥ 500 annotations/s, next p95 ≤ 20 ms, ≤ 3 ms server CPU per annotation,
≤ 100 MiB; within twice those at 1M.

    .venv/bin/python bench/bench_http_loop.py                      # all six configurations
    .venv/bin/python bench/bench_http_loop.py --sizes 10000 --annotators 10 --seconds 10 --workers 1
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
ANNOTATOR = ROOT / ".venv" / "bin" / "annotator"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the client process --------------------------------------------------------------------------


def labels_for(text: str) -> dict:
    def span(sub):
        start = text.index(sub)
        return {"start": start, "end": start + len(sub), "text": sub}

    return {
        "kind": "body",
        "attributions": [
            {
                "id": "a1",
                "sources": [span("The minister")],
                "cue": span("said"),
                "contents": [span("that the talks would resume “within weeks”")],
                "source_form": "described_person",
                "source_interest": "unknown",
                "record_status": "on_record",
                "cue_stance": "neutral",
            }
        ],
        "claims": [],
        "framing": {"frames": [], "primary_frame": None, "framing_spans": []},
        "notes": "",
    }


class Client:
    """One browser tab: a keep-alive connection and a cookie jar."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.scheme_header: dict[str, str] = {}

    def request(self, method, path, *, form=None, headers=None):
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST" and self.csrf:
            sent["X-CSRFToken"] = self.csrf
        if self.conn.sock is None:
            self.conn.connect()
            # http.client sends headers and body in two writes; without NODELAY, Nagle holds the
            # body until the server's delayed ACK (40 ms). A browser sends them at once.
            self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def login(self, name, password):
        _, _, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
        status, _, _ = self.request(
            "POST", "/login", form={"name": name, "password": password, "csrf_token": token}
        )
        if status != 302:
            raise RuntimeError(f"login of {name} failed: {status}")
        _, _, page = self.request("GET", "/")
        self.csrf = re.search(rb'"X-CSRFToken": "([^"]+)"', page).group(1).decode()


def client_main(
    port: int, annotators: int, seconds: float, password: str, text_template: str, flow: str
) -> None:
    clients = []
    for i in range(annotators):
        client = Client(port)
        client.login(f"bench{i:02d}", password)
        clients.append(client)
    print("ready", flush=True)
    sys.stdin.readline()  # the parent reads the server's CPU clock, then says go
    nexts, saves, errors, counts = [], [], [], []
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(annotators)

    def work(client):
        my_next, my_save, done = [], [], 0
        try:
            barrier.wait()
            current = None
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                if current is None or flow == "two":
                    # Like the browser: once the page holds the scheme, X-Scheme says so and it is not resent.
                    status, headers, body = client.request(
                        "GET", "/projects/1/annotate", headers={"HX-Request": "true", **client.scheme_header}
                    )
                    if not client.scheme_header:
                        tag = re.search(rb'id="scheme-data" data-tag="([0-9a-f]+)"', body)
                        if tag:
                            client.scheme_header = {"X-Scheme": tag.group(1).decode()}
                    match = re.search(r"/paragraphs/(\d+)$", headers.get("x-push-url", ""))
                    if status != 200 or match is None:
                        errors.append(f"next: {status} {body[:120]!r}")
                        return
                    current = int(match.group(1))
                    if flow == "two":
                        my_next.append(time.perf_counter() - t0)
                text = text_template.format(n=current - 1)
                form = {"labels": json.dumps(labels_for(text)), "version": "0", "seconds": "9.5"}
                if flow == "page":
                    form["next"] = "1"
                t2 = time.perf_counter()
                status, headers, body = client.request(
                    "POST",
                    f"/projects/1/paragraphs/{current}/annotation",
                    form=form,
                    headers={"Accept": "application/json", "HX-Request": "true", **client.scheme_header},
                )
                t3 = time.perf_counter()
                if status != 200:
                    errors.append(f"save: {status} {body[:200]!r}")
                    return
                if flow == "page":
                    match = re.search(r"/paragraphs/(\d+)$", headers.get("x-push-url", ""))
                    if match is None:
                        errors.append(f"save and next: no next paragraph {body[:120]!r}")
                        return
                    current = int(match.group(1))
                    my_next.append(t3 - t2)
                else:
                    my_save.append(t3 - t2)
                done += 1
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))
        finally:
            nexts.extend(my_next)
            saves.extend(my_save)
            counts.append(done)

    started = time.perf_counter()
    cpu_started = time.process_time()
    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "client_cpu": time.process_time() - cpu_started,
                "annotations": sum(counts),
                "next": nexts,
                "save": saves,
                "errors": errors[:10],
                "n_errors": len(errors),
            }
        ),
        flush=True,
    )


def _latencies(what: str, ms: dict) -> str:
    # With --flow page a save and the next paragraph are one request, timed as "next": no saves.
    if ms.get("p50_ms") is None:
        return ""
    return f"{what} p50/p95/p99 {ms['p50_ms']}/{ms['p95_ms']}/{ms['p99_ms']} ms; "


# --- the orchestrating process -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(pid: int) -> list[int]:
    """The process and its descendants (the server's worker processes)."""
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += _tree(int(child))
    except FileNotFoundError:
        pass
    return found


def _proc_sum(pid: int, read) -> float:
    total = 0.0
    for p in set(_tree(pid)):
        try:
            total += read(p)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def _cpu_seconds(pid: int) -> float:
    def one(p):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime

    return _proc_sum(pid, one)


def _field_kib(path: str, name: str) -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(name):
            return int(line.split()[1])
    return 0


def _pss_mib(pid: int) -> float:
    return _proc_sum(pid, lambda p: _field_kib(f"/proc/{p}/smaps_rollup", "Pss:")) / 1024


def _vm_hwm_mib(pid: int) -> float:
    return _proc_sum(pid, lambda p: _field_kib(f"/proc/{p}/status", "VmHWM:")) / 1024


class _PeakPss(threading.Thread):
    """Sample the server's PSS while the client runs; keep the largest."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self):
        while not self.done.wait(0.25):
            self.peak = max(self.peak, _pss_mib(self.pid))

    def stop(self) -> float:
        self.done.set()
        self.join()
        return max(self.peak, _pss_mib(self.pid))


def _percentiles(samples):
    from bench_queue import percentiles

    return percentiles(samples) if samples else {}


def run(n: int, annotators: int, seconds: float, threads: int, workers: int, flow: str) -> dict:
    from bench_queue import PASSWORD, TEXT, fresh_copy

    path = fresh_copy(n, "http")
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads would fill up (waitress warns about its
    # task queue under load) and stall the server.
    log = open(OUT / f"http-server-{n}-{annotators}.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            str(ANNOTATOR),
            "serve",
            "--db",
            str(path),
            "--port",
            str(port),
            "--threads",
            str(threads),
            "--workers",
            str(workers),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        # Every bench annotator logs in from 127.0.0.1: lift the per-address login limit.
        env={**os.environ, "ANNOTATOR_LOGIN_RATE_LIMIT": "10000 per minute"},
    )
    try:
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError(
                "the server did not start: " + server.stderr.read(2000).decode(errors="replace")
            )
        client = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--client",
                "--port",
                str(port),
                "--annotators",
                str(annotators),
                "--seconds",
                str(seconds),
                "--password",
                PASSWORD,
                "--text",
                TEXT,
                "--flow",
                flow,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert client.stdout.readline().strip() == "ready"
        cpu0 = _cpu_seconds(server.pid)
        sampler = _PeakPss(server.pid)
        sampler.start()
        client.stdin.write("go\n")
        client.stdin.flush()
        result = json.loads(client.stdout.readline())
        cpu1 = _cpu_seconds(server.pid)
        pss = sampler.stop()
        client.wait(30)
        hwm = _vm_hwm_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        Path(f"{path}.secret").unlink(missing_ok=True)
    done = result["annotations"]
    return {
        "paragraphs": n,
        "annotators": annotators,
        "server_workers": workers,
        "server_threads": threads,
        "flow": flow,
        "seconds": round(result["elapsed"], 2),
        "annotations": done,
        "annotations_per_s": round(done / result["elapsed"], 1),
        "next_ms": _percentiles(result["next"]),
        "save_ms": _percentiles(result["save"]),
        "server_cpu_ms_per_annotation": round(1000 * (cpu1 - cpu0) / done, 3) if done else None,
        "server_peak_pss_mib": round(pss, 1),
        "server_peak_rss_sum_mib": round(hwm, 1),
        "client_cpu_ms_per_annotation": round(1000 * result["client_cpu"] / done, 3) if done else None,
        "errors": result["n_errors"],
        "error_samples": result["errors"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--annotators", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2, help="server processes (annotator serve --workers)")
    parser.add_argument("--threads", type=int, default=1, help="threads per server process")
    parser.add_argument("--flow", choices=("page", "two"), default="page", help="see the module docstring")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--password", help=argparse.SUPPRESS)
    parser.add_argument("--text", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        client_main(args.port, int(args.annotators), args.seconds, args.password, args.text, args.flow)
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        for annotators in (int(a) for a in args.annotators.split(",")):
            r = run(n, annotators, args.seconds, args.threads, args.workers, args.flow)
            results.append(r)
            if not args.json:
                print(
                    f"{n:>9,} paragraphs, {annotators:>2} annotators: {r['annotations_per_s']:>7,.1f} annotations/s; "
                    f"{_latencies('next', r['next_ms'])}{_latencies('save', r['save_ms'])}"
                    f"server CPU {r['server_cpu_ms_per_annotation']} ms/annotation (client {r['client_cpu_ms_per_annotation']}); "
                    f"peak PSS {r['server_peak_pss_mib']} MiB (RSS sum {r['server_peak_rss_sum_mib']}); "
                    f"errors {r['errors']} {r['error_samples'][:1]}",
                    flush=True,
                )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0 if not any(r["errors"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
