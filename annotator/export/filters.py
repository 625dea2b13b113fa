"""Row filters for an export: by how gold was decided and by how many annotators took part."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

DECISION_SOURCES = ("unanimous", "adjudicated")


def filter_rows(
    view: str,
    rows: Iterable[Mapping],
    *,
    sources: Collection[str] | None = None,
    min_annotators: int | None = None,
) -> Iterator[Mapping]:
    """Yield the rows an export keeps, lazily.

    :param sources: for ``gold``/``spans``, keep only decisions whose ``source`` is in it
        (``{"adjudicated"}``, ``{"unanimous"}``); ``None`` keeps all.
    :param min_annotators: keep paragraphs labelled by at least this many annotators:
        ``len(decision.annotators)`` for ``gold``/``spans``; for ``all``, the number of
        rows of the paragraph, counted by holding one paragraph's rows at a time (they
        arrive together, sorted by article, position and annotator).
    Raises ``ValueError`` for an unknown source or a filter the view has no data for.
    """
    if sources is not None:
        unknown = set(sources) - set(DECISION_SOURCES)
        if unknown:
            raise ValueError(f"unknown decision source {sorted(unknown)[0]!r}; expected {' or '.join(DECISION_SOURCES)}")
        if view == "all":
            raise ValueError("the all view has no decisions to filter by source")
    if view == "all":
        yield from _all_with_min(rows, min_annotators) if min_annotators else rows
        return
    for row in rows:
        decision = row.get("decision") or {}
        if sources is not None and decision.get("source") not in sources:
            continue
        if min_annotators and len(decision.get("annotators") or ()) < min_annotators:
            continue
        yield row


def _all_with_min(rows: Iterable[Mapping], minimum: int) -> Iterator[Mapping]:
    group: list[Mapping] = []
    pid = None
    for row in rows:
        if row.get("paragraph_id") != pid:
            if len(group) >= minimum:
                yield from group
            group, pid = [], row.get("paragraph_id")
        group.append(row)
    if len(group) >= minimum:
        yield from group
