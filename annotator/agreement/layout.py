"""What the agreement compares, read off a label scheme: the attribute fields of each kind of item, the span
fields, the free-text fields and the order of the review page's rows.

The comparison itself (``pairs``) knows the shape every scheme of this tool shares: attributions anchored by
a cue with pooled source and content spans, claims anchored by a span and linked to attributions, framing
spans, a paragraph kind and frames. Which attributes are compared on those items, which of them are always
reported, and which fields are annotators' own words come from the scheme, so a project with its own scheme
is scored on its own fields.
"""

from __future__ import annotations

import functools
import hashlib
from typing import NamedTuple

from ..scheme.model import DEFAULT_SCHEME, Scheme, SchemeError, load_scheme

__all__ = ["DEFAULT_LAYOUT", "Layout", "layout_of"]

#: the kinds of aligned items, by the path of their list
ITEM_LISTS = ("attributions", "claims", "framing.framing_spans")
#: the span fields the per-pair counters hold, in counter order (``pairs.compare`` fills them by position)
COUNTED_SPANS = (
    "attributions.cue",
    "attributions.sources",
    "attributions.contents",
    "claims.span",
    "framing.framing_spans",
)
# compared attributes: one value each, equal or not
_ATTRIBUTE_TYPES = ("single", "ordinal")
# what anchors an item or ties it to another: shown first on the review page, before the attributes
_ANCHOR_TYPES = ("span", "spans", "ref")


class Layout(NamedTuple):
    """The field lists of one scheme; ``key`` tells layouts apart (cached counts are kept per key)."""

    attribution_fields: tuple[str, ...]
    attribution_core: int
    claim_fields: tuple[str, ...]
    claim_core: int
    framing_span_fields: tuple[str, ...]
    framing_span_core: int
    span_fields: tuple[str, ...]
    free_text: tuple[str, ...]
    ordinal: frozenset[str]
    attribution_order: tuple[str, ...]
    claim_order: tuple[str, ...]
    framing_span_order: tuple[str, ...]
    key: str

    def items(self) -> tuple[tuple[str, tuple[str, ...], int], ...]:
        """Return ``(list path, attribute fields, how many are core)`` per kind of aligned item."""
        return (
            ("attributions", self.attribution_fields, self.attribution_core),
            ("claims", self.claim_fields, self.claim_core),
            ("framing.framing_spans", self.framing_span_fields, self.framing_span_core),
        )


def _attributes(scheme: Scheme, parent: str) -> tuple[tuple[str, ...], int]:
    """Return the single and ordinal children of ``parent``, core ones first (else in scheme order), and how
    many are core: core fields are always reported, extended ones when someone used them."""
    found = [f for f in scheme.children(parent) if f.type in _ATTRIBUTE_TYPES]
    found.sort(key=lambda f: f.tier != "core")  # stable: scheme order within each tier
    return tuple(f.name for f in found), sum(1 for f in found if f.tier == "core")


def _order(scheme: Scheme, parent: str, attributes: tuple[str, ...], lead: tuple[str, ...] = ()) -> tuple:
    """Return the review rows' field order: core anchors (spans, links), compared attributes, the rest."""
    children = [f for f in scheme.children(parent) if f.type != "id"]
    anchors = [f.name for f in children if f.type in _ANCHOR_TYPES and f.tier == "core"]
    rest = [f.name for f in children if f.name not in anchors and f.name not in attributes]
    return (*lead, *anchors, *attributes, *rest)


def _span_fields(scheme: Scheme) -> tuple[str, ...]:
    """Return the fields of the core span roles as dotted paths, the anchor of each list before its other
    spans (the order of the per-pair counters)."""
    by_list: dict[str, list[tuple[bool, str]]] = {}
    for role in scheme.span_roles:
        f = scheme.field(role.field)
        if f.tier != "core":
            continue
        owner = f.parent if f.type in ("span", "spans") else f.path
        anchor = f.type == "span" and f.required
        by_list.setdefault(owner, []).append((not anchor, f.path.replace("[]", "")))
    out = tuple(path for group in by_list.values() for _, path in sorted(group, key=lambda x: x[0]))
    if sorted(out) != sorted(COUNTED_SPANS):
        raise SchemeError(
            f"scheme {scheme.name}: agreement counts the span roles {', '.join(COUNTED_SPANS)}; "
            f"the scheme's core span roles are {', '.join(out) or 'none'}"
        )
    return out


def _free_text(scheme: Scheme) -> tuple[str, ...]:
    """Return the names of the free-text fields: optional text nobody is asked for (notes, restatements).

    Text a scheme requires, always or on a condition (a stance target, a contested name's alternative), is a
    value annotators can agree on and is compared like any other.
    """
    names = [f.name for f in scheme.fields if f.type == "text" and not f.required and f.required_if is None]
    return tuple(dict.fromkeys(names))


@functools.lru_cache(maxsize=32)
def _layout(scheme: Scheme) -> Layout:
    missing = [p for p in ITEM_LISTS if p not in {f.path for f in scheme.fields}]
    if missing:
        raise SchemeError(f"scheme {scheme.name}: agreement needs the lists {', '.join(missing)}")
    attribution, attribution_core = _attributes(scheme, "attributions")
    claim, claim_core = _attributes(scheme, "claims")
    fspan = tuple(f.name for f in scheme.children("framing.framing_spans") if f.type == "single")
    fspan_core = sum(
        1 for f in scheme.children("framing.framing_spans") if f.type == "single" and f.tier == "core"
    )
    lists = (attribution, attribution_core, claim, claim_core, fspan, fspan_core)
    spans = _span_fields(scheme)
    free = _free_text(scheme)
    ordinal = frozenset(
        f"{prefix}.{f.name}" for prefix in ITEM_LISTS for f in scheme.children(prefix) if f.type == "ordinal"
    )
    # the counts depend on the compared fields only: equal lists share cached counts whatever the scheme
    key = hashlib.sha256(repr((lists, spans, free, sorted(ordinal))).encode()).hexdigest()[:12]
    return Layout(
        *lists,
        span_fields=spans,
        free_text=free,
        ordinal=ordinal,
        attribution_order=_order(scheme, "attributions", attribution),
        claim_order=_order(scheme, "claims", claim),
        framing_span_order=_order(scheme, "framing.framing_spans", fspan, lead=("span",)),
        key=key,
    )


def layout_of(scheme: Scheme | Layout | None = None) -> Layout:
    """Return the agreement's field lists for ``scheme`` (default: the default scheme), cached per scheme; a
    ``Layout`` is returned as it is (worker processes get one rather than a whole scheme).

    Raises SchemeError when the scheme lacks the lists or span roles the comparison is built on.
    """
    if scheme is None:
        return DEFAULT_LAYOUT
    return scheme if isinstance(scheme, Layout) else _layout(scheme)


DEFAULT_LAYOUT = _layout(load_scheme(DEFAULT_SCHEME))
