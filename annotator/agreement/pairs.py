"""One annotator pair compared on one paragraph: the counting core of the field report.

Each annotator's labels are reduced once to a compact view (span offsets, attribute tuples, frozensets);
a pair of views is then compared: attributions matched by overlapping cues, claims by overlapping spans,
framing spans by overlapping spans, each one-to-one and greedy by overlap size. What is counted goes into
the pair's ``PairCounts``; the comparison returns the pair's disagreement on the paragraph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .coefficients import masi_distance
from .layout import COUNTED_SPANS, DEFAULT_LAYOUT
from .spans import match_spans, span_key

__all__ = [
    "ATTRIBUTION_CORE",
    "ATTRIBUTION_FIELDS",
    "CLAIM_CORE",
    "CLAIM_FIELDS",
    "FRAMING_SPAN_CORE",
    "FRAMING_SPAN_FIELDS",
    "PairCounts",
    "SPAN_FIELDS",
    "compare",
    "compare_same",
    "view",
    "viewer",
]

# The default scheme's field lists (``layout`` reads them off any scheme): attribute fields compared on
# matched items, the first ``*_CORE`` always reported, the rest when seen; the span fields in the order of the
# per-pair counters.
ATTRIBUTION_FIELDS = DEFAULT_LAYOUT.attribution_fields
ATTRIBUTION_CORE = DEFAULT_LAYOUT.attribution_core
CLAIM_FIELDS = DEFAULT_LAYOUT.claim_fields
CLAIM_CORE = DEFAULT_LAYOUT.claim_core
FRAMING_SPAN_FIELDS = DEFAULT_LAYOUT.framing_span_fields
FRAMING_SPAN_CORE = DEFAULT_LAYOUT.framing_span_core
SPAN_FIELDS = COUNTED_SPANS
_CUE, _SOURCES, _CONTENTS, _CLAIMS, _FSPANS = range(5)


def _set(keys: Iterable) -> frozenset:
    s = frozenset(keys)
    return s - {None} if None in s else s


def view(
    labels: Mapping,
    afields: tuple = ATTRIBUTION_FIELDS,
    cfields: tuple = CLAIM_FIELDS,
    ffields: tuple = FRAMING_SPAN_FIELDS,
) -> tuple:
    """Reduce one labels document to what the comparisons need: offsets, sets and attribute tuples.

    ``afields``, ``cfields``, ``ffields``: the attribute fields compared on attributions, claims and framing
    spans (a ``Layout``'s; default: the default scheme's).
    """
    try:
        return _view_fast(labels, afields, cfields, ffields)
    except (KeyError, TypeError, AttributeError):
        return _view_robust(labels, afields, cfields, ffields)


def viewer(afields: tuple, cfields: tuple, ffields: tuple) -> Callable[[Mapping], tuple]:
    """Return ``view`` bound to one layout's attribute fields (one call less per document on the hot path)."""
    fast, robust = _view_fast, _view_robust

    def view_of(labels: Mapping) -> tuple:
        try:
            return fast(labels, afields, cfields, ffields)
        except (KeyError, TypeError, AttributeError):
            return robust(labels, afields, cfields, ffields)

    return view_of


def _view_fast(labels: Mapping, afields: tuple, cfields: tuple, ffields: tuple) -> tuple:
    """``view`` for well-formed labels (what the server stores); raises on anything malformed.

    Plain loops rather than comprehensions: with one to three items per list, the per-comprehension setup
    costs more than the loop.
    """
    get = labels.get
    cues, avals, sources, contents, ids = [], [], [], [], {}
    k = 0
    for a in get("attributions") or ():
        c = a["cue"]
        cues.append((c["start"], c["end"]))
        avals.append(tuple(map(a.get, afields)))
        for x in a.get("sources") or ():
            sources.append((x["start"], x["end"]))
        for x in a.get("contents") or ():
            contents.append((x["start"], x["end"]))
        ids[a.get("id")] = k
        k += 1
    cspans, cvals, clinks = [], [], []
    for c in get("claims") or ():
        x = c["span"]
        cspans.append((x["start"], x["end"]))
        cvals.append(tuple(map(c.get, cfields)))
        aid = c.get("attribution_id")
        clinks.append(None if aid is None else ids.get(aid, -1))
    framing = get("framing") or _EMPTY
    fspans, fvals = [], []
    for x in framing.get("framing_spans") or ():
        fspans.append((x["start"], x["end"]))
        fvals.append(tuple(map(x.get, ffields)))
    return (
        get("kind"),
        cues,
        frozenset(cues),
        avals,
        frozenset(sources),
        frozenset(contents),
        cspans,
        frozenset(cspans),
        cvals,
        clinks,
        frozenset(framing.get("frames") or ()),
        framing.get("primary_frame"),
        fspans,
        frozenset(fspans),
        fvals,
    )


_EMPTY: dict = {}


def _view_robust(labels: Mapping, afields: tuple, cfields: tuple, ffields: tuple) -> tuple:
    """``view`` that tolerates malformed spans (they become ``None`` and match nothing)."""
    get = labels.get
    cues, avals, sources, contents, ids = [], [], [], [], {}
    for k, a in enumerate(get("attributions") or ()):
        cues.append(span_key(a.get("cue")))
        avals.append(tuple(map(a.get, afields)))
        sources += [span_key(s) for s in a.get("sources") or ()]
        contents += [span_key(s) for s in a.get("contents") or ()]
        ids[a.get("id")] = k
    cspans, cvals, clinks = [], [], []
    for c in get("claims") or ():
        cspans.append(span_key(c.get("span")))
        cvals.append(tuple(map(c.get, cfields)))
        aid = c.get("attribution_id")
        clinks.append(None if aid is None else ids.get(aid, -1))
    framing = get("framing") or {}
    fspans, fvals = [], []
    for s in framing.get("framing_spans") or ():
        fspans.append(span_key(s))
        fvals.append(tuple(map(s.get, ffields)) if isinstance(s, Mapping) else (None,) * len(ffields))
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


class PairCounts:
    """Counts for one annotator pair (names in sorted order: ``a`` is the first)."""

    __slots__ = ("kind", "frames", "primary", "spans", "links")

    def __init__(self) -> None:
        self.kind: dict = {}  # (a, b, m) -> count, m = values in the unit
        self.frames: dict = {}
        self.primary: dict = {}
        # matched items' attributes are counted once per aligned unit (``alignment.UnitCounts``), and
        # the pairs' tables derived from those units
        self.spans = [0] * (3 * len(SPAN_FIELDS))  # [exact, overlap, total] per span field
        self.links = [0, 0]  # matched claims whose links agree, matched claims

    def merge(self, other: PairCounts) -> None:
        for name in ("kind", "frames", "primary"):
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


def _matched(match: list, va: list, vb: list, ka: list, kb: list, width: int) -> float:
    """Return the summed agreement share of the matched pairs (attributes and key-span boundaries)."""
    agree = 0
    for i, j in match:
        ta = va[i]
        tb = vb[j]
        same = width if ta == tb else sum(1 for x, y in zip(ta, tb, strict=True) if x == y)
        agree += same + (ka[i] == kb[j])
    return agree / (width + 1)


_WIDTHS = (len(ATTRIBUTION_FIELDS), len(CLAIM_FIELDS), len(FRAMING_SPAN_FIELDS))


def compare_same(st: PairCounts, v: tuple, m: int, m_kind: int, m_primary: int) -> bool:
    """Count a pair whose two views are equal (common: unanimous paragraphs) without matching anything.

    Gives the same counts as ``compare``; returns False, counting nothing, when a claim links to a missing
    attribution (``compare`` scores that as disagreement even between equal views).
    """
    k, _, cset, _, src, con, cs, csset, _, cl, fr, pr, _, fsset, _ = v
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


def _match_items(keys_a, keys_b, vals_a: list, vals_b: list, n_fields: int) -> tuple:
    """Match two annotators' items by their key spans (in order when those are equal); return
    ``(matched index pairs, agreement)``."""
    if keys_a == keys_b:
        match = _identity(len(keys_a))
        if vals_a == vals_b:  # the common case: nothing to tell apart item by item
            return match, len(keys_a)
    else:
        match = match_spans(keys_a, keys_b)
    return match, _matched(match, vals_a, vals_b, keys_a, keys_b, n_fields)


def _count_span_sets(spans: list, base: int, set_a, set_b, keys_a, keys_b, n_matched: int) -> bool:
    """Add one span field's boundary counts at ``base``; return whether the two annotators' spans differ."""
    if set_a == set_b:
        k = len(set_a)
        spans[base] += k
        spans[base + 1] += k
        spans[base + 2] += 2 * k
        return False
    _differing_spans(spans, base, set_a, set_b, keys_a, keys_b, n_matched)
    return True


def compare(
    st: PairCounts,
    va: tuple,
    vb: tuple,
    m: int,
    m_kind: int,
    m_primary: int,
    masi_cache: dict,
    widths: tuple[int, int, int] = _WIDTHS,
) -> float:
    """Count one annotator pair's comparisons on one paragraph; return the pair's disagreement in [0, 1].

    The disagreement is the mean of six components: kind, frames (MASI distance), primary frame, and for
    attributions, claims and framing spans ``1 - 2 * agreement / (items of a + items of b)``, where each
    matched pair agrees by the share of its attributes and key-span boundaries that are equal. ``widths``:
    how many attributes the views hold per attribution, claim and framing span.
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
        amatch, agree = _match_items(cues_a, cues_b, av_a, av_b, widths[0])
        d_attr = 1.0 - 2 * agree / (na + nb)
        _count_span_sets(spans, 0, cset_a, cset_b, cues_a, cues_b, len(amatch))
        differ = _count_span_sets(spans, 3, src_a, src_b, None, None, 0)
        differ = _count_span_sets(spans, 6, con_a, con_b, None, None, 0) or differ
        # differing source or content spans count for a tenth of the attribution component
        d += min(1.0, d_attr + 0.1) if differ else d_attr

    # claims, matched by spans, and whether matched claims link to matched attributions
    na, nb = len(cs_a), len(cs_b)
    if na or nb:
        cmatch, agree = _match_items(cs_a, cs_b, cv_a, cv_b, widths[1])
        _count_span_sets(spans, 9, csset_a, csset_b, cs_a, cs_b, len(cmatch))
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
        fmatch, agree = _match_items(fs_a, fs_b, fv_a, fv_b, widths[2])
        _count_span_sets(spans, 12, fsset_a, fsset_b, fs_a, fs_b, len(fmatch))
        d += 1.0 - 2 * agree / (na + nb)
    return d / 6
