"""Benchmark: full-text search of the Articles page and the review queue at 10k, 100k and 1M paragraphs.

Uses bench_queue's cached databases (one project, 20 paragraphs an article, the same sentence in each
paragraph plus its number), so it times both extremes: a rare word (one paragraph's number) and a
word in every paragraph ("minister"), on the first page and a deep page. Reports ms per search,
median of 5, beside the unsearched listing of the same page as the baseline.

    .venv/bin/python bench/bench_search.py                 # 10k, 100k, 1M
    .venv/bin/python bench/bench_search.py --sizes 10000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_queue import cached_db  # noqa: E402

from annotator import curation, projects, review, store  # noqa: E402


def timed(fn, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    print(f"{'paragraphs':>10} {'case':<28} {'ms':>8} {'listing ms':>11}")
    for n in args.sizes:
        bench_size(n)


def bench_size(n: int) -> None:
    """Print the search and listing times on the cached database of ``n`` paragraphs."""
    db = store.connect(str(cached_db(n)))
    project = projects.get_project(db, db.execute("select id from projects").fetchone()[0])
    deep = max(1, n // 20 // curation.PER_PAGE // 2)
    for label, q, page in [
        ("rare word, page 1", str(n // 2), 1),
        ("common word, page 1", "minister", 1),
        (f"common word, page {deep}", "minister", deep),
    ]:
        ms = timed(lambda q=q, page=page: curation.list_articles(db, project, page=page, q=q))
        base = timed(lambda page=page: curation.list_articles(db, project, page=page))
        print(f"{n:>10} {'articles: ' + label:<28} {ms:>8.1f} {base:>11.1f}")
    for label, q in (("rare word", str(n // 2)), ("common word", "minister")):
        ms = timed(lambda q=q: review.queue(db, project, state="open", q=q))
        base = timed(lambda: review.queue(db, project, state="open"))
        print(f"{n:>10} {'review queue: ' + label:<28} {ms:>8.1f} {base:>11.1f}")
    db.close()


if __name__ == "__main__":
    main()
