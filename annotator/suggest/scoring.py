"""Score labels against gold as an annotator is scored: items matched one to one, precision and
recall of the items, Krippendorff's alpha on the attributes of matched items. Pure.

An attribution matches a gold one when their cues and contents overlap (and their sources, when
both have one), as in PolNeAR's relation scoring; a claim matches when its span overlaps. Used for
each suggestion source against gold, and for annotators with and without suggestions shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..agreement import krippendorff_alpha

# Attributes compared on matched items (nominal alpha; sourcing strength is ordinal).
ATTRIBUTES = {
    "attributions": ("source_form", "record_status", "source_interest", "cue_stance"),
    "claims": ("checkworthiness", "sourcing_strength", "claim_category", "source_commitment"),
}
ORDINAL = {"sourcing_strength"}


def _spans(value) -> list[tuple[int, int]]:
    if isinstance(value, Mapping):
        value = [value]
    out = []
    for s in value or []:
        if isinstance(s, Mapping) and isinstance(s.get("start"), int) and isinstance(s.get("end"), int):
            out.append((s["start"], s["end"]))
    return out


def _overlap(a: list, b: list) -> bool:
    return any(x[0] < y[1] and y[0] < x[1] for x in a for y in b)


def attribution_match(gold: Mapping, other: Mapping) -> bool:
    if not (_overlap(_spans(gold.get("cue")), _spans(other.get("cue")))):
        return False
    if not _overlap(_spans(gold.get("contents")), _spans(other.get("contents"))):
        return False
    gs, os_ = _spans(gold.get("sources")), _spans(other.get("sources"))
    return _overlap(gs, os_) if gs and os_ else True


def claim_match(gold: Mapping, other: Mapping) -> bool:
    return _overlap(_spans(gold.get("span")), _spans(other.get("span")))


MATCH = {"attributions": attribution_match, "claims": claim_match}


def match_items(gold: list, other: list, same) -> list[tuple[Mapping, Mapping]]:
    """Greedy one-to-one matching in gold order."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        for j, o in enumerate(other):
            if j not in used and isinstance(o, Mapping) and same(g, o):
                used.add(j)
                pairs.append((g, o))
                break
    return pairs


class Scorer:
    """Accumulates paragraphs of (gold labels, other labels) and reports per list of items."""

    def __init__(self) -> None:
        self.paragraphs = 0
        self.counts = {name: [0, 0, 0] for name in MATCH}  # matched, other's items, gold items
        self.units: dict[tuple[str, str], list] = {
            (n, a): [] for n, attrs in ATTRIBUTES.items() for a in attrs
        }

    def add(self, gold: Mapping, other: Mapping | None) -> None:
        self.paragraphs += 1
        other = other or {}
        for name, same in MATCH.items():
            gold_items = [x for x in gold.get(name) or [] if isinstance(x, Mapping)]
            other_items = [x for x in other.get(name) or [] if isinstance(x, Mapping)]
            pairs = match_items(gold_items, other_items, same)
            c = self.counts[name]
            c[0] += len(pairs)
            c[1] += len(other_items)
            c[2] += len(gold_items)
            for g, o in pairs:
                for attr in ATTRIBUTES[name]:
                    if g.get(attr) is not None and o.get(attr) is not None:
                        self.units[(name, attr)].append({"gold": g[attr], "other": o[attr]})

    def report(self) -> dict:
        out: dict = {"paragraphs": self.paragraphs}
        for name, (matched, predicted, gold) in self.counts.items():
            p = matched / predicted if predicted else None
            r = matched / gold if gold else None
            f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
            alpha = {}
            for attr in ATTRIBUTES[name]:
                units = self.units[(name, attr)]
                alpha[attr] = _alpha(units, "ordinal" if attr in ORDINAL else "nominal")
            out[name] = {
                "matched": matched,
                "predicted": predicted,
                "gold": gold,
                "precision": p,
                "recall": r,
                "f1": f1,
                "alpha": alpha,
            }
        return out


def _alpha(units: list, level: str) -> dict:
    if not units:
        return {
            "statistic": f"krippendorff_alpha_{level}",
            "value": None,
            "n": 0,
            "reason": "no matched items with both values",
        }
    return krippendorff_alpha(units, level)


def score(pairs: Iterable[tuple[Mapping, Mapping | None]]) -> dict:
    scorer = Scorer()
    for gold, other in pairs:
        scorer.add(gold, other)
    return scorer.report()
