"""Rows straight to JSONL lines: the fast path of a large export.

``records`` builds a normalised dict per row and ``json`` then walks it again; for
the ``all`` view of a big project that double walk is most of the export's time.
``encode_records`` fuses the two: a generated function per spec struct checks and
coerces each value exactly as ``records`` does and emits its JSON text at once,
and the envelope of a paragraph is encoded once for all its annotators.  The
lines are byte-identical to ``dumps_record(record)`` for the same row (a test holds
it to that), so the two paths are interchangeable.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from ..scheme import Scheme
from .records import (
    _BUILDERS,
    _LEAF_COERCE,
    VIEWS,
    Builder,
    RecordError,
    _bad_list,
    _bad_struct,
    _envelope,
    _row_error,
    builder,
    labels_spec,
)

_coerce_string = _LEAF_COERCE["string"]
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


class EncodedRecord(NamedTuple):
    """One record already serialised: what ``write_export`` needs and nothing more.

    ``labels`` is the row's labels document (for the manifest's label counts),
    ``spans`` the record's spans in the ``spans`` view and ``decision_source`` the gold
    decision's source in ``gold``.
    """

    article_id: str
    line: str
    labels: Mapping | None
    spans: list | None = None
    decision_source: str | None = None


def _fail() -> str:
    raise TypeError("not the exact type: take the checking path")


def _not_finite(value: float, path: str) -> str:
    raise RecordError(path, f"{value!r} is not a finite number")


class _EncoderGen:
    """Emit one JSON-encoding function per struct or list of a spec tree."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.env: dict[str, Any] = {
            "_esc": encode_basestring,
            "_bad_struct": _bad_struct,
            "_bad_list": _bad_list,
            "_dict": dict,
            "_list": list,
            "_str": str,
            "_int": int,
            "_float": float,
            "_irepr": int.__repr__,
            "_frepr": float.__repr__,
            "_not_finite": _not_finite,
            "_fail": _fail,
            **{f"_coerce_{k}": v for k, v in _LEAF_COERCE.items()},
        }
        self.n = 0

    def _name(self, prefix: str) -> str:
        self.n += 1
        return f"_{prefix}{self.n}"

    @staticmethod
    def leaf(var: str, dtype: str, path: str) -> list[str]:
        """Lines that replace the value in ``var`` by its JSON text."""
        if dtype == "string":
            return [
                f"    {var} = 'null' if {var} is None else "
                f"_esc({var} if {var}.__class__ is _str else _coerce_string({var}, {path!r}))"
            ]
        if dtype == "int64":
            return [
                f"    {var} = 'null' if {var} is None else "
                f"_irepr({var} if {var}.__class__ is _int else _coerce_int64({var}, {path!r}))"
            ]
        if dtype == "float64":
            return [
                f"    if {var} is None: {var} = 'null'",
                "    else:",
                f"        if {var}.__class__ is not _float: {var} = _coerce_float64({var}, {path!r})",
                f"        {var} = _frepr({var}) if {var} - {var} == 0.0 else _not_finite({var}, {path!r})",
            ]
        if dtype == "bool":
            return [
                f"    {var} = 'null' if {var} is None else "
                f"('true' if _coerce_bool({var}, {path!r}) else 'false')"
            ]
        raise ValueError(dtype)

    def value(self, spec: Any, path: str) -> str:
        """Return the name of a generated function mapping a value of ``spec`` to JSON text."""
        if isinstance(spec, str):
            fn = self._name("leaf")
            self.lines += [f"def {fn}(x):", *self.leaf("x", spec, path), "    return x"]
            return fn
        if isinstance(spec, list):
            item = self.value(spec[0], f"{path}[]")
            fn = self._name("list")
            self.lines += [
                f"def {fn}(v):",
                f"    if v.__class__ is not _list: v = _bad_list(v, {path!r})",
                f"    return '[' + ','.join([{item}(x) for x in v]) + ']' if v else '[]'",
            ]
            return fn
        keys = self._name("keys")
        self.env[keys] = frozenset(spec)
        body, fast, parts = [], [], []
        for i, (k, sub) in enumerate(spec.items()):
            p = f"{path}.{k}".lstrip(".")
            x = f"x{i}"
            if isinstance(sub, str):
                body += [f"    {x} = g({k!r})", *self.leaf(x, sub, p)]
                fast += [f"            {x} = v[{k!r}]", f"            {x} = {self.fast_leaf(x, sub)}"]
            elif isinstance(sub, list):
                sub_fn = self.value(sub, p)
                body.append(f"    {x} = {sub_fn}(g({k!r}))")
                fast.append(f"            {x} = {sub_fn}(v[{k!r}])")
            else:
                sub_fn = self.value(sub, p)
                body += [f"    {x} = g({k!r})", f"    {x} = 'null' if {x} is None else {sub_fn}({x})"]
                fast += [
                    f"            {x} = v[{k!r}]",
                    f"            {x} = 'null' if {x} is None else {sub_fn}({x})",
                ]
            parts.append(json.dumps(k).replace("{", "{{").replace("}", "}}") + ":{" + x + "}")
        fn = self._name("struct")
        template = "{{" + ",".join(parts) + "}}"
        # Fast path for a dict with exactly the spec's keys and exact leaf types (what a
        # normalised, stored document is): index, no class checks; anything else raises
        # KeyError or TypeError and takes the checking path below, which coerces or refuses.
        self.lines += [
            f"def {fn}(v):",
            f"    if v.__class__ is _dict and len(v) == {len(spec)}:",
            "        try:",
            *fast,
            f"            return f{template!r}",
            "        except (KeyError, TypeError):",
            "            pass",
            f"    if v.__class__ is not _dict or not {keys}.issuperset(v):",
            f"        v = _bad_struct(v, {keys}, {path!r})",
            "        if v is None: return 'null'",
            "    g = v.get",
            *body,
            f"    return f{template!r}",
        ]
        return fn

    @staticmethod
    def fast_leaf(x: str, dtype: str) -> str:
        """An expression for the JSON text of ``x`` that raises TypeError unless its type is exact."""
        if dtype == "string":
            return f"'null' if {x} is None else _esc({x}) if {x}.__class__ is _str else _fail()"
        if dtype == "int64":
            return f"'null' if {x} is None else _irepr({x}) if {x}.__class__ is _int else _fail()"
        if dtype == "float64":
            return (
                f"'null' if {x} is None else _frepr({x}) if {x}.__class__ is _float and {x} - {x} == 0.0 "
                "else _fail()"
            )
        if dtype == "bool":
            return (
                f"'null' if {x} is None else 'true' if {x} is True else 'false' if {x} is False else _fail()"
            )
        raise ValueError(dtype)


def compile_encoder(spec: Any, path: str = "") -> Any:
    """Return a function mapping a value to the JSON text of its normalised form under ``spec``."""
    gen = _EncoderGen()
    name = gen.value(spec, path)
    namespace: dict = dict(gen.env)
    exec(compile("\n".join(gen.lines), f"<encoder {path or 'record'}>", "exec"), namespace)  # noqa: S102
    return namespace[name]


def labels_encoder(scheme: Scheme | None = None) -> Callable[[Any], str]:
    """Return the JSON encoder of labels documents under ``scheme`` (compiled once per shape)."""
    return _encoder_of(json.dumps(labels_spec(scheme)))


@functools.lru_cache(maxsize=64)
def _encoder_of(spec_json: str) -> Callable[[Any], str]:
    return compile_encoder(json.loads(spec_json), "labels")


encode_labels = labels_encoder()
_encode_seconds = compile_encoder("float64", "seconds")
_encode_date = compile_encoder("string", "updated_at")


def _encode_all(rows: Iterable[Mapping], b: Builder) -> Iterator[EncodedRecord]:
    encode = labels_encoder(b.scheme)
    pid = prefix = article_id = None
    for row in rows:
        try:
            if row.get("paragraph_id") != pid or pid is None:
                env = _envelope(row, b.scheme_name)
                pid, article_id = env["paragraph_id"], env["article_id"]
                prefix = _dumps(env)[:-1] + ',"annotator":'
            labels = row.get("labels")
            updated = row.get("updated_at")
            annotator = row.get("annotator")
            if annotator.__class__ is not str:
                annotator = _coerce_string(annotator, "annotator")
            line = (
                f'{prefix}{encode_basestring(annotator)},"labels":{encode(labels)},'
                f'"seconds":{_encode_seconds(row.get("seconds"))},'
                f'"updated_at":{_encode_date(None if updated == "" else updated)}}}\n'
            )
        except RecordError as e:
            raise _row_error(row, e) from None
        yield EncodedRecord(article_id, line, labels)  # type: ignore[arg-type]


def encode_records(
    view: str, rows: Iterable[Mapping], *, scheme_name: str | None = None, scheme: Scheme | None = None
) -> Iterator[EncodedRecord]:
    """Yield ``EncodedRecord`` per row: ``records`` and ``dumps_record`` in one pass.

    ``write_export`` and ``iter_jsonl`` take these as they take record dicts.  The
    ``all`` view, the large one, is fused; ``gold`` and ``spans`` (one line per decided
    paragraph) are built as dicts and serialised.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown export view {view!r}; expected one of {', '.join(VIEWS)}")
    b = builder(scheme, scheme_name)
    if view == "all":
        yield from _encode_all(rows, b)
        return
    build = _BUILDERS[view]
    for row in rows:
        try:
            rec = build(row, b)
        except RecordError as e:
            raise _row_error(row, e) from None
        if view == "spans":
            yield EncodedRecord(rec["meta"]["article_id"], _dumps(rec) + "\n", None, rec["spans"])
        else:
            yield EncodedRecord(
                rec["article_id"], _dumps(rec) + "\n", rec["labels"], None, rec["decision"]["source"]
            )
