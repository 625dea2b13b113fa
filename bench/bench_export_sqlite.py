"""Benchmark: ``annotator export --view all`` streaming annotation records out of SQLite.

Builds (and caches under bench/out/) databases with 100k and 1M annotation records
(paragraphs x 3 annotators, the worked-example labels), then runs the real CLI export in
a subprocess per size, reading its peak RSS from ``wait4``. Targets (issue 7): at least
100,000 records/s; peak memory under 200 MB and flat as the size grows tenfold.

    .venv/bin/python bench/bench_export_sqlite.py [--sizes 100000 1000000]
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = ROOT / ".venv" / "bin" / "annotator"
ANNOTATORS = 3


def build(path: Path, records: int, mix: str) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_export import _paragraph_pool  # the same label mixes as the in-memory export bench

    from annotator import accounts, store
    from annotator import projects as project_service

    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = store.connect(str(tmp))
    project = project_service.create_project(
        db, "bench", overlap=ANNOTATORS, extended="all" if mix == "dense" else None
    )
    accounts.HASH_METHOD = "pbkdf2:sha256:1000"
    users = [accounts.create_user(db, f"annotator{i}", role="annotator", password="benchmark-pass")["id"] for i in range(ANNOTATORS)]
    pool = [{"text": text, "labels": labels} for text, labels in _paragraph_pool(mix)]
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
            [project["id"], uid, f"https://example.org/{article}", f"Article {article}", uid, uid, article, stamp],
        )
        article_id = cur.lastrowid
        for position in range(per_article):
            item = pool[(article + position) % len(pool)]
            text = item["text"]
            pid = conn.execute(
                """insert into paragraphs (article_id, project_id, position, kind, text, text_sha256, doc_char_start,
                queued, rank, n_taken, n_done) values (?, ?, ?, 'body', ?, ?, 0, 1, ?, ?, ?)""",
                [article_id, project["id"], position, text, hashlib.sha256(text.encode()).hexdigest(),
                 article * 4096 + position, ANNOTATORS, ANNOTATORS],
            ).lastrowid
            labels = json.dumps(item["labels"], ensure_ascii=False)
            conn.executemany(
                """insert into annotations (paragraph_id, user_id, labels, scheme_version, version, seconds,
                created_at, updated_at) values (?, ?, ?, '1.0', 1, 42.0, ?, ?)""",
                [(pid, user, labels, stamp, stamp) for user in users],
            )
    conn.execute("commit")
    db.close()
    tmp.rename(path)


def run_export(db: Path, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN), "export", "--db", str(db), "--project", "bench", "--view", "all", "--out", str(out)],
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"export failed with status {status}")
    manifest = json.loads((out / "manifest.json").read_text())
    records = manifest["counts"]["records"]["total"]
    return {"records": records, "seconds": round(seconds, 2), "records_per_s": round(records / seconds),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--mixes", nargs="+", default=["typical", "dense"], help="label mixes (see bench_export.py)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for mix in args.mixes:
        for size in args.sizes:
            db = OUT / f"export-{mix}-{size}.db"
            t0 = time.perf_counter()
            build(db, size, mix)
            built = time.perf_counter() - t0
            result = {"mix": mix, "size": size, **run_export(db, OUT / f"export-{mix}-{size}")}
            results.append(result)
            print(f"{mix:>8} {size:>9,} records: {result['records_per_s']:>9,} records/s, peak {result['peak_rss_mb']} MB "
                  f"({result['seconds']} s, whole command; database built in {built:.0f} s)")
    print(json.dumps({"bench": "export_sqlite", "results": results}))


if __name__ == "__main__":
    main()
