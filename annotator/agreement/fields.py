"""Agreement per field of the ``newsattr-1`` scheme, per annotator pair and per paragraph.

One pass over the paragraphs. Each annotator's labels are reduced once to a compact view (span offsets,
attribute tuples); each annotator pair is then compared once: attributions matched by overlapping cues,
claims by overlapping spans, framing spans by overlapping spans. Every categorical comparison is counted
in one dict per field keyed ``(pair, value_a, value_b, m)``, where ``m`` is the number of values in the
unit. From those counts come both each pair's Cohen's kappa and the pooled Krippendorff's alpha: a unit
of ``m`` values contributes each of its ordered value pairs to the coincidence matrix with weight
``1/(m-1)``. Attribute fields of attributions, claims and framing spans are compared on matched pairs only,
each matched pair a unit of two values, so their ``n`` is the number of matched pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

from .coefficients import Coincidences, Contingency, masi_distance, result
from .review import is_unanimous
from .spans import SpanCounts, match_spans, span_key

__all__ = [
    "ATTRIBUTION_FIELDS",
    "CLAIM_FIELDS",
    "FRAMING_SPAN_FIELDS",
    "RESIDUAL",
    "FieldAccumulator",
    "field_report",
    "paragraph_disagreement",
]

# attribute fields compared on matched items; the first ``*_CORE`` are always reported, the rest when seen
ATTRIBUTION_FIELDS = (
    "source_form",
    "source_interest",
    "record_status",
    "cue_stance",
    "source_role",
    "attribution_type",
    "quote_type",
)
ATTRIBUTION_CORE = 4
CLAIM_FIELDS = ("checkworthiness", "sourcing_strength", "claim_category", "source_commitment")
CLAIM_CORE = 2
FRAMING_SPAN_FIELDS = ("technique", "voice")
FRAMING_SPAN_CORE = 1

# span fields, in the order of the per-pair counters: (path, index in SpanCounts list)
SPAN_FIELDS = (
    "attributions.cue",
    "attributions.sources",
    "attributions.contents",
    "claims.span",
    "framing.framing_spans",
)
_CUE, _SOURCES, _CONTENTS, _CLAIMS, _FSPANS = range(5)

_LEVELS = {"claims.sourcing_strength": "ordinal", "framing.frames": "masi"}


def _set(keys: Iterable) -> frozenset:
    s = frozenset(keys)
    return s - {None} if None in s else s


def _view(labels: Mapping) -> tuple:
    """Reduce one labels document to what the comparisons need: offsets, sets and attribute tuples."""
    try:
        return _view_fast(labels)
    except (KeyError, TypeError, AttributeError):
        return _view_robust(labels)


def _view_fast(labels: Mapping) -> tuple:
    """``_view`` for well-formed labels (what the server stores); raises on anything malformed."""
    get = labels.get
    attrs = get("attributions") or ()
    if attrs:
        cues = [(c["start"], c["end"]) if (c := a.get("cue")) is not None else None for a in attrs]
        avals = [tuple(map(a.get, ATTRIBUTION_FIELDS)) for a in attrs]
        sources = frozenset([(s["start"], s["end"]) for a in attrs for s in (a.get("sources") or ())])
        contents = frozenset([(s["start"], s["end"]) for a in attrs for s in (a.get("contents") or ())])
        ids = {a.get("id"): k for k, a in enumerate(attrs)}
    else:
        cues, avals, sources, contents, ids = [], [], _NOTHING, _NOTHING, {}
    claims = get("claims") or ()
    if claims:
        cspans = [(c["start"], c["end"]) if (c := x.get("span")) is not None else None for x in claims]
        cvals = [tuple(map(x.get, CLAIM_FIELDS)) for x in claims]
        clinks = [None if (aid := x.get("attribution_id")) is None else ids.get(aid, -1) for x in claims]
    else:
        cspans, cvals, clinks = [], [], []
    framing = get("framing") or _EMPTY
    fs = framing.get("framing_spans")
    if fs:
        fspans = [(s["start"], s["end"]) for s in fs]
        fvals = [(s.get("technique"), s.get("voice")) for s in fs]
    else:
        fspans, fvals = [], []
    return (
        get("kind"),
        cues,
        _set(cues),
        avals,
        sources,
        contents,
        cspans,
        _set(cspans),
        cvals,
        clinks,
        frozenset(framing.get("frames") or ()),
        framing.get("primary_frame"),
        fspans,
        frozenset(fspans),
        fvals,
    )


_NOTHING: frozenset = frozenset()
_EMPTY: dict = {}


def _view_robust(labels: Mapping) -> tuple:
    """``_view`` that tolerates malformed spans (they become ``None`` and match nothing)."""
    get = labels.get
    cues, avals, sources, contents, ids = [], [], [], [], {}
    for k, a in enumerate(get("attributions") or ()):
        cues.append(span_key(a.get("cue")))
        avals.append(tuple(map(a.get, ATTRIBUTION_FIELDS)))
        sources += [span_key(s) for s in a.get("sources") or ()]
        contents += [span_key(s) for s in a.get("contents") or ()]
        ids[a.get("id")] = k
    cspans, cvals, clinks = [], [], []
    for c in get("claims") or ():
        cspans.append(span_key(c.get("span")))
        cvals.append(tuple(map(c.get, CLAIM_FIELDS)))
        aid = c.get("attribution_id")
        clinks.append(None if aid is None else ids.get(aid, -1))
    framing = get("framing") or {}
    fspans, fvals = [], []
    for s in framing.get("framing_spans") or ():
        fspans.append(span_key(s))
        fvals.append((s.get("technique"), s.get("voice")) if isinstance(s, Mapping) else (None, None))
    return (
        get("kind"),
        cues,
        _set(cues),
        avals,
        _set(sources),
        _set(contents),
        cspans,
        _set(cspans),
        cvals,
        clinks,
        frozenset(framing.get("frames") or ()),
        framing.get("primary_frame"),
        fspans,
        _set(fspans),
        fvals,
    )


def _differing_spans(
    acc: list, base: int, sa: frozenset, sb: frozenset, la: list | None, lb: list | None, matched: int
):
    """Add exact/overlap/total counts for two different span sets to ``acc[base:base+3]``.

    ``matched`` (one-to-one overlap matches of the lists ``la``/``lb``) is reused when the lists had no
    duplicate or missing spans; otherwise the sets are matched here.
    """
    na, nb = len(sa), len(sb)
    acc[base + 2] += na + nb
    if na and nb:
        acc[base] += len(sa & sb)
        if la is None or na != len(la) or nb != len(lb):
            matched = len(match_spans(sorted(sa), sorted(sb)))
        acc[base + 1] += matched


class _Pair:
    """Counts for one annotator pair (names in sorted order: ``a`` is the first)."""

    __slots__ = ("kind", "frames", "primary", "attrs", "claims", "fspans", "spans", "links")

    def __init__(self) -> None:
        self.kind: dict = {}  # (a, b, m) -> count, m = values in the unit
        self.frames: dict = {}
        self.primary: dict = {}
        self.attrs: dict = {}  # (attribute tuple a, attribute tuple b) -> matched attributions
        self.claims: dict = {}
        self.fspans: dict = {}
        self.spans = [0] * (3 * len(SPAN_FIELDS))  # [exact, overlap, total] per span field
        self.links = [0, 0]  # matched claims whose links agree, matched claims

    def merge(self, other: _Pair) -> None:
        for name in ("kind", "frames", "primary", "attrs", "claims", "fspans"):
            mine = getattr(self, name)
            for k, c in getattr(other, name).items():
                mine[k] = mine.get(k, 0) + c
        for k, c in enumerate(other.spans):
            self.spans[k] += c
        self.links[0] += other.links[0]
        self.links[1] += other.links[1]


_IDENTITY = [[(i, i) for i in range(n)] for n in range(17)]


def _identity(n: int) -> list[tuple[int, int]]:
    return _IDENTITY[n] if n < 17 else [(i, i) for i in range(n)]


def _matched(counts: dict, match: list, va: list, vb: list, ka: list, kb: list, width: int) -> float:
    """Count matched items' attribute tuples; return the summed agreement share of the matched pairs."""
    agree = 0
    for i, j in match:
        ta = va[i]
        tb = vb[j]
        key = (ta, tb)
        counts[key] = counts.get(key, 0) + 1
        same = width if ta == tb else sum(1 for x, y in zip(ta, tb, strict=True) if x == y)
        agree += same + (ka[i] == kb[j])
    return agree / (width + 1)


_NA, _NC, _NF = len(ATTRIBUTION_FIELDS), len(CLAIM_FIELDS), len(FRAMING_SPAN_FIELDS)


def _compare_same(st: _Pair, v: tuple, m: int, m_kind: int, m_primary: int) -> bool:
    """Count a pair whose two views are equal (common: unanimous paragraphs) without matching anything.

    Gives the same counts as ``_compare``; returns False, counting nothing, when a claim links to a missing
    attribution (``_compare`` scores that as disagreement even between equal views).
    """
    k, _, cset, av, src, con, cs, csset, cv, cl, fr, pr, _, fsset, fv = v
    if -1 in cl:
        return False
    if k is not None:
        key = (k, k, m_kind)
        st.kind[key] = st.kind.get(key, 0) + 1
    key = (fr, fr, m)
    st.frames[key] = st.frames.get(key, 0) + 1
    if pr is not None:
        key = (pr, pr, m_primary)
        st.primary[key] = st.primary.get(key, 0) + 1
    for counts, values in ((st.attrs, av), (st.claims, cv), (st.fspans, fv)):
        for t in values:
            key = (t, t)
            counts[key] = counts.get(key, 0) + 1
    spans = st.spans
    for base, keys in ((0, cset), (3, src), (6, con), (9, csset), (12, fsset)):
        n = len(keys)
        if n:
            spans[base] += n
            spans[base + 1] += n
            spans[base + 2] += 2 * n
    if cs:
        st.links[0] += len(cs)
        st.links[1] += len(cs)
    return True


def _compare(st: _Pair, va: tuple, vb: tuple, m: int, m_kind: int, m_primary: int, masi_cache: dict) -> float:
    """Count one annotator pair's comparisons on one paragraph; return the pair's disagreement in [0, 1].

    The disagreement is the mean of six components: kind, frames (MASI distance), primary frame, and for
    attributions, claims and framing spans ``1 - 2 * agreement / (items of a + items of b)``, where each
    matched pair agrees by the share of its attributes and key-span boundaries that are equal.
    """
    ka, cues_a, cset_a, av_a, src_a, con_a, cs_a, csset_a, cv_a, cl_a, fr_a, pr_a, fs_a, fsset_a, fv_a = va
    kb, cues_b, cset_b, av_b, src_b, con_b, cs_b, csset_b, cv_b, cl_b, fr_b, pr_b, fs_b, fsset_b, fv_b = vb
    spans = st.spans

    # paragraph-level fields
    d = 0.0
    if ka is not None and kb is not None:
        key = (ka, kb, m_kind)
        st.kind[key] = st.kind.get(key, 0) + 1
        if ka != kb:
            d += 1.0
    elif ka != kb:
        d += 1.0
    key = (fr_a, fr_b, m)
    st.frames[key] = st.frames.get(key, 0) + 1
    if fr_a != fr_b:
        dist = masi_cache.get(key)
        if dist is None:
            dist = masi_cache[key] = masi_distance(fr_a, fr_b)
        d += dist
    if pr_a is not None and pr_b is not None:
        key = (pr_a, pr_b, m_primary)
        st.primary[key] = st.primary.get(key, 0) + 1
        if pr_a != pr_b:
            d += 1.0
    elif pr_a != pr_b:
        d += 1.0

    # attributions, matched by cues; their source and content spans pooled per paragraph
    na, nb = len(cues_a), len(cues_b)
    amatch = ()
    if na or nb:
        amatch = _identity(na) if cues_a == cues_b else match_spans(cues_a, cues_b)
        agree = _matched(st.attrs, amatch, av_a, av_b, cues_a, cues_b, _NA)
        d_attr = 1.0 - 2 * agree / (na + nb)
        if cset_a == cset_b:
            k = len(cset_a)
            spans[0] += k
            spans[1] += k
            spans[2] += 2 * k
        else:
            _differing_spans(spans, 0, cset_a, cset_b, cues_a, cues_b, len(amatch))
        differ = False
        if src_a == src_b:
            k = len(src_a)
            spans[3] += k
            spans[4] += k
            spans[5] += 2 * k
        else:
            _differing_spans(spans, 3, src_a, src_b, None, None, 0)
            differ = True
        if con_a == con_b:
            k = len(con_a)
            spans[6] += k
            spans[7] += k
            spans[8] += 2 * k
        else:
            _differing_spans(spans, 6, con_a, con_b, None, None, 0)
            differ = True
        # differing source or content spans count for a tenth of the attribution component
        d += min(1.0, d_attr + 0.1) if differ else d_attr

    # claims, matched by spans, and whether matched claims link to matched attributions
    na, nb = len(cs_a), len(cs_b)
    if na or nb:
        cmatch = _identity(na) if cs_a == cs_b else match_spans(cs_a, cs_b)
        agree = _matched(st.claims, cmatch, cv_a, cv_b, cs_a, cs_b, _NC)
        if csset_a == csset_b:
            k = len(csset_a)
            spans[9] += k
            spans[10] += k
            spans[11] += 2 * k
        else:
            _differing_spans(spans, 9, csset_a, csset_b, cs_a, cs_b, len(cmatch))
        d_claims = 1.0 - 2 * agree / (na + nb)
        if cmatch:
            amap = dict(amatch)
            bad = 0
            for i, j in cmatch:
                x, y = cl_a[i], cl_b[j]
                if x != y or x is not None:
                    if x is None or y is None or x < 0 or amap.get(x) != y:
                        bad += 1
            st.links[0] += len(cmatch) - bad
            st.links[1] += len(cmatch)
            if bad:
                d_claims = min(1.0, d_claims + bad / (na + nb))
        d += d_claims

    # framing spans, matched by spans
    na, nb = len(fs_a), len(fs_b)
    if na or nb:
        fmatch = _identity(na) if fs_a == fs_b else match_spans(fs_a, fs_b)
        agree = _matched(st.fspans, fmatch, fv_a, fv_b, fs_a, fs_b, _NF)
        if fsset_a == fsset_b:
            k = len(fsset_a)
            spans[12] += k
            spans[13] += k
            spans[14] += 2 * k
        else:
            _differing_spans(spans, 12, fsset_a, fsset_b, fs_a, fs_b, len(fmatch))
        d += 1.0 - 2 * agree / (na + nb)
    return d / 6


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

    def __init__(self) -> None:
        self.annotators: set[str] = set()
        self.pairs: dict[str, _Pair] = {}
        self.units = {"kind": 0, "framing.primary_frame": 0, "framing.frames": 0}
        self.paragraphs: dict[str, tuple[float, int]] = {}  # paragraph_id -> (disagreement, annotators)
        self.multi = 0  # paragraphs with two or more annotators
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
                        st = self.pairs[f"{names[i]}|{names[j]}"] = _Pair()
                    combos.append((i, j, st))
                self._combos[names] = combos
            self.multi += 1
            views = [_view(annotations[name]) for name in names]
            units = self.units
            m_kind = n - [v[0] for v in views].count(None)
            m_primary = n - [v[11] for v in views].count(None)
            if m_kind >= 2:
                units["kind"] += 1
            if m_primary >= 2:
                units["framing.primary_frame"] += 1
            units["framing.frames"] += 1
            total = 0.0
            masi = self._masi
            for i, j, st in combos:
                va, vb = views[i], views[j]
                if va == vb and _compare_same(st, va, n, m_kind, m_primary):
                    continue
                total += _compare(st, va, vb, n, m_kind, m_primary, masi)
            disagreement = total / len(combos)
            if disagreement == 0.0 and not _all_equal(annotations) and not is_unanimous(annotations):
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
        """Add another accumulator's counts (over different paragraphs) to this one."""
        self.annotators |= other.annotators
        for pair, st in other.pairs.items():
            mine = self.pairs.get(pair)
            if mine is None:
                mine = self.pairs[pair] = _Pair()
            mine.merge(st)
        for path, u in other.units.items():
            self.units[path] += u
        self.paragraphs.update(other.paragraphs)
        self.multi += other.multi

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_combos"] = {}
        state["_masi"] = {}
        return state

    # -- reporting ----------------------------------------------------------------------------------------

    def _undefined(self, statistic: str, what: str) -> dict:
        if len(self.annotators) < 2:
            return result(statistic, None, 0, "only one annotator")
        if self.multi == 0:
            return result(statistic, None, 0, "no paragraph has two or more annotators")
        return result(statistic, None, 0, f"no {what}")

    def _tables(self) -> dict[str, dict[str, dict]]:
        """Return ``{path: {pair: {(a, b, m): count}}}`` for every categorical field, attribute tuples expanded."""
        tables: dict[str, dict[str, dict]] = {}

        def table(path: str, pair: str) -> dict:
            return tables.setdefault(path, {}).setdefault(pair, {})

        for pair, st in self.pairs.items():
            table("kind", pair).update(st.kind)
            table("framing.frames", pair).update(st.frames)
            table("framing.primary_frame", pair).update(st.primary)
            for prefix, fields, counts in (
                ("attributions", ATTRIBUTION_FIELDS, st.attrs),
                ("claims", CLAIM_FIELDS, st.claims),
                ("framing.framing_spans", FRAMING_SPAN_FIELDS, st.fspans),
            ):
                per_field = [table(f"{prefix}.{f}", pair) for f in fields]
                for (ta, tb), c in counts.items():
                    for k, t in enumerate(per_field):
                        x = ta[k]
                        y = tb[k]
                        if x is not None and y is not None:
                            key = (x, y, 2)
                            t[key] = t.get(key, 0) + c
        return tables

    def _paths(self, tables: Mapping) -> list[str]:
        """Return the categorical paths to report: core fields always, extended ones when seen."""
        paths = ["kind"]
        for prefix, fields, core in (
            ("attributions", ATTRIBUTION_FIELDS, ATTRIBUTION_CORE),
            ("claims", CLAIM_FIELDS, CLAIM_CORE),
            ("framing.framing_spans", FRAMING_SPAN_FIELDS, FRAMING_SPAN_CORE),
        ):
            for k, f in enumerate(fields):
                path = f"{prefix}.{f}"
                if k < core or any(tables.get(path, {}).values()):
                    paths.append(path)
        return paths + ["framing.frames", "framing.primary_frame"]

    def report(self) -> dict:
        """Return ``{"fields", "pairs", "annotators", "paragraphs"}`` (see ``field_report``)."""
        tables = self._tables()
        fields: dict[str, dict] = {}
        pairs: dict[str, dict] = {pair: {} for pair in sorted(self.pairs)}
        for path in self._paths(tables):
            level = _LEVELS.get(path, "nominal")
            statistic = f"krippendorff_alpha_{level}"
            matched = path.startswith(("attributions.", "claims.", "framing.framing_spans."))
            what = (
                f"matched {path.rsplit('.', 1)[0].split('.')[-1]} with values to compare"
                if matched
                else "values in common"
            )
            per_pair = tables.get(path, {})
            co = Coincidences()
            o = co.o
            for counts in per_pair.values():
                for (a, b, m), c in counts.items():
                    w = c / (m - 1)
                    o[a, b] = o.get((a, b), 0.0) + w
                    o[b, a] = o.get((b, a), 0.0) + w
            co.units = sum(sum(t.values()) for t in per_pair.values()) if matched else self.units[path]
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
            if path == "claims.sourcing_strength":
                within = _within_1([c for t in per_pair.values() for c in t.items()])
                if within["value"] is None:
                    within = self._undefined("share_within_1", "matched claims with values to compare")
                fields[path + ".within_1"] = within
                for pair in pairs:
                    pairs[pair][path + ".within_1"] = _within_1(list(per_pair.get(pair, {}).items()))
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
        return {
            "fields": dict(sorted(fields.items())),
            "pairs": pairs,
            "annotators": sorted(self.annotators),
            "paragraphs": {
                pid: {"disagreement": d, "n_annotators": n} for pid, (d, n) in self.paragraphs.items()
            },
        }


def _within_1(counts: list) -> dict:
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
        return result("share_within_1", None, 0, "no matched claims with values to compare")
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


def field_report(items: Iterable[Mapping]) -> dict:
    """Return agreement per field, per annotator pair and per paragraph over ``items``.

    :param items: ``{"paragraph_id": str, "text": str, "annotations": {annotator: labels}}`` per paragraph;
        any iterable, consumed once.
    :returns: ``{"fields": {path: res}, "pairs": {"a|b": {path: res}}, "annotators": [...],
        "paragraphs": {paragraph_id: {"disagreement": float, "n_annotators": int}}}`` where each ``res`` is
        ``{"statistic", "value", "n", "reason"}``.
    """
    acc = FieldAccumulator()
    for item in items:
        acc.add(item)
    return acc.report()


def paragraph_disagreement(annotations: Mapping[str, Mapping]) -> float:
    """Return one paragraph's disagreement in [0, 1]: 0 when all annotators agree, averaged over pairs.

    Each pair scores the mean of six components: kind, frames (MASI distance), primary frame, attributions,
    claims and framing spans (unmatched items count fully, matched ones by the share of differing attributes).
    Labels that differ only in fields none of these weigh (and not only in free text) score ``RESIDUAL``,
    so 0 means exactly what ``is_unanimous`` means.
    """
    return FieldAccumulator().add({"annotations": annotations})
