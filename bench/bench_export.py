"""Benchmark: stream N ``all`` records through ``records`` → ``write_export``.

Each size runs in its own subprocess so ``ru_maxrss`` is that export's peak alone.
Targets (issue 7): at least 100,000 records/s, peak under 200 MB and flat from
100k to 1M records.

    .venv/bin/python bench/bench_export.py            # 100k and 1M
    .venv/bin/python bench/bench_export.py --sizes 10000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = Path(os.environ.get("ANNOTATOR_SHARED", ROOT.parent / "shared")) / "samples" / \
    "rt-2024-01-30-lavrov-weapons.labels.jsonl"

PLAIN = "The Russian diplomat’s comments come as Kiev ramps up its demands for more military aid 🚀, citing " \
        "acute shortages in hardware and ammunition."


def _paragraph_pool() -> list[tuple[str, dict]]:
    """Return (text, labels) pairs: the two worked examples and an unlabelled body paragraph."""
    pool = [(PLAIN, {"kind": "body", "attributions": [], "claims": [],
                     "framing": {"frames": [], "primary_frame": None, "framing_spans": [], "stance": []},
                     "notes": ""})]
    if SAMPLE.exists():
        for line in SAMPLE.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            pool.append((doc["text"], doc["labels"]))
    return pool


def generate_rows(n: int, *, annotators: int = 3, paragraphs_per_article: int = 12) -> Iterator[dict]:
    """Yield ``n`` rows shaped as the store hands them for the ``all`` view, lazily.

    Kept apart from the timing so a SQLite-backed row stream can replace it.
    """
    pool = _paragraph_pool()
    names = [f"annotator{i}" for i in range(annotators)]
    made = 0
    article = 0
    while True:
        article_id = f"rt-{article:08d}"
        for pos in range(paragraphs_per_article):
            text, labels = pool[(article + pos) % len(pool)]
            base = {
                "article_id": article_id,
                "paragraph_id": f"{article_id}#p{pos}",
                "position": pos,
                "kind": "body",
                "text": text,
                "text_sha256": "0" * 64,
                "doc_char_start": pos * 300,
                "outlet": "RT",
                "url": f"https://example.org/{article_id}",
                "published": "2024-01-30T13:45",
                "title": "West asking countries to secretly send Russian weapons to Ukraine – Lavrov",
            }
            for name in names:
                if made == n:
                    return
                yield {**base, "annotator": name, "labels": labels, "seconds": 31.5,
                       "updated_at": "2024-02-01T10:00:00Z"}
                made += 1
        article += 1


def run_child(n: int, out_dir: str) -> dict:
    from annotator.export import encode_records, write_export

    t0 = time.perf_counter()
    manifest = write_export(out_dir, "all", encode_records("all", generate_rows(n), scheme_name="newsattr-1"),
                            params={"bench": True}, fsync=True)
    seconds = time.perf_counter() - t0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "records": manifest["counts"]["records"]["total"],
        "seconds": round(seconds, 3),
        "records_per_s": round(manifest["counts"]["records"]["total"] / seconds),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "bytes": sum(f["bytes"] for f in manifest["files"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(run_child(args.child, args.out)))
        return
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        tmp = tempfile.mkdtemp(prefix="bench-export-")
        try:
            proc = subprocess.run([sys.executable, __file__, "--child", str(n), "--out", tmp],
                                  capture_output=True, text=True, check=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"{'records':>10} {'seconds':>8} {'records/s':>10} {'peak MB':>8} {'MB out':>8}")
    for r in results:
        print(f"{r['records']:>10} {r['seconds']:>8.2f} {r['records_per_s']:>10} {r['peak_rss_mb']:>8} "
              f"{r['bytes'] / 1e6:>8.0f}")
    ok = all(r["records_per_s"] >= 100_000 and r["peak_rss_mb"] < 200 for r in results)
    print(json.dumps({"bench": "export", "results": results, "target": {"records_per_s": 100000, "peak_mb": 200},
                      "ok": ok}))


if __name__ == "__main__":
    main()
