"""What the encoder and its reference (``records``) share: errors, coercions and row fields.

Both turn a store row into a record of the fixed shape; the values each part of a record is
made from (``envelope_fields``, ``decision_fields``, ``agreement_fields``) and the checks of
every leaf are here, once, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from ..scheme import Scheme
from .labelling import labelling

# Envelope strings that are "" rather than null when the store has nothing.  Dates go the
# other way: "" is never a date, and pyarrow infers ISO 8601 strings as timestamp[s], so one
# "" in a later block breaks the cast while null does not.  Unknown dates are null.
_NEVER_NULL = ("outlet", "url", "title")
_DATES = ("published",)


class RecordError(ValueError):
    """A row cannot become a record of the fixed shape; ``path`` names the field."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def coerce_int(value: Any, path: str) -> int:
    if type(value) is int:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise RecordError(path, f"expected an integer, got {value!r}")


def coerce_float(value: Any, path: str) -> float:
    if type(value) is float:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise RecordError(path, f"expected a number, got {value!r}")


def coerce_str(value: Any, path: str) -> str:
    if type(value) is str:
        return value
    raise RecordError(path, f"expected a string, got {value!r}")


def coerce_bool(value: Any, path: str) -> bool:
    if type(value) is bool:
        return value
    raise RecordError(path, f"expected true or false, got {value!r}")


LEAF_COERCE = {"int64": coerce_int, "float64": coerce_float, "string": coerce_str, "bool": coerce_bool}
LEAF_TYPE = {"int64": int, "float64": float, "string": str, "bool": bool}


def check_struct(value: Any, keys: frozenset, path: str) -> dict:
    """Return ``value`` as a dict of only ``keys`` (``None`` stays ``None``) or raise ``RecordError``."""
    if value is None:
        return None  # type: ignore[return-value]
    if isinstance(value, Mapping):
        if keys.issuperset(value):
            return dict(value)
        extra = sorted(set(value) - keys, key=str)
        raise RecordError(f"{path}.{extra[0]}".lstrip("."), "not in the export schema")
    raise RecordError(path or "record", f"expected an object, got {type(value).__name__}")


def check_list(value: Any, path: str) -> list:
    """Return ``value`` as a list (``None`` is ``[]``) or raise ``RecordError``."""
    if value is None:
        return []
    if isinstance(value, tuple):
        return list(value)
    raise RecordError(path, f"expected a list, got {type(value).__name__}")


def envelope_fields(row: Mapping, scheme_name: str) -> dict:
    """Return the envelope of a row's record before its checks: strings "" and dates null when unknown."""
    try:
        out = {
            "schema": scheme_name,
            "article_id": row["article_id"],
            "paragraph_id": row["paragraph_id"],
            "position": row["position"],
            "kind": row["kind"],
            "text": row["text"],
            "text_sha256": row["text_sha256"],
            "doc_char_start": row["doc_char_start"],
            "outlet": row.get("outlet"),
            "url": row.get("url"),
            "published": row.get("published"),
            "title": row.get("title"),
        }
    except KeyError as e:
        raise RecordError(str(e.args[0]), "missing from the row") from None
    for k in _NEVER_NULL:
        if out[k] is None:
            out[k] = ""
    for k in _DATES:
        if out[k] == "":
            out[k] = None
    return out


def decision_fields(row: Mapping) -> dict:
    """Return a gold row's decision before its checks: note "" when absent, annotators sorted, no "" date."""
    d = dict(row.get("decision") or {})
    d.setdefault("note", "")
    if d["note"] is None:
        d["note"] = ""
    d["annotators"] = sorted(d.get("annotators") or ())
    d["compared"] = sorted(d.get("compared") or ())
    d["taken"] = d.get("taken") or []
    if d.get("decided_at") == "":
        d["decided_at"] = None
    return d


def agreement_fields(figures: Mapping | None) -> dict:
    """Return per-paragraph agreement figures as ``AGREEMENT``'s fields, before their checks.

    Accepts ``{}``/``None``, the fixed shape itself, or a flat mapping in which
    ``n_annotators`` and ``disagreement`` are taken as they are and every other key
    is a field path whose value is a number or ``{"statistic", "value", "n", "reason"}``
    (the shape of ``annotator agreement --json``).  A ``fields`` mapping is read the
    same way.  Field entries are sorted by path so records compare equal.  NaN or
    infinity means "undefined": null, as JSON and pyarrow have no other spelling for it.
    """
    figures = dict(figures or {})
    out: dict = {
        "n_annotators": figures.pop("n_annotators", None),
        "disagreement": _finite(figures.pop("disagreement", None)),
    }
    fields = figures.pop("fields", None)
    entries: list[dict] = []
    if isinstance(fields, list):
        entries.extend(_finite_entry(f) for f in fields)
    elif isinstance(fields, Mapping):
        figures = {**fields, **figures}
    for name in sorted(figures):
        value = figures[name]
        if isinstance(value, Mapping):
            entries.append(
                _finite_entry(
                    {"field": name, **{k: value.get(k) for k in ("statistic", "value", "n", "reason")}}
                )
            )
        else:
            entries.append(
                {"field": name, "statistic": None, "value": _finite(value), "n": None, "reason": None}
            )
    out["fields"] = entries
    return out


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _finite_entry(entry: Any) -> Any:
    if isinstance(entry, Mapping) and _finite(entry.get("value")) is None:
        return {**entry, "value": None}
    return entry


def row_error(row: Mapping, err: RecordError) -> RecordError:
    """Return ``err`` naming the row's paragraph (and annotator) before the field."""
    pid = row.get("paragraph_id", "?") if isinstance(row, Mapping) else "?"
    who = row.get("annotator") if isinstance(row, Mapping) else None
    where = f"{pid}" + (f" ({who})" if who else "")
    return RecordError(err.path, f"{where}: {err.message}")


def iter_label_spans(labels: Mapping | None, scheme: Scheme | None = None) -> Iterator[tuple[dict, str]]:
    """Yield ``(span, label)`` for every span of the document, named as ``labelling`` names them."""
    return labelling(scheme).iter_spans(labels)


def spans_of(labels: Mapping | None, scheme: Scheme | None = None) -> list[dict]:
    """Return the labels' spans flattened, deduplicated and sorted, spaCy/Prodigy style."""
    seen = set()
    out = []
    for s, label in iter_label_spans(labels, scheme):
        key = (s["start"], s["end"], label)
        if key not in seen:
            seen.add(key)
            out.append({"start": s["start"], "end": s["end"], "label": label, "text": s["text"]})
    out.sort(key=lambda s: (s["start"], s["end"], s["label"]))
    return out
