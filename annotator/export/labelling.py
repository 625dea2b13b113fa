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
        # Adds the label names of one document to ``counts``: its spans and its choices. Generated as
        # straight-line Python per scheme (as the encoders are): it runs on every save and on every
        # record an export reads row by row, where a walk driven by the paths cost ten times as much.
        self.count: Callable[[Mapping | None, dict[str, int]], None] = _compile_counter(
            scheme, roles, counted
        )

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


def _compile_counter(scheme: Scheme, roles: list[SpanRole], counted: list[ChoiceCount]) -> Callable:
    # A trie of the paths to count: each container is fetched and walked once.
    root: dict = {}
    typed = {}
    for f in scheme.fields:
        if f.type == "list" and f.item == "span":
            first = next((c for c in scheme.children(f.path) if c.type == "single"), None)
            if first is not None:
                typed[f.path] = first.name
    actions: list[tuple[str, str, tuple]] = []  # (field path, action, args)
    for role, span_role in zip(roles, scheme.span_roles, strict=True):
        f = scheme.field(span_role.field)
        if role.typed_by is not None:
            actions.append((f.path, "typed", (role.label, role.typed_by)))
        elif f.type == "span":
            actions.append((f.path, "span", (role.label,)))
        else:  # spans, or a list of span items without a typing choice
            actions.append((f.path, "spans", (role.label,)))
    choice_fields = [
        f
        for f in scheme.fields
        if f.type in CHOICE_TYPES and not (f.parent in typed and typed[f.parent] == f.name)
    ]
    for f, choice in zip(choice_fields, counted, strict=True):
        values = [c.value for c in f.values]
        actions.append(
            (f.path, "multi" if f.type == "multi" else "choice", (choice.prefix, choice.codes, values))
        )
    for path, action, args in actions:
        node = root
        *heads, last = path.split(".")
        for head in heads:
            node = node.setdefault((head[:-2], True) if head.endswith("[]") else (head, False), {})
        node.setdefault(("", False), []).append((last, action, args))

    env: dict[str, Any] = {}
    lines = ["def count(labels, counts):", "    if not labels: return", "    get = counts.get"]
    n = [0]

    def var(prefix: str) -> str:
        n[0] += 1
        return f"{prefix}{n[0]}"

    def const(value: Any) -> str:
        name = var("_k")
        env[name] = value
        return name

    def emit(node: dict, obj: str, ind: str) -> None:
        nonlocal lines
        for last, action, args in node.get(("", False), ()):
            x = var("x")
            lines.append(f"{ind}{x} = {obj}.get({last!r})")
            if action == "span":
                label = const(args[0])
                lines.append(f"{ind}if {x}: counts[{label}] = get({label}, 0) + 1")
            elif action == "spans":
                label = const(args[0])
                lines.append(f"{ind}if {x}: counts[{label}] = get({label}, 0) + len({x})")
            elif action == "typed":
                label, by = const(args[0]), args[1]
                it, key = var("i"), var("k")
                lines += [
                    f"{ind}if {x}:",
                    f"{ind}    for {it} in {x}:",
                    f"{ind}        {key} = {it}.get({by!r}) or {label}",
                    f"{ind}        counts[{key}] = get({key}, 0) + 1",
                ]
            else:
                prefix, codes, values = args
                # Each value's name made once: an f-string per counted value was most of the cost.
                names = const({v: f"{prefix}={codes.get(v, v)}" for v in values})
                shown = f"{const(codes)}.get({{v}}, {{v}})" if codes else "{v}"
                key = var("k")
                if action == "multi":
                    it = var("i")
                    lines += [
                        f"{ind}if {x}:",
                        f"{ind}    for {it} in {x}:",
                        f"{ind}        {key} = {names}.get({it}) or f'{prefix}={{{shown.format(v=it)}}}'",
                        f"{ind}        counts[{key}] = get({key}, 0) + 1",
                    ]
                else:
                    lines += [
                        f"{ind}if {x} is not None and {x} != '':",
                        f"{ind}    {key} = {names}.get({x}) or f'{prefix}={{{shown.format(v=x)}}}'",
                        f"{ind}    counts[{key}] = get({key}, 0) + 1",
                    ]
        for (key, is_list), child in node.items():
            if key == "":
                continue
            x = var("o")
            lines.append(f"{ind}{x} = {obj}.get({key!r})")
            if is_list:
                it = var("i")
                lines += [f"{ind}if {x}:", f"{ind}    for {it} in {x}:"]
                emit(child, it, ind + "        ")
            else:
                lines.append(f"{ind}if {x}:")
                emit(child, x, ind + "    ")
            if lines[-1].endswith(":"):
                lines.append(f"{ind}    pass")

    emit(root, "labels", "    ")
    exec(compile("\n".join(lines), f"<label counter {scheme.name}>", "exec"), env)  # noqa: S102
    return env["count"]


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
