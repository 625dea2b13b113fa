"""Benchmark: a soak of 50 annotators for 5 minutes on ``annotator serve --workers 2``, loopback only.

Each annotator is a thread with its own keep-alive connection and session (client threads are
spread over a few client processes, so the client is not the bottleneck). They log in, open the
annotate page, and loop like a person working steadily: every few paragraphs a draft, then
*Save & next* (one POST that saves and answers with the next paragraph), then a pause of
``--think`` seconds. The run is bounded by ``--seconds`` and by the paragraphs available
(100,000 paragraphs, k = 3, a third already filled, from ``bench_queue``'s cached database).

Reports requests, errors by kind, throughput, p50/p95/p99 per request kind and overall, and the
server's memory (PSS of the supervisor and its workers) sampled every ``--sample`` seconds, with
the growth from the first minute to the last (a soak's memory should be flat).

    .venv/bin/python bench/bench_soak.py                  # 50 annotators, 300 s
    .venv/bin/python bench/bench_soak.py --seconds 60     # a shorter run
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_http_loop import ANNOTATOR, OUT, Client, _free_port, _pss_mib, _tree, labels_for  # noqa: E402
from bench_queue import PASSWORD, TEXT, fresh_copy, percentiles  # noqa: E402

PARAGRAPHS = 100_000
DRAFT_EVERY = 4


def _annotator(index: int, port: int, stop_at: float, think: float, out: list) -> None:
    """One annotator's loop; appends (kind, start offset, seconds, status) to ``out``."""
    client = Client(port)
    try:
        t0 = time.perf_counter()
        client.login(f"bench{index:02d}", PASSWORD)
        out.append(("login", time.time(), time.perf_counter() - t0, 302))
        t0 = time.perf_counter()
        status, headers, body = client.request("GET", "/projects/1/annotate", headers={"HX-Request": "true"})
        out.append(("next", time.time(), time.perf_counter() - t0, status))
        match = re.search(r"/paragraphs/(\d+)$", headers.get("x-push-url", ""))
        if status != 200 or match is None:
            return
        current, n = int(match.group(1)), 0
        while time.time() < stop_at:
            labels = json.dumps(labels_for(TEXT.format(n=current - 1)))
            if n % DRAFT_EVERY == 0:
                t0 = time.perf_counter()
                status, _, _ = client.request(
                    "POST",
                    f"/projects/1/paragraphs/{current}/draft",
                    form={"labels": labels, "version": "0"},
                    headers={"Accept": "application/json", "HX-Request": "true"},
                )
                out.append(("draft", time.time(), time.perf_counter() - t0, status))
            t0 = time.perf_counter()
            status, headers, body = client.request(
                "POST",
                f"/projects/1/paragraphs/{current}/annotation",
                form={"labels": labels, "version": "0", "seconds": "20", "next": "1"},
                headers={"Accept": "application/json", "HX-Request": "true"},
            )
            out.append(("save_next", time.time(), time.perf_counter() - t0, status))
            if status != 200:
                time.sleep(think)
                continue
            match = re.search(r"/paragraphs/(\d+)$", headers.get("x-push-url", ""))
            if match is None:
                return  # no work left for this annotator
            current, n = int(match.group(1)), n + 1
            time.sleep(think)
    except Exception as e:  # noqa: BLE001 - a dead connection is an error of the run
        out.append(("exception:" + type(e).__name__, time.time(), 0.0, 0))
    finally:
        client.conn.close()


def _client_process(indices: list[int], port: int, stop_at: float, think: float, results) -> None:
    out: list = []
    threads = [threading.Thread(target=_annotator, args=(i, port, stop_at, think, out)) for i in indices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(out)


class _Memory(threading.Thread):
    """Sample the server's PSS (supervisor and workers) every ``every`` seconds."""

    def __init__(self, pid: int, every: float):
        super().__init__(daemon=True)
        self.pid, self.every, self.samples, self.done = pid, every, [], threading.Event()

    def run(self):
        start = time.time()
        while True:
            self.samples.append((round(time.time() - start, 1), round(_pss_mib(self.pid), 1)))
            if self.done.wait(self.every):
                return


def run(annotators: int, seconds: float, think: float, processes: int, sample: float) -> dict:
    path = fresh_copy(PARAGRAPHS, "soak")
    port = _free_port()
    log = open(OUT / "soak-server.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            str(ANNOTATOR),
            "serve",
            "--db",
            str(path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        # Every annotator logs in from 127.0.0.1: lift the per-address login limit.
        env={**os.environ, "ANNOTATOR_LOGIN_RATE_LIMIT": "10000 per minute", "ANNOTATOR_SECRET_KEY": "soak"},
    )
    try:
        import http.client

        for _ in range(400):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("the server did not start; see bench/out/soak-server.log")
        memory = _Memory(server.pid, sample)
        memory.start()
        started = time.time()
        stop_at = started + seconds
        results: multiprocessing.Queue = multiprocessing.Queue()
        groups = [list(range(annotators))[i::processes] for i in range(processes)]
        workers = [
            multiprocessing.Process(target=_client_process, args=(group, port, stop_at, think, results))
            for group in groups
            if group
        ]
        for w in workers:
            w.start()
        events = []
        for _ in workers:
            events.extend(results.get(timeout=seconds + 300))
        for w in workers:
            w.join(30)
        elapsed = time.time() - started
        memory.done.set()
        memory.join()
        processes_alive = len(_tree(server.pid))
    finally:
        server.terminate()
        server.wait(30)
        log.close()
        for suffix in ("", "-wal", "-shm", "-writers"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return _report(events, memory.samples, elapsed, annotators, seconds, think, processes_alive)


def _report(events, memory, elapsed, annotators, seconds, think, processes_alive) -> dict:
    ok = {"login": 302, "next": 200, "draft": 200, "save_next": 200}
    errors: dict[str, int] = {}
    for kind, _, _, status in events:
        if ok.get(kind) != status:
            key = f"{kind} {status}"
            errors[key] = errors.get(key, 0) + 1
    by_kind = {
        kind: percentiles([s for k, _, s, st in events if k == kind and st == ok[kind]])
        for kind in ("save_next", "draft", "next", "login")
    }
    timed = [s for k, _, s, st in events if k in ("save_next", "draft") and st == 200]
    saves = sum(1 for k, _, _, st in events if k == "save_next" and st == 200)
    # Memory: the first minute (after start-up) against the last minute.
    first = [m for t, m in memory if 10 <= t <= 70] or [m for _, m in memory[:3]]
    last = [m for t, m in memory if t >= memory[-1][0] - 60] if memory else []
    first_mib, last_mib = statistics.fmean(first), statistics.fmean(last)
    return {
        "annotators": annotators,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 1),
        "think_s": think,
        "requests": len(events),
        "saves": saves,
        "saves_per_s": round(saves / elapsed, 1),
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
        "all_p": percentiles(timed) if timed else {},
        "by_kind": by_kind,
        "memory_mib": memory,
        "memory_first_minute_mib": round(first_mib, 1),
        "memory_last_minute_mib": round(last_mib, 1),
        "memory_growth": round(last_mib / first_mib, 3) if first_mib else None,
        "memory_peak_mib": max(m for _, m in memory),
        "server_processes": processes_alive,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--think", type=float, default=0.5, help="pause after each save, in seconds")
    parser.add_argument("--processes", type=int, default=5, help="client processes the annotators share")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between memory samples")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    result = run(args.annotators, args.seconds, args.think, args.processes, args.sample)
    (OUT / "bench_soak.json").write_text(json.dumps(result, indent=2))
    shown = {k: v for k, v in result.items() if k != "memory_mib"}
    print(json.dumps(shown, indent=2))
    print("memory (s, MiB):", " ".join(f"{t:g}:{m:g}" for t, m in result["memory_mib"]))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
