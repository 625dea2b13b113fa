"""Benchmark: ``annotator export --view all`` streaming annotation records out of SQLite.

Builds (and caches under bench/out/) databases with 100k and 1M annotation records
(paragraphs x 3 annotators, the label mixes of bench_export.py), every annotation saved with
the app's own ``store.annotations.save_annotation`` and the export forms ``annotation.save``
stores beside it. Then runs the real CLI export in a subprocess per size and per state of the
cached agreement counts the manifest's summary merges:

- ``cold``: no block of counts cached (as after an upgrade, or a bulk import nobody reviewed):
  a worker process recounts them while the records are written, the export's process joins in;
- ``warm``: every block current (the cold run kept them): the export merges them.

Peak memory is the export process's own ``ru_maxrss`` (forked from a small launcher, since
``ru_maxrss`` survives exec) and the process tree's summed resident memory, sampled every 20 ms
(a cold export runs two processes). ``--baseline DIR`` also times another checkout's export
on a copy of each database, as the same-run reference. Targets (issue 7): at least 100,000
records/s; peak memory under 200 MB and flat as the size grows tenfold.

    .venv/bin/python bench/bench_export_sqlite.py [--sizes 100000 1000000] [--mixes typical dense]
        [--agreement cold warm] [--baseline /path/to/older/checkout]
"""

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = ROOT / ".venv" / "bin" / "annotator"
ANNOTATORS = 3
PAGE = os.sysconf("SC_PAGE_SIZE")
FORMAT = "saved"  # databases whose annotations were saved with their export forms (m011)


def build(path: Path, records: int, mix: str) -> None:
    """Make a project of ``records`` annotations, each saved through the app's own store call.

    Articles and paragraphs go in by SQL (ingest is not what is measured); every annotation is
    normalised by the project's scheme and saved with ``store.annotations.save_annotation`` and the
    export forms ``export.stored_labels`` makes, as ``annotation.save`` does, revision included.
    """
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_export import _paragraph_pool  # the same label mixes as the in-memory export bench

    from annotator import accounts, export, store
    from annotator import projects as project_service
    from annotator.annotation import scheme_for
    from annotator.scheme import normalize
    from annotator.store import annotations as annotation_store

    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = store.connect(str(tmp))
    project = project_service.create_project(
        db, "bench", overlap=ANNOTATORS, extended="all" if mix == "dense" else None
    )
    scheme = scheme_for(project)
    accounts.HASH_METHOD = "pbkdf2:sha256:1000"
    users = [
        accounts.create_user(db, f"annotator{i}", role="annotator", password="benchmark-pass")["id"]
        for i in range(ANNOTATORS)
    ]
    pool = [{"text": text, "labels": normalize(labels, scheme)} for text, labels in _paragraph_pool(mix)]
    paragraphs = records // ANNOTATORS
    per_article = 10
    conn = db.conn
    conn.execute("pragma synchronous = off")
    stamp = store.now()
    conn.execute("begin")
    for article in range(paragraphs // per_article):
        uid = f"bench-{article:08d}"
        cur = conn.execute(
            """insert into articles (project_id, uid, url, outlet, title, published, source_format, raw_sha256,
            text_sha256, rank, imported_at) values (?, ?, ?, 'Bench', ?, '2024-01-30', 'text', ?, ?, ?, ?)""",
            [
                project["id"],
                uid,
                f"https://example.org/{article}",
                f"Article {article}",
                uid,
                uid,
                article,
                stamp,
            ],
        )
        article_id = cur.lastrowid
        for position in range(per_article):
            item = pool[(article + position) % len(pool)]
            text = item["text"]
            pid = conn.execute(
                """insert into paragraphs (article_id, project_id, position, kind, text, text_sha256, doc_char_start,
                queued, rank, n_taken, n_done) values (?, ?, ?, 'body', ?, ?, 0, 1, ?, ?, ?)""",
                [
                    article_id,
                    project["id"],
                    position,
                    text,
                    hashlib.sha256(text.encode()).hexdigest(),
                    article * 4096 + position,
                    ANNOTATORS,
                    ANNOTATORS,
                ],
            ).lastrowid
            for user in users:
                annotation_store.save_annotation(
                    db,
                    paragraph_id=pid,
                    user_id=user,
                    labels=item["labels"],
                    scheme_version=str(scheme.version),
                    base_version=0,
                    seconds=42.0,
                    export=export.stored_labels(item["labels"]),
                )
        if article % 1000 == 999:
            conn.execute("commit")
            conn.execute("begin")
    conn.execute("commit")
    db.close()
    tmp.rename(path)


def _tree_rss(root: int) -> int:
    """Return the summed resident memory (bytes) of ``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def invalidate_agreement_counts(db: Path) -> None:
    """Make every cached block of agreement counts stale, as if no report had ever been made."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update agreement_chunks set counted = 0, fingerprint = '', state = x''")
    conn.close()


# ru_maxrss survives exec: a child forked from this (large) process would report this process's
# memory. A small launcher forks the export instead and hands back the export's own peak.
LAUNCHER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"status": status, "maxrss_kb": usage.ru_maxrss}, fh)
"""


def run_export(
    db: Path, out: Path, cmd: list[str] | None = None, env: dict | None = None, cwd: Path | None = None
) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    usage_file = out.with_suffix(".usage.json")
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            LAUNCHER,
            str(usage_file),
            *(cmd or [str(BIN)]),
            "export",
            "--db",
            str(db),
            "--project",
            "bench",
            "--view",
            "all",
            "--out",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )
    # ru_maxrss is the largest single process; a worker's memory adds to the export's, so the
    # process tree's resident memory is also sampled and summed.
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss(process.pid) - LAUNCHER_RSS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    usage = json.loads(usage_file.read_text())
    usage_file.unlink()
    if usage["status"] != 0:
        raise SystemExit(f"export failed with status {usage['status']}")
    manifest = json.loads((out / "manifest.json").read_text())
    records = manifest["counts"]["records"]["total"]
    return {
        "records": records,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds),
        "peak_rss_mb": round(usage["maxrss_kb"] / 1024, 1),
        "peak_tree_mb": round(peak[0] / 2**20, 1),
    }


def _launcher_rss() -> int:
    """The launcher's own resident memory, left out of the process tree's."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import json, os, sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    time.sleep(0.3)
    rss = _tree_rss(process.pid)
    process.communicate(b"")
    return rss


LAUNCHER_RSS = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--mixes", nargs="+", default=["typical", "dense"], help="label mixes (see bench_export.py)"
    )
    parser.add_argument(
        "--agreement",
        nargs="+",
        choices=["cold", "warm"],
        default=["cold", "warm"],
        help="cold: no block of agreement counts cached; warm: every block current",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also time the export of another checkout (its annotator package is put first on "
        "sys.path) on a copy of each database it can read: pass a directory",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    global LAUNCHER_RSS
    LAUNCHER_RSS = _launcher_rss()
    results = []

    def report(result: dict) -> None:
        results.append(result)
        print(
            f"{result['mix']:>8} {result['size']:>9,} {result['agreement']:>8}: {result['records_per_s']:>9,} records/s, "
            f"peak {result['peak_rss_mb']} MB (process tree {result['peak_tree_mb']} MB), "
            f"{result['seconds']} s whole command",
            flush=True,
        )

    for mix in args.mixes:
        for size in args.sizes:
            db = OUT / f"export-{mix}-{size}-{FORMAT}.db"
            t0 = time.perf_counter()
            build(db, size, mix)
            built = time.perf_counter() - t0
            if built > 1:
                print(f"built {db.name} in {built:.0f} s", flush=True)
            for agreement in args.agreement:
                if agreement == "cold":
                    invalidate_agreement_counts(db)
                result = {
                    "mix": mix,
                    "size": size,
                    "agreement": agreement,
                    **run_export(db, OUT / f"export-{mix}-{size}"),
                }
                report(result)
            if args.baseline:
                copy = OUT / f"baseline-{mix}-{size}.db"
                shutil.copyfile(db, copy)
                conn = sqlite3.connect(copy)
                conn.execute(
                    "pragma user_version = 10"
                )  # the last schema the older code knows; it ignores m011
                conn.close()
                env = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
                cmd = [sys.executable, "-c", "from annotator.cli import cli; cli()"]
                # run from the checkout: python -c puts the working directory first on sys.path
                result = run_export(
                    copy, OUT / f"baseline-{mix}-{size}", cmd, env, cwd=args.baseline.resolve()
                )
                copy.unlink()
                report({"mix": mix, "size": size, "agreement": "baseline", **result})
    print(json.dumps({"bench": "export_sqlite", "results": results}))


if __name__ == "__main__":
    main()
