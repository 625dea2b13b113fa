"""Agreement reports of a project (from SQLite, in parallel when large) or of an ``all`` export file."""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterable, Mapping

import sqlite_utils

from .. import agreement
from ..errors import Invalid
from ..store import connect, reviewing, write
from .queue import _group, _project

#: Above this many annotations the agreement report is computed in worker processes, and the web page
#: shows the cached report until someone asks for a new one.
PARALLEL_MIN_ANNOTATIONS = 30_000
INLINE_MAX_ANNOTATIONS = 30_000
THRESHOLDS = (0.667, 0.8)

# -- agreement reports -------------------------------------------------------------------------------------


def _chunk(args: tuple) -> agreement.FieldAccumulator:
    """Worker: accumulate one range of paragraph ids read from the database file."""
    path, project_id, lo, hi = args
    db = connect(path, migrate=False)
    try:
        acc = agreement.FieldAccumulator()
        for item in _group(
            reviewing.iter_raw_annotations(db, project_id, lo=lo, hi=hi), reviewing.user_names(db)
        ):
            acc.add(item)
        return acc
    finally:
        db.close()


def _ranges(ids: list[int], parts: int) -> list[tuple[int, int | None]]:
    step = max(1, math.ceil(len(ids) / parts))
    bounds = [ids[k] for k in range(0, len(ids), step)]
    return [(lo, bounds[k + 1] if k + 1 < len(bounds) else None) for k, lo in enumerate(bounds)]


def agreement_report(
    db: sqlite_utils.Database, project: Mapping | int, *, workers: int | None = None
) -> dict:
    """Return the project's agreement per field, per annotator pair and per paragraph (``field_report``'s shape).

    Large projects are split by paragraph id over worker processes (``workers``, default one per CPU),
    each reading its own connection; their counts are merged, so the figures are the same as one pass.
    """
    project = _project(db, project)
    path = reviewing.database_path(db)
    ids = reviewing.paragraph_id_bounds(db, project["id"])
    workers = workers or os.cpu_count() or 1
    if path and workers > 1 and len(ids) * 2 >= PARALLEL_MIN_ANNOTATIONS:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ranges = _ranges(ids, workers)
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(ranges)), mp_context=ctx) as pool:
            parts = list(pool.map(_chunk, [(path, project["id"], lo, hi) for lo, hi in ranges]))
        acc = parts[0]
        for part in parts[1:]:
            acc.merge(part)
    else:
        acc = agreement.FieldAccumulator()
        for item in _group(reviewing.iter_raw_annotations(db, project["id"]), reviewing.user_names(db)):
            acc.add(item)
    return acc.report()


def report_summary(report: Mapping) -> dict:
    """Return a report without its per-paragraph figures, plus how many paragraphs it covered."""
    paragraphs = report.get("paragraphs") or {}
    multi = sum(1 for p in paragraphs.values() if p["n_annotators"] >= 2)
    return {
        "fields": report["fields"],
        "pairs": report["pairs"],
        "annotators": report["annotators"],
        "n_paragraphs": len(paragraphs),
        "n_multi": multi,
    }


def project_report(db: sqlite_utils.Database, project: Mapping, *, recompute: bool = False) -> dict:
    """Return the project's report summary for the agreement page, cached until the annotations change.

    A stale cache of a large project is returned as it is (``stale`` true) unless ``recompute``.
    """
    fingerprint = reviewing.annotations_fingerprint(db, project["id"])
    cached = reviewing.find_agreement_report(db, project["id"])
    fresh = cached is not None and cached["fingerprint"] == fingerprint
    small = int(fingerprint.split(":", 1)[0]) <= INLINE_MAX_ANNOTATIONS
    if fresh and not recompute:
        out = cached
    elif recompute or small or cached is None:
        t0 = time.perf_counter()
        summary = report_summary(agreement_report(db, project))
        seconds = time.perf_counter() - t0
        with write(db):
            reviewing.save_agreement_report(
                db, project["id"], fingerprint=fingerprint, report=summary, seconds=seconds
            )
        out = reviewing.find_agreement_report(db, project["id"])
    else:
        out = cached
    summary = out["report"]
    return {
        **summary,
        "computed_at": out["computed_at"],
        "seconds": out["seconds"],
        "stale": out["fingerprint"] != fingerprint,
        "histogram": reviewing.disagreement_histogram(db, project["id"]),
        "most_disagreeing": reviewing.list_most_disagreeing(db, project["id"]),
        "counts": reviewing.count_review_items(db, project["id"]),
        "thresholds": THRESHOLDS,
    }


def report_from_jsonl(lines: Iterable[str]) -> dict:
    """Return the agreement report of an ``all`` export (one JSON object per paragraph and annotator).

    Lines of one paragraph must be together (as exports write them). Raises ``Invalid`` naming the first
    bad line.
    """
    acc = agreement.FieldAccumulator()
    seen: set = set()
    pid, annotations = None, {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise Invalid(f"line {number}: not JSON ({e.msg}, column {e.colno})") from None
        if not isinstance(record, dict):
            raise Invalid(f"line {number}: expected a JSON object")
        missing = [k for k in ("paragraph_id", "annotator", "labels") if k not in record]
        if missing:
            raise Invalid(f"line {number}: missing {', '.join(missing)}")
        if not isinstance(record["labels"], dict):
            raise Invalid(f"line {number}: labels must be a JSON object")
        if not isinstance(record["annotator"], str) or not record["annotator"]:
            raise Invalid(f"line {number}: annotator must be a non-empty string")
        key = record["paragraph_id"]
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise Invalid(f"line {number}: paragraph_id must be a string")
        if key != pid:
            if annotations:
                acc.add({"paragraph_id": pid, "annotations": annotations})
                seen.add(pid)
            if key in seen:
                raise Invalid(f"line {number}: paragraph {key} appears again after other paragraphs; "
                              "keep each paragraph's lines together")  # fmt: skip
            pid, annotations = key, {}
        if record["annotator"] in annotations:
            raise Invalid(f"line {number}: a second line for {record['annotator']} on paragraph {key}")
        annotations[record["annotator"]] = record["labels"]
    if annotations:
        acc.add({"paragraph_id": pid, "annotations": annotations})
    return acc.report()
