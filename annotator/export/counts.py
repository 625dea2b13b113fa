"""Per-label counts of an export, for the manifest: streamed, in memory bounded by the label vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..scheme import Scheme
from .labelling import labelling


def record_article_id(record: Mapping) -> str:
    """Return the article id of a record of any view."""
    aid = record.get("article_id")
    if aid is None:
        aid = record["meta"]["article_id"]
    return aid


def count_labels(view: str, record: Mapping, counts: dict[str, int], scheme: Scheme | None = None) -> None:
    """Add the label names of one record to ``counts`` (the manifest's per-label counts).

    Names (``labelling.Labelling``): span labels (``SOURCE``, ``CUE`` …, framing techniques) and,
    for ``all``/``gold``, ``<field>=<value>`` for every choice; for ``gold`` also
    ``decision=unanimous|adjudicated``.
    """
    if view == "spans":
        count_span_labels(record["spans"], counts)
    else:
        count_label_doc(record.get("labels"), counts, scheme)
        if view == "gold":
            count_decision(record["decision"]["source"], counts)


def count_decision(source: str | None, counts: dict[str, int]) -> None:
    """Count a gold decision by its source (``decision=unanimous``, ``decision=adjudicated``)."""
    key = f"decision={source}"
    counts[key] = counts.get(key, 0) + 1


def count_span_labels(spans: Iterable[Mapping], counts: dict[str, int]) -> None:
    """Add one count per span label to ``counts``."""
    get = counts.get
    for s in spans:
        label = s["label"]
        counts[label] = get(label, 0) + 1


def count_label_doc(labels: Mapping | None, counts: dict[str, int], scheme: Scheme | None = None) -> None:
    """Add the label names of one labels document under ``scheme`` to ``counts`` (missing keys are fine)."""
    labelling(scheme).count(labels, counts)
