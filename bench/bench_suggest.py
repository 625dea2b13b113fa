"""Benchmark the rule-based suggester: paragraphs per CPU second (target ≥ 2,000).

Times, in one run, over the same paragraphs:

- ``suggest_units`` (annotator.suggest), one call per article of 20 paragraphs;
- a naive suggester as the baseline: a regex for a short list of speech verbs, the
  capitalised words before it as the source, the rest of the sentence as the content.

Paragraphs are N synthetic news paragraphs (quotes in several styles, split quotes, indirect
speech, "according to", plain narration), plus the attribution-dev texts when that folder is
present. Prints a table and a final JSON line.

    python bench/bench_suggest.py [--n 20000] [--seed 1] [--dev ../shared/samples/attribution-dev/text]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.suggest import suggest_units  # noqa: E402

SOURCES = ["Sen. Jane Roe", "a senior official", "the ministry", "Mr. Smith", "analysts", "the report", "she"]
CUES = ["said", "told reporters", "warned", "argued", "added", "claimed", "noted"]
CLAIMS = [
    "the budget would be cut by a third next year",
    "talks with the union had stalled over pensions",
    "the new rules would hurt small farmers in the north",
    "nobody in the government had been told about the plan",
]
NARRATION = [
    "The council met on Tuesday evening in the old town hall, where about 200 residents had gathered.",
    "Prices rose by 4.2 per cent in March, the fastest pace since 2008, driven by food and energy.",
    "The bridge, built in 1932, has been closed to lorries since a crack was found in the spring.",
]
TEMPLATES = [
    "{S} {C} that {X}.",
    "{X_cap}, {S} {C}.",
    "“{X_cap},” {S} {C}. “We will not accept it.”",
    '"{X_cap}," said {S}, speaking after the meeting.',
    "According to {S}, {X}.",
    "{S_cap} {C}: “{X_cap}, and we know it.”",
    "''{X_cap},'' {S} {C}, ''and that is final.''",
    "{N}",
    "{N} {S_cap} {C} that {X}.",
]


def synthetic(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        s, x = rnd.choice(SOURCES), rnd.choice(CLAIMS)
        out.append(
            rnd.choice(TEMPLATES).format(
                S=s,
                S_cap=s[0].upper() + s[1:],
                C=rnd.choice(CUES),
                X=x,
                X_cap=x[0].upper() + x[1:],
                N=rnd.choice(NARRATION),
            )
        )
    return out


_NAIVE = re.compile(r"((?:[A-Z][\w.'’-]*\s+){1,4})(said|says|told|added|warned|claimed|argued)\b([^.]*)")


def naive(texts: list[str]) -> list[list[dict]]:
    out = []
    for text in texts:
        items = []
        for m in _NAIVE.finditer(text):
            items.append({"sources": [m.span(1)], "cue": m.span(2), "contents": [m.span(3)]})
        out.append(items)
    return out


def timed(fn, articles: list[list[str]]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds: on a machine shared with other jobs the CPU time is the steadier."""
    t0, c0 = time.perf_counter(), time.process_time()
    found = 0
    for paragraphs in articles:
        found += sum(len(items) for items in fn(paragraphs))
    return time.perf_counter() - t0, time.process_time() - c0, found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--dev", default=str(Path(__file__).resolve().parents[2] / "shared/samples/attribution-dev/text")
    )
    args = ap.parse_args()
    paragraphs = synthetic(args.n, args.seed)
    dev = Path(args.dev)
    if dev.is_dir():
        for path in sorted(dev.glob("*.txt")):
            paragraphs += [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    articles = [paragraphs[i : i + 20] for i in range(0, len(paragraphs), 20)]
    suggest_units(articles[0], "en")  # load the lexicon outside the timing
    ours_wall, ours, ours_found = timed(lambda ps: suggest_units(ps, "en"), articles)
    base_wall, base, base_found = timed(naive, articles)
    n = len(paragraphs)
    rate = n / ours
    print(f"{n} paragraphs in {len(articles)} articles (per CPU second; per wall-clock second in brackets)")
    print(
        f"  suggest_units   {ours:7.3f} s  {rate:9.0f} paragraphs/s ({n / ours_wall:.0f})  {ours_found} attributions"
    )
    print(
        f"  naive baseline  {base:7.3f} s  {n / base:9.0f} paragraphs/s ({n / base_wall:.0f})  {base_found} attributions"
    )
    print(
        f"  ratio (ours / baseline time) {ours / base:.1f}x; target >= 2000 paragraphs/s: {'ok' if rate >= 2000 else 'MISSED'}"
    )
    print(
        json.dumps(
            {
                "paragraphs": n,
                "suggest_per_s": round(rate),
                "suggest_per_wall_s": round(n / ours_wall),
                "baseline_per_s": round(n / base),
                "ratio": round(ours / base, 2),
            }
        )
    )
    return 0 if rate >= 2000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
