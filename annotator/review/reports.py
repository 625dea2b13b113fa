"""Agreement reports of a project (from SQLite, in parallel when large) or of an ``all`` export file."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import sqlite_utils

from .. import agreement
from ..errors import Invalid
from ..scheme import Scheme, list_schemes, load_scheme
from ..store import connect, reviewing, write
from .queue import CHUNK, _group, project_fields

#: The code the cached counts were made by: counts pickled by another version are recounted.
CHUNK_FORMAT = hashlib.sha256(
    b"".join(
        Path(m.__file__).read_bytes()
        for m in (agreement.fields, agreement.pairs, agreement.alignment, agreement.layout)
    )
).hexdigest()[:16]
#: Recount in worker processes when at least this many blocks changed.
PARALLEL_MIN_CHUNKS = 8
#: The agreement page recounts by itself when at most this many blocks changed; else it shows the
#: last report until someone asks for a new one.
INLINE_MAX_CHUNKS = 10
THRESHOLDS = (0.667, 0.8)


def chunk_fingerprint(fields: Scheme | agreement.Layout) -> str:
    """Return what a block's cached counts are valid for: this code and the compared fields of the scheme.

    Counts made under another scheme's field lists hold other attributes at the same places: recounted.
    """
    return f"{CHUNK_FORMAT}-{agreement.layout_of(fields).key}"


def _count(
    db: sqlite_utils.Database, project_id: int, chunks: list[int], fields: agreement.Layout | None = None
) -> dict[int, bytes]:
    """Return each block's agreement counts, read and counted from ``db``, pickled (to keep and to send)."""
    names = reviewing.user_names(db)
    out = {}
    for k in chunks:
        acc = agreement.FieldAccumulator(fields)
        for item in _group(
            reviewing.iter_raw_annotations(db, project_id, lo=k * CHUNK, hi=(k + 1) * CHUNK), names
        ):
            acc.add(item)
        out[k] = pickle.dumps(acc, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def _worker(args: tuple) -> dict[int, bytes]:
    """Worker process: count some blocks over its own connection to the database file."""
    path, project_id, chunks, fields = args
    db = connect(path, migrate=False)
    try:
        return _count(db, project_id, chunks, fields)
    finally:
        db.close()


def _count_all(
    db, project_id: int, chunks: list[int], workers: int, fields: agreement.Layout
) -> dict[int, bytes]:
    path = reviewing.database_path(db)
    if not path or workers < 2 or len(chunks) < PARALLEL_MIN_CHUNKS:
        return _count(db, project_id, chunks, fields)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # interleaved, so each worker gets blocks from the whole id range
    parts = [chunks[w::workers] for w in range(workers)]
    ctx = multiprocessing.get_context("spawn")
    out: dict[int, bytes] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for counted in pool.map(_worker, [(path, project_id, part, fields) for part in parts if part]):
            out.update(counted)
    return out


def _stale(chunks: Mapping[int, dict], fingerprint: str) -> list[int]:
    return sorted(
        k for k, c in chunks.items() if c["counted"] != c["changes"] or c["fingerprint"] != fingerprint
    )


def agreement_report(
    db: sqlite_utils.Database, project: Mapping, *, workers: int | None = None, cache: bool = True
) -> dict:
    """Return the project's agreement per field, per annotator pair and per paragraph (``field_report``'s shape).

    Counts are kept per block of paragraph ids (``cache``): only blocks whose annotations changed since
    they were counted are recounted, in worker processes when many did (``workers``, default one per
    CPU); the blocks' counts are merged, and the figures equal a single pass over the annotations. The
    fields compared are those of the project's scheme.
    """
    pid = project["id"]
    fields = project_fields(project)
    fingerprint = chunk_fingerprint(fields)
    chunks = reviewing.list_chunks(db, pid)
    stale = set(_stale(chunks, fingerprint)) if cache else set(chunks)
    merged = agreement.FieldAccumulator(fields)
    kept = reviewing.load_chunk_states(db, pid, sorted(set(chunks) - stale))
    parts: dict[int, agreement.FieldAccumulator] = {}
    for k, state in kept.items():
        try:
            parts[k] = pickle.loads(state)
        except Exception:  # counts pickled by other code: count again
            stale.add(k)
    counted = _count_all(db, pid, sorted(stale), workers or os.cpu_count() or 1, fields)
    if cache and counted:
        try:
            with write(db):
                reviewing.save_chunk_states(
                    db, pid, {k: (fingerprint, chunks[k]["changes"], state) for k, state in counted.items()}
                )
        except sqlite3.OperationalError:  # a read-only database: the report is still right, just not kept
            pass
    parts.update((k, pickle.loads(state)) for k, state in counted.items())
    for k in sorted(parts):
        merged.merge(parts[k])
    return merged.report()


def stale_chunks(db: sqlite_utils.Database, project: Mapping) -> int:
    """Return how many blocks of the project's agreement counts a report would have to recount."""
    fingerprint = chunk_fingerprint(project_fields(project))
    return len(_stale(reviewing.list_chunks(db, project["id"]), fingerprint))


def report_summary(report: Mapping) -> dict:
    """Return a report without its per-paragraph figures, plus how many paragraphs it covered."""
    paragraphs = report.get("paragraphs") or {}
    multi = sum(1 for p in paragraphs.values() if p["n_annotators"] >= 2)
    return {
        "fields": report["fields"],
        "pairs": report["pairs"],
        "alignment": report.get("alignment") or {},
        "annotators": report["annotators"],
        "n_paragraphs": len(paragraphs),
        "n_multi": multi,
    }


def project_report(db: sqlite_utils.Database, project: Mapping, *, recompute: bool = False) -> dict:
    """Return the project's report summary for the agreement page, cached until the annotations change.

    When many annotations changed since the last report, the last one is returned as it is (``stale``
    true) unless ``recompute``: the page stays fast and says so.
    """
    fingerprint = reviewing.chunks_generation(db, project["id"])
    cached = reviewing.find_agreement_report(db, project["id"])
    fresh = cached is not None and cached["fingerprint"] == fingerprint
    if (not fresh or recompute) and (
        recompute or cached is None or stale_chunks(db, project) <= INLINE_MAX_CHUNKS
    ):
        t0 = time.perf_counter()
        summary = report_summary(agreement_report(db, project))
        seconds = time.perf_counter() - t0
        with write(db):
            reviewing.save_agreement_report(
                db, project["id"], fingerprint=fingerprint, report=summary, seconds=seconds
            )
        cached = reviewing.find_agreement_report(db, project["id"])
    return {
        **cached["report"],
        "computed_at": cached["computed_at"],
        "seconds": cached["seconds"],
        "stale": cached["fingerprint"] != fingerprint,
        "histogram": reviewing.disagreement_histogram(db, project["id"]),
        "most_disagreeing": reviewing.list_most_disagreeing(db, project["id"]),
        "counts": reviewing.count_review_items(db, project["id"]),
        "thresholds": THRESHOLDS,
    }


def report_from_jsonl(lines: Iterable[str], scheme: Scheme | None = None) -> dict:
    """Return the agreement report of an ``all`` export (one JSON object per paragraph and annotator).

    Lines of one paragraph must be together (as exports write them). The fields compared are ``scheme``'s;
    without one, those of the scheme the first record names in ``schema`` when it is a shipped scheme (the
    default scheme when it names none). Raises ``Invalid`` naming the first bad line, or the line naming a
    scheme that is not shipped or differs from the first line's.
    """
    acc = None
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
        if acc is None:
            acc = agreement.FieldAccumulator(scheme or _named_scheme(record.get("schema"), number))
            first = record.get("schema")
        elif scheme is None and record.get("schema") != first:
            raise Invalid(f"line {number}: scheme {record.get('schema')!r}, where line 1 has {first!r}")
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
    return (acc or agreement.FieldAccumulator(scheme)).report()


def _named_scheme(name, number: int) -> Scheme | None:
    if name is None:
        return None
    if not isinstance(name, str) or name not in list_schemes():
        raise Invalid(
            f"line {number}: scheme {name!r} is not one shipped ({', '.join(list_schemes())}); "
            "give its file with --scheme"
        )
    return load_scheme(name, extended="all")
