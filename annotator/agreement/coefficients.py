"""Agreement coefficients over categorical, ordinal, interval and set-valued data.

Every coefficient returns the same small dict, ``{"statistic", "value", "n", "reason"}``: ``value`` is a
float, or ``None`` with a ``reason`` when the coefficient is undefined (one annotator, nothing pairable,
no variation). An undefined coefficient is never reported as 0 or 1, because both read as findings.

Krippendorff's alpha is computed from a coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
Alpha-Reliability"), accumulated unit by unit in a dict so that large data streams through in one pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

__all__ = [
    "Coincidences",
    "Contingency",
    "DISTANCES",
    "cohen_kappa",
    "fleiss_kappa",
    "interval_distance",
    "krippendorff_alpha",
    "masi_distance",
    "nominal_distance",
    "percent_agreement",
    "ratio_distance",
    "result",
]

Distance = Callable[[Any, Any], float]


def result(statistic: str, value: float | None, n: int, reason: str | None = None) -> dict:
    """Return the result dict every coefficient answers with."""
    return {"statistic": statistic, "value": value, "n": n, "reason": reason}


def _show(value: Any) -> str:
    """Render a value for a reason string: sets as sorted lists, everything else by ``repr``."""
    if isinstance(value, frozenset | set):
        return repr(sorted(value, key=repr))
    return repr(value)


# -- distances -------------------------------------------------------------------------------------------


def nominal_distance(a: Any, b: Any) -> float:
    """Return 0 for equal values and 1 otherwise."""
    return 0.0 if a == b else 1.0


def interval_distance(a: float, b: float) -> float:
    """Return the squared difference."""
    d = a - b
    return float(d * d)


def ratio_distance(a: float, b: float) -> float:
    """Return Krippendorff's ratio distance ``((a - b) / (a + b))**2`` (0 when both are 0)."""
    s = a + b
    return 0.0 if s == 0 else float(((a - b) / s) ** 2)


def masi_distance(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """Return the MASI distance between two label sets (Passonneau 2006), as NLTK computes it.

    Two empty sets are identical (distance 0), where NLTK would divide by zero.
    """
    a = a if isinstance(a, frozenset | set) else frozenset(a)
    b = b if isinstance(b, frozenset | set) else frozenset(b)
    inter = len(a & b)
    union = len(a | b)
    if union == 0:
        return 0.0
    la, lb = len(a), len(b)
    if la == lb == inter:
        m = 1
    elif inter == min(la, lb):
        m = 2 / 3
    elif inter > 0:
        m = 1 / 3
    else:
        m = 0
    return 1 - inter / union * m


DISTANCES: dict[str, Distance | None] = {
    "nominal": nominal_distance,
    "ordinal": None,  # depends on the marginals; see Coincidences._ordinal_distances
    "interval": interval_distance,
    "ratio": ratio_distance,
    "masi": masi_distance,
}


# -- Krippendorff's alpha ----------------------------------------------------------------------------------


class Coincidences:
    """A coincidence matrix for Krippendorff's alpha, filled one unit at a time.

    ``o[(v, w)]`` is the number of pairable (v, w) value pairs, each unit's pairs weighted ``1/(m-1)``
    where ``m`` is the number of values in that unit. Units with fewer than two values are not pairable
    and add nothing. Mergeable, so partial matrices from chunks of data can be combined.
    """

    __slots__ = ("o", "units")

    def __init__(self) -> None:
        self.o: dict[tuple[Any, Any], float] = {}
        self.units = 0

    def add(self, values: list | tuple) -> None:
        """Add one unit's values (missing values already left out)."""
        m = len(values)
        if m < 2:
            return
        self.units += 1
        o = self.o
        if m == 2:
            a, b = values
            o[a, b] = o.get((a, b), 0.0) + 1.0
            o[b, a] = o.get((b, a), 0.0) + 1.0
            return
        w = 1.0 / (m - 1)
        counts = Counter(values)
        for v, cv in counts.items():
            for u, cu in counts.items():
                k = cv * (cu - 1) if u == v else cv * cu
                if k:
                    o[v, u] = o.get((v, u), 0.0) + k * w

    def add_pair(self, a: Any, b: Any) -> None:
        """Add a unit of exactly two values (the fast path for matched pairs)."""
        o = self.o
        self.units += 1
        o[a, b] = o.get((a, b), 0.0) + 1.0
        o[b, a] = o.get((b, a), 0.0) + 1.0

    def merge(self, other: Coincidences) -> None:
        """Add another matrix's counts to this one."""
        o = self.o
        for k, v in other.o.items():
            o[k] = o.get(k, 0.0) + v
        self.units += other.units

    def marginals(self) -> dict[Any, float]:
        """Return ``n_v``, the number of pairable values equal to ``v``."""
        n: dict[Any, float] = {}
        for (v, _), c in self.o.items():
            n[v] = n.get(v, 0.0) + c
        return n

    def alpha(self, level: str | Distance = "nominal", statistic: str | None = None) -> dict:
        """Return Krippendorff's alpha for this matrix at ``level`` (a name in ``DISTANCES`` or a function)."""
        name = level if isinstance(level, str) else getattr(level, "__name__", "custom")
        statistic = statistic or f"krippendorff_alpha_{name}"
        nv = self.marginals()
        n = sum(nv.values())
        n_int = self.units  # reported n: pairable units (Krippendorff's n, the pairable values, is larger)
        if self.units == 0 or n < 2:
            return result(
                statistic, None, n_int, "fewer than 2 pairable values: no unit has two or more values"
            )
        if len(nv) == 1:
            (only,) = nv
            return result(statistic, None, n_int, f"no variation: every value is {_show(only)}")
        o = self.o
        if level == "nominal":
            observed = n - sum(c for (v, w), c in o.items() if v == w)
            expected = n * n - sum(c * c for c in nv.values())
        elif level == "masi":
            observed, expected = _masi_sums(o, nv)
        else:
            dist = self._ordinal_distances(nv) if level == "ordinal" else _distance(level)
            observed = 0.0
            for (v, w), c in o.items():
                if v != w:
                    observed += c * dist(v, w)
            values = list(nv)
            expected = 0.0
            for i, v in enumerate(values):
                nv_v = nv[v]
                for w in values[i + 1 :]:
                    expected += 2 * nv_v * nv[w] * dist(v, w)
        if expected == 0:
            return result(statistic, None, n_int, "no variation: expected disagreement is 0")
        return result(statistic, 1.0 - (n - 1) * observed / expected, n_int)

    @staticmethod
    def _ordinal_distances(nv: Mapping[Any, float]) -> Distance:
        """Return Krippendorff's ordinal distance over the observed ranks of ``nv``'s (sortable) values."""
        ranks = sorted(nv)
        # cumulative position of each value's midpoint: sum_{g<=c} n_g - n_c/2
        mid: dict[Any, float] = {}
        total = 0.0
        for v in ranks:
            total += nv[v]
            mid[v] = total - nv[v] / 2

        def ordinal(a: Any, b: Any) -> float:
            d = mid[a] - mid[b]
            return d * d

        return ordinal


def _masi_sums(o: Mapping[tuple, float], nv: Mapping[Any, float]) -> tuple[float, float]:
    """Return the observed and expected MASI disagreement sums, with label sets held as bit masks.

    The expected sum runs over every pair of distinct sets seen, so it is the costly part; bit masks make
    each distance a few integer operations. The arithmetic follows ``masi_distance`` exactly.
    """
    bits: dict = {}
    mask: dict = {}
    for v in nv:
        m = 0
        for label in v:
            b = bits.get(label)
            if b is None:
                b = bits[label] = 1 << len(bits)
            m |= b
        mask[v] = m

    def dist(ma: int, mb: int, la: int, lb: int) -> float:
        inter = (ma & mb).bit_count()
        if inter == 0:
            return 1.0
        union = la + lb - inter
        if la == lb == inter:
            return 0.0
        m = 2 / 3 if inter == (la if la < lb else lb) else 1 / 3
        return 1 - inter / union * m

    observed = 0.0
    for (v, w), c in o.items():
        if v != w:
            observed += c * dist(mask[v], mask[w], len(v), len(w))
    entries = [(mask[v], len(v), c) for v, c in nv.items()]
    expected = 0.0
    for i, (ma, la, ca) in enumerate(entries):
        row = 0.0
        for mb, lb, cb in entries[i + 1 :]:
            inter = (ma & mb).bit_count()
            if inter == 0:
                row += cb
            else:
                m = 2 / 3 if inter == (la if la < lb else lb) else 1 / 3
                row += cb * (1 - inter / (la + lb - inter) * m)
        expected += 2 * ca * row
    return observed, expected


def _distance(level: str | Distance) -> Distance:
    if callable(level):
        return level
    try:
        dist = DISTANCES[level]
    except KeyError:
        raise ValueError(f"unknown level of measurement {level!r}; one of {sorted(DISTANCES)}") from None
    assert dist is not None
    return dist


def _unit_values(unit: Mapping | Iterable) -> tuple[list, list | None]:
    """Split a unit into its non-missing values and, for a mapping, the coders who gave them."""
    if isinstance(unit, Mapping):
        coders, values = [], []
        for coder, v in unit.items():
            if v is not None:
                coders.append(coder)
                values.append(v)
        return values, coders
    return [v for v in unit if v is not None], None


def _freeze(value: Any) -> Any:
    return value if isinstance(value, frozenset) else frozenset(value)


def krippendorff_alpha(units: Iterable[Mapping | Iterable], level: str | Distance = "nominal") -> dict:
    """Return Krippendorff's alpha over ``units``.

    :param units: one entry per unit, either ``{coder: value}`` or a sequence of values; ``None`` is missing.
        For ``level="masi"`` each value is a set (any iterable of labels).
    :param level: ``nominal``, ``ordinal``, ``interval``, ``ratio``, ``masi`` or a distance function.
    """
    co = Coincidences()
    coders: set = set()
    masi = level == "masi"
    for unit in units:
        values, who = _unit_values(unit)
        if who is not None:
            coders.update(who)
        if masi:
            values = [_freeze(v) for v in values]
        co.add(values)
    res = co.alpha(level)
    if res["value"] is None and co.units == 0 and len(coders) == 1:
        res["reason"] = "only one annotator"
    return res


# -- kappa and percent agreement ---------------------------------------------------------------------------


class Contingency:
    """Counts of (value of annotator A, value of annotator B) over the items both rated: Cohen's kappa."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[tuple[Any, Any], int] = {}

    def add(self, a: Any, b: Any) -> None:
        k = (a, b)
        self.counts[k] = self.counts.get(k, 0) + 1

    def merge(self, other: Contingency) -> None:
        c = self.counts
        for k, v in other.counts.items():
            c[k] = c.get(k, 0) + v

    def kappa(self, statistic: str = "cohen_kappa") -> dict:
        """Return Cohen's kappa over the counted pairs."""
        counts = self.counts
        n = sum(counts.values())
        if n == 0:
            return result(statistic, None, 0, "no items rated by both annotators")
        rows: dict[Any, int] = {}
        cols: dict[Any, int] = {}
        agree = 0
        for (a, b), c in counts.items():
            rows[a] = rows.get(a, 0) + c
            cols[b] = cols.get(b, 0) + c
            if a == b:
                agree += c
        pe = sum(r * cols.get(v, 0) for v, r in rows.items()) / (n * n)
        if pe == 1:
            return result(statistic, None, n, f"no variation: every value is {_show(next(iter(rows)))}")
        po = agree / n
        return result(statistic, (po - pe) / (1 - pe), n)

    def percent(self, statistic: str = "percent_agreement") -> dict:
        """Return the share of counted pairs on which both annotators agree."""
        n = sum(self.counts.values())
        if n == 0:
            return result(statistic, None, 0, "no items rated by both annotators")
        return result(statistic, sum(c for (a, b), c in self.counts.items() if a == b) / n, n)


def cohen_kappa(a: Iterable, b: Iterable) -> dict:
    """Return Cohen's kappa between two annotators' parallel value lists; items where either is ``None`` are skipped."""
    table = Contingency()
    for x, y in zip(a, b, strict=True):
        if x is not None and y is not None:
            table.add(x, y)
    return table.kappa()


def fleiss_kappa(units: Iterable[Mapping | Iterable]) -> dict:
    """Return Fleiss' kappa (1971) over ``units`` (each ``{coder: category}`` or a sequence of categories).

    Units with fewer than two ratings are skipped. With the same number of ratings per unit this is Fleiss'
    statistic exactly; with varying numbers each unit's agreement is taken over its own rating pairs.
    """
    statistic = "fleiss_kappa"
    totals: dict[Any, int] = {}
    coders: set = set()
    p_sum = 0.0
    n_units = 0
    n_ratings = 0
    for unit in units:
        values, who = _unit_values(unit)
        if who is not None:
            coders.update(who)
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        n_units += 1
        n_ratings += m
        p_sum += (sum(c * c for c in counts.values()) - m) / (m * (m - 1))
        for v, c in counts.items():
            totals[v] = totals.get(v, 0) + c
    if n_units == 0:
        reason = "only one annotator" if len(coders) == 1 else "no unit has two or more ratings"
        return result(statistic, None, 0, reason)
    pe = sum((c / n_ratings) ** 2 for c in totals.values())
    if pe == 1:
        return result(statistic, None, n_units, f"no variation: every value is {_show(next(iter(totals)))}")
    return result(statistic, (p_sum / n_units - pe) / (1 - pe), n_units)


def percent_agreement(units: Iterable[Mapping | Iterable]) -> dict:
    """Return the mean over units (with two or more values) of the share of agreeing annotator pairs."""
    statistic = "percent_agreement"
    total = 0.0
    n = 0
    coders: set = set()
    for unit in units:
        values, who = _unit_values(unit)
        if who is not None:
            coders.update(who)
        m = len(values)
        if m < 2:
            continue
        n += 1
        total += (sum(c * (c - 1) for c in Counter(values).values())) / (m * (m - 1))
    if n == 0:
        reason = "only one annotator" if len(coders) == 1 else "no unit has two or more values"
        return result(statistic, None, 0, reason)
    return result(statistic, total / n, n)
