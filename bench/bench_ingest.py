"""Benchmark ingest: articles per second for scraped text and HTML, with trafilatura.extract as the baseline.

Generates N varied synthetic articles (default 2,000), each as scraped page text and as an HTML
page with the same article, navigation, teasers, share buttons, ads, newsletter boxes, related
lists, comments and footers, then times, in one run:

- ``read_document`` on the scraped text,
- ``read_document`` on the HTML,
- ``trafilatura.extract`` alone on the same HTML (the baseline the HTML path is held to: ≤ 1.2×).

It also reports how much of each known body the ingest kept (token recall and precision), so
a speed-up that loses text shows, and times two inputs far past an article (2,000,000 short
lines, refused; 49,000 lines that each continue the one before, read) with their peak memory.
Prints a table and a final JSON line.

    python bench/bench_ingest.py [--n 2000] [--seed 1] [--html-dir ../shared/samples/dev/html]
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

import trafilatura  # noqa: E402

from annotator.ingest import read_document  # noqa: E402

SUBJECTS = [
    "The city council",
    "Health officials",
    "The central bank",
    "A group of researchers",
    "Local residents",
    "The prime minister",
    "Union leaders",
    "The company",
    "Police",
    "Scientists at the university",
    "The football club",
    "Regulators",
    "The airline",
    "Teachers",
    "Farmers in the region",
]
VERBS = [
    "announced",
    "warned",
    "confirmed",
    "denied",
    "said",
    "reported",
    "argued",
    "revealed",
    "agreed",
    "suggested",
    "insisted",
    "estimated",
]
OBJECTS = [
    "that the new rules would take effect next month",
    "that costs had risen by 12 percent since March",
    "a plan to cut emissions by half before 2035",
    "that talks would continue over the weekend",
    "that the results were better than expected",
    "a delay to the project of at least a year",
    "that more than 4,000 people had been affected",
    "new funding for rural schools and clinics",
    "that the decision had been made without consultation",
    "an inquiry into the handling of the case",
]
TAILS = [
    "according to a statement released on Tuesday",
    "in an interview with reporters",
    "although critics were unconvinced",
    "after weeks of speculation",
    "citing figures from last year",
    "while promising a full review",
    "in a move welcomed by campaigners",
    "despite strong opposition",
]
QUOTES = [
    "“We will not back down,” she said.",
    "“This is a turning point for all of us,” he told reporters.",
    "“Nobody saw this coming.”",
    "“We need answers, and we need them now,” said one resident.",
]
HEADS = ["What happens next", "Background", "Reaction", "The numbers", "A long road"]
NAV = [
    "Home",
    "News",
    "World",
    "Business",
    "Politics",
    "Sport",
    "Culture",
    "Science",
    "Health",
    "Travel",
    "Opinion",
    "Video",
    "Podcasts",
    "Weather",
    "Local",
    "Tech",
    "Money",
    "Style",
    "Food",
    "Jobs",
]
TEASERS = [
    "Ten things to know before the vote",
    "Why rents keep rising in the capital",
    "Inside the race to build a better battery",
    "The village that refused to move",
    "How a small team rebuilt the old bridge",
    "Markets slide as oil prices jump",
    "Stars turn out for the film festival opening",
    "The quiet return of the night train",
]
OUTLETS = ["The Daily Lantern", "Northern Courier", "Metro Ledger", "The Harbour Times", "Valley Post"]
NAMES = ["Jane Okafor", "Tom Brennan", "Maria Costa", "Ken Ito", "Rosa Lindqvist", "Amir Haddad"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def sentence(rnd: random.Random) -> str:
    return f"{rnd.choice(SUBJECTS)} {rnd.choice(VERBS)} {rnd.choice(OBJECTS)}, {rnd.choice(TAILS)}."


def article(rnd: random.Random) -> dict:
    paras: list[tuple[str, str]] = []
    for i in range(rnd.randint(4, 14)):
        if i > 2 and rnd.random() < 0.12:
            paras.append(("subheading", rnd.choice(HEADS)))
        if rnd.random() < 0.1:
            paras.append(("body", rnd.choice(QUOTES)))
        else:
            paras.append(("body", " ".join(sentence(rnd) for _ in range(rnd.randint(1, 4)))))
    month = rnd.randrange(12)
    return {
        "title": f"{rnd.choice(SUBJECTS)} {rnd.choice(VERBS)} plan after {rnd.choice(['talks', 'review', 'vote', 'protests'])}"
        f" in {rnd.choice(['Lisbon', 'Osaka', 'Leeds', 'Quito', 'Perth', 'Tromsø'])}",
        "standfirst": sentence(rnd),
        "byline": rnd.choice(NAMES),
        "date": f"{MONTHS[month]} {rnd.randint(1, 28)}, {rnd.randint(2015, 2024)}",
        "outlet": rnd.choice(OUTLETS),
        "caption": f"{rnd.choice(SUBJECTS)} at the meeting on Monday.",
        "credit": rnd.choice(["Reuters", "Getty Images", "AP Photo/Sam Lee", "Ana Ruiz"]),
        "paras": paras,
    }


def scraped(a: dict, rnd: random.Random) -> str:
    out = [a["title"] + " | " + a["outlet"]] if rnd.random() < 0.5 else []
    out += rnd.sample(NAV, rnd.randint(5, len(NAV)))
    out += [
        "",
        a["title"],
        "",
        a["standfirst"],
        "",
        f"By {a['byline']}",
        a["date"],
        "",
        f"{a['caption']} Photo: {a['credit']}",
        "",
        "Share",
        "Tweet",
        "Email",
        "",
    ]
    for i, (_, text) in enumerate(a["paras"]):
        out += [text, ""]
        r = rnd.random()
        if i == 2 and r < 0.3:
            t = rnd.choice(TEASERS)
            out += [t, "Read more", t, ""]
        elif r < 0.1:
            out += ["Advertisement", ""]
        elif r < 0.15:
            out += ["Sign up for our newsletter", "Get the best stories in your inbox every morning.", ""]
    out += ["Related stories"] + rnd.sample(TEASERS, 4) + [""]
    if rnd.random() < 0.4:
        out += [f"{rnd.randint(2, 90)} comments", ""]
        out += [sentence(rnd) + " " + sentence(rnd) for _ in range(rnd.randint(1, 6))]
    out += [
        "",
        "About us",
        "Contact us",
        "Privacy Policy",
        f"© 2024 {a['outlet']}. All rights reserved.",
        "We use cookies to improve your experience.",
        "Accept cookies",
    ]
    return "\n".join(out) + "\n"


def html_page(a: dict, rnd: random.Random) -> str:
    nav = "".join(
        f'<li class="nav-item"><a href="/{n.lower()}">{n}</a></li>'
        for n in rnd.sample(NAV, rnd.randint(5, len(NAV)))
    )
    script = (
        "<script>var cfg = {" + ",".join(f'"k{i}": {i}' for i in range(rnd.randint(50, 400))) + "};</script>"
    )
    style = "<style>" + " ".join(f".c{i}{{margin:{i}px}}" for i in range(rnd.randint(50, 300))) + "</style>"
    body = []
    for i, (kind, text) in enumerate(a["paras"]):
        body.append(
            f"<h2>{text}</h2>"
            if kind == "subheading"
            else f"<blockquote><p>{text}</p></blockquote>"
            if text.startswith("“")
            else f"<p>{text}</p>"
        )
        r = rnd.random()
        if i == 2 and r < 0.3:
            t = rnd.choice(TEASERS)
            body.append(f'<div class="teaser"><a href="/t">{t}</a><a href="/t">Read more</a></div>')
        elif r < 0.1:
            body.append('<div class="ad"><span>Advertisement</span></div>')
    related = "".join(f'<li><a href="/r{i}">{t}</a></li>' for i, t in enumerate(rnd.sample(TEASERS, 4)))
    comments = ""
    if rnd.random() < 0.4:
        comments = (
            '<section class="comments"><h3>Comments</h3>'
            + "".join(f'<div class="comment"><p>{sentence(rnd)}</p></div>' for _ in range(rnd.randint(1, 6)))
            + "</section>"
        )
    wrap_open = "".join(f'<div class="w{i}">' for i in range(rnd.randint(2, 8)))
    wrap_close = "</div>" * wrap_open.count("<div")
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{a["title"]} - {a["outlet"]}</title>'
        f'<meta property="og:site_name" content="{a["outlet"]}"><meta name="author" content="{a["byline"]}">'
        f"{style}{script}</head><body>"
        f'<header><a class="logo" href="/">{a["outlet"]}</a><nav><ul>{nav}</ul></nav></header>'
        f'<main>{wrap_open}<article><h1>{a["title"]}</h1><p class="standfirst">{a["standfirst"]}</p>'
        f'<div class="byline">By {a["byline"]}</div><time>{a["date"]}</time>'
        f'<figure><img src="x.jpg" alt=""><figcaption>{a["caption"]} Photo: {a["credit"]}</figcaption></figure>'
        f'<div class="share"><a>Share</a><a>Tweet</a></div>{"".join(body)}</article>'
        f"<aside><h3>Related stories</h3><ul>{related}</ul></aside>{comments}{wrap_close}</main>"
        f'<footer><p>© 2024 {a["outlet"]}. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>'
        f"{script}</body></html>"
    )


TOKEN = re.compile(r"\w+")


def overlap(truth: list[str], got: list[str]) -> tuple[float, float]:
    """Return (recall, precision) of body tokens."""
    t, g = TOKEN.findall(" ".join(truth)), TOKEN.findall(" ".join(got))
    from collections import Counter

    common = sum((Counter(t) & Counter(g)).values())
    return (common / len(t) if t else 1.0), (common / len(g) if g else 0.0)


def timed(fn, items) -> tuple[float, list]:
    """Return (CPU seconds, results): CPU time, because the benchmark may share the machine."""
    out = []
    start = time.process_time()
    for x in items:
        out.append(fn(x))
    return time.process_time() - start, out


def interleaved(fns, items) -> tuple[list[float], list[list]]:
    """Return (CPU seconds per function, results per function), calling each function on an item in turn.

    The order turns round from one item to the next: what one call leaves in the processor's
    caches and the allocator changes the time of the call after it, and a fixed order would
    hand that to the same function every time."""
    totals = [0.0] * len(fns)
    outs: list[list] = [[] for _ in fns]
    for n, x in enumerate(items):
        order = range(len(fns)) if n % 2 == 0 else reversed(range(len(fns)))
        for k in order:
            start = time.process_time()
            outs[k].append(fns[k](x))
            totals[k] += time.process_time() - start
    return totals, outs


def huge_inputs() -> dict:
    """Time the inputs far past an article: a 2,000,000-line text (refused) and 49,000 lines that
    each continue the one before (read).  Both must take seconds, not minutes."""
    import tracemalloc

    from annotator.ingest import IngestError

    out = {}
    cases = {
        "two_million_lines": "\n".join(("ab", "c", "de", "x")[i % 4] for i in range(2_000_000)).encode(),
        "continued_49k_lines": "\n".join(["The ferry runs"] + ["and stops at every pier"] * 49_000).encode(),
    }
    for name, data in cases.items():
        tracemalloc.start()
        start = time.process_time()
        try:
            read_document(data, name=f"{name}.txt")
            result = "read"
        except IngestError as e:
            result = f"refused: {e}"
        secs = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(f"{name} ({len(data) / 1e6:.1f} MB): {secs:.2f} s, peak {peak:.0f} MB, {result[:70]}")
        out[f"{name}_s"] = round(secs, 2)
        out[f"{name}_peak_mb"] = round(peak, 1)
    return out


def main() -> None:
    """Generate the corpus, time the three paths, print a table and a JSON line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="articles to generate (default 2000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--html-dir", help="also time the saved pages (*.html) of this folder, e.g. a dev set")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    arts = [article(rnd) for _ in range(args.n)]
    texts = [scraped(a, rnd).encode("utf-8") for a in arts]
    pages = [html_page(a, rnd).encode("utf-8") for a in arts]

    def body(docs):
        return [[u.text for u in d[0].units if u.kind in ("body", "subheading", "quote")] for d in docs]

    # Warm up imports and caches outside the timings.
    read_document(texts[0]), read_document(pages[0]), trafilatura.extract(pages[0])
    t_text, text_docs = timed(lambda b: read_document(b, format="text"), texts)
    # The two HTML paths alternate page by page, so a busy machine slows both alike.
    (t_html, t_traf), (html_docs, _) = interleaved(
        [lambda b: read_document(b, format="html"), trafilatura.extract], pages
    )

    truths = [[t for _, t in a["paras"]] for a in arts]
    rows = []
    for name, secs, docs in (
        ("scraped text → read_document", t_text, text_docs),
        ("HTML → read_document", t_html, html_docs),
        ("HTML → trafilatura.extract", t_traf, None),
    ):
        rec = prec = None
        if docs is not None:
            pairs = [overlap(t, g) for t, g in zip(truths, body(docs), strict=True)]
            rec = sum(p[0] for p in pairs) / len(pairs)
            prec = sum(p[1] for p in pairs) / len(pairs)
        rows.append((name, secs, args.n / secs, rec, prec))
    print(f"{'path':32s} {'cpu s':>8s} {'articles/s':>11s} {'recall':>7s} {'precision':>9s}")
    for name, secs, rate, rec, prec in rows:
        print(
            f"{name:32s} {secs:8.2f} {rate:11.1f} {'' if rec is None else f'{rec:.3f}':>7s} "
            f"{'' if prec is None else f'{prec:.3f}':>9s}"
        )
    ratio = t_html / t_traf
    print(f"HTML ingest / trafilatura alone: {ratio:.2f}x (target <= 1.2)")
    real = {}
    if args.html_dir:
        saved = [p.read_bytes() for p in sorted(Path(args.html_dir).glob("*.html"))] * 3
        (r_html, r_traf), _ = interleaved(
            [lambda b: read_document(b, format="html"), trafilatura.extract], saved
        )
        real = {
            "saved_pages": len(saved),
            "saved_html_vs_trafilatura": round(r_html / r_traf, 3),
            "saved_html_articles_per_s": round(len(saved) / r_html, 1),
        }
        print(
            f"saved pages ({len(saved)} runs): {len(saved) / r_html:.1f} articles/s, "
            f"{r_html / r_traf:.2f}x trafilatura alone"
        )
    huge = huge_inputs()
    print(
        json.dumps(
            {
                **huge,
                "articles": args.n,
                "text_articles_per_s": round(args.n / t_text, 1),
                "html_articles_per_s": round(args.n / t_html, 1),
                "trafilatura_articles_per_s": round(args.n / t_traf, 1),
                "html_vs_trafilatura": round(ratio, 3),
                "text_body_recall": round(rows[0][3], 4),
                "text_body_precision": round(rows[0][4], 4),
                "html_body_recall": round(rows[1][3], 4),
                "html_body_precision": round(rows[1][4], 4),
                "text_bytes_mean": sum(map(len, texts)) // args.n,
                "html_bytes_mean": sum(map(len, pages)) // args.n,
                **real,
            }
        )
    )


if __name__ == "__main__":
    main()
