"""Benchmark: the project agreement report from SQLite, and the review queue page, at 100,000 paragraphs.

Builds (once, cached under ``bench/out/``) a database with 100,000 paragraphs annotated by 3 annotators
each with the full scheme, fills the review queue, then times:

* ``review.agreement_report`` (the path of ``annotator agreement --project`` and the agreement page):
  target at most 10 s; cold (every cached block of counts dropped first) and after one annotation changed;
* ``GET /projects/<id>/review`` through Flask's test client, in process: target p95 at most 50 ms.

    .venv/bin/python bench/bench_review.py [--paragraphs 100000] [--annotators 3] [--requests 200] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from annotator import accounts, create_app, review, store  # noqa: E402
from annotator import projects as project_service  # noqa: E402
from annotator.store import reviewing  # noqa: E402
from annotator.store.connection import now  # noqa: E402

OUT = ROOT / "bench" / "out"
PASSWORD = "bench-password"
PER_ARTICLE = 20


def _cpu() -> float:
    """Return the CPU seconds of this process and its finished children (the report's worker processes)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def build(path: Path, paragraphs: int, annotators: int, seed: int) -> None:
    """Write the benchmark database with executemany: articles, paragraphs, annotations."""
    from bench_agreement import _labels, _perturb, _text  # the agreement benchmark's generator

    t0 = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    db = store.connect(str(tmp))
    accounts.HASH_METHOD = "pbkdf2:sha256:1000"
    names = [f"annotator{k + 1}" for k in range(annotators)]
    for name in names:
        accounts.create_user(db, name, role="annotator", password=PASSWORD)
    accounts.create_user(db, "reviewer", role="reviewer", password=PASSWORD)
    project = project_service.create_project(db, "bench", overlap=annotators, extended="all")
    for name in [*names, "reviewer"]:
        project_service.add_member(db, project, name)
    user_ids = dict(db.execute("select name, id from users").fetchall())
    rng = random.Random(seed)
    texts = [_text(rng) for _ in range(200)]
    stamp = now()
    n_articles = (paragraphs + PER_ARTICLE - 1) // PER_ARTICLE
    conn = db.conn
    with conn:
        conn.executemany(
            """insert into articles (id, project_id, uid, title, outlet, source_format, raw_sha256, text_sha256,
                imported_at, rank) values (?, ?, ?, ?, 'bench', 'text', ?, ?, ?, ?)""",
            [
                (a + 1, project["id"], f"bench-{a}", f"Article {a}", f"raw{a}", f"text{a}", stamp, a)
                for a in range(n_articles)
            ],
        )
    batch_p, batch_n = [], []
    for p in range(paragraphs):
        text = texts[p % len(texts)]
        sha = hashlib.sha256(text.encode()).hexdigest()
        batch_p.append(
            (p + 1, p // PER_ARTICLE + 1, project["id"], p % PER_ARTICLE, text, sha, 0, annotators)
        )
        base = _labels(rng, text)
        for name in names:
            labels = base if rng.random() < 0.4 else _perturb(rng, base, text)
            batch_n.append((p + 1, user_ids[name], json.dumps(labels), stamp, stamp))
        if len(batch_p) >= 5000 or p == paragraphs - 1:
            with conn:
                conn.executemany(
                    """insert into paragraphs (id, article_id, project_id, position, kind, text, text_sha256,
                        doc_char_start, n_taken, n_done) values (?, ?, ?, ?, 'body', ?, ?, ?, ?, ?)""",
                    [(*row, row[-1]) for row in batch_p],
                )
                conn.executemany(
                    """insert into annotations (paragraph_id, user_id, labels, scheme_version, version, seconds,
                        created_at, updated_at) values (?, ?, ?, '1', 1, 30, ?, ?)""",
                    batch_n,
                )
            batch_p, batch_n = [], []
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    counts = review.refresh(db, project)
    print(f"built in {built:.1f} s; review queue filled in {time.perf_counter() - t0:.1f} s: {counts}")
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.rename(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--workers", type=int, default=None, help="report worker processes (default: CPUs)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="time only the queue page")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"review-{args.paragraphs}x{args.annotators}-s{args.seed}.db"
    if args.rebuild or not path.exists():
        build(path, args.paragraphs, args.annotators, args.seed)
    db = store.connect(str(path))
    project = project_service.get_project_by_name(db, "bench")

    report, report_seconds, report_cpu, warm_seconds, warm_cpu = {"fields": {}}, None, None, None, None
    if not args.no_report:
        # cold: every block of counts computed from the annotations (in worker processes)
        with store.write(db):
            reviewing.register_chunks(db, project["id"], review.reports.CHUNK)
        t0, cpu0 = time.perf_counter(), _cpu()
        report = review.agreement_report(db, project, workers=args.workers)
        report_seconds, report_cpu = time.perf_counter() - t0, _cpu() - cpu0
        print(
            f"agreement_report, cold: {report_seconds:.2f} s ({report_cpu:.1f} CPU-seconds over all processes) "
            f"for {args.paragraphs} paragraphs x {args.annotators} annotators"
        )
        # warm: one annotation changed since the last report; its block is recounted, the rest merged
        with db.conn:
            db.execute("update annotations set version = version + 1, updated_at = ? where id = 1", [now()])
        t0, cpu0 = time.perf_counter(), _cpu()
        warm = review.agreement_report(db, project, workers=args.workers)
        warm_seconds, warm_cpu = time.perf_counter() - t0, _cpu() - cpu0
        assert warm["fields"].keys() == report["fields"].keys()
        print(f"agreement_report, one annotation changed: {warm_seconds:.2f} s ({warm_cpu:.1f} CPU-seconds)")

    app = create_app({"TESTING": True, "DB": str(path), "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"})
    client = app.test_client()
    response = client.post("/login", data={"name": "reviewer", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    counts = review.queue(db, project)["counts"]
    pages = max(1, counts["open"] // review.PER_PAGE)
    rng = random.Random(1)
    urls = [f"/projects/{project['id']}/review"] * (args.requests // 2) + [
        f"/projects/{project['id']}/review?page={rng.randint(1, pages)}"
        for _ in range(args.requests - args.requests // 2)
    ]
    client.get(urls[0])  # warm the template cache
    times, cpu_times = [], []
    for url in urls:
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu_times.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    cpu_times.sort()
    cpu_p95 = cpu_times[int(0.95 * (len(cpu_times) - 1))]
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"review queue page: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
        f"(CPU p95 {cpu_p95:.1f} ms) over {len(times)} requests"
    )
    summary = {
        "benchmark": "review",
        "paragraphs": args.paragraphs,
        "annotators": args.annotators,
        "report_seconds": report_seconds and round(report_seconds, 3),
        "report_cpu_seconds": report_cpu and round(report_cpu, 2),
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "report_one_change_seconds": warm_seconds and round(warm_seconds, 3),
        "report_one_change_cpu_seconds": warm_cpu and round(warm_cpu, 2),
        "report_target_seconds": 10,
        "queue_p50_ms": round(statistics.median(times), 2),
        "queue_p95_ms": round(p95, 2),
        "queue_cpu_p95_ms": round(cpu_p95, 2),
        "queue_target_p95_ms": 50,
        "queue_counts": counts,
        "ok": (report_seconds or 0) <= 10 and p95 <= 50 if args.paragraphs >= 100_000 else None,
        "fields": len(report["fields"]),
        "python": platform.python_version(),
    }
    print(json.dumps(summary))
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
