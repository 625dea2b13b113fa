"""Agreement per field of a label scheme (``layout``: its field lists), per annotator pair and per paragraph.

One pass over the paragraphs; each annotator pair is compared once per paragraph (see ``pairs``). Every
categorical comparison is counted per pair, keyed ``(value_a, value_b, m)`` where ``m`` is the number of
values in the unit (matched items' attributes are counted as whole attribute tuples and expanded at the
end). From those counts come each pair's Cohen's kappa and, for paragraph-level fields, the pooled
Krippendorff's alpha: a unit of ``m`` values contributes each of its ordered value pairs to the coincidence
matrix with weight ``1/(m-1)``; their ``n`` is the number of paragraphs with two or more values.

Attribute fields of attributions, claims and framing spans get their alpha from units of their own: each
paragraph's items are aligned across all its annotators at once (``alignment``), one unit per aligned item
holding one value per annotator who has it, so that alpha is the one ``krippendorff.alpha`` gives on that
annotators x units matrix; their ``n`` is the number of units with two or more values. Every figure says
its ``statistic`` and its ``unit``; the report's ``alignment`` says how many items aligned with nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

from ..scheme.model import Scheme
from .alignment import UnitCounts, field_coincidences
from .coefficients import Coincidences, Contingency, result
from .layout import ITEM_LISTS, Layout, layout_of
from .pairs import (
    ATTRIBUTION_FIELDS,
    CLAIM_FIELDS,
    FRAMING_SPAN_FIELDS,
    SPAN_FIELDS,
    PairCounts,
    compare,
    compare_same,
    viewer,
)
from .review import is_unanimous
from .spans import SpanCounts

__all__ = [
    "ATTRIBUTION_FIELDS",
    "CLAIM_FIELDS",
    "FRAMING_SPAN_FIELDS",
    "RESIDUAL",
    "FieldAccumulator",
    "field_report",
    "paragraph_disagreement",
]

# the view positions of each kind of aligned item's keys and attribute values (``pairs.view``)
_POSITIONS = {"attributions": (1, 3), "claims": (6, 8), "framing.framing_spans": (12, 14)}


def _items(lay: Layout) -> tuple:
    """Return ``(path prefix, attribute fields, core fields, view positions of keys and values)`` per kind."""
    return tuple((prefix, fields, core, *_POSITIONS[prefix]) for prefix, fields, core in lay.items())


# what one unit of each figure is (reported beside the statistic)
UNITS = {
    "paragraph": "paragraph with two or more values",
    "attributions": "attribution aligned across annotators by cue",
    "claims": "claim aligned across annotators by span",
    "framing.framing_spans": "framing span aligned across annotators by span",
    "span": "span marked, summed over annotator pairs",
    "pair_span": "span marked by either annotator",
    "pair_paragraph": "paragraph labelled by both annotators",
    "pair_attributions": "attribution pair matched by cue",
    "pair_claims": "claim pair matched by span",
    "pair_framing.framing_spans": "framing span pair matched by span",
}


# the disagreement of a paragraph whose labels differ only in fields the score does not weigh
RESIDUAL = 0.001


def _all_equal(annotations: Mapping[str, Mapping]) -> bool:
    it = iter(annotations.values())
    first = next(it)
    return all(labels == first for labels in it)


class FieldAccumulator:
    """Agreement counts over a stream of paragraphs; ``add`` one paragraph at a time, then ``report``.

    Memory grows with the number of distinct values and paragraphs, not with the annotations: each
    annotation is reduced, compared and dropped. Partial accumulators over different chunks of the data
    combine with ``merge``.
    """

    def __init__(self, scheme: Scheme | Layout | None = None) -> None:
        #: the compared fields (``layout``); accumulators of different layouts cannot be merged
        self.layout = layout_of(scheme)
        self._set_layout()
        self.annotators: set[str] = set()
        self.pairs: dict[str, PairCounts] = {}
        self.units = {"kind": 0, "framing.primary_frame": 0, "framing.frames": 0}
        self.paragraphs: dict[str, tuple[float, int]] = {}  # paragraph_id -> (disagreement, annotators)
        self.multi = 0  # paragraphs with two or more annotators
        self.aligned = {prefix: UnitCounts() for prefix in ITEM_LISTS}
        self._combos: dict[tuple, list] = {}
        self._masi: dict = {}

    def add(self, item: Mapping) -> float:
        """Add one paragraph ``{"paragraph_id", "annotations": {name: labels}}``; return its disagreement."""
        annotations = item["annotations"]
        names = tuple(sorted(annotations))
        n = len(names)
        disagreement = 0.0
        if n >= 2:
            combos = self._combos.get(names)
            if combos is None:
                self.annotators.update(names)
                combos = []
                for i, j in combinations(range(n), 2):
                    st = self.pairs.get(f"{names[i]}|{names[j]}")
                    if st is None:
                        st = self.pairs[f"{names[i]}|{names[j]}"] = PairCounts()
                    combos.append((i, j, st))
                self._combos[names] = combos
            self.multi += 1
            # Annotators who saved the very same text often share one parsed document (see
            # review.queue._group): reduce each document once.
            views, seen = [], {}
            view_of = self._view
            for name in names:
                doc = annotations[name]
                v = seen.get(id(doc))
                if v is None:
                    v = seen[id(doc)] = view_of(doc)
                views.append(v)
            units = self.units
            m_kind = n - [v[0] for v in views].count(None)
            m_primary = n - [v[11] for v in views].count(None)
            if m_kind >= 2:
                units["kind"] += 1
            if m_primary >= 2:
                units["framing.primary_frame"] += 1
            units["framing.frames"] += 1
            # the units of each kind of item; inline, as most paragraphs agree on most kinds of items
            aligned = self.aligned
            v0 = views[0]
            rest = views[1:]
            for prefix, _, _, ki, vi in self._items:
                k0 = v0[ki]
                t0 = v0[vi]
                for v in rest:
                    if v[ki] != k0 or v[vi] != t0:
                        aligned[prefix].add(names, [v[ki] for v in views], [v[vi] for v in views])
                        break
                else:
                    if t0:
                        aligned[prefix].add_same(names, t0)
            total = 0.0
            masi = self._masi
            widths = self._widths
            for i, j, st in combos:
                va, vb = views[i], views[j]
                if va == vb and compare_same(st, va, n, m_kind, m_primary):
                    continue
                total += compare(st, va, vb, n, m_kind, m_primary, masi, widths)
            disagreement = total / len(combos)
            if (
                disagreement == 0.0
                and not _all_equal(annotations)
                and not is_unanimous(annotations, layout=self.layout)
            ):
                # the labels differ only where the score does not look (supplements, embedded sources,
                # stance, a contested name's alternative): rank the paragraph above the unanimous ones
                disagreement = RESIDUAL
        else:
            self.annotators.update(names)
        pid = item.get("paragraph_id")
        if pid is not None:
            # a tuple, not a dict: 100,000 small dicts would keep the garbage collector busy
            self.paragraphs[pid if type(pid) is str else str(pid)] = (disagreement, n)
        return disagreement

    def merge(self, other: FieldAccumulator) -> None:
        """Add another accumulator's counts (over different paragraphs) to this one.

        Raises ValueError when the two compared different fields (accumulators of different schemes).
        """
        if other.layout.key != self.layout.key:
            raise ValueError(
                f"agreement counts of different field lists cannot be merged ({self.layout.key}, {other.layout.key})"
            )
        self.annotators |= other.annotators
        for pair, st in other.pairs.items():
            mine = self.pairs.get(pair)
            if mine is None:
                mine = self.pairs[pair] = PairCounts()
            mine.merge(st)
        for path, u in other.units.items():
            self.units[path] += u
        self.paragraphs.update(other.paragraphs)
        self.multi += other.multi
        for prefix, counts in other.aligned.items():
            self.aligned[prefix].merge(counts)

    def _set_layout(self) -> None:
        lay = self.layout
        fields = (lay.attribution_fields, lay.claim_fields, lay.framing_span_fields)
        self._view = viewer(*fields)
        self._widths = tuple(len(f) for f in fields)
        self._items = _items(lay)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_combos"] = {}
        state["_masi"] = {}
        for derived in ("_view", "_widths", "_items"):
            state.pop(derived)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._set_layout()

    # -- reporting ----------------------------------------------------------------------------------------

    def _undefined(self, statistic: str, what: str) -> dict:
        if len(self.annotators) < 2:
            return result(statistic, None, 0, "only one annotator")
        if self.multi == 0:
            return result(statistic, None, 0, "no paragraph has two or more annotators")
        return result(statistic, None, 0, f"no {what}")

    def _tables(self) -> tuple[dict[str, dict[str, dict]], dict[str, list[Coincidences]]]:
        """Return ``{path: {pair: {(a, b, m): count}}}`` for every categorical field, and the coincidences of
        the aligned items' attributes per kind of item (one pass over the units gives both)."""
        tables: dict[str, dict[str, dict]] = {}
        for pair, st in self.pairs.items():
            tables.setdefault("kind", {})[pair] = dict(st.kind)
            tables.setdefault("framing.frames", {})[pair] = dict(st.frames)
            tables.setdefault("framing.primary_frame", {})[pair] = dict(st.primary)
        coincidences = {}
        for prefix, fields, *_ in self._items:
            per_pair: dict[str, list[dict]] = {}
            coincidences[prefix] = field_coincidences(self.aligned[prefix].values, len(fields), per_pair)
            for k, f in enumerate(fields):
                tables[f"{prefix}.{f}"] = {pair: t[k] for pair, t in per_pair.items()}
        return tables, coincidences

    def _paths(self, tables: Mapping) -> list[str]:
        """Return the categorical paths to report: core fields always, extended ones when seen."""
        paths = ["kind"]
        for prefix, fields, core in self.layout.items():
            for k, f in enumerate(fields):
                path = f"{prefix}.{f}"
                if k < core or any(tables.get(path, {}).values()):
                    paths.append(path)
        return paths + ["framing.frames", "framing.primary_frame"]

    def report(self) -> dict:
        """Return ``{"fields", "pairs", "annotators", "paragraphs"}`` (see ``field_report``)."""
        tables, item_coincidences = self._tables()
        fields: dict[str, dict] = {}
        pairs: dict[str, dict] = {pair: {} for pair in sorted(self.pairs)}
        ordinal = self.layout.ordinal
        for path in self._paths(tables):
            level = "masi" if path == "framing.frames" else "ordinal" if path in ordinal else "nominal"
            statistic = f"krippendorff_alpha_{level}"
            matched = path.startswith(("attributions.", "claims.", "framing.framing_spans."))
            what = (
                f"matched {path.rsplit('.', 1)[0].split('.')[-1]} with values to compare"
                if matched
                else "values in common"
            )
            per_pair = tables.get(path, {})
            if matched:
                prefix, field = path.rsplit(".", 1)
                fields_of = next(f for p, f, *_ in self._items if p == prefix)
                if prefix not in item_coincidences:
                    item_coincidences[prefix] = field_coincidences(
                        self.aligned[prefix].values, len(fields_of)
                    )
                co = item_coincidences[prefix][fields_of.index(field)]
            else:
                co = Coincidences()
                o = co.o
                for counts in per_pair.values():
                    for (a, b, m), c in counts.items():
                        w = c / (m - 1)
                        o[a, b] = o.get((a, b), 0.0) + w
                        o[b, a] = o.get((b, a), 0.0) + w
                co.units = self.units[path]
            if co.units:
                fields[path] = co.alpha(level, statistic)
                fields[path]["n"] = co.units
            else:
                fields[path] = self._undefined(
                    statistic, what if matched else "paragraph with two or more values"
                )
            for pair in pairs:
                counts = per_pair.get(pair, {})
                if path == "framing.frames":
                    pco = Coincidences()
                    for (a, b, _), c in counts.items():
                        pco.o[a, b] = pco.o.get((a, b), 0.0) + c
                        pco.o[b, a] = pco.o.get((b, a), 0.0) + c
                    pco.units = sum(counts.values())
                    pres = (
                        pco.alpha("masi")
                        if pco.units
                        else result(statistic, None, 0, "no paragraphs in common")
                    )
                    pres["n"] = pco.units
                    pairs[pair][path] = pres
                elif not counts:
                    pairs[pair][path] = result("cohen_kappa", None, 0, f"no {what}")
                else:
                    t = Contingency()
                    for (a, b, _), c in counts.items():
                        t.counts[a, b] = t.counts.get((a, b), 0) + c
                    pairs[pair][path] = t.kappa()
            if path in ordinal:
                within = _within_1([c for t in per_pair.values() for c in t.items()], what)
                if within["value"] is None:
                    within = self._undefined("share_within_1", what)
                fields[path + ".within_1"] = within
                for pair in pairs:
                    pairs[pair][path + ".within_1"] = _within_1(list(per_pair.get(pair, {}).items()), what)
            if path == "framing.frames":
                fields.update(_per_frame(per_pair, self.units["framing.frames"]))

        # spans: F1 per pair, and the unweighted mean over the pairs where it is defined
        for k, path in enumerate(SPAN_FIELDS):
            for mode in ("exact", "overlap"):
                key = path if mode == "exact" else f"{path}.overlap"
                values, total = [], 0
                for pair in pairs:
                    e, o, t = self.pairs[pair].spans[3 * k : 3 * k + 3]
                    res = SpanCounts(e, o, t).f1(mode)
                    pairs[pair][key] = res
                    total += t
                    if res["value"] is not None:
                        values.append(res["value"])
                if values:
                    fields[key] = result(f"span_f1_{mode}", sum(values) / len(values), total)
                elif pairs:
                    fields[key] = result(f"span_f1_{mode}", None, 0, "no spans marked by either annotator")
                else:
                    fields[key] = self._undefined(f"span_f1_{mode}", "spans")

        # claims.attribution_link: matched claims that both give to the outlet or to matched attributions
        ok = sum(st.links[0] for st in self.pairs.values())
        total = sum(st.links[1] for st in self.pairs.values())
        statistic = "percent_agreement"
        fields["claims.attribution_link"] = (
            result(statistic, ok / total, total) if total else self._undefined(statistic, "matched claims")
        )
        for pair in pairs:
            a, t = self.pairs[pair].links
            pairs[pair]["claims.attribution_link"] = (
                result(statistic, a / t, t) if t else result(statistic, None, 0, "no matched claims")
            )
        for path, res in fields.items():
            res["unit"] = _unit(path)
        for per_pair in pairs.values():
            for path, res in per_pair.items():
                res["unit"] = _unit(path, pair=True)
        return {
            "fields": dict(sorted(fields.items())),
            "pairs": pairs,
            "alignment": {prefix: counts.summary() for prefix, counts in self.aligned.items()},
            "annotators": sorted(self.annotators),
            "paragraphs": {
                pid: {"disagreement": d, "n_annotators": n} for pid, (d, n) in self.paragraphs.items()
            },
        }


_SPAN_PATHS = frozenset(SPAN_FIELDS) | {f"{p}.overlap" for p in SPAN_FIELDS}


def _unit(path: str, pair: bool = False) -> str:
    """Return what one unit (what ``n`` counts) of the figure at ``path`` is."""
    if path in _SPAN_PATHS:
        return UNITS["pair_span" if pair else "span"]
    if path == "claims.attribution_link":
        return UNITS["pair_claims"]
    if path.endswith(".within_1"):
        path = path[: -len(".within_1")]
    for prefix in ITEM_LISTS:
        if path.startswith(prefix + "."):
            return UNITS[f"pair_{prefix}" if pair else prefix]
    return UNITS["pair_paragraph" if pair else "paragraph"]


def _within_1(counts: list, what: str) -> dict:
    """Return the share of compared (ordinal) value pairs that differ by at most 1."""
    near = total = 0
    for (a, b, _), c in counts:
        total += c
        try:
            if abs(a - b) <= 1:
                near += c
        except TypeError:
            pass
    if total == 0:
        return result("share_within_1", None, 0, f"no {what}")
    return result("share_within_1", near / total, total)


def _per_frame(per_pair: Mapping[str, dict], units: int) -> dict:
    """Return nominal (binary) alpha for each frame seen, derived from the frame-set coincidences.

    A (set a, set b) coincidence of weight w adds, for a frame in both sets, 2w to (True, True); in one of
    them, w to (True, False) and to (False, True); in neither, 2w to (False, False). So only the frames in
    ``a | b`` are visited, and (False, False) is the rest of the total.
    """
    collapsed: dict[tuple, float] = {}
    for counts in per_pair.values():
        for (a, b, m), c in counts.items():
            k = (a, b)
            collapsed[k] = collapsed.get(k, 0.0) + c / (m - 1)
    both: dict = {}
    one: dict = {}
    total = 0.0
    for (a, b), w in collapsed.items():
        total += 2 * w
        for f in a & b:
            both[f] = both.get(f, 0.0) + 2 * w
        for f in a ^ b:
            one[f] = one.get(f, 0.0) + w
    out = {}
    for frame in sorted(both.keys() | one.keys()):
        co = Coincidences()
        o11, o10 = both.get(frame, 0.0), one.get(frame, 0.0)
        o00 = total - o11 - 2 * o10
        for key, value in (
            ((True, True), o11),
            ((True, False), o10),
            ((False, True), o10),
            ((False, False), o00),
        ):
            if value > 1e-9 * total:  # (False, False) is a difference: keep rounding noise out
                co.o[key] = value
        co.units = units
        res = co.alpha("nominal", "krippendorff_alpha_nominal")
        res["n"] = units
        out[f"framing.frames.{frame}"] = res
    return out


def field_report(items: Iterable[Mapping], scheme: Scheme | None = None) -> dict:
    """Return agreement per field, per annotator pair and per paragraph over ``items``.

    :param items: ``{"paragraph_id": str, "text": str, "annotations": {annotator: labels}}`` per paragraph;
        any iterable, consumed once.
    :returns: ``{"fields": {path: res}, "pairs": {"a|b": {path: res}}, "annotators": [...],
        "alignment": {"attributions" | "claims" | "framing.framing_spans": {"items", "units",
        "aligned_units", "unaligned_items"}},
        "paragraphs": {paragraph_id: {"disagreement": float, "n_annotators": int}}}`` where each ``res`` is
        ``{"statistic", "value", "n", "reason", "unit"}`` (``unit``: what ``n`` counts).
    :param scheme: whose fields to compare (default: the default scheme).
    """
    acc = FieldAccumulator(scheme)
    for item in items:
        acc.add(item)
    return acc.report()


def paragraph_disagreement(
    annotations: Mapping[str, Mapping], scheme: Scheme | Layout | None = None
) -> float:
    """Return one paragraph's disagreement in [0, 1]: 0 when all annotators agree, averaged over pairs.

    Each pair scores the mean of six components: kind, frames (MASI distance), primary frame, attributions,
    claims and framing spans (unmatched items count fully, matched ones by the share of differing attributes).
    Labels that differ only in fields none of these weigh (and not only in free text) score ``RESIDUAL``,
    so 0 means exactly what ``is_unanimous`` means.
    """
    return FieldAccumulator(scheme).add({"annotations": annotations})
