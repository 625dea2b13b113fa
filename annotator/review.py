"""Reviewing: the queue of disagreements, unanimous gold, decisions with history, agreement reports, feedback.

Call :func:`annotation_saved` after every annotation save: it keeps the paragraph's disagreement (the
queue's sort key) current and makes unanimous paragraphs gold when the project wants that.
"""

from __future__ import annotations

import copy
import json
import math
import os
import time
from collections.abc import Iterable, Iterator, Mapping

import sqlite_utils

from . import accounts, agreement
from .errors import Forbidden, Invalid, NotFound
from .scheme import load_scheme, normalize, validate
from .store import connect, decisions, events, projects, reviewing, write

PER_PAGE = 50
#: Above this many annotations the agreement report is computed in worker processes, and the web page
#: shows the cached report until someone asks for a new one.
PARALLEL_MIN_ANNOTATIONS = 30_000
INLINE_MAX_ANNOTATIONS = 30_000
THRESHOLDS = (0.667, 0.8)


# -- access ------------------------------------------------------------------------------------------------


def project_for_reviewer(db: sqlite_utils.Database, project_id: int, user: dict) -> dict:
    """Return the project if ``user`` reviews in it (a reviewer member, or an admin); else raise ``Forbidden``."""
    project = projects.get_project(db, project_id)
    role = _member_role(db, project, user)
    if role is None or not accounts.has_role({"role": role}, "reviewer"):
        raise Forbidden("reviewing this project is for its reviewers")
    return project


def project_for_feedback(db: sqlite_utils.Database, project_id: int, user: dict) -> dict:
    """Return the project if ``user`` is a member and the project shows annotators their feedback."""
    project = projects.get_project(db, project_id)
    if _member_role(db, project, user) is None:
        raise Forbidden("you are not a member of this project")
    if not project["settings"].get("feedback"):
        raise NotFound("this project does not show annotators feedback on their labels")
    return project


def _member_role(db, project: dict, user: dict) -> str | None:
    if accounts.has_role(user, "admin"):
        return "admin"
    return projects.find_member_role(db, project["id"], user["id"])


def _project(db, project: Mapping | int) -> dict:
    return projects.get_project(db, project) if isinstance(project, int) else dict(project)


# -- keeping the queue current -----------------------------------------------------------------------------


def _auto_gold(project: Mapping, n: int) -> bool:
    return bool(project["settings"].get("auto_gold_unanimous", True)) and n >= max(2, int(project["overlap"]))


def _figures(n: int, disagreement: float) -> dict:
    return {"n_annotators": n, "disagreement": round(disagreement, 6)}


def annotation_saved(db: sqlite_utils.Database, *, project: Mapping | int, paragraph_id: int) -> dict | None:
    """Update a paragraph's place in the review queue after one of its annotations changed; return its item.

    Recomputes the paragraph's disagreement; makes it gold (source ``unanimous``) when every annotator agrees,
    enough have labelled it and the project's ``auto_gold_unanimous`` is on; withdraws such an automatic
    decision when a later save breaks the unanimity; marks an adjudicated decision as stale. Returns ``None``
    when the paragraph has fewer than two annotations. Runs in one write transaction (a savepoint when the
    caller already holds one).
    """
    project = _project(db, project)
    with write(db):
        rows = reviewing.list_paragraph_annotations(db, paragraph_id)
        annotations = {row["name"]: row["labels"] for row in rows}
        decision = decisions.find_decision(db, paragraph_id)
        source = decision["source"] if decision else None
        if len(annotations) < 2:
            reviewing.delete_review_item(db, paragraph_id)
            if source == "unanimous":
                _withdraw(db, project, paragraph_id, decision)
            return None
        disagreement = agreement.paragraph_disagreement(annotations)
        unanimous = agreement.is_unanimous(annotations)
        item = {
            "paragraph_id": paragraph_id,
            "project_id": project["id"],
            "n_annotations": len(annotations),
            "disagreement": disagreement,
            "unanimous": int(unanimous),
            "stale": 0,
        }
        if source == "adjudicated":
            item.update(state="decided", stale=1)
        elif source == "unanimous" and unanimous:
            item["state"] = "unanimous"
        else:
            if source == "unanimous":
                _withdraw(db, project, paragraph_id, decision)
            if unanimous and _auto_gold(project, len(annotations)):
                decisions.insert_unanimous_decisions(
                    db, [_unanimous_row(paragraph_id, annotations, disagreement)]
                )
                item["state"] = "unanimous"
            else:
                item["state"] = "open"
        reviewing.upsert_review_items(db, [item])
    return item


def _unanimous_row(paragraph_id: int, annotations: Mapping[str, Mapping], disagreement: float) -> dict:
    first = annotations[min(annotations)]
    return {
        "paragraph_id": paragraph_id,
        "labels": json.dumps(first, ensure_ascii=False),
        "annotators": json.dumps(sorted(annotations)),
        "agreement": json.dumps(_figures(len(annotations), disagreement)),
    }


def _withdraw(db, project: Mapping, paragraph_id: int, decision: Mapping) -> None:
    decisions.delete_decision(db, paragraph_id)
    events.log_event(
        db,
        "decision.withdrawn",
        project_id=project["id"],
        paragraph_id=paragraph_id,
        reason="the annotations are no longer unanimous",
        labels=decision["labels"],
    )


def _group(rows: Iterable[tuple[int, int, str]], names: Mapping[int, str]) -> Iterator[dict]:
    """Group ``(paragraph_id, user_id, labels JSON)`` rows, in paragraph order, into report items."""
    pid = None
    annotations: dict = {}
    loads = json.loads
    for paragraph_id, user_id, labels in rows:
        if paragraph_id != pid:
            if annotations:
                yield {"paragraph_id": pid, "annotations": annotations}
            pid, annotations = paragraph_id, {}
        annotations[names.get(user_id, f"user{user_id}")] = loads(labels)
    if annotations:
        yield {"paragraph_id": pid, "annotations": annotations}


def refresh(db: sqlite_utils.Database, project: Mapping | int) -> dict[str, int]:
    """Recompute every paragraph's place in the project's review queue (after imports or bulk changes).

    Returns the queue's counts per state. One pass over the annotations, written in one transaction.
    """
    project = _project(db, project)
    names = reviewing.user_names(db)
    with write(db):
        sources = decisions.decision_sources(db, project["id"])
        stale = {
            pid: 1
            for pid, source in sources.items()
            if source == "adjudicated" and (reviewing.find_review_item(db, pid) or {}).get("stale")
        }
        items, gold, withdraw, keep = [], [], [], set()
        acc = agreement.FieldAccumulator()
        for item in _group(reviewing.iter_raw_annotations(db, project["id"]), names):
            annotations = item["annotations"]
            n = len(annotations)
            pid = item["paragraph_id"]
            source = sources.get(pid)
            if n < 2:
                if source == "unanimous":
                    withdraw.append(pid)
                continue
            keep.add(pid)
            disagreement = acc.add({"annotations": annotations})
            unanimous = agreement.is_unanimous(annotations)
            row = {
                "paragraph_id": pid,
                "project_id": project["id"],
                "n_annotations": n,
                "disagreement": disagreement,
                "unanimous": int(unanimous),
                "stale": stale.get(pid, 0),
            }
            if source == "adjudicated":
                row["state"] = "decided"
            elif source == "unanimous" and unanimous:
                row["state"] = "unanimous"
            else:
                if source == "unanimous":
                    withdraw.append(pid)
                if unanimous and _auto_gold(project, n):
                    gold.append(_unanimous_row(pid, annotations, disagreement))
                    row["state"] = "unanimous"
                else:
                    row["state"] = "open"
            items.append(row)
        for pid in withdraw:
            _withdraw(db, project, pid, decisions.find_decision(db, pid))
        reviewing.delete_project_review_items(db, project["id"], keep)
        decisions.insert_unanimous_decisions(db, gold)
        reviewing.upsert_review_items(db, items)
    return reviewing.count_review_items(db, project["id"])


# -- the queue ---------------------------------------------------------------------------------------------


def queue(db: sqlite_utils.Database, project: Mapping, *, state: str = "open", page: int = 1,
          per_page: int = PER_PAGE) -> dict:  # fmt: skip
    """Return one page of the review queue in ``state`` (open, decided or unanimous), most disagreement first."""
    if state not in reviewing.STATES:
        raise Invalid(f"unknown queue {state!r}: choose one of {', '.join(reviewing.STATES)}", field="state")
    counts = reviewing.count_review_items(db, project["id"])
    pages = max(1, math.ceil(counts[state] / per_page))
    page = min(max(1, page), pages)
    items = reviewing.list_review_items(
        db, project["id"], state, limit=per_page, offset=(page - 1) * per_page
    )
    return {"items": items, "counts": counts, "state": state, "page": page, "pages": pages}


# -- one paragraph -----------------------------------------------------------------------------------------


def _canon(value) -> str:
    """Return a comparable text form of a field value: lists of names order-free, ids dropped."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = sorted(value)
    elif isinstance(value, dict):
        value = {k: v for k, v in value.items() if k not in ("id", "attribution_id")}
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _majority(groups: dict[str, list[str]], order: list[str]) -> str:
    """Return a member of the biggest group; ties go to the group holding the earliest annotator."""
    best = max(groups.values(), key=lambda names: (len(names), -min(order.index(n) for n in names)))
    return best[0]


def default_picks(diff: Mapping) -> dict[str, str]:
    """Return the majority choice for every field and item: the version most annotators gave.

    An item most annotators did not mark is left out (``""``).
    """
    names = list(diff["annotators"])
    picks: dict[str, str] = {}
    for path, f in diff["fields"].items():
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(_canon(f["values"].get(name)), []).append(name)
        picks[f"field:{path}"] = _majority(groups, names)
    for section, key in (("attributions", "attribution"), ("claims", "claim"), ("framing_spans", "fspan")):
        for r, row in enumerate(diff[section]):
            present = [n for n in names if row["present"][n]]
            if 2 * len(present) <= len(names) and len(present) < len(names):
                picks[f"{key}:{r}"] = ""
                continue
            groups = {}
            for name in present:
                version = tuple(
                    _canon(f["values"].get(name))
                    for fname, f in row["fields"].items()
                    if not f.get("free_text")
                )
                groups.setdefault(repr(version), []).append(name)
            picks[f"{key}:{r}"] = _majority(groups, names)
    return picks


def compose(annotations: Mapping[str, Mapping], diff: Mapping, picks: Mapping[str, str]) -> dict:
    """Return the labels built from one annotator's version per field and item, as ``picks`` says.

    ``picks`` maps ``field:<path>``, ``attribution:<row>``, ``claim:<row>`` and ``fspan:<row>`` to an
    annotator's name (``""``: leave the item out); missing keys take the majority. ``no_attribution`` set
    drops every attribution. Ids are renumbered, and a chosen claim keeps its link when the attribution it
    names is chosen too (from whichever annotator), else it becomes the outlet's own voice.
    """
    chosen = {**default_picks(diff), **{k: v for k, v in picks.items() if v is not None}}
    names = set(annotations)

    def who(key: str) -> str | None:
        name = chosen.get(key) or None
        if name is not None and name not in names:
            raise Invalid(f"{name!r} did not annotate this paragraph", field=key)
        return name

    labels: dict = {}
    framing: dict = {}
    for path in diff["fields"]:
        name = who(f"field:{path}")
        if name is None:
            continue
        if path.startswith("framing."):
            value = (annotations[name].get("framing") or {}).get(path.split(".", 1)[1])
            framing[path.split(".", 1)[1]] = copy.deepcopy(value)
        else:
            labels[path] = copy.deepcopy(annotations[name].get(path))
    attributions, row_ids = [], {}
    if not picks.get("no_attribution"):
        for r, row in enumerate(diff["attributions"]):
            name = who(f"attribution:{r}")
            if name is None or name not in row["index"]:
                continue
            item = copy.deepcopy((annotations[name].get("attributions") or [])[row["index"][name]])
            item["id"] = row_ids[r] = f"a{len(attributions) + 1}"
            attributions.append(item)
    claims = []
    for r, row in enumerate(diff["claims"]):
        name = who(f"claim:{r}")
        if name is None or name not in row["index"]:
            continue
        item = copy.deepcopy((annotations[name].get("claims") or [])[row["index"][name]])
        item["id"] = f"c{len(claims) + 1}"
        link = row["fields"].get("attribution_id", {}).get("values", {}).get(name)
        item["attribution_id"] = row_ids.get(link) if link is not None else None
        claims.append(item)
    spans = []
    for r, row in enumerate(diff["framing_spans"]):
        name = who(f"fspan:{r}")
        if name is None or name not in row["index"]:
            continue
        fs = (annotations[name].get("framing") or {}).get("framing_spans") or []
        spans.append(copy.deepcopy(fs[row["index"][name]]))
    labels["attributions"] = attributions
    labels["claims"] = claims
    framing["framing_spans"] = spans
    labels["framing"] = framing
    return labels


def _scheme(project: Mapping):
    return load_scheme(project["scheme"], extended=project["settings"].get("extended") or [])


def review_item(db: sqlite_utils.Database, project: Mapping, paragraph_id: int) -> dict:
    """Return what the review page shows: the paragraph, every annotation, their differences, the decision."""
    paragraph = reviewing.get_project_paragraph(db, project["id"], paragraph_id)
    rows = reviewing.list_paragraph_annotations(db, paragraph_id)
    annotations = {row["name"]: row["labels"] for row in rows}
    diff = agreement.diff_fields(annotations)
    decision = decisions.find_decision(db, paragraph_id)
    picks = default_picks(diff)
    composed = normalize(compose(annotations, diff, picks), _scheme(project)) if annotations else {}
    return {
        "paragraph": paragraph,
        "annotations": rows,
        "by_name": annotations,
        "diff": diff,
        "picks": picks,
        "composed": composed,
        "decision": decision,
        "revisions": decisions.list_revisions(db, paragraph_id) if decision else [],
        "item": reviewing.find_review_item(db, paragraph_id),
        "disagreement": agreement.paragraph_disagreement(annotations) if len(annotations) > 1 else None,
        "next_id": reviewing.next_open_item(db, project["id"], after=paragraph_id),
    }


def check_labels(project: Mapping, text: str, labels) -> tuple[dict, list[dict]]:
    """Return the labels normalised to the project's scheme and their problems (``[]``: valid)."""
    scheme = _scheme(project)
    if not isinstance(labels, dict):
        return labels, [{"path": "", "message": "labels must be a JSON object", "code": "type"}]
    labels = normalize(labels, scheme)
    return labels, [e.to_dict() for e in validate(labels, text, scheme)]


def parse_labels_json(text: str) -> dict:
    """Return the labels a reviewer typed as JSON; raise ``Invalid`` naming the line and column."""
    try:
        labels = json.loads(text)
    except json.JSONDecodeError as e:
        raise Invalid(
            f"the labels are not valid JSON: line {e.lineno}, column {e.colno}: {e.msg}", field="labels"
        ) from None
    if not isinstance(labels, dict):
        raise Invalid("the labels must be a JSON object", field="labels")
    return labels


def decide(
    db: sqlite_utils.Database,
    *,
    project: Mapping,
    paragraph_id: int,
    reviewer_id: int,
    note: str = "",
    picks: Mapping[str, str] | None = None,
    labels: Mapping | None = None,
    expected_version: int | None = None,
) -> dict:
    """Save the gold decision of a paragraph and return it; every version is kept.

    The labels come from ``picks`` (one annotator's version per field and item, see :func:`compose`) or
    are given whole (a reviewer's edit); they are validated against the project's scheme first. Raises
    ``Invalid`` (with ``errors``: the per-field problems) and ``Conflict`` when the decision changed since
    ``expected_version``.
    """
    paragraph = reviewing.get_project_paragraph(db, project["id"], paragraph_id)
    rows = reviewing.list_paragraph_annotations(db, paragraph_id)
    annotations = {row["name"]: row["labels"] for row in rows}
    how = "edited"
    if labels is None:
        if not annotations:
            raise Invalid("nobody has annotated this paragraph: write the labels as JSON instead")
        labels = compose(annotations, agreement.diff_fields(annotations), picks or {})
        how = "picked"
    labels, problems = check_labels(project, paragraph["text"], labels)
    if problems:
        error = Invalid(
            f"the decision has {len(problems)} problem{'s' * (len(problems) != 1)}", field="labels"
        )
        error.errors = problems
        error.labels = labels
        raise error
    gold = agreement.normalise(labels)
    agreed = [name for name, theirs in annotations.items() if agreement.normalise(theirs) == gold]
    disagreement = agreement.paragraph_disagreement(annotations) if len(annotations) > 1 else 0.0
    with write(db):
        decision = decisions.save_decision(
            db,
            paragraph_id=paragraph_id,
            labels=labels,
            source="adjudicated",
            reviewer_id=reviewer_id,
            annotators=agreed,
            note=(note or "").strip(),
            agreement=_figures(len(annotations), disagreement),
            expected_version=expected_version,
        )
        if len(annotations) >= 2:
            reviewing.upsert_review_items(
                db,
                [
                    {
                        "paragraph_id": paragraph_id,
                        "project_id": project["id"],
                        "state": "decided",
                        "n_annotations": len(annotations),
                        "disagreement": disagreement,
                        "unanimous": int(agreement.is_unanimous(annotations)),
                    }
                ],
            )
        events.log_event(
            db,
            "decision.saved",
            user_id=reviewer_id,
            project_id=project["id"],
            paragraph_id=paragraph_id,
            version=decision["version"],
            how=how,
            picks={k: v for k, v in (picks or {}).items() if how == "picked"},
        )
    return decision


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


# -- feedback for annotators -------------------------------------------------------------------------------


def feedback(db: sqlite_utils.Database, project: Mapping, user: Mapping, *, limit: int = 100) -> dict:
    """Return where ``user``'s own labels differ from the gold, paragraph by paragraph (theirs only)."""
    items, agreed, total = [], 0, 0
    for row in reviewing.iter_user_decided(db, project["id"], user["id"]):
        total += 1
        diff = agreement.diff_fields({"you": row["mine"], "gold": row["gold"]})
        if not diff["differ"]:
            agreed += 1
            continue
        if len(items) < limit:
            items.append({**row, "diff": diff})
    return {"items": items, "agreed": agreed, "total": total, "differed": total - agreed}
