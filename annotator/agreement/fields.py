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
from .spans import SpanCounts, match_spans, span_key

__all__ = [
    "ATTRIBUTION_FIELDS",
    "CLAIM_FIELDS",
    "FRAMING_SPAN_FIELDS",
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


def _view(labels: Mapping) -> tuple:
    """Reduce one labels document to what the comparisons need, all hashable."""
    get = labels.get
    attrs = get("attributions") or ()
    cues, avals, sources, contents, ids = [], [], set(), set(), {}
    for k, a in enumerate(attrs):
        cues.append(span_key(a.get("cue")))
        avals.append(tuple(map(a.get, ATTRIBUTION_FIELDS)))
        for s in a.get("sources") or ():
            sources.add(span_key(s))
        for s in a.get("contents") or ():
            contents.add(span_key(s))
        ids[a.get("id")] = k
    sources.discard(None)
    contents.discard(None)
    cspans, cvals, clinks = [], [], []
    for c in get("claims") or ():
        cspans.append(span_key(c.get("span")))
        cvals.append(tuple(map(c.get, CLAIM_FIELDS)))
        aid = c.get("attribution_id")
        clinks.append(None if aid is None else ids.get(aid, -1))
    framing = get("framing") or {}
    frames = frozenset(framing.get("frames") or ())
    primary = framing.get("primary_frame")
    fspans, fvals = [], []
    for s in framing.get("framing_spans") or ():
        fspans.append(span_key(s))
        fvals.append((s.get("technique"), s.get("voice")))
    return (get("kind"), cues, avals, sources, contents, cspans, cvals, clinks, frames, primary, fspans, fvals)


def _count(d: dict, key: tuple) -> None:
    d[key] = d.get(key, 0) + 1


def _spans_f1_counts(acc: list, base: int, la: list, lb: list, matched: int | None) -> bool:
    """Add exact/overlap/total counts of two span lists to ``acc[base:base+3]``; return whether they differ.

    ``matched`` is the number of one-to-one overlap matches already computed for these lists, valid when
    neither list has duplicates or missing spans; otherwise it is recomputed on the deduplicated sets.
    """
    sa, sb = set(la), set(lb)
    sa.discard(None)
    sb.discard(None)
    na, nb = len(sa), len(sb)
    acc[base + 2] += na + nb
    if sa == sb:
        acc[base] += na
        acc[base + 1] += na
        return False
    if na and nb:
        acc[base] += len(sa & sb)
        if matched is None or na != len(la) or nb != len(lb):
            matched = len(match_spans(sorted(sa), sorted(sb)))
        acc[base + 1] += matched
    return True


class FieldAccumulator:
    """Agreement counts over a stream of paragraphs; ``add`` one paragraph at a time, then ``report``.

    Partial accumulators over chunks of the data can be combined with ``merge``.
    """

    def __init__(self) -> None:
        self.annotators: set[str] = set()
        # categorical path -> {(pair, a, b, m): count}
        self.cat: dict[str, dict] = {}
        # categorical path -> number of units with two or more values
        self.units: dict[str, int] = {}
        # pair -> [exact, overlap, total] * len(SPAN_FIELDS)
        self.spans: dict[str, list[int]] = {}
        # pair -> [claims whose attribution links agree, matched claims compared]
        self.links: dict[str, list[int]] = {}
        self.paragraphs: dict[str, dict] = {}
        self.multi = 0  # paragraphs with two or more annotators
        self._masi: dict = {}

    # -- one paragraph ----------------------------------------------------------------------------------

    def add(self, item: Mapping) -> float:
        """Add one paragraph ``{"paragraph_id", "annotations": {name: labels}}``; return its disagreement."""
        annotations = item["annotations"]
        names = sorted(annotations)
        self.annotators.update(names)
        n = len(names)
        disagreement = 0.0
        if n >= 2:
            self.multi += 1
            views = [_view(annotations[name]) for name in names]
            units = self.units
            m_kind = sum(1 for v in views if v[0] is not None)
            m_primary = sum(1 for v in views if v[9] is not None)
            if m_kind >= 2:
                units["kind"] = units.get("kind", 0) + 1
            if m_primary >= 2:
                units["framing.primary_frame"] = units.get("framing.primary_frame", 0) + 1
            units["framing.frames"] = units.get("framing.frames", 0) + 1
            total = 0.0
            for i, j in combinations(range(n), 2):
                total += self._pair(f"{names[i]}|{names[j]}", views[i], views[j], n, m_kind, m_primary)
            disagreement = total / (n * (n - 1) / 2)
        pid = item.get("paragraph_id")
        if pid is not None:
            self.paragraphs[str(pid)] = {"disagreement": disagreement, "n_annotators": n}
        return disagreement

    def _cat(self, path: str) -> dict:
        d = self.cat.get(path)
        if d is None:
            d = self.cat[path] = {}
        return d

    def _pair(self, pair: str, va: tuple, vb: tuple, m: int, m_kind: int, m_primary: int) -> float:
        """Count one annotator pair's comparisons on one paragraph; return the pair's disagreement in [0, 1]."""
        cat = self._cat
        ka, cues_a, av_a, src_a, con_a, cs_a, cv_a, cl_a, fr_a, pr_a, fs_a, fv_a = va
        kb, cues_b, av_b, src_b, con_b, cs_b, cv_b, cl_b, fr_b, pr_b, fs_b, fv_b = vb
        spans = self.spans.get(pair)
        if spans is None:
            spans = self.spans[pair] = [0] * (3 * len(SPAN_FIELDS))
            self.links[pair] = [0, 0]

        # paragraph-level fields
        d_kind = 0.0
        if ka is not None and kb is not None:
            _count(cat("kind"), (pair, ka, kb, m_kind))
            d_kind = 0.0 if ka == kb else 1.0
        elif ka != kb:
            d_kind = 1.0
        _count(cat("framing.frames"), (pair, fr_a, fr_b, m))
        if fr_a == fr_b:
            d_frames = 0.0
        else:
            key = (fr_a, fr_b)
            d_frames = self._masi.get(key)
            if d_frames is None:
                d_frames = self._masi[key] = masi_distance(fr_a, fr_b)
        d_primary = 0.0
        if pr_a is not None and pr_b is not None:
            _count(cat("framing.primary_frame"), (pair, pr_a, pr_b, m_primary))
            d_primary = 0.0 if pr_a == pr_b else 1.0
        elif pr_a != pr_b:
            d_primary = 1.0

        # attributions, matched by cues
        amatch = match_spans(cues_a, cues_b)
        d_attr = self._matched(
            pair, "attributions", ATTRIBUTION_FIELDS, amatch, av_a, av_b, cues_a, cues_b, len(cues_a), len(cues_b)
        )
        _spans_f1_counts(spans, 3 * _CUE, cues_a, cues_b, len(amatch))
        differ = _spans_f1_counts(spans, 3 * _SOURCES, src_a, src_b, None)
        differ = _spans_f1_counts(spans, 3 * _CONTENTS, con_a, con_b, None) or differ
        if differ:
            # differing source or content spans count for a tenth of the attribution component
            d_attr = min(1.0, d_attr + 0.1)

        # claims, matched by spans, with their links to matched attributions
        cmatch = match_spans(cs_a, cs_b)
        d_claims = self._matched(pair, "claims", CLAIM_FIELDS, cmatch, cv_a, cv_b, cs_a, cs_b, len(cs_a), len(cs_b))
        _spans_f1_counts(spans, 3 * _CLAIMS, cs_a, cs_b, len(cmatch))
        if cmatch:
            amap = dict(amatch)
            links = self.links[pair]
            bad = 0
            for i, j in cmatch:
                x, y = cl_a[i], cl_b[j]
                if (x is None and y is None) or (x is not None and x >= 0 and amap.get(x) == y):
                    links[0] += 1
                else:
                    bad += 1
            links[1] += len(cmatch)
            if bad:
                d_claims = min(1.0, d_claims + bad / (len(cs_a) + len(cs_b)))

        # framing spans, matched by spans
        fmatch = match_spans(fs_a, fs_b)
        d_fspans = self._matched(
            pair, "framing.framing_spans", FRAMING_SPAN_FIELDS, fmatch, fv_a, fv_b, fs_a, fs_b, len(fs_a), len(fs_b)
        )
        _spans_f1_counts(spans, 3 * _FSPANS, fs_a, fs_b, len(fmatch))

        return (d_kind + d_frames + d_primary + d_attr + d_claims + d_fspans) / 6

    def _matched(
        self, pair: str, prefix: str, fields: tuple, match: list, va: list, vb: list, ka: list, kb: list, na: int, nb: int
    ) -> float:
        """Count attribute comparisons on matched items; return the component's disagreement in [0, 1].

        An unmatched item counts as full disagreement; a matched pair as the share of its attributes (and
        its key span's exact boundaries) that differ.
        """
        if na + nb == 0:
            return 0.0
        cat = self.cat
        nf = len(fields)
        agree = 0.0
        for i, j in match:
            ta, tb = va[i], vb[j]
            same = 1 if ka[i] == kb[j] else 0
            for k in range(nf):
                x = ta[k]
                y = tb[k]
                if x is not None and y is not None:
                    path = f"{prefix}.{fields[k]}"
                    d = cat.get(path)
                    if d is None:
                        d = cat[path] = {}
                    key = (pair, x, y, 2)
                    d[key] = d.get(key, 0) + 1
                    if x == y:
                        same += 1
                elif x is None and y is None:
                    same += 1
            agree += same / (nf + 1)
        return 1.0 - 2 * agree / (na + nb)

    # -- combining and reporting --------------------------------------------------------------------------

    def merge(self, other: FieldAccumulator) -> None:
        """Add another accumulator's counts (over different paragraphs) to this one."""
        self.annotators |= other.annotators
        for path, counts in other.cat.items():
            mine = self._cat(path)
            for k, c in counts.items():
                mine[k] = mine.get(k, 0) + c
        for path, u in other.units.items():
            self.units[path] = self.units.get(path, 0) + u
        for pair, counts in other.spans.items():
            mine = self.spans.setdefault(pair, [0] * len(counts))
            for k, c in enumerate(counts):
                mine[k] += c
        for pair, (ok, total) in other.links.items():
            mine = self.links.setdefault(pair, [0, 0])
            mine[0] += ok
            mine[1] += total
        self.paragraphs.update(other.paragraphs)
        self.multi += other.multi

    def _paths(self) -> list[str]:
        """Return the categorical field paths to report: core fields always, extended ones when seen."""
        paths = ["kind"]
        for prefix, fields, core in (
            ("attributions", ATTRIBUTION_FIELDS, ATTRIBUTION_CORE),
            ("claims", CLAIM_FIELDS, CLAIM_CORE),
            ("framing.framing_spans", FRAMING_SPAN_FIELDS, FRAMING_SPAN_CORE),
        ):
            for k, f in enumerate(fields):
                path = f"{prefix}.{f}"
                if k < core or path in self.cat:
                    paths.append(path)
        return paths + ["framing.frames", "framing.primary_frame"]

    def _undefined(self, statistic: str, unit_word: str) -> dict:
        if len(self.annotators) < 2:
            return result(statistic, None, 0, "only one annotator")
        if self.multi == 0:
            return result(statistic, None, 0, "no paragraph has two or more annotators")
        return result(statistic, None, 0, f"no {unit_word}")

    def report(self) -> dict:
        """Return ``{"fields", "pairs", "annotators", "paragraphs"}`` (see ``field_report``)."""
        fields: dict[str, dict] = {}
        pairs: dict[str, dict] = {pair: {} for pair in sorted(self.spans)}
        for path in self._paths():
            level = _LEVELS.get(path, "nominal")
            statistic = f"krippendorff_alpha_{level}"
            counts = self.cat.get(path, {})
            matched = path.startswith(("attributions.", "claims.", "framing.framing_spans."))
            what = f"matched pairs of {path.rsplit('.', 1)[0].split('.')[-1]} with values to compare"
            co = Coincidences()
            tables: dict[str, Contingency] = {}
            for (pair, a, b, m), c in counts.items():
                w = c / (m - 1)
                o = co.o
                o[a, b] = o.get((a, b), 0.0) + w
                o[b, a] = o.get((b, a), 0.0) + w
                t = tables.get(pair)
                if t is None:
                    t = tables[pair] = Contingency()
                t.counts[a, b] = t.counts.get((a, b), 0) + c
            co.units = sum(counts.values()) if matched else self.units.get(path, 0)
            if co.units:
                res = co.alpha(level, statistic)
                res["n"] = co.units
            else:
                res = self._undefined(statistic, what if matched else "paragraph with two or more values")
            fields[path] = res
            for pair in pairs:
                t = tables.get(pair)
                if path == "framing.frames":
                    pco = Coincidences()
                    for (a, b), c in (t.counts.items() if t else ()):
                        pco.o[a, b] = pco.o.get((a, b), 0.0) + c
                        pco.o[b, a] = pco.o.get((b, a), 0.0) + c
                    pco.units = sum(t.counts.values()) if t else 0
                    pres = pco.alpha("masi") if pco.units else result(statistic, None, 0, "no paragraphs in common")
                    pres["n"] = pco.units
                    pairs[pair][path] = pres
                elif t is None:
                    pairs[pair][path] = result("cohen_kappa", None, 0, f"no {what if matched else 'values in common'}")
                else:
                    pairs[pair][path] = t.kappa()
            if path == "claims.sourcing_strength":
                fields[path + ".within_1"] = _within_1(counts)
                for pair in pairs:
                    pairs[pair][path + ".within_1"] = _within_1({k: c for k, c in counts.items() if k[0] == pair})
            if path == "framing.frames":
                fields.update(_per_frame(counts, self))

        # spans: F1 per pair, and the unweighted mean over pairs with a defined value
        for k, path in enumerate(SPAN_FIELDS):
            for mode in ("exact", "overlap"):
                key = path if mode == "exact" else f"{path}.overlap"
                values, total = [], 0
                for pair in pairs:
                    e, o, t = self.spans[pair][3 * k : 3 * k + 3]
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

        # claims.attribution_link: matched claims whose attributions are matched too (or both own voice)
        ok = sum(v[0] for v in self.links.values())
        total = sum(v[1] for v in self.links.values())
        fields["claims.attribution_link"] = (
            result("percent_agreement", ok / total, total) if total else self._undefined("percent_agreement", "matched claims")
        )
        for pair in pairs:
            a, t = self.links[pair]
            pairs[pair]["claims.attribution_link"] = (
                result("percent_agreement", a / t, t) if t else result("percent_agreement", None, 0, "no matched claims")
            )
        return {
            "fields": dict(sorted(fields.items())),
            "pairs": pairs,
            "annotators": sorted(self.annotators),
            "paragraphs": self.paragraphs,
        }


def _within_1(counts: Mapping) -> dict:
    """Return the share of compared (ordinal) value pairs that differ by at most 1."""
    near = total = 0
    for (_, a, b, m), c in counts.items():
        if m != 2:
            continue
        total += c
        try:
            if abs(a - b) <= 1:
                near += c
        except TypeError:
            pass
    if total == 0:
        return result("share_within_1", None, 0, "no matched pairs of claims with values to compare")
    return result("share_within_1", near / total, total)


def _per_frame(counts: Mapping, acc: FieldAccumulator) -> dict:
    """Return nominal (binary) alpha for each frame seen, derived from the frame-set coincidences."""
    collapsed: dict[tuple, float] = {}
    for (_, a, b, m), c in counts.items():
        k = (a, b)
        collapsed[k] = collapsed.get(k, 0.0) + c / (m - 1)
    frames = sorted({f for a, b in collapsed for f in a | b})
    out = {}
    units = acc.units.get("framing.frames", 0)
    for frame in frames:
        co = Coincidences()
        o = co.o
        for (a, b), w in collapsed.items():
            x, y = frame in a, frame in b
            o[x, y] = o.get((x, y), 0.0) + w
            o[y, x] = o.get((y, x), 0.0) + w
        co.units = units
        res = co.alpha("nominal", "krippendorff_alpha_nominal")
        res["n"] = units
        out[f"framing.frames.{frame}"] = res
    return out


def field_report(items: Iterable[Mapping]) -> dict:
    """Return agreement per field, per annotator pair and per paragraph over ``items``.

    :param items: ``{"paragraph_id": str, "text": str, "annotations": {annotator: labels}}`` per paragraph.
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
    """
    return FieldAccumulator().add({"annotations": annotations})
