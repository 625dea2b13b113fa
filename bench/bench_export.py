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

SAMPLE = (
    Path(os.environ.get("ANNOTATOR_SHARED", ROOT.parent / "shared"))
    / "samples"
    / "rt-2024-01-30-lavrov-weapons.labels.jsonl"
)

PLAIN = (
    "The Russian diplomat’s comments come as Kiev ramps up its demands for more military aid 🚀, citing "
    "acute shortages in hardware and ammunition."
)


EMPTY = {
    "kind": "body",
    "attributions": [],
    "claims": [],
    "framing": {"frames": [], "primary_frame": None, "framing_spans": [], "stance": []},
    "notes": "",
}

# Extended fields of SCHEMA.md, off in a default project.
EXTENDED = {
    "attributions": ("source_role", "attribution_type", "quote_type", "supplement", "embedded_source"),
    "claims": ("claim_category", "source_commitment", "decontextualized"),
}


def _core_only(labels: dict) -> dict:
    doc = json.loads(json.dumps(labels))
    for key, fields in EXTENDED.items():
        for item in doc[key]:
            for f in fields:
                item.pop(f, None)
    doc["framing"].pop("stance", None)
    doc["notes"] = ""
    return doc


def _paragraph_pool(mix: str) -> list[tuple[str, dict]]:
    """Return the (text, labels) pairs cycled through, per paragraph.

    ``dense``: an unlabelled paragraph and the two worked examples in full (every
    extended field, notes, decontextualised claims), a third each: a heavy upper bound.
    ``typical``: a default (core-fields) project where half the paragraphs have no
    attribution, 30% are like the first worked example and 20% like the second.
    """
    examples = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    full = [(d["text"], d["labels"]) for d in examples]
    if mix == "dense":
        return [(PLAIN, EMPTY), *full]
    core = [(t, _core_only(lab)) for t, lab in full]
    return [(PLAIN, EMPTY)] * 5 + [core[0]] * 3 + [core[1]] * 2


def generate_rows(
    n: int, *, mix: str = "dense", annotators: int = 3, paragraphs_per_article: int = 12
) -> Iterator[dict]:
    """Yield ``n`` rows shaped as the store hands them for the ``all`` view, lazily.

    Kept apart from the timing so a SQLite-backed row stream can replace it.
    """
    pool = _paragraph_pool(mix)
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
                yield {
                    **base,
                    "annotator": name,
                    "labels": labels,
                    "seconds": 31.5,
                    "updated_at": "2024-02-01T10:00:00Z",
                }
                made += 1
        article += 1


def run_child(n: int, out_dir: str, mix: str) -> dict:
    from annotator.export import encode_records, write_export

    t0 = time.perf_counter()
    c0 = time.process_time()
    rows = generate_rows(n, mix=mix)
    manifest = write_export(
        out_dir,
        "all",
        encode_records("all", rows, scheme_name="newsattr-1"),
        params={"bench": True},
        fsync=True,
    )
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "mix": mix,
        "records": manifest["counts"]["records"]["total"],
        "cpu_seconds": round(cpu, 3),
        "records_per_cpu_s": round(manifest["counts"]["records"]["total"] / cpu),
        "seconds": round(seconds, 3),
        "records_per_s": round(manifest["counts"]["records"]["total"] / seconds),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "bytes": sum(f["bytes"] for f in manifest["files"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--mixes", default="dense,typical", help="label mixes to run (dense, typical)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(run_child(args.child, args.out, args.mixes)))
        return
    results = []
    for mix in args.mixes.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            tmp = tempfile.mkdtemp(prefix="bench-export-")
            try:
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", str(n), "--out", tmp, "--mixes", mix],
                    capture_output=True,
                    text=True,
                    check=True,
                )
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    load = os.getloadavg()[0]
    print(
        f"{'mix':>8} {'records':>10} {'seconds':>8} {'records/s':>10} {'rec/cpu-s':>10} {'peak MB':>8} "
        f"{'MB out':>8}   (load average {load:.1f} on {os.cpu_count()} CPUs)"
    )
    for r in results:
        print(
            f"{r['mix']:>8} {r['records']:>10} {r['seconds']:>8.2f} {r['records_per_s']:>10} "
            f"{r['records_per_cpu_s']:>10} {r['peak_rss_mb']:>8} {r['bytes'] / 1e6:>8.0f}"
        )
    ok = all(r["records_per_s"] >= 100_000 and r["peak_rss_mb"] < 200 for r in results)
    print(
        json.dumps(
            {
                "bench": "export",
                "results": results,
                "target": {"records_per_s": 100000, "peak_mb": 200},
                "load_average": round(load, 2),
                "ok": ok,
            }
        )
    )


if __name__ == "__main__":
    main()
