"""The review queue: keeping each paragraph's disagreement current, unanimous gold, who may review, feedback."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping

import sqlite_utils

from .. import agreement
from .. import projects as project_service
from ..errors import Invalid, NotFound
from ..scheme import Scheme, load_scheme, without_origins
from ..store import decisions, events, projects, reviewing, write

PER_PAGE = 50
#: Paragraph ids per block of cached agreement counts (see ``reports``); the triggers of m006 use it too.
CHUNK = 2000

# -- access ------------------------------------------------------------------------------------------------


def project_for_reviewer(db: sqlite_utils.Database, project_id: int, *, actor: dict) -> dict:
    """Return the project if ``actor`` reviews in it (a reviewer member, or an admin); else raise ``Forbidden``."""
    project = projects.get_project(db, project_id)
    project_service.require_project_role(db, project, "reviewer", actor=actor)
    return project


def project_for_feedback(db: sqlite_utils.Database, project_id: int, *, actor: dict) -> dict:
    """Return the project if ``actor`` is a member and the project shows annotators their feedback."""
    project = projects.get_project(db, project_id)
    project_service.require_project_role(db, project, actor=actor)
    if not project["settings"].feedback:
        raise NotFound("this project does not show annotators feedback on their labels")
    return project


def project_scheme(project: Mapping) -> Scheme:
    """Return the project's scheme (with its extended fields)."""
    return load_scheme(project["scheme"], extended=project["settings"].extended or None)


def project_fields(project: Mapping) -> agreement.Layout:
    """Return the fields agreement compares in the project (its scheme's)."""
    return agreement.layout_of(project_scheme(project))


# -- keeping the queue current -----------------------------------------------------------------------------


def _auto_gold(project: Mapping, n: int) -> bool:
    return project["settings"].auto_gold_unanimous and n >= max(2, int(project["overlap"]))


def _figures(n: int, disagreement: float) -> dict:
    return {"n_annotators": n, "disagreement": round(disagreement, 6)}


def annotation_saved(db: sqlite_utils.Database, project: Mapping, *, paragraph_id: int) -> dict | None:
    """Update a paragraph's place in the review queue after one of its annotations changed; return its item.

    Recomputes the paragraph's disagreement; makes it gold (source ``unanimous``) when every annotator agrees,
    enough have labelled it and the project's ``auto_gold_unanimous`` is on; withdraws such an automatic
    decision when a later save breaks the unanimity; marks an adjudicated decision as stale. Returns ``None``
    when the paragraph has fewer than two annotations. Runs in one write transaction (a savepoint when the
    caller already holds one).
    """
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
        fields = project_fields(project)
        disagreement = agreement.paragraph_disagreement(annotations, fields)
        unanimous = agreement.is_unanimous(annotations, layout=fields)
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
    first = without_origins(annotations[min(annotations)])
    return {
        "paragraph_id": paragraph_id,
        "labels": json.dumps(first, ensure_ascii=False),
        "annotators": json.dumps(sorted(annotations)),
        "agreement": json.dumps(_figures(len(annotations), disagreement)),
        "taken": json.dumps(agreement.provenance(first, annotations), ensure_ascii=False),
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
    """Group ``(paragraph_id, user_id, labels JSON)`` rows, in paragraph order, into report items.

    Annotators who agree often saved the very same text: it is parsed once per paragraph and shared
    (the agreement code only reads it).
    """
    pid = None
    annotations: dict = {}
    parsed: dict = {}
    loads = json.loads
    for paragraph_id, user_id, labels in rows:
        if paragraph_id != pid:
            if annotations:
                yield {"paragraph_id": pid, "annotations": annotations}
            pid, annotations, parsed = paragraph_id, {}, {}
        doc = parsed.get(labels)
        if doc is None:
            doc = parsed[labels] = loads(labels)
        annotations[names.get(user_id, f"user{user_id}")] = doc
    if annotations:
        yield {"paragraph_id": pid, "annotations": annotations}


def refresh(db: sqlite_utils.Database, project: Mapping) -> dict[str, int]:
    """Recompute every paragraph's place in the project's review queue (after imports or bulk changes).

    Returns the queue's counts per state. One pass over the annotations, written in one transaction.
    """
    names = reviewing.user_names(db)
    with write(db):
        sources = decisions.decision_sources(db, project["id"])
        stale = {
            pid: 1
            for pid, source in sources.items()
            if source == "adjudicated" and (reviewing.find_review_item(db, pid) or {}).get("stale")
        }
        items, gold, withdraw, keep = [], [], [], set()
        fields = project_fields(project)
        acc = agreement.FieldAccumulator(fields)
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
            unanimous = agreement.is_unanimous(annotations, layout=fields)
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
        reviewing.register_chunks(db, project["id"], CHUNK)
        decisions.insert_unanimous_decisions(db, gold)
        reviewing.upsert_review_items(db, items)
    return reviewing.count_review_items(db, project["id"])


# -- the queue ---------------------------------------------------------------------------------------------


def queue(db: sqlite_utils.Database, project: Mapping, *, state: str = "open", page: int = 1,
          per_page: int = PER_PAGE, q: str = "") -> dict:  # fmt: skip
    """Return one page of the review queue in ``state`` (open, decided or unanimous), most disagreement first;
    with ``q``, only paragraphs whose text has those words (``matches`` counts them)."""
    if state not in reviewing.STATES:
        raise Invalid(f"unknown queue {state!r}: choose one of {', '.join(reviewing.STATES)}", field="state")
    q = q.strip()
    counts = reviewing.count_review_items(db, project["id"])
    if q:
        # A search pages by asking for one item past the page, not by counting every match.
        page = max(1, page)
        items = reviewing.list_review_items(
            db, project["id"], state, limit=per_page + 1, offset=(page - 1) * per_page, q=q
        )
        pages = page + 1 if len(items) > per_page else page
        items = items[:per_page]
    else:
        pages = max(1, math.ceil(counts[state] / per_page))
        page = min(max(1, page), pages)
        items = reviewing.list_review_items(
            db, project["id"], state, limit=per_page, offset=(page - 1) * per_page
        )
    return {"items": items, "counts": counts, "state": state, "current": page, "pages": pages, "q": q}


def next_to_review(db: sqlite_utils.Database, project: Mapping, *, after: int | None = None) -> int | None:
    """Return the open paragraph with the most disagreement (other than ``after``), or ``None``."""
    return reviewing.next_open_item(db, project["id"], after=after)


# -- feedback for annotators -------------------------------------------------------------------------------


def feedback(db: sqlite_utils.Database, project: Mapping, annotator: Mapping, *, limit: int = 100) -> dict:
    """Return where ``annotator``'s own labels differ from the gold, paragraph by paragraph (theirs only)."""
    items, agreed, total = [], 0, 0
    fields = project_fields(project)
    for row in reviewing.iter_user_decided(db, project["id"], annotator["id"]):
        total += 1
        diff = agreement.diff_fields({"you": row["mine"], "gold": row["gold"]}, fields)
        if not diff["differ"]:
            agreed += 1
            continue
        if len(items) < limit:
            items.append({**row, "diff": diff})
    return {"items": items, "agreed": agreed, "total": total, "differed": total - agreed}
