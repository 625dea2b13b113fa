"""What an export calls the spans and values of a labels document: read off the scheme.

A span gets the upper-cased name of its span role (``SOURCE``, ``CUE`` …), except the items of a
list of spans typed by a choice (framing spans and their technique), which are named by that
choice.  Every other choice field is counted for the manifest as ``<name>=<value>`` (an ordinal on
the sourcing scale by its code, ``sourcing_strength=S2``).  Nothing here names a field of
newsattr-1: a project's own scheme gets its own names.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from ..scheme import DEFAULT_SCHEME, Field, Scheme, load_scheme

CHOICE_TYPES = ("single", "multi", "ordinal")


def walker(path: str, leaf_type: str) -> Callable[[Any], list]:
    """Return a function giving every value at ``path`` (``a[].b``) of a document, lists of the leaf flattened.

    Absent, null and empty values are left out; so are the items of an absent list.
    """
    parts = [(p[:-2], True) if p.endswith("[]") else (p, False) for p in path.split(".")]
    flatten = leaf_type in ("spans", "multi", "list")

    def walk(doc: Any) -> list:
        nodes = [doc]
        for key, is_list in parts:
            found = []
            for node in nodes:
                if not node:
                    continue
                value = node.get(key)
                if is_list:
                    found.extend(value or ())
                elif value is not None:
                    found.append(value)
            nodes = found
        if flatten:
            return [x for v in nodes for x in (v or ()) if x is not None and x != ""]
        return [v for v in nodes if v != ""]

    return walk


class SpanRole(NamedTuple):
    label: str  # the span's label, or the fallback when ``typed_by`` is empty
    spans: Callable[[Any], list]
    typed_by: str | None  # the choice of each span item that names it (framing technique)


class ChoiceCount(NamedTuple):
    prefix: str
    values: Callable[[Any], list]
    codes: Mapping  # value -> the name it is counted under, when not the value itself


class Labelling:
    """The span labels and counted choices of one scheme."""

    def __init__(self, scheme: Scheme):
        typed: dict[str, str] = {}  # list of span items -> the choice that names its items
        for f in scheme.fields:
            if f.type == "list" and f.item == "span":
                first = next((c for c in scheme.children(f.path) if c.type == "single"), None)
                if first is not None:
                    typed[f.path] = first.name
        roles = []
        for role in scheme.span_roles:
            f = scheme.field(role.field)
            roles.append(SpanRole(role.name.upper(), walker(f.path, f.type), typed.get(f.path)))
        self.span_roles: tuple[SpanRole, ...] = tuple(roles)
        self.span_labels: tuple[str, ...] = tuple(r.label for r in roles if r.typed_by is None)
        #: path of a list of span items -> the choice field naming them
        self.span_types: dict[str, str] = typed
        choices = [
            f
            for f in scheme.fields
            if f.type in CHOICE_TYPES and not (f.parent in typed and typed[f.parent] == f.name)
        ]
        names = [f.name for f in choices]
        counted = []
        for f in choices:
            prefix = f.name if names.count(f.name) == 1 else f.path.replace("[]", "")
            counted.append(ChoiceCount(prefix, walker(f.path, f.type), _codes(scheme, f)))
        self.choices: tuple[ChoiceCount, ...] = tuple(counted)

    def iter_spans(self, labels: Mapping | None) -> Iterator[tuple[dict, str]]:
        """Yield ``(span, label)`` for every span of the document, role by role."""
        if not labels:
            return
        for role in self.span_roles:
            if role.typed_by is None:
                for s in role.spans(labels):
                    yield s, role.label
            else:
                for s in role.spans(labels):
                    yield s, s.get(role.typed_by) or role.label

    def count(self, labels: Mapping | None, counts: dict[str, int]) -> None:
        """Add the label names of one document to ``counts``: its spans and its choices."""
        if not labels:
            return
        get = counts.get
        for _span, label in self.iter_spans(labels):
            counts[label] = get(label, 0) + 1
        for choice in self.choices:
            codes = choice.codes
            for value in choice.values(labels):
                key = f"{choice.prefix}={codes.get(value, value) if codes else value}"
                counts[key] = get(key, 0) + 1


def _codes(scheme: Scheme, f: Field) -> dict:
    if f.scale == "sourcing":
        return {level.value: level.code for level in scheme.sourcing_scale}
    return {}


@functools.cache
def default_scheme() -> Scheme:
    """Return the default scheme (newsattr-1, as shipped): what callers that name no scheme get."""
    return load_scheme(DEFAULT_SCHEME)


def labelling(scheme: Scheme | None = None) -> Labelling:
    """Return the ``Labelling`` of ``scheme`` (default newsattr-1), made once per scheme."""
    return _labelling(scheme or default_scheme())


@functools.lru_cache(maxsize=64)
def _labelling(scheme: Scheme) -> Labelling:
    return Labelling(scheme)
