"""Check a labels document against a scheme; build empty and normalised documents."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from .model import LIST_TYPES, ORIGIN_KEY, ORIGINS, Field, Scheme

SPAN_KEYS = ("start", "end", "text")


@dataclass(frozen=True)
class FieldError:
    """One problem in a labels document, at ``path`` (``attributions[0].cue``; ``""`` = the whole document).

    ``code`` is one of: type, unknown, disabled, required, value, span, ref, duplicate, not_allowed.
    """

    path: str
    message: str
    code: str = "invalid"

    def to_dict(self) -> dict:
        return {"path": self.path, "message": self.message, "code": self.code}

    def __str__(self) -> str:
        return f"{self.path or '(labels)'}: {self.message}"


def validate(labels: Any, text: str, scheme: Scheme) -> list[FieldError]:
    """Return the problems of ``labels`` for paragraph ``text`` under ``scheme``; [] means valid.

    Missing keys of optional fields count as empty; unknown keys are errors, and so is any
    key of an extended field the scheme has off.
    """
    if not isinstance(labels, dict):
        return [FieldError("", "labels must be a JSON object", "type")]
    return _Validator(text, scheme, labels).run()


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


class _Validator:
    def __init__(self, text: str, scheme: Scheme, labels: dict) -> None:
        self.text = text
        self.scheme = scheme
        self.root = labels
        self.errors: list[FieldError] = []

    def run(self) -> list[FieldError]:
        self.object(self.root, None, "")
        return self.errors

    def error(self, path: str, message: str, code: str) -> None:
        self.errors.append(FieldError(path, message, code))

    def object(self, obj: dict, parent: str | None, prefix: str, extra: tuple[str, ...] = ()) -> None:
        children = self.scheme.children(parent)
        names = {c.name for c in children}
        for key in obj:
            if key not in names and key not in extra:
                self.error(_join(prefix, str(key)), f"unknown field {key!r}", "unknown")
        for f in children:
            path = _join(prefix, f.name)
            on = self.scheme._enabled[f.path]
            if f.name not in obj:
                if on and self.required(f, obj):
                    self.error(path, f"{f.label} is required", "required")
                continue
            value = obj[f.name]
            if not on:
                self.error(path, f"extended field {f.name!r} is not enabled in this project", "disabled")
                continue
            if (
                f.allowed_if is not None
                and not _empty(value)
                and not f.allowed_if.holds(obj)
                and self.known(f, f.allowed_if.field, obj)
            ):
                cond = f.allowed_if
                self.error(
                    path, f"{f.label} is allowed only when {cond.field} is {cond.equals}", "not_allowed"
                )
                continue
            if _empty(value) and self.empty_ok(f, value):
                if self.required(f, obj):
                    self.error(path, self.required_message(f), "required")
                continue
            self.value(f, value, path, obj)

    def known(self, f: Field, sibling: str, obj: dict) -> bool:
        """Return whether ``sibling`` of ``f`` holds one of its allowed values (else it has its own error)."""
        other = self.scheme.field(f.path[: -len(f.name)] + sibling)
        value = obj.get(sibling)
        # Any JSON may arrive here: a list or an object is no allowed value (nor hashable).
        return isinstance(value, str | int) and value in {c.value for c in other.values}

    @staticmethod
    def required(f: Field, obj: dict) -> bool:
        return f.required or f.min_items > 0 or (f.required_if is not None and f.required_if.holds(obj))

    @staticmethod
    def required_message(f: Field) -> str:
        if f.type in LIST_TYPES:
            return f"{f.label}: at least {max(f.min_items, 1)} needed"
        if f.required_if is not None and not f.required:
            cond = f.required_if
            when = (
                f"{cond.field} is {cond.equals}" if cond.equals is not None else f"{cond.field} is not empty"
            )
            return f"{f.label} is required when {when}"
        return f"{f.label} is required"

    @staticmethod
    def empty_ok(f: Field, value: Any) -> bool:
        """Return whether an empty ``value`` has the right type for ``f`` (else it is a type error)."""
        if value is None:
            return f.type not in LIST_TYPES and f.type != "text" and (f.type != "object" or f.nullable)
        if value == "":
            return f.type in ("text", "single", "ref", "id")
        if value == []:
            return f.type in LIST_TYPES
        return f.type == "object"

    def value(self, f: Field, value: Any, path: str, container: dict) -> None:
        getattr(self, "check_" + f.type)(f, value, path, container)

    def check_single(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not isinstance(value, str):
            self.error(path, f"{f.label} must be a string", "type")
        elif value not in {c.value for c in f.values}:
            self.error(
                path,
                f"unknown value {value!r}; expected one of: {', '.join(c.value for c in f.values)}",
                "value",
            )
        elif f.one_of is not None:
            chosen = container.get(f.one_of)
            if not isinstance(chosen, list) or value not in chosen:
                self.error(path, f"{f.label} must be one of the chosen {f.one_of}", "value")

    def check_multi(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not isinstance(value, list):
            self.error(path, f"{f.label} must be a list", "type")
            return
        allowed = {c.value for c in f.values}
        seen = set()
        for i, v in enumerate(value):
            p = f"{path}[{i}]"
            if not isinstance(v, str):
                self.error(p, "must be a string", "type")
            elif v not in allowed:
                self.error(p, f"unknown value {v!r}", "value")
            elif v in seen:
                self.error(p, f"{v!r} is listed twice", "duplicate")
            else:
                seen.add(v)

    def check_ordinal(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not _is_int(value):
            self.error(path, f"{f.label} must be an integer from {f.min} to {f.max}", "type")
        elif not f.min <= value <= f.max or (f.values and value not in {c.value for c in f.values}):
            self.error(path, f"{f.label} must be from {f.min} to {f.max}", "value")

    def check_text(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not isinstance(value, str):
            self.error(path, f"{f.label} must be a string", "type")
        elif self.required(f, container) and not value.strip():
            self.error(path, self.required_message(f), "required")

    def check_id(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not isinstance(value, str) or not re.fullmatch(rf"{re.escape(f.prefix)}[1-9][0-9]*", value):
            self.error(path, f"id must look like {f.prefix}1, {f.prefix}2 ...", "value")

    def check_ref(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not isinstance(value, str):
            self.error(path, f"{f.label} must be an id string or null", "type")
            return
        items = self.root.get(f.refers_to, [])
        if not isinstance(items, list):
            return  # that list has its own type error; every reference would repeat it
        ids = {x.get("id") for x in items if isinstance(x, dict) and isinstance(x.get("id"), str)}
        if value not in ids:
            self.error(path, f"{value!r} is not the id of any of the {f.refers_to}", "ref")

    def check_span(self, f: Field, value: Any, path: str, container: dict) -> None:
        self.span(value, path)

    def check_spans(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not isinstance(value, list):
            self.error(path, f"{f.label} must be a list of spans", "type")
            return
        if len(value) < f.min_items:
            self.error(path, self.required_message(f), "required")
        for i, span in enumerate(value):
            self.span(span, f"{path}[{i}]")

    def check_object(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not isinstance(value, dict):
            self.error(path, f"{f.label} must be an object" + (" or null" if f.nullable else ""), "type")
            return
        self.object(value, f.path, path)

    def check_list(self, f: Field, value: Any, path: str, container: dict) -> None:
        if not isinstance(value, list):
            self.error(path, f"{f.label} must be a list", "type")
            return
        children = self.scheme.children(f.path)
        id_field = next((c.name for c in children if c.type == "id"), None)
        keys = [k for k in (id_field, f.unique_by) if k is not None]
        seen: dict[str, set] = {k: set() for k in keys}
        for i, item in enumerate(value):
            p = f"{path}[{i}]"
            if not isinstance(item, dict):
                self.error(p, "must be an object", "type")
                continue
            if f.item == "span":
                self.span({k: item[k] for k in SPAN_KEYS if k in item}, p, strict_keys=False)
                self.object(item, f.path, p, extra=SPAN_KEYS)
            elif id_field is not None:
                # Items with ids may say where they came from (ORIGINS); nothing else is extra.
                self.object(item, f.path, p, extra=(ORIGIN_KEY,))
                if ORIGIN_KEY in item and item[ORIGIN_KEY] not in ORIGINS:
                    self.error(f"{p}.{ORIGIN_KEY}", f"must be one of {', '.join(ORIGINS)}", "value")
            else:
                self.object(item, f.path, p)
            for k in keys:
                v = item.get(k)
                if isinstance(v, str) and v:
                    if v in seen[k]:
                        self.error(f"{p}.{k}", f"{v!r} is used twice", "duplicate")
                    seen[k].add(v)

    def span(self, span: Any, path: str, strict_keys: bool = True) -> None:
        if not isinstance(span, dict):
            self.error(path, "a span must be an object {start, end, text}", "type")
            return
        if strict_keys:
            for key in span:
                if key not in SPAN_KEYS:
                    self.error(f"{path}.{key}", f"unknown field {key!r} in a span", "unknown")
        missing = [k for k in SPAN_KEYS if k not in span]
        if missing:
            self.error(path, f"span lacks {', '.join(missing)}", "span")
            return
        start, end, text = span["start"], span["end"], span["text"]
        if not _is_int(start) or not _is_int(end):
            self.error(path, "span start and end must be integers", "type")
        elif not isinstance(text, str):
            self.error(path, "span text must be a string", "type")
        elif not 0 <= start < end <= len(self.text):
            self.error(path, f"span {start}:{end} is outside 0:{len(self.text)} or empty", "span")
        elif self.text[start:end] != text:
            self.error(
                path,
                f"span text {text!r} does not match the paragraph at {start}:{end} "
                f"({self.text[start:end]!r})",
                "span",
            )
        elif text != text.strip():
            self.error(path, "span has leading or trailing whitespace", "span")


def _default(f: Field) -> Any:
    if f.type in LIST_TYPES:
        return []
    if f.type == "text":
        return ""
    return None


def normalize(labels: dict, scheme: Scheme) -> dict:
    """Return a copy of ``labels`` with every enabled field present, in scheme order.

    Missing fields get their empty value (null, [] or ""; a non-nullable object is filled in
    recursively); a field with ``allowed_if`` is added only where allowed. Keys of disabled
    extended fields are dropped when empty and kept otherwise, so ``validate`` still reports
    data that would be lost. Unknown keys are kept (after the known ones) for ``validate`` to report.
    """
    if not isinstance(labels, dict):
        return copy.deepcopy(labels)
    return _normalize_object(labels, scheme, None)


def _normalize_object(obj: dict, scheme: Scheme, parent: str | None, lead: tuple[str, ...] = ()) -> dict:
    out: dict = {k: copy.deepcopy(obj[k]) for k in lead if k in obj}
    children = scheme.children(parent)
    for f in children:
        if f.name in obj:
            value = copy.deepcopy(obj[f.name])
            if not scheme.enabled(f.path) and _empty(value):
                continue
            if f.type == "object" and isinstance(value, dict):
                value = _normalize_object(value, scheme, f.path)
            elif f.type == "list" and isinstance(value, list):
                lead = SPAN_KEYS if f.item == "span" else ()
                value = [
                    _normalize_object(x, scheme, f.path, lead) if isinstance(x, dict) else x for x in value
                ]
            out[f.name] = value
        elif scheme.enabled(f.path) and (f.allowed_if is None or f.allowed_if.holds(obj)):
            if f.type == "object" and not f.nullable:
                out[f.name] = _normalize_object({}, scheme, f.path)
            else:
                out[f.name] = _default(f)
    known = {f.name for f in children}
    for key, value in obj.items():
        if key not in known and key not in out:
            out[key] = copy.deepcopy(value)
    return out


def empty_labels(scheme: Scheme, kind: str | None = None) -> dict:
    """Return a labels document with nothing marked; ``kind`` presets the paragraph kind (else null)."""
    return normalize({"kind": kind}, scheme)


def without_origins(labels: dict) -> dict:
    """Return a copy of ``labels`` without the ``origin`` its items carry.

    Where an item came from (a suggestion accepted, edited, or made by hand) belongs to one
    annotator's work; gold and suggestions hold labels only.
    """
    out = dict(labels)
    for key, value in labels.items():
        if isinstance(value, list) and any(isinstance(item, dict) and ORIGIN_KEY in item for item in value):
            out[key] = [
                {k: v for k, v in item.items() if k != ORIGIN_KEY} if isinstance(item, dict) else item
                for item in value
            ]
    return out
