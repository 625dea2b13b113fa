"""Multi-way alignment of one paragraph's items across all its annotators, and the units alpha runs over.

Krippendorff's alpha needs units: things each annotator rated once (or not at all). A paragraph's
attributions, claims and framing spans have no ids in common across annotators, so they are aligned first:
every pair of items from two different annotators whose key spans (an attribution's cue, a claim's span,
a framing span itself) overlap is a candidate, and candidates are taken greedily, largest overlap first
(ties: boundaries that differ least, then annotator and list order). Two groups join only when they share
no annotator and every member of one overlaps every member of the other, so a chain of items that each
overlap only their neighbour never becomes one unit. With two annotators this is exactly
``spans.match_spans``.

Each aligned group is one unit holding one value per annotator who has the item. ``UnitCounts`` keeps, per
kind of item, how many units had each combination of attribute tuples; the coincidences of any attribute
field are expanded from those counts when the report is made, the way ``krippendorff.alpha`` would count
the annotators x units matrix with missing values left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from .coefficients import Coincidences
from .spans import match_spans

__all__ = ["UnitCounts", "align_rows", "field_coincidences"]

Span = tuple[int, int]


def _overlaps(x: Span | None, y: Span | None) -> bool:
    return x is not None and y is not None and min(x[1], y[1]) > max(x[0], y[0])


def _groups(keys: Sequence[Sequence[Span | None]]) -> list[dict[int, int]]:
    """Return the aligned groups ``{annotator: item index}`` (every item in exactly one), in no set order."""
    n = len(keys)
    cands = []
    for a in range(n):
        ka = keys[a]
        for b in range(a + 1, n):
            kb = keys[b]
            for i, x in enumerate(ka):
                if x is None:
                    continue
                xs, xe = x
                for j, y in enumerate(kb):
                    if y is None:
                        continue
                    ys, ye = y
                    ov = (xe if xe < ye else ye) - (xs if xs > ys else ys)
                    if ov > 0:
                        cands.append((-ov, abs(xs - ys) + abs(xe - ye), a, i, b, j))
    cands.sort()
    group: dict[tuple[int, int], dict[int, int]] = {}  # (annotator, index) -> its group {annotator: index}
    for _, _, a, i, b, j in cands:
        ga = group.get((a, i)) or {a: i}
        gb = group.get((b, j)) or {b: j}
        if ga is gb or not ga.keys().isdisjoint(gb):
            continue
        if (len(ga) > 1 or len(gb) > 1) and not all(
            _overlaps(keys[p][q], keys[r][s]) for p, q in ga.items() for r, s in gb.items()
        ):
            continue
        ga.update(gb)
        for member in ga.items():
            group[member] = ga
    out = []
    seen: set[int] = set()
    for a in range(n):
        for i in range(len(keys[a])):
            g = group.get((a, i))
            if g is None:
                out.append({a: i})
            elif id(g) not in seen:
                seen.add(id(g))
                out.append(g)
    return out


def align_rows(keys: Sequence[Sequence[Span | None]]) -> list[tuple[int | None, ...]]:
    """Align items across annotators; return one row per unit, ``row[a]`` the index of annotator ``a``'s item.

    :param keys: per annotator, the key span ``(start, end)`` of each item (``None``: no span, aligns
        with nothing). Rows come in text order (by their earliest span); items without a span come last.
    """
    n = len(keys)
    rows = []
    for g in _groups(keys):
        spans = [keys[a][i] for a, i in g.items() if keys[a][i] is not None]
        rows.append(((min(spans) if spans else (1 << 62, 0)), min(g.items()), g))
    rows.sort(key=lambda r: r[:2])
    return [tuple(g.get(a) for a in range(n)) for _, _, g in rows]


def _distinct(keys: Sequence[Sequence]) -> dict[tuple, list[int]] | None:
    """Group annotators whose key lists are equal, or return None when a list has a missing or repeated span.

    Equal spans always align with each other before anything else (their overlap is the largest either can
    have, and their boundaries differ by 0), so annotators with equal lists can be aligned as one.
    """
    out: dict[tuple, list[int]] = {}
    for a, k in enumerate(keys):
        t = tuple(k)
        members = out.get(t)
        if members is None:
            if None in t or len(set(t)) != len(t):
                return None
            out[t] = [a]
        else:
            members.append(a)
    return out


class UnitCounts:
    """Units of one kind of item (attributions, claims or framing spans) over a stream of paragraphs.

    ``values`` maps ``(annotator names, row)`` to the number of units that had them, where the row holds
    each annotator's attribute tuple for the unit's item (``None``: that annotator did not mark it); units
    of one member are not kept (they pair with nothing) but counted as ``unaligned``. Kappa's tables of
    matched pairs come from the same units (``field_coincidences``).
    ``items`` counts the items seen on paragraphs with two or more annotators, ``units`` the units formed.
    """

    __slots__ = ("values", "items", "units", "unaligned")

    def __init__(self) -> None:
        self.values: dict[tuple, int] = {}
        self.items = 0
        self.units = 0
        self.unaligned = 0

    def add(self, names: tuple, keys: list[list], vals: list[list[tuple]]) -> None:
        """Add one paragraph: its annotators' ``names`` and, per annotator, the items' key spans and attributes."""
        n_items = sum(map(len, keys))
        if n_items == 0:
            return
        self.items += n_items
        counts = self.values
        first = keys[0]
        n = len(keys)
        if keys.count(first) == n and None not in first and len(set(first)) == len(first):
            # every annotator marked the same spans: the units are the list positions (what align_rows
            # gives too, without building the candidates)
            self.units += len(first)
            for row in zip(*vals, strict=True):
                key = (names, row)
                counts[key] = counts.get(key, 0) + 1
            return
        distinct = _distinct(keys)
        if distinct is not None and len(distinct) == 2:
            # two distinct lists of spans (the common case): one pairwise match aligns every annotator
            (ka, ma), (kb, mb) = distinct.items()
            match = match_spans(ka, kb)
            self.units += len(ka) + len(kb) - len(match)
            rows = [(i, j) for i, j in match]
            used_a = {i for i, _ in match}
            used_b = {j for _, j in match}
            rows += [(i, None) for i in range(len(ka)) if i not in used_a]
            rows += [(None, j) for j in range(len(kb)) if j not in used_b]
            for i, j in rows:
                if (len(ma) if j is None else len(mb) if i is None else 2) < 2:
                    self.unaligned += 1
                    continue
                row = [None] * n
                if i is not None:
                    for a in ma:
                        row[a] = vals[a][i]
                if j is not None:
                    for b in mb:
                        row[b] = vals[b][j]
                key = (names, tuple(row))
                counts[key] = counts.get(key, 0) + 1
            return
        if distinct is not None:
            # align one representative per distinct key list; its rows stand for all who share the list
            groups = list(distinct.values())
            rows = []
            for rep in align_rows(list(distinct)):
                row: list = [None] * n
                for r, i in enumerate(rep):
                    if i is not None:
                        for a in groups[r]:
                            row[a] = i
                rows.append(row)
        else:
            rows = [[g.get(a) for a in range(n)] for g in _groups(keys)]
        self.units += len(rows)
        for row in rows:
            if n - row.count(None) < 2:
                self.unaligned += 1
                continue
            key = (names, tuple(None if i is None else vals[a][i] for a, i in enumerate(row)))
            counts[key] = counts.get(key, 0) + 1

    def add_same(self, names: tuple, vals: list[tuple]) -> None:
        """Add one paragraph on which all its annotators marked the same items with the same attributes."""
        if vals:
            n = len(names)
            self.items += n * len(vals)
            self.units += len(vals)
            counts = self.values
            for t in vals:
                key = (names, (t,) * n)
                counts[key] = counts.get(key, 0) + 1

    def merge(self, other: UnitCounts) -> None:
        counts = self.values
        for sig, c in other.values.items():
            counts[sig] = counts.get(sig, 0) + c
        self.items += other.items
        self.units += other.units
        self.unaligned += other.unaligned

    def summary(self) -> dict:
        """Return how many items were seen, how many units they formed and how many stayed unaligned."""
        return {
            "items": self.items,
            "units": self.units,
            "aligned_units": self.units - self.unaligned,
            "unaligned_items": self.unaligned,
        }


def field_coincidences(
    values: Mapping[tuple, int], width: int, pairs: dict[str, list[dict]] | None = None
) -> list[Coincidences]:
    """Return the coincidence matrix of each of the ``width`` attributes over the units in ``values``.

    Missing values (``None``) are left out of their unit, as ``krippendorff.alpha`` leaves out ``nan``;
    a unit left with fewer than two values adds nothing. When ``pairs`` is given, each annotator pair's
    matched values are counted into it in the same pass: ``{"a|b": [{(x, y, 2): count} per attribute]}``
    (kappa's tables, of the pairs whose items the units aligned).
    """
    reduced: list[dict[tuple, int]] = [{} for _ in range(width)]
    cache: dict[tuple, list] = {}
    for (names, row), c in values.items():
        members = [t for t in row if t is not None] if None in row else row
        for r, col in zip(reduced, zip(*members, strict=True), strict=True):
            if None in col:
                col = tuple(v for v in col if v is not None)
                if len(col) < 2:
                    continue
            r[col] = r.get(col, 0) + c
        if pairs is None:
            continue
        combos = cache.get(names)
        if combos is None:
            n = len(names)
            combos = cache[names] = [
                (x, y, pairs.setdefault(f"{names[x]}|{names[y]}", [{} for _ in range(width)]))
                for x in range(n)
                for y in range(x + 1, n)
            ]
        for x, y, tables in combos:
            tx = row[x]
            ty = row[y]
            if tx is None or ty is None:
                continue
            for t, a, b in zip(tables, tx, ty, strict=True):
                if a is not None and b is not None:
                    key = (a, b, 2)
                    t[key] = t.get(key, 0) + c
    out = []
    for r in reduced:
        co = Coincidences()
        o = co.o
        for vs, c in r.items():
            co.units += c
            if len(vs) == 2:
                a, b = vs
                o[a, b] = o.get((a, b), 0.0) + c
                o[b, a] = o.get((b, a), 0.0) + c
                continue
            w = c / (len(vs) - 1)
            counts = Counter(vs)
            for v, cv in counts.items():
                for u, cu in counts.items():
                    pairs = cv * (cu - 1) if u == v else cv * cu
                    if pairs:
                        o[v, u] = o.get((v, u), 0.0) + pairs * w
        out.append(co)
    return out
