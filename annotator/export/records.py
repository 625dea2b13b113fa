"""The reference export: each store row rebuilt as a record dict, then serialised by ``json``.

Exports are written by the one encoder (``encode``); this slower path, built independently
from the same spec trees (``spec``) and row fields (``shape``), is what the encoder's bytes are
compared with in the tests (``dumps_record(record) == line``), and the dict form of a record
for code that wants dicts rather than lines.  The spec trees are re-exported here
(``records.labels_spec``, ``records.record_spec``, ``records.LABELS`` …).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from ..scheme import Scheme
from .labelling import default_scheme
from .shape import (
    LEAF_COERCE,
    LEAF_TYPE,
    RecordError,
    agreement_fields,
    check_list,
    check_struct,
    coerce_float,
    coerce_str,
    decision_fields,
    envelope_fields,
    iter_label_spans,
    row_error,
    spans_of,
)
from .spec import (
    AGREEMENT,
    AGREEMENT_FIELD,
    ALL_RECORD,
    ATTRIBUTION,
    CLAIM,
    DECISION,
    ENVELOPE,
    EXPORT_VERSION,
    FRAMING,
    FRAMING_SPAN,
    GOLD_RECORD,
    LABELS,
    RECORD_SPECS,
    SPAN,
    SPANS_META,
    SPANS_RECORD,
    VIEWS,
    hf_features,
    labels_spec,
    record_spec,
)

__all__ = [
    "AGREEMENT",
    "AGREEMENT_FIELD",
    "ALL_RECORD",
    "ATTRIBUTION",
    "CLAIM",
    "DECISION",
    "ENVELOPE",
    "EXPORT_VERSION",
    "FRAMING",
    "FRAMING_SPAN",
    "GOLD_RECORD",
    "LABELS",
    "RECORD_SPECS",
    "SPAN",
    "SPANS_META",
    "SPANS_RECORD",
    "VIEWS",
    "RecordError",
    "compile_normaliser",
    "dumps_record",
    "hf_features",
    "iter_label_spans",
    "labels_normaliser",
    "labels_spec",
    "normalise_agreement",
    "normalise_labels",
    "record_spec",
    "records",
    "spans_of",
]

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def dumps_record(record: Mapping) -> str:
    """Return one record as a JSONL line (UTF-8 text, not ASCII-escaped, with its newline)."""
    return _dumps(record) + "\n"


def compile_normaliser(spec: Any, path: str = "") -> Callable[[Any], Any]:
    """Return a function that rebuilds a value to ``spec`` or raises ``RecordError``.

    Structs get every key of the spec (``None``/``[]`` when absent) and reject keys
    the spec does not know, so nothing is dropped silently.  The function is
    generated as straight-line Python (one per struct), which is three times faster
    than walking the spec per value: exports run it on every row.
    """
    gen = _Codegen()
    name = gen.value(spec, path)
    namespace: dict = dict(gen.env)
    exec(compile("\n".join(gen.lines), f"<normaliser {path or 'record'}>", "exec"), namespace)  # noqa: S102
    return namespace[name]


class _Codegen:
    """Emit one normaliser function per struct or list in a spec tree."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.env: dict[str, Any] = {
            "_bad_struct": check_struct,
            "_bad_list": check_list,
            "_dict": dict,
            "_list": list,
            **{f"_coerce_{k}": v for k, v in LEAF_COERCE.items()},
            **{f"_type_{k}": v for k, v in LEAF_TYPE.items()},
        }
        self.n = 0

    def _name(self, prefix: str) -> str:
        self.n += 1
        return f"_{prefix}{self.n}"

    def const(self, value: Any) -> str:
        name = self._name("c")
        self.env[name] = value
        return name

    def value(self, spec: Any, path: str) -> str:
        """Return the name of a generated function normalising ``spec``."""
        if isinstance(spec, str):
            fn = self._name("leaf")
            self.lines += [
                f"def {fn}(v):",
                f"    if v is None or v.__class__ is _type_{spec}: return v",
                f"    return _coerce_{spec}(v, {path!r})",
            ]
            return fn
        if isinstance(spec, list):
            item = spec[0]
            fn = self._name("list")
            if isinstance(item, str):
                elem = (
                    f"(x if x is None or x.__class__ is _type_{item} else _coerce_{item}(x, {path + '[]'!r}))"
                )
            else:
                elem = f"{self.value(item, path + '[]')}(x)"
            self.lines += [
                f"def {fn}(v):",
                f"    if v.__class__ is not _list: v = _bad_list(v, {path!r})",
                f"    return [{elem} for x in v]",
            ]
            return fn
        keys = self.const(frozenset(spec))
        body, items = [], []
        for i, (k, sub) in enumerate(spec.items()):
            p = f"{path}.{k}".lstrip(".")
            if isinstance(sub, str):
                body += [
                    f"    x{i} = g({k!r})",
                    f"    if x{i} is not None and x{i}.__class__ is not _type_{sub}: x{i} = _coerce_{sub}(x{i}, {p!r})",
                ]
            elif isinstance(sub, list):
                body.append(f"    x{i} = {self.value(sub, p)}(g({k!r}))")
            else:
                sub_fn = self.value(sub, p)
                body += [f"    x{i} = g({k!r})", f"    if x{i} is not None: x{i} = {sub_fn}(x{i})"]
            items.append(f"{k!r}: x{i}")
        fn = self._name("struct")
        self.lines += [
            f"def {fn}(v):",
            f"    if v.__class__ is not _dict or not {keys}.issuperset(v):",
            f"        v = _bad_struct(v, {keys}, {path!r})",
            "        if v is None: return None",
            "    g = v.get",
            *body,
            "    return {" + ", ".join(items) + "}",
        ]
        return fn


def labels_normaliser(scheme: Scheme | None = None) -> Callable[[Any], Any]:
    """Return the normaliser of labels documents under ``scheme`` (compiled once per shape)."""
    return _normaliser_of(json.dumps(labels_spec(scheme)))


@functools.lru_cache(maxsize=64)
def _normaliser_of(spec_json: str) -> Callable[[Any], Any]:
    return compile_normaliser(json.loads(spec_json), "labels")


normalise_labels = labels_normaliser()


normalise_decision = compile_normaliser(DECISION, "decision")
_normalise_agreement = compile_normaliser(AGREEMENT, "agreement")
_normalise_envelope = compile_normaliser(ENVELOPE, "")


def normalise_agreement(figures: Mapping | None) -> dict:
    """Return per-paragraph agreement figures in the fixed shape ``AGREEMENT`` (see ``shape.agreement_fields``)."""
    out = _normalise_agreement(agreement_fields(figures))
    # NaN or infinity means "undefined": null, as JSON and pyarrow have no other spelling for it.
    if out["disagreement"] is not None and not math.isfinite(out["disagreement"]):
        out["disagreement"] = None
    for f in out["fields"]:
        if f["value"] is not None and not math.isfinite(f["value"]):
            f["value"] = None
    return out


def _envelope(row: Mapping, scheme_name: str, cache: list | None = None) -> dict:
    """Return the record envelope of a row; consecutive rows of one paragraph reuse it."""
    if cache is not None:
        pid = row.get("paragraph_id")
        if pid is not None and pid == cache[0]:
            return dict(cache[1])
    env = _normalise_envelope(envelope_fields(row, scheme_name))
    if cache is not None:
        cache[0], cache[1] = env["paragraph_id"], env
        return dict(env)
    return env


class Builder(NamedTuple):
    """What turns rows into records under one scheme: its name, labels normaliser and scheme."""

    scheme_name: str
    normalise_labels: Callable[[Any], Any]
    scheme: Scheme


def builder(scheme: Scheme | None = None, scheme_name: str | None = None) -> Builder:
    """Return the record builder of ``scheme`` (default newsattr-1); ``scheme_name`` overrides its name."""
    scheme = scheme or default_scheme()
    return Builder(scheme.name if scheme_name is None else scheme_name, labels_normaliser(scheme), scheme)


def _all_record(row: Mapping, b: Builder, cache: list | None = None) -> dict:
    rec = _envelope(row, b.scheme_name, cache)
    rec["annotator"] = coerce_str(row.get("annotator"), "annotator")
    rec["labels"] = b.normalise_labels(row.get("labels"))
    seconds = row.get("seconds")
    if seconds is not None:
        seconds = coerce_float(seconds, "seconds")
        if not math.isfinite(seconds):
            raise RecordError("seconds", f"{seconds!r} is not a finite number")
    rec["seconds"] = seconds
    updated = row.get("updated_at")
    rec["updated_at"] = None if updated is None or updated == "" else coerce_str(updated, "updated_at")
    return rec


def _decision(row: Mapping) -> dict:
    return normalise_decision(decision_fields(row))


def _gold_record(row: Mapping, b: Builder, cache: list | None = None) -> dict:
    rec = _envelope(row, b.scheme_name, cache)
    rec["labels"] = b.normalise_labels(row.get("labels"))
    rec["decision"] = _decision(row)
    rec["agreement"] = normalise_agreement(row.get("agreement"))
    return rec


def _spans_record(row: Mapping, b: Builder, cache: list | None = None) -> dict:
    env = _envelope(row, b.scheme_name, cache)
    labels = b.normalise_labels(row.get("labels"))
    decision = _decision(row)
    text = env.pop("text")
    env["source"] = decision["source"]
    env["reviewer"] = decision["reviewer"]
    env["annotators"] = decision["annotators"]
    return {"text": text, "spans": spans_of(labels, b.scheme), "meta": env}


_BUILDERS = {"all": _all_record, "gold": _gold_record, "spans": _spans_record}


def records(
    view: str, rows: Iterable[Mapping], *, scheme_name: str | None = None, scheme: Scheme | None = None
) -> Iterator[dict]:
    """Yield one export record per row, in the fixed shape of ``record_spec(view, scheme)``.

    ``scheme`` (default newsattr-1) gives the labels' shape and span labels; ``scheme_name``,
    the records' ``schema``, defaults to its name.  Lazy: one row in, one record out.  Raises
    ``ValueError`` for an unknown view and ``RecordError`` (naming the paragraph, annotator and
    field) for a row that does not fit the shape.
    """
    if view not in _BUILDERS:
        raise ValueError(f"unknown export view {view!r}; expected one of {', '.join(VIEWS)}")
    build = _BUILDERS[view]
    b = builder(scheme, scheme_name)
    cache: list = [None, None]  # (paragraph_id, envelope): rows of one paragraph share it
    for row in rows:
        try:
            yield build(row, b, cache)
        except RecordError as e:
            raise row_error(row, e) from None
