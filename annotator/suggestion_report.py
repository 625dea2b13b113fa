"""How good the suggestions are and how they pull: the agreement page's suggestion section.

- Each source (the rules and every imported model) scored against gold like an annotator:
  precision and recall of attributions and claims, alpha on the attributes of matched items.
- Annotators against gold on paragraphs shown suggestions and on those not shown them (the
  project's share, chosen by a hash of the text), with the origin of their saved items, so a team
  sees whether suggestions help or anchor.
"""

from __future__ import annotations

from collections import Counter

import sqlite_utils

from . import suggestions
from .scheme import ORIGIN_KEY
from .store import suggestions as store
from .suggest.scoring import Scorer


def report(db: sqlite_utils.Database, project: dict) -> dict:
    gold = store.gold_paragraphs(db, project["id"])
    names = [s["source"] for s in suggestions.sources(db, project) if s["source"] != suggestions.NONE]
    by_source = []
    for source in names:
        scorer = Scorer()
        # An imported source is read in one query; the rules are computed from each text.
        imported = None if source == suggestions.RULES else store.source_labels(db, project["id"], source)
        for paragraph in gold:
            offered = (
                imported.get(paragraph["id"])
                if imported is not None
                else suggestions.source_labels(db, project, paragraph, source)
            )
            scorer.add(paragraph["labels"], offered)
        by_source.append({"source": source, **scorer.report()})
    chosen = suggestions.setting(project)
    shown = {
        p["id"]: chosen["source"] != suggestions.NONE and suggestions.in_share(p, chosen["share"])
        for p in gold
    }
    groups = {True: Scorer(), False: Scorer()}
    origins: dict[bool, Counter] = {True: Counter(), False: Counter()}
    annotated: dict[bool, set] = {True: set(), False: set()}
    labels_by_id = {p["id"]: p["labels"] for p in gold}
    for row in store.annotations_on(db, list(labels_by_id)):
        with_suggestions = shown[row["paragraph_id"]]
        groups[with_suggestions].add(labels_by_id[row["paragraph_id"]], row["labels"])
        annotated[with_suggestions].add(row["paragraph_id"])
        for name in suggestions.ITEM_LISTS:
            for item in row["labels"].get(name) or []:
                if isinstance(item, dict):
                    origins[with_suggestions][item.get(ORIGIN_KEY) or "manual"] += 1
    return {
        "gold_paragraphs": len(gold),
        "setting": chosen,
        "sources": by_source,
        "share": [
            _group(flag, groups[flag].report(), len(annotated[flag]), origins[flag]) for flag in (True, False)
        ],
    }


def _group(flag: bool, scores: dict, paragraphs: int, origins: Counter) -> dict:
    annotations = scores.pop("paragraphs")
    return {
        "group": "with suggestions" if flag else "without suggestions",
        "paragraphs": paragraphs,
        "annotations": annotations,
        "origins": dict(origins),
        **scores,
    }
