"""The one export encoder: store rows straight to JSONL lines, an article at a time.

Every record of every view is written by encoders generated from its spec tree (``spec``):
one function per struct that checks and coerces each value exactly as the reference dicts of
``records`` are rebuilt, and emits its JSON text at once, so a record is walked once, not
rebuilt and then walked again by ``json``.  A paragraph's envelope is encoded once for all its
annotators.  The lines are byte-identical to ``records.dumps_record`` of the reference record
(the tests hold them to that).  The stored forms of ``stored`` are this encoder's labels text,
made at save time.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from ..scheme import Scheme
from .labelling import default_scheme, labelling
from .shape import (
    LEAF_COERCE,
    RecordError,
    agreement_fields,
    check_list,
    check_struct,
    coerce_str,
    decision_fields,
    envelope_fields,
    row_error,
    spans_of,
)
from .spec import AGREEMENT, DECISION, ENVELOPE, SPANS_RECORD, VIEWS, labels_spec, record_spec


class EncodedBatch(NamedTuple):
    """Consecutive records of one article, serialised: all ``write_export`` needs of them.

    ``counts`` holds the label names of the records (as ``labelling`` counts them);
    ``count_texts`` maps counts texts stored with the labels (``stored.count_text``) to how many
    records carry them, so the label counts of stored forms are read without parsing a document.
    """

    article_id: str
    lines: list[bytes]
    counts: dict[str, int]
    count_texts: dict[str, int]


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
            "_bad_struct": check_struct,
            "_bad_list": check_list,
            "_dict": dict,
            "_list": list,
            "_str": str,
            "_int": int,
            "_float": float,
            "_irepr": int.__repr__,
            "_frepr": float.__repr__,
            "_not_finite": _not_finite,
            "_fail": _fail,
            **{f"_coerce_{k}": v for k, v in LEAF_COERCE.items()},
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


def compile_encoder(spec: Any, path: str = "") -> Callable[[Any], str]:
    """Return a function mapping a value to the JSON text of its normalised form under ``spec``."""
    gen = _EncoderGen()
    name = gen.value(spec, path)
    namespace: dict = dict(gen.env)
    exec(compile("\n".join(gen.lines), f"<encoder {path or 'record'}>", "exec"), namespace)  # noqa: S102
    return namespace[name]


@functools.lru_cache(maxsize=64)
def _encoder_of(spec_json: str, path: str) -> Callable[[Any], str]:
    # One per shape: schemes that differ only in the extended fields a project turned on share it.
    return compile_encoder(json.loads(spec_json), path)


def labels_encoder(scheme: Scheme | None = None) -> Callable[[Any], str]:
    """Return the JSON encoder of labels documents under ``scheme`` (default newsattr-1)."""
    return _encoder_of(json.dumps(labels_spec(scheme)), "labels")


encode_labels = labels_encoder()
encode_envelope = compile_encoder(ENVELOPE, "")
encode_decision = compile_encoder(DECISION, "decision")
encode_agreement = compile_encoder(AGREEMENT, "agreement")
encode_seconds = compile_encoder("float64", "seconds")
encode_date = compile_encoder("string", "updated_at")
_encode_spans_record = compile_encoder(SPANS_RECORD, "")


class _Batches:
    """Collects lines into one ``EncodedBatch`` per article."""

    def __init__(self) -> None:
        self.article = ""
        self.lines: list[bytes] = []
        self.counts: dict[str, int] = {}

    def add(self, article_id: str, line: str) -> EncodedBatch | None:
        """Add a line; return the finished batch of the previous article when this one starts another."""
        done = None
        if article_id != self.article:
            done = self.close()
            self.article = article_id
        self.lines.append(line.encode("utf-8"))
        return done

    def close(self) -> EncodedBatch | None:
        if not self.lines:
            return None
        batch = EncodedBatch(self.article, self.lines, self.counts, {})
        self.lines, self.counts = [], {}
        return batch


def _encode_all(rows: Iterable[Mapping], scheme: Scheme, scheme_name: str) -> Iterator[EncodedBatch]:
    encode = labels_encoder(scheme)
    count = labelling(scheme).count
    batches = _Batches()
    pid = prefix = None
    article_id = ""
    for row in rows:
        try:
            if row.get("paragraph_id") != pid or pid is None:
                env = envelope_fields(row, scheme_name)
                prefix = encode_envelope(env)[:-1] + ',"annotator":'
                pid, article_id = env["paragraph_id"], env["article_id"]
            labels = row.get("labels")
            updated = row.get("updated_at")
            annotator = row.get("annotator")
            if annotator.__class__ is not str:
                annotator = coerce_str(annotator, "annotator")
            line = (
                f'{prefix}{encode_basestring(annotator)},"labels":{encode(labels)},'
                f'"seconds":{encode_seconds(row.get("seconds"))},'
                f'"updated_at":{encode_date(None if updated == "" else updated)}}}\n'
            )
        except RecordError as e:
            raise row_error(row, e) from None
        done = batches.add(article_id, line)
        if done is not None:
            yield done
        count(labels, batches.counts)
    last = batches.close()
    if last is not None:
        yield last


def _encode_gold(rows: Iterable[Mapping], scheme: Scheme, scheme_name: str) -> Iterator[EncodedBatch]:
    encode = _encoder_of(json.dumps(record_spec("gold", scheme)), "")
    count = labelling(scheme).count
    batches = _Batches()
    for row in rows:
        try:
            env = envelope_fields(row, scheme_name)
            decision = decision_fields(row)
            labels = row.get("labels")
            rec = {
                **env,
                "labels": labels,
                "decision": decision,
                "agreement": agreement_fields(row.get("agreement")),
            }
            line = encode(rec) + "\n"
        except RecordError as e:
            raise row_error(row, e) from None
        done = batches.add(env["article_id"], line)
        if done is not None:
            yield done
        count(labels, batches.counts)
        key = f"decision={decision.get('source')}"
        batches.counts[key] = batches.counts.get(key, 0) + 1
    last = batches.close()
    if last is not None:
        yield last


def _encode_spans(rows: Iterable[Mapping], scheme: Scheme, scheme_name: str) -> Iterator[EncodedBatch]:
    encode_labels_of = labels_encoder(scheme)
    batches = _Batches()
    for row in rows:
        try:
            env = envelope_fields(row, scheme_name)
            encode_envelope(env)  # checks the envelope, naming its fields as the other views do
            # The labels as the export writes them (checked, coerced, every key there): the spans come from those.
            labels = json.loads(encode_labels_of(row.get("labels")))
            decision = decision_fields(row)
            encode_decision(decision)
            meta = {k: v for k, v in env.items() if k != "text"}
            meta["source"] = decision.get("source")
            meta["reviewer"] = decision.get("reviewer")
            meta["annotators"] = decision["annotators"]
            spans = spans_of(labels, scheme)
            line = _encode_spans_record({"text": env["text"], "spans": spans, "meta": meta}) + "\n"
        except RecordError as e:
            raise row_error(row, e) from None
        done = batches.add(env["article_id"], line)
        if done is not None:
            yield done
        counts = batches.counts
        for s in spans:
            counts[s["label"]] = counts.get(s["label"], 0) + 1
    last = batches.close()
    if last is not None:
        yield last


_VIEW_ENCODERS = {"all": _encode_all, "gold": _encode_gold, "spans": _encode_spans}


def encode_records(
    view: str, rows: Iterable[Mapping], *, scheme: Scheme | None = None, scheme_name: str | None = None
) -> Iterator[EncodedBatch]:
    """Yield the view's records of ``rows`` (sorted by article) as one ``EncodedBatch`` per article.

    ``scheme`` (default newsattr-1) gives the labels' shape and names; ``scheme_name``, the
    records' ``schema``, defaults to its name.  Raises ``ValueError`` for an unknown view and
    ``RecordError`` (naming the paragraph, annotator and field) for a row that does not fit.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown export view {view!r}; expected one of {', '.join(VIEWS)}")
    scheme = scheme or default_scheme()
    return _VIEW_ENCODERS[view](rows, scheme, scheme.name if scheme_name is None else scheme_name)


def iter_jsonl(batches: Iterable[EncodedBatch]) -> Iterator[bytes]:
    """Yield each batch's lines as one UTF-8 chunk, for a streamed download."""
    for batch in batches:
        yield b"".join(batch.lines)
