"""What a reviewer needs on one paragraph: whether its annotations agree, and where they differ.

``normalise`` gives labels a canonical form (ids dropped, claim links resolved to the linked attribution,
spans reduced to offsets, lists order-insensitive) so that equal labels compare equal; ``diff_fields``
aligns attributions, claims and framing spans across annotators by overlapping spans and lists every field
with each annotator's value.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from ..scheme.model import ORIGIN_KEY
from .alignment import align_rows
from .layout import DEFAULT_LAYOUT, Layout
from .spans import span_key

__all__ = ["FREE_TEXT", "align", "diff_fields", "is_unanimous", "normalise"]

# free-text fields (the default scheme's; ``Layout.free_text`` for any scheme): annotators' own words, never
# equal by chance, so left out of "unanimous"
FREE_TEXT = DEFAULT_LAYOUT.free_text

_EMPTY = (None, [], {}, "")


def _is_span(x: Any) -> bool:
    return isinstance(x, Mapping) and "start" in x and "end" in x and isinstance(x.get("start"), int)


def _norm(x: Any, ignore: tuple = ()) -> Any:
    """Return a hashable canonical form: spans as offsets, dicts as sorted items, lists as sorted tuples."""
    if _is_span(x):
        # a framing span carries its technique and voice beside the offsets: keep those, drop the text copy
        rest = tuple(
            sorted(
                (k, _norm(v, ignore))
                for k, v in x.items()
                if k not in ("start", "end", "text") and k not in ignore and not _empty(v)
            )
        )
        return ("span", x["start"], x["end"], *rest)
    if isinstance(x, Mapping):
        return tuple(sorted((k, _norm(v, ignore)) for k, v in x.items() if k not in ignore and not _empty(v)))
    if isinstance(x, list | tuple | set | frozenset):
        return tuple(sorted((_norm(v, ignore) for v in x), key=repr))
    return x


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, list | dict | str) and len(v) == 0)


def normalise(labels: Mapping, ignore: Iterable[str] | None = None, layout: Layout | None = None) -> tuple:
    """Return ``labels`` in canonical form; equal forms mean the same labels whatever the ids and order.

    ``ignore``: keys left out, by default the free-text fields of ``layout`` (default: the default scheme's).
    """
    if ignore is None:
        ignore = (layout or DEFAULT_LAYOUT).free_text
    # Issue 16: where an item came from (a suggestion or by hand) is no label to agree on.
    ignore = (*ignore, ORIGIN_KEY)
    attrs = labels.get("attributions") or []
    by_id = {}
    norm_attrs = []
    for a in attrs:
        n = _norm(a, ignore + ("id",))
        norm_attrs.append(n)
        by_id[a.get("id")] = n
    claims = []
    for c in labels.get("claims") or []:
        n = _norm(c, ignore + ("id", "attribution_id"))
        aid = c.get("attribution_id")
        link = None if aid is None else by_id.get(aid, ("dangling", aid))
        claims.append(n + (("attribution", link),))
    rest = {k: v for k, v in labels.items() if k not in ("attributions", "claims")}
    return (
        ("attributions", tuple(sorted(norm_attrs, key=repr))),
        ("claims", tuple(sorted(claims, key=repr))),
        ("rest", _norm(rest, ignore)),
    )


# keys the quick signature reads, besides the layout's attributes; when one of them is ignored, the
# signature cannot be trusted
_SIGNATURE_KEYS = frozenset(
    {"kind", "framing", "frames", "primary_frame", "framing_spans", "attributions", "claims", "cue", "span"}
    | {"start", "end"}
)


@functools.lru_cache(maxsize=32)
def _signature_keys(layout: Layout) -> frozenset:
    return _SIGNATURE_KEYS | {*layout.attribution_fields, *layout.claim_fields, *layout.framing_span_fields}


_NO_SPAN = (-1, -1)


def _value(v: Any) -> Any:
    return None if _empty(v) else v


def _signature(labels: Mapping, layout: Layout) -> tuple:
    """Return a cheap summary that differs only if the normalised labels differ (order-insensitive).

    Kind, frames, primary frame, and sorted (offsets, attribute values) of attributions, claims and framing
    spans. Equal signatures prove nothing; different ones prove the labels differ, without normalising.
    Raises ``TypeError`` on values that cannot be hashed or sorted.
    """
    afields, cfields, ffields = layout.attribution_fields, layout.claim_fields, layout.framing_span_fields
    framing = labels.get("framing")
    framing = framing if isinstance(framing, Mapping) else {}
    attrs = sorted(
        ((span_key(a.get("cue")) or _NO_SPAN), tuple(_value(a.get(f)) for f in afields))
        if isinstance(a, Mapping)
        else (_NO_SPAN, ())
        for a in labels.get("attributions") or ()
    )
    claims = sorted(
        ((span_key(c.get("span")) or _NO_SPAN), tuple(_value(c.get(f)) for f in cfields))
        if isinstance(c, Mapping)
        else (_NO_SPAN, ())
        for c in labels.get("claims") or ()
    )
    fspans = sorted(
        ((span_key(x) or _NO_SPAN), tuple(_value(x.get(f)) for f in ffields))
        if isinstance(x, Mapping)
        else (_NO_SPAN, ())
        for x in framing.get("framing_spans") or ()
    )
    frames = framing.get("frames") or ()
    return (
        _value(labels.get("kind")),
        _value(framing.get("primary_frame")),
        frozenset(frames) if isinstance(frames, list | tuple | set | frozenset) else frames,
        attrs,
        claims,
        fspans,
    )


def is_unanimous(
    annotations: Mapping[str, Mapping], ignore: Iterable[str] | None = None, layout: Layout | None = None
) -> bool:
    """Return whether two or more annotators gave the same labels (free-text fields ignored).

    ``ignore``: keys left out, by default the free-text fields of ``layout`` (default: the default scheme's).
    """
    if len(annotations) < 2:
        return False
    layout = layout or DEFAULT_LAYOUT
    ignore = layout.free_text if ignore is None else tuple(ignore)
    it = iter(annotations.values())
    first = next(it)
    # identical documents are the common case; skip normalising them
    rest = [labels for labels in it if labels != first]
    if not rest:
        return True
    if _signature_keys(layout).isdisjoint(ignore):
        try:
            sig = _signature(first, layout)
            if any(_signature(labels, layout) != sig for labels in rest):
                return False
        except TypeError:  # unhashable or unsortable odd values: normalising will tell
            pass
    ref = normalise(first, ignore)
    return all(normalise(labels, ignore) == ref for labels in rest)


def align(keys: Mapping[str, list]) -> list[dict[str, int]]:
    """Align items across annotators by overlapping key spans; return rows ``{annotator: item index}``.

    :param keys: ``{annotator: [(start, end) or None per item]}``. The rows are the units agreement is
        measured on (``alignment.align_rows``: all annotators at once, largest overlap first, a group
        joining another only when all their spans overlap); rows come in text order.
    """
    names = list(keys)
    return [
        {name: i for name, i in zip(names, row, strict=True) if i is not None}
        for row in align_rows([keys[name] for name in names])
    ]


# The side-by-side rows (the default scheme's; ``Layout`` gives any scheme's): the compared attribute fields,
# between the spans and the fields only shown.
_ATTRIBUTION_ORDER = DEFAULT_LAYOUT.attribution_order
_CLAIM_ORDER = DEFAULT_LAYOUT.claim_order
_FSPAN_ORDER = DEFAULT_LAYOUT.framing_span_order


def _field(values: dict[str, Any], free_text: bool = False) -> dict:
    forms = {_norm(v) if not _empty(v) else None for v in values.values()}
    return {"values": values, "differ": len(forms) > 1, **({"free_text": True} if free_text else {})}


def _rows(
    names: list[str],
    items: Mapping[str, list],
    key: str,
    order: tuple,
    links: Mapping | None = None,
    free_text: tuple = FREE_TEXT,
) -> list:
    """Align one kind of item and list each field's values per annotator."""
    keyed = {
        n: [span_key(it.get(key)) if key != "span_itself" else span_key(it) for it in items[n]] for n in names
    }
    rows = []
    for members in align(keyed):
        present = {n: members.get(n) is not None for n in names}
        fields: dict[str, dict] = {}
        seen = set()
        for n in names:
            if n in members:
                seen.update(items[n][members[n]])
        seen.discard("id")
        if key == "span_itself":
            seen -= {"start", "end", "text"}
            seen.add("span")
        keys = [f for f in order if f in seen] + sorted(seen - set(order))
        for f in keys:
            values = {}
            for n in names:
                i = members.get(n)
                if i is None:
                    values[n] = None
                    continue
                it = items[n][i]
                if f == "span" and key == "span_itself":
                    values[n] = {"start": it.get("start"), "end": it.get("end"), "text": it.get("text")}
                elif f == "attribution_id" and links is not None:
                    values[n] = links[n].get(it.get(f))
                else:
                    values[n] = it.get(f)
            fields[f] = _field(values, free_text=f in free_text)
        ids = {n: items[n][members[n]].get("id") for n in names if n in members and key != "span_itself"}
        differ = not all(present.values()) or any(
            v["differ"] and not v.get("free_text") for v in fields.values()
        )
        rows.append(
            {"present": present, "ids": ids, "index": dict(members), "differ": differ, "fields": fields}
        )
    return rows


def diff_fields(annotations: Mapping[str, Mapping], layout: Layout | None = None) -> dict:
    """Return, for a review page, every field of one paragraph with each annotator's value and whether they differ.

    Shape::

        {"annotators": [name, ...], "differ": bool,
         "fields": {"kind": {"values": {name: value}, "differ": bool}, "framing.frames": ..., ...},
         "attributions": [row, ...], "claims": [row, ...], "framing_spans": [row, ...]}

    where each row (one attribution, claim or framing span aligned across annotators, in text order) is
    ``{"present": {name: bool}, "ids": {name: id}, "index": {name: position in that annotator's list},
    "differ": bool, "fields": {field: {"values": {name: value or None}, "differ": bool}}}``. A claim's
    ``attribution_id`` value is the index of the linked row in ``attributions`` (None for the outlet's own
    voice), so links compare across annotators whose ids differ. Free-text fields carry ``"free_text": True``
    and do not make a row differ. ``layout``: the scheme's field lists (default: the default scheme's).
    """
    layout = layout or DEFAULT_LAYOUT
    free = layout.free_text
    names = list(annotations)
    attrs = {n: list(annotations[n].get("attributions") or []) for n in names}
    claims = {n: list(annotations[n].get("claims") or []) for n in names}
    fspans = {n: list((annotations[n].get("framing") or {}).get("framing_spans") or []) for n in names}
    attribution_rows = _rows(names, attrs, "cue", layout.attribution_order, free_text=free)
    links = {n: {} for n in names}
    for r, row in enumerate(attribution_rows):
        for n, i in row["index"].items():
            links[n][attrs[n][i].get("id")] = r
    claim_rows = _rows(names, claims, "span", layout.claim_order, links, free)
    fspan_rows = _rows(names, fspans, "span_itself", layout.framing_span_order, free_text=free)

    fields: dict[str, dict] = {}
    top = [k for n in names for k in annotations[n] if k not in ("attributions", "claims", "framing")]
    framing = [k for n in names for k in (annotations[n].get("framing") or {}) if k != "framing_spans"]
    for k in dict.fromkeys(top):
        fields[k] = _field({n: annotations[n].get(k) for n in names}, free_text=k in free)
    for k in dict.fromkeys(framing):
        fields[f"framing.{k}"] = _field({n: (annotations[n].get("framing") or {}).get(k) for n in names})
    differ = any(v["differ"] and not v.get("free_text") for v in fields.values()) or any(
        row["differ"] for rows in (attribution_rows, claim_rows, fspan_rows) for row in rows
    )
    return {
        "annotators": names,
        "differ": differ,
        "fields": fields,
        "attributions": attribution_rows,
        "claims": claim_rows,
        "framing_spans": fspan_rows,
    }
