"""Measure ingest on every shared development set beside trafilatura alone, in one run.

    .venv/bin/python bench/score_ingest.py [--dev ../shared/samples/dev] [--set html,scraped,scraped2,dates,clean,copied]
                                           [--json out.json] [--against earlier.json]

For each set (html, scraped, dates) it prints body F1, paragraph F1 and date accuracy for our
``read_document`` and for ``trafilatura.extract`` alone, both run in this process on the same
files; then headline, outlet and byline accuracy against bench/data/dev_meta.json (the gold
written by reading each page, see bench/data/README.md), with the wrong values (given and not
the gold) counted apart from the empty ones, because an empty field is better than a wrong one.
The "clean" set is built from that gold in memory: each page as a clean-text article would come
(headline, blank line, the expected paragraphs separated by blank lines), read by ours alone.
The "scraped2" set is the scraped pages copied the other way: the set's own renderer
(``render_page_text.py``, imported) run in the other mode than ``scraped/`` holds (browser
select-all for a naive scraper's text and back), so a rule fitted to one way of copying shows.
The "copied" set is the 40 date pages (other sites than the 54) copied as text both ways by the
same renderer, scored on the date and the headline: right when it is the page's visible <h1> or
its og:title (the page's own words, never our HTML reading's).
Then a per-page table of every page where ours scores below trafilatura (and, with
``--against``, below an earlier run saved with ``--json``), and every page with a non-empty
expected body that came out empty.

The metric is the set's own ``score.py`` (imported, not copied), so the figures are the ones
``score.py --cmd 'python bench/dev_adapter.py {input}'`` prints, without a process per page.
Exits 1 when a page with a non-empty expected body comes out empty.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.ingest import IngestError, read_document  # noqa: E402
from annotator.ingest.decode import decode_bytes  # noqa: E402

BODY = {"body", "subheading", "quote"}
SETS = ("html", "scraped", "scraped2", "dates", "clean", "copied")
GOLD = ROOT / "bench" / "data" / "dev_meta.json"
GOLD_FIELDS = ("headline", "outlet", "byline")
# A page counts as worse when its body F1 drops by more than this.
WORSE = 0.005
PARA_WORSE = 0.05


def load_scorer(dev: Path):
    return _load_module(dev / "score.py", "dev_score")


def _load_module(path: Path, name: str):
    """A script of the dev set, imported as it is (not copied)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.exists():
        raise SystemExit(f"{path}: not found (give the dev set with --dev)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(data: bytes, name: str) -> tuple[list[str], dict]:
    """Body paragraphs and metadata, as bench/dev_adapter.py prints them."""
    try:
        doc = read_document(data, name=name)[0]
    except IngestError:
        return [], {}
    paras = [u.text for u in doc.units if u.kind in BODY]
    meta = {
        "headline": doc.meta.get("title", ""),
        "date": doc.meta.get("published", ""),
        "byline": doc.meta.get("byline", ""),
        "outlet": doc.meta.get("outlet", ""),
        "section": doc.meta.get("section", ""),
    }
    return paras, meta


def trafilatura_alone(data: bytes, name: str) -> tuple[list[str], dict]:
    """``trafilatura.extract`` with its defaults (one paragraph a line) and its metadata."""
    import trafilatura

    raw = data.decode("utf-8", errors="replace")
    if name.endswith(".txt"):
        # Plain text: each line a paragraph of a bare page, the way one would hand it to trafilatura.
        raw = "<html><body>" + "".join(f"<p>{html.escape(x)}</p>" for x in raw.splitlines() if x.strip())
        raw += "</body></html>"
    doc = trafilatura.bare_extraction(raw, with_metadata=True)
    if doc is None:
        return [], {}
    paras = [line for line in (doc.text or "").splitlines() if line.strip()]
    meta = {
        "headline": doc.title or "",
        "date": doc.date or "",
        "byline": doc.author or "",
        "outlet": doc.sitename or "",
        "section": (doc.categories or [""])[0] if doc.categories else "",
    }
    return paras, meta


def score_item(sc, dev: Path, item: dict, paras: list[str], meta: dict) -> dict:
    row = {"id": item["id"], "pred_paragraphs": len(paras), "error": None, "bad_lines": 0}
    pred = "\n\n".join(paras)
    if item.get("expected"):
        true = (dev / item["expected"]).read_text(encoding="utf-8")
        row["tpfpfn"] = sc.tp_fp_fn(true, pred, 4)
        row["tpfpfn1"] = sc.tp_fp_fn(true, pred, 1)
        row["p"], row["r"] = sc.prec(*row["tpfpfn"]), sc.rec(*row["tpfpfn"])
        row["f1"] = sc.f1(row["p"], row["r"])
        row["acc"] = float(sc.tokenize(true) == sc.tokenize(pred))
        tparas = sc.split_paragraphs(true)
        row["true_paragraphs"] = len(tparas)
        row["true_tokens"] = len(sc.tokenize(true))
        row["para_p"], row["para_r"], row["para_f1"] = sc.para_scores(tparas, paras)
    if item.get("gold"):
        # Every gold field is scored, an empty one too: a value where the page names none is wrong.
        row["meta_status"] = {k: _status(sc, k, g, meta.get(k)) for k, g in item["gold"].items()}
        row["meta"] = {k: v == "ok" for k, v in row["meta_status"].items()}
        row["meta_pred"] = {k: meta.get(k) for k in row["meta"]}
    elif item.get("meta"):
        row["meta"] = {
            k: sc.meta_match(k, v, meta.get(k))
            for k, v in item["meta"].items()
            if k in sc.META_FIELDS and v not in (None, "", "None")
        }
        row["meta_pred"] = {k: meta.get(k) for k in row["meta"]}
    return row


def _status(sc, field: str, gold: str | list[str], pred) -> str:
    """ "ok", "empty" or "wrong"; a list of gold values accepts any of them."""
    if not pred:
        return "ok" if not gold else "empty"
    golds = gold if isinstance(gold, list) else [gold]
    return "ok" if any(g and sc.meta_match(field, g, pred) for g in golds) else "wrong"


def _page_headlines(page: str) -> list[str]:
    """The headlines a page shows: its <h1> texts and its og:title."""
    import lxml.html  # trafilatura's own parser, imported only for this set

    tree = lxml.html.fromstring(page)
    found = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    found += [" ".join(c.split()) for c in tree.xpath('//meta[@property="og:title"]/@content')]
    return [h for h in dict.fromkeys(found) if h]


def load_items(sc, dev: Path, name: str, gold: dict) -> list[tuple[dict, bytes, str]]:
    """The set's items, each with its input's bytes and name; html and scraped items carry the
    gold headline, outlet and byline."""
    if name == "clean":
        out = []
        for it in json.loads((dev / "html" / "manifest.json").read_text(encoding="utf-8"))["items"]:
            body = (dev / it["expected"]).read_text(encoding="utf-8")
            g = gold[it["id"]]
            text = g["headline"] + "\n\n" + "\n\n".join(p.strip() for p in sc.split_paragraphs(body)) + "\n"
            item = {**it, "gold": {"headline": g["headline"]}}
            out.append((item, text.encode("utf-8"), it["id"] + ".txt"))
        return out
    if name == "scraped2":
        render = _load_module(dev / "render_page_text.py", "dev_render").render
        out = []
        for it in json.loads((dev / "scraped" / "manifest.json").read_text(encoding="utf-8"))["items"]:
            mode = "naive" if it["render_mode"] == "browser" else "browser"
            page = (dev / "html" / f"{it['id']}.html").read_text(encoding="utf-8", errors="replace")
            item = {**it, "render_mode": mode, "gold": gold[it["id"]]}
            out.append((item, render(page, mode).encode("utf-8"), it["id"] + ".txt"))
        return out
    if name == "copied":
        render = _load_module(dev / "render_page_text.py", "dev_render").render
        out = []
        for it in json.loads((dev / "dates" / "manifest.json").read_text(encoding="utf-8"))["items"]:
            page = decode_bytes((dev / it["input"]).read_bytes())  # the page's own charset
            heads = _page_headlines(page)
            if not heads:
                continue  # a page without a headline of its own scores nothing
            for mode in ("browser", "naive"):
                gold_meta = {"headline": heads, "date": it["meta"]["date"]}
                item = {"id": f"{it['id']}.{mode[0]}", "render_mode": mode, "gold": gold_meta}
                out.append((item, render(page, mode).encode("utf-8"), it["id"] + ".txt"))
        return out
    items = json.loads((dev / name / "manifest.json").read_text(encoding="utf-8"))["items"]
    if name != "dates":
        items = [{**it, "gold": gold[it["id"]]} for it in items]
    return [(it, (dev / it["input"]).read_bytes(), str(dev / it["input"])) for it in items]


def run_set(sc, dev: Path, name: str, only: str | None, gold: dict) -> dict:
    items = [x for x in load_items(sc, dev, name, gold) if not only or only in x[0]["id"]]
    out = {}
    # trafilatura reads HTML: a clean-text article has nothing for it to read.
    systems = (
        (("ours", ours),)
        if name in ("clean", "copied")
        else (("ours", ours), ("trafilatura", trafilatura_alone))
    )
    for system, fn in systems:
        rows, t0 = [], time.perf_counter()
        for it, data, input_name in items:
            paras, meta = fn(data, input_name)
            rows.append(score_item(sc, dev, it, paras, meta))
        seconds = time.perf_counter() - t0
        summary = sc.summarize(name, rows, SimpleNamespace(bootstrap=0))
        summary["seconds"] = seconds
        out[system] = summary
    return out


def _fmt(s: dict, key: str) -> str:
    return f"{s[key]:.3f}" if key in s else "  -  "


def print_report(results: dict, against: dict | None) -> int:
    print(
        f"{'set':8} {'system':12} {'n':>3} {'P':>6} {'R':>6} {'F1':>6} {'paraF1':>6} {'empty':>5}  metadata"
    )
    for name, res in results.items():
        for system, s in res.items():
            meta = ", ".join(f"{k} {v:.2f}" for k, v in s.get("meta_accuracy", {}).items() if k == "date")
            empty = sum(1 for r in s["items"] if r.get("true_tokens") and r["pred_paragraphs"] == 0)
            print(
                f"{name:8} {system:12} {s['n']:>3} {_fmt(s, 'precision'):>6} {_fmt(s, 'recall'):>6} "
                f"{_fmt(s, 'f1'):>6} {_fmt(s, 'para_f1'):>6} {empty:>5}  {meta}  ({s['seconds']:.1f} s)"
            )
    print_meta(results)
    failures = 0
    print("\nPages where ours is worse (body F1, or a metadata field trafilatura got right):")
    print(f"{'set':8} {'page':16} {'ours':>6} {'traf.':>6} {'earlier':>7}  what")
    for name, res in results.items():
        theirs = {r["id"]: r for r in res.get("trafilatura", {"items": []})["items"]}
        before = {}
        if against and name in against:
            before = {r["id"]: r for r in against[name]["ours"]["items"]}
        for row in res["ours"]["items"]:
            t, b = theirs.get(row["id"], {}), before.get(row["id"])
            what = []
            if "f1" in row:
                if t and row["f1"] < t["f1"] - WORSE:
                    what.append("body below trafilatura")
                if b and row["f1"] < b["f1"] - WORSE:
                    what.append("body below earlier run")
                if t and row["para_f1"] < t["para_f1"] - PARA_WORSE:
                    what.append(f"paragraphs {row['para_f1']:.2f} < trafilatura {t['para_f1']:.2f}")
                if b and row["para_f1"] < b["para_f1"] - PARA_WORSE:
                    what.append(f"paragraphs {row['para_f1']:.2f} < earlier {b['para_f1']:.2f}")
                if row.get("true_tokens") and row["pred_paragraphs"] == 0:
                    what.append("EMPTY")
                    failures += 1
            for k, ok in row.get("meta", {}).items():
                if not ok and t.get("meta", {}).get(k):
                    what.append(f"{k} wrong ({row['meta_pred'].get(k)!r}), trafilatura right")
                if b and not ok and b.get("meta", {}).get(k):
                    what.append(f"{k} wrong, earlier run right")
            if what:
                f_ours = f"{row['f1']:.3f}" if "f1" in row else "-"
                f_traf = f"{t['f1']:.3f}" if "f1" in t else "-"
                f_before = f"{b['f1']:.3f}" if b and "f1" in b else "-"
                print(f"{name:8} {row['id']:16} {f_ours:>6} {f_traf:>6} {f_before:>7}  {'; '.join(what)}")
    return 1 if failures else 0


def print_meta(results: dict) -> None:
    """Headline, outlet and byline against the gold: accuracy, then how many were wrong (a value
    that is not the gold) and how many empty (none where the gold has one)."""
    rows = [
        (n, sy, s)
        for n, res in results.items()
        for sy, s in res.items()
        if s["items"] and "meta_status" in s["items"][0]
    ]
    if not rows:
        return
    print(f"\n{'set':8} {'system':12} " + " ".join(f"{f + ' (wrong/empty)':>22}" for f in GOLD_FIELDS))
    for name, system, s in rows:
        cells = []
        for f in GOLD_FIELDS:
            got = [r["meta_status"][f] for r in s["items"] if f in r["meta_status"]]
            cells.append(
                f"{got.count('ok') / len(got):.2f} ({got.count('wrong')}/{got.count('empty')})"
                if got
                else "-"
            )
        print(f"{name:8} {system:12} " + " ".join(f"{c:>22}" for c in cells))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "samples" / "dev")
    ap.add_argument(
        "--set", default=",".join(SETS), help="comma-separated: html, scraped, scraped2, dates, clean, copied"
    )
    ap.add_argument("--only", help="only page ids containing this")
    ap.add_argument("--json", type=Path, help="save the per-page rows here (for a later --against)")
    ap.add_argument("--against", type=Path, help="an earlier --json run to compare each page with")
    args = ap.parse_args()
    dev = args.dev.resolve()
    sc = load_scorer(dev)
    names = [n.strip() for n in args.set.split(",") if n.strip()]
    for n in names:
        if n not in SETS:
            ap.error(f"unknown set {n!r} (expected {', '.join(SETS)})")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    results = {n: run_set(sc, dev, n, args.only, gold) for n in names}
    against = json.loads(args.against.read_text(encoding="utf-8")) if args.against else None
    status = print_report(results, against)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
