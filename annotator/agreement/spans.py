"""Span agreement: exact and overlap F1 between two annotators, and one-to-one matching by overlap.

Spans are compared by their offsets only, as ``(start, end)`` tuples (end-exclusive). The ``text`` a span
carries is a copy of the paragraph and is not compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .coefficients import result

__all__ = ["SpanCounts", "match_spans", "overlap", "span_f1", "span_key", "span_keys"]

Span = tuple[int, int]


def span_key(span: Mapping | Sequence | None) -> Span | None:
    """Return ``(start, end)`` for a span dict (or pair), or ``None`` for a missing or malformed span."""
    if span is None:
        return None
    try:
        if isinstance(span, Mapping):
            return (int(span["start"]), int(span["end"]))
        start, end = span
        return (int(start), int(end))
    except (KeyError, TypeError, ValueError):
        return None


def span_keys(spans: Iterable | None) -> list[Span]:
    """Return the ``(start, end)`` keys of a list of spans, skipping missing ones."""
    if not spans:
        return []
    out = []
    for s in spans:
        k = span_key(s)
        if k is not None:
            out.append(k)
    return out


def overlap(a: Span, b: Span) -> int:
    """Return the number of code points two spans share."""
    d = min(a[1], b[1]) - max(a[0], b[0])
    return d if d > 0 else 0


def match_spans(a: Sequence[Span | None], b: Sequence[Span | None]) -> list[tuple[int, int]]:
    """Match spans of ``a`` to spans of ``b`` one-to-one, greedily by overlap size.

    Returns ``(i, j)`` index pairs (in ``a`` order). Pairs that do not overlap are never matched. Ties in
    overlap go to the pair whose boundaries differ least, then to the earlier pair in list order, so the
    result is deterministic. ``None`` entries (an item without its key span) match nothing.
    """
    if not a or not b:
        return []
    if len(a) == 1 and len(b) == 1:
        x, y = a[0], b[0]
        if x is None or y is None:
            return []
        return [(0, 0)] if min(x[1], y[1]) > max(x[0], y[0]) else []
    cands = []
    for i, x in enumerate(a):
        if x is None:
            continue
        xs, xe = x
        for j, y in enumerate(b):
            if y is None:
                continue
            ys, ye = y
            ov = (xe if xe < ye else ye) - (xs if xs > ys else ys)
            if ov > 0:
                cands.append((-ov, abs(xs - ys) + abs(xe - ye), i, j))
    if not cands:
        return []
    cands.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, _, i, j in cands:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j))
    out.sort()
    return out


class SpanCounts:
    """Running counts for span F1 between two annotators: exact matches, overlap matches, spans marked.

    F1 is the Dice form ``2 * matches / (spans of A + spans of B)``: precision and recall of one annotator
    against the other, which for one-to-one matches is symmetric. Counts are pooled over paragraphs
    (micro-averaged).
    """

    __slots__ = ("exact", "overlap", "total")

    def __init__(self, exact: int = 0, overlap: int = 0, total: int = 0) -> None:
        self.exact = exact
        self.overlap = overlap
        self.total = total

    def add(self, a: Iterable[Span], b: Iterable[Span]) -> None:
        """Add one paragraph's spans of both annotators (duplicates by offsets count once)."""
        sa, sb = set(a), set(b)
        self.total += len(sa) + len(sb)
        if sa and sb:
            self.exact += len(sa & sb)
            self.overlap += len(match_spans(sorted(sa), sorted(sb)))

    def merge(self, other: SpanCounts) -> None:
        self.exact += other.exact
        self.overlap += other.overlap
        self.total += other.total

    def f1(self, mode: str = "exact", statistic: str | None = None) -> dict:
        """Return exact or overlap F1; undefined when neither annotator marked a span."""
        statistic = statistic or f"span_f1_{mode}"
        if self.total == 0:
            return result(statistic, None, 0, "no spans marked by either annotator")
        matches = self.exact if mode == "exact" else self.overlap
        return result(statistic, 2 * matches / self.total, self.total)


def span_f1(a: Iterable, b: Iterable, mode: str = "exact") -> dict:
    """Return exact or overlap F1 between two annotators' span lists (span dicts or ``(start, end)``)."""
    if mode not in ("exact", "overlap"):
        raise ValueError(f"mode must be 'exact' or 'overlap', not {mode!r}")
    counts = SpanCounts()
    counts.add(span_keys(a), span_keys(b))
    return counts.f1(mode)
