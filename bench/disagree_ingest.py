"""List the pages on which two readings of the same article disagree most: a way to find
extraction failures on pages nobody has marked a gold body for.

    .venv/bin/python bench/disagree_ingest.py [--dev ../shared/samples/dev] [--set dates] [--top 15]

For every HTML page of the set it compares, with the scorer's 4-token shingle F1:

- ``traf``: our HTML reading against trafilatura's ``extract`` alone;
- ``browser`` and ``naive``: our reading of the page copied as text (the set's own renderer, in
  both modes) against our HTML reading.

Neither side is gold: a low figure says the two differ, and reading the page says which is
wrong (both found faults: a slideshow whose body was menu text, an article cut at its own
dateline, a list after a colon lost in the text reading).  The mean of each column is printed
first, then the pages with the lowest figure in any column.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import score_ingest as si  # noqa: E402

from annotator.ingest.decode import decode_bytes  # noqa: E402


def _f1(sc, a: list[str], b: list[str]) -> float:
    tp, fp, fn = sc.tp_fp_fn("\n\n".join(b), "\n\n".join(a), 4)
    return sc.f1(sc.prec(tp, fp, fn), sc.rec(tp, fp, fn))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", type=Path, default=si.ROOT.parent / "shared" / "samples" / "dev")
    ap.add_argument("--set", default="dates", help="a folder of the dev set holding .html pages")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    dev = args.dev.resolve()
    sc = si.load_scorer(dev)
    render = si._load_module(dev / "render_page_text.py", "dev_render").render
    rows = []
    for path in sorted((dev / args.set).glob("*.html")):
        data = path.read_bytes()
        ours, _ = si.ours(data, str(path))
        theirs, _ = si.trafilatura_alone(data, str(path))
        page = decode_bytes(data)  # as the import reads it: the page's own charset
        row = {"page": path.stem, "traf": _f1(sc, ours, theirs)}
        for mode in ("browser", "naive"):
            copied, _ = si.ours(render(page, mode).encode("utf-8"), path.stem + ".txt")
            row[mode] = _f1(sc, copied, ours)
        rows.append(row)
    cols = ("traf", "browser", "naive")
    print("mean   " + "  ".join(f"{c} {statistics.mean(r[c] for r in rows):.3f}" for c in cols))
    print(f"\n{'page':18} " + " ".join(f"{c:>8}" for c in cols))
    for r in sorted(rows, key=lambda r: min(r[c] for c in cols))[: args.top]:
        print(f"{r['page']:18} " + " ".join(f"{r[c]:8.2f}" for c in cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
