"""Measure ingest on every shared development set beside trafilatura alone, in one run.

    .venv/bin/python bench/score_ingest.py [--dev ../shared/samples/dev] [--set html,scraped,dates]
                                           [--json out.json] [--against earlier.json]

For each set (html, scraped, dates) it prints body F1, paragraph F1 and date (and other
metadata) accuracy for our ``read_document`` and for ``trafilatura.extract`` alone, both run
in this process on the same files, then a per-page table of every page where ours scores
below trafilatura (and, with ``--against``, below an earlier run saved with ``--json``), and
every page with a non-empty expected body that came out empty.

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

BODY = {"body", "subheading", "quote"}
SETS = ("html", "scraped", "dates")
# A page counts as worse when its body F1 drops by more than this.
WORSE = 0.005
PARA_WORSE = 0.05


def load_scorer(dev: Path):
    spec = importlib.util.spec_from_file_location("dev_score", dev / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{dev / 'score.py'}: not found (give the dev set with --dev)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(path: Path) -> tuple[list[str], dict]:
    """Body paragraphs and metadata, as bench/dev_adapter.py prints them."""
    try:
        doc = read_document(path.read_bytes(), name=str(path))[0]
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


def trafilatura_alone(path: Path) -> tuple[list[str], dict]:
    """``trafilatura.extract`` with its defaults (one paragraph a line) and its metadata."""
    import trafilatura

    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".txt":
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
    if item.get("meta"):
        row["meta"] = {
            k: sc.meta_match(k, v, meta.get(k))
            for k, v in item["meta"].items()
            if k in sc.META_FIELDS and v not in (None, "", "None")
        }
        row["meta_pred"] = {k: meta.get(k) for k in row["meta"]}
    return row


def run_set(sc, dev: Path, name: str, only: str | None) -> dict:
    items = json.loads((dev / name / "manifest.json").read_text(encoding="utf-8"))["items"]
    if only:
        items = [it for it in items if only in it["id"]]
    out = {}
    for system, fn in (("ours", ours), ("trafilatura", trafilatura_alone)):
        rows, t0 = [], time.perf_counter()
        for it in items:
            paras, meta = fn(dev / it["input"])
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
        for system in ("ours", "trafilatura"):
            s = res[system]
            meta = ", ".join(f"{k} {v:.2f}" for k, v in s.get("meta_accuracy", {}).items())
            empty = sum(1 for r in s["items"] if r.get("true_tokens") and r["pred_paragraphs"] == 0)
            print(
                f"{name:8} {system:12} {s['n']:>3} {_fmt(s, 'precision'):>6} {_fmt(s, 'recall'):>6} "
                f"{_fmt(s, 'f1'):>6} {_fmt(s, 'para_f1'):>6} {empty:>5}  {meta}  ({s['seconds']:.1f} s)"
            )
    failures = 0
    print("\nPages where ours is worse (body F1, or a metadata field trafilatura got right):")
    print(f"{'set':8} {'page':16} {'ours':>6} {'traf.':>6} {'earlier':>7}  what")
    for name, res in results.items():
        theirs = {r["id"]: r for r in res["trafilatura"]["items"]}
        before = {}
        if against and name in against:
            before = {r["id"]: r for r in against[name]["ours"]["items"]}
        for row in res["ours"]["items"]:
            t, b = theirs[row["id"]], before.get(row["id"])
            what = []
            if "f1" in row:
                if row["f1"] < t["f1"] - WORSE:
                    what.append("body below trafilatura")
                if b and row["f1"] < b["f1"] - WORSE:
                    what.append("body below earlier run")
                if row["para_f1"] < t["para_f1"] - PARA_WORSE:
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "samples" / "dev")
    ap.add_argument("--set", default=",".join(SETS), help="comma-separated: html, scraped, dates")
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
    results = {n: run_set(sc, dev, n, args.only) for n in names}
    against = json.loads(args.against.read_text(encoding="utf-8")) if args.against else None
    status = print_report(results, against)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
