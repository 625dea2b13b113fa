"""Provenance of gold labels: per field and item, which annotators' version the gold holds, or that it was edited.

Computed from the gold document and the annotations it was decided from, whichever way it was made (taken
from the annotators' versions, typed by a reviewer, made gold because everyone agreed), so it is true of
the labels that were saved rather than of the clicks that led to them. Ids are not compared (they are
renumbered); a claim's link is compared through the cue of the attribution it names.
"""

from __future__ import annotations

from collections.abc import Mapping

from .review import _norm

__all__ = ["provenance"]

_ITEM_SECTIONS = ("attributions", "claims", "framing_spans")


def _fields(labels: Mapping) -> dict[str, object]:
    out = {k: v for k, v in labels.items() if k not in ("attributions", "claims", "framing")}
    framing = labels.get("framing") or {}
    if isinstance(framing, Mapping):
        out.update((f"framing.{k}", v) for k, v in framing.items() if k != "framing_spans")
    return out


def _items(labels: Mapping) -> dict[str, list]:
    """Return each section's items in a comparable form (claims carry their linked attribution's form)."""
    attributions = [a for a in labels.get("attributions") or () if isinstance(a, Mapping)]
    # a link is the same when it names the attribution with the same cue, whatever else differs in it
    cues = {a.get("id"): _norm(a.get("cue")) for a in attributions}
    claims = []
    for c in labels.get("claims") or ():
        if isinstance(c, Mapping):
            aid = c.get("attribution_id")
            link = None if aid is None else cues.get(aid, ("dangling", repr(aid)))
            claims.append((_norm(c, ("id", "attribution_id")), link))
    framing = labels.get("framing") or {}
    spans = framing.get("framing_spans") or () if isinstance(framing, Mapping) else ()
    return {
        "attributions": [_norm(a, ("id",)) for a in attributions],
        "claims": claims,
        "framing_spans": [_norm(s) for s in spans if isinstance(s, Mapping)],
    }


def provenance(gold: Mapping, annotations: Mapping[str, Mapping]) -> list[dict]:
    """Return ``[{"path", "annotators", "edited"}]`` for every field and item of ``gold``.

    ``annotators`` are the annotators (sorted) whose version of that field or item equals the gold's;
    ``edited`` is true when none does. Paths: ``kind``, ``framing.frames``, ``attributions[0]``,
    ``claims[1]``, ``framing_spans[0]``.
    """
    names = sorted(annotations)
    # An annotation identical to the gold holds every field and item of it: the common case (unanimous
    # gold is a copy of one), where no document needs its canonical form. It runs on every such save.
    same = [n for n in names if annotations[n] == gold]
    others = [n for n in names if annotations[n] != gold]
    theirs_fields = {n: _fields(annotations[n]) for n in others}
    theirs_items = {n: _items(annotations[n]) for n in others}
    out = []
    empty = (None, [], {}, "")
    for path, value in _fields(gold).items():
        who = same
        if others:
            mine = None if value in empty else _norm(value)
            matched = []
            for n in others:
                v = theirs_fields[n].get(path)
                if (None if v in empty else _norm(v)) == mine:
                    matched.append(n)
            who = sorted(same + matched)
        out.append({"path": path, "annotators": who, "edited": not who})
    gold_items = _items(gold) if others else _item_counts(gold)
    for section in _ITEM_SECTIONS:
        items = gold_items[section]
        for i, item in enumerate(items if others else range(items)):
            who = sorted(same + [n for n in others if item in theirs_items[n][section]]) if others else same
            out.append({"path": f"{section}[{i}]", "annotators": who, "edited": not who})
    return out


def _item_counts(labels: Mapping) -> dict[str, int]:
    """Return how many items each section has, counted as ``_items`` counts them."""
    framing = labels.get("framing") or {}
    spans = framing.get("framing_spans") or () if isinstance(framing, Mapping) else ()
    return {
        "attributions": sum(isinstance(a, Mapping) for a in labels.get("attributions") or ()),
        "claims": sum(isinstance(c, Mapping) for c in labels.get("claims") or ()),
        "framing_spans": sum(isinstance(x, Mapping) for x in spans),
    }
