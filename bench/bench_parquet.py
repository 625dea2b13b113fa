"""Benchmark: ``annotator export --format parquet`` against the JSONL export, in the same run.

Uses the databases of ``bench_export_sqlite.py`` (built once, cached in bench/out/: paragraphs x 3
annotators, every annotation saved through the app's store) and runs the real CLI export of the
``all`` view twice per size, JSONL then Parquet, each in its own process: records/s over the whole
command, CPU seconds, the export process's peak resident memory (``ru_maxrss``) and the process tree's (sampled).
Agreement counts are warm (cached), as after any earlier export, so both formats do the same work
around the records. Memory should stay flat as the size grows tenfold: Parquet holds one row group
per split.

    .venv/bin/python bench/bench_parquet.py [--sizes 100000 1000000] [--mix typical]
"""

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_export_sqlite as base  # noqa: E402  (the databases, the launcher, the memory sampling)

# The shared launcher, also handing back the export's CPU seconds: on a loaded machine they compare
# the formats' work more steadily than wall-clock time does.
LAUNCHER = base.LAUNCHER.replace(
    '"maxrss_kb": usage.ru_maxrss}', '"maxrss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime}'
)
assert LAUNCHER != base.LAUNCHER


def run(db: Path, out: Path, fmt: str, launcher_rss: int) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    usage_file = out.with_suffix(".usage.json")
    command = [sys.executable, "-c", LAUNCHER, str(usage_file), str(base.BIN), "export", "--db", str(db)]
    command += ["--project", "bench", "--view", "all", "--out", str(out), "--format", fmt]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], base._tree_rss(process.pid) - launcher_rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    usage = json.loads(usage_file.read_text())
    usage_file.unlink()
    if usage["status"] != 0:
        raise SystemExit(f"{fmt} export failed with status {usage['status']}")
    manifest = json.loads((out / "manifest.json").read_text())
    records = manifest["counts"]["records"]["total"]
    size = sum(f["bytes"] for f in manifest["files"])
    return {
        "format": fmt,
        "records": records,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds),
        "cpu_s": round(usage["cpu_s"], 2),
        "records_per_cpu_s": round(records / usage["cpu_s"]),
        "peak_rss_mb": round(usage["maxrss_kb"] / 1024, 1),
        "peak_tree_mb": round(peak[0] / 2**20, 1),
        "output_mb": round(size / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--mix", default="typical", help="label mix (see bench_export.py)")
    args = parser.parse_args()
    base.OUT.mkdir(parents=True, exist_ok=True)
    launcher_rss = base._launcher_rss()
    results = []
    for size in args.sizes:
        db = base.OUT / f"export-{args.mix}-{size}-{base.FORMAT}.db"
        t0 = time.perf_counter()
        base.build(db, size, args.mix)
        if time.perf_counter() - t0 > 1:
            print(f"built {db.name} in {time.perf_counter() - t0:.0f} s", flush=True)
        # A first export warms the cached agreement counts and the page cache for both formats.
        run(db, base.OUT / f"parquet-warmup-{size}", "jsonl", launcher_rss)
        pair = {}
        for fmt in ("jsonl", "parquet"):
            pair[fmt] = result = {"size": size, **run(db, base.OUT / f"{fmt}-{size}", fmt, launcher_rss)}
            results.append(result)
            print(
                f"{size:>9,} {fmt:>8}: {result['records_per_s']:>9,} records/s "
                f"({result['records_per_cpu_s']:,} per CPU second), peak {result['peak_rss_mb']} MB "
                f"(tree {result['peak_tree_mb']} MB), {result['output_mb']} MB written, {result['seconds']} s",
                flush=True,
            )
        speed = pair["parquet"]["records_per_s"] / pair["jsonl"]["records_per_s"]
        cpu = pair["parquet"]["cpu_s"] / pair["jsonl"]["cpu_s"]
        print(f"{size:>9,}   parquet/jsonl: {speed:.2f}x the records/s, {cpu:.2f}x the CPU time", flush=True)
    print(json.dumps({"bench": "parquet", "results": results}))


if __name__ == "__main__":
    main()
