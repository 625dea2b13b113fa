"""Read an ``all`` export back, line by line, validating every record.

This is the pure half of ``annotator import-annotations`` and ``annotator agreement
--from-jsonl``: it checks the envelope and the labels' shape and offsets, and yields
records whose ``labels`` are in the same fixed shape the export wrote, so
``read_all_export(iter_jsonl(encode_records("all", rows)))`` gives back the same labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..agreement.links import link_problems
from ..scheme import Scheme
from .records import labels_normaliser
from .spec import ALL_RECORD, SPAN, labels_spec

# The envelope and the per-annotator keys must be present; inside ``labels`` a missing
# optional key is read as null (or []), as the exporter of an older version may omit it.
REQUIRED = tuple(ALL_RECORD)
_NON_NULL = (
    "schema",
    "article_id",
    "paragraph_id",
    "position",
    "kind",
    "text",
    "text_sha256",
    "doc_char_start",
    "annotator",
    "labels",
)
_SPAN_KEYS = frozenset(SPAN)


class ExportFormatError(ValueError):
    """A line of an export is not a valid record; names the 1-based ``line`` and the ``field``."""

    def __init__(self, line: int, field: str | None, message: str):
        where = f"line {line}" + (f", {field}" if field else "")
        super().__init__(f"{where}: {message}")
        self.line = line
        self.field = field
        self.message = message


def _type_ok(value: Any, dtype: str) -> bool:
    if dtype == "string":
        return type(value) is str
    if dtype == "int64":
        return type(value) is int
    if dtype == "float64":
        return type(value) in (int, float)
    if dtype == "bool":
        return type(value) is bool
    raise AssertionError(dtype)


_DTYPE_WORD = {"string": "a string", "int64": "an integer", "float64": "a number", "bool": "true or false"}


def _check(value: Any, spec: Any, path: str, text: str, line: int) -> None:
    """Raise ``ExportFormatError`` where ``value`` does not fit ``spec`` (null is always allowed)."""
    if value is None:
        return
    if isinstance(spec, str):
        if not _type_ok(value, spec):
            raise ExportFormatError(line, path, f"expected {_DTYPE_WORD[spec]}, got {json.dumps(value)[:60]}")
        return
    if isinstance(spec, list):
        if not isinstance(value, list):
            raise ExportFormatError(line, path, f"expected a list, got {type(value).__name__}")
        for i, item in enumerate(value):
            _check(item, spec[0], f"{path}[{i}]", text, line)
        return
    if not isinstance(value, dict):
        raise ExportFormatError(line, path, f"expected an object, got {type(value).__name__}")
    for k in value:
        if k not in spec:
            raise ExportFormatError(line, f"{path}.{k}", "unknown field")
    for k, sub in spec.items():
        _check(value.get(k), sub, f"{path}.{k}", text, line)
    if _SPAN_KEYS <= spec.keys():
        _check_span(value, path, text, line)


def _check_span(span: dict, path: str, text: str, line: int) -> None:
    start, end, stext = span.get("start"), span.get("end"), span.get("text")
    for key, v in (("start", start), ("end", end), ("text", stext)):
        if v is None:
            raise ExportFormatError(line, f"{path}.{key}", "missing from the span")
    if not 0 <= start <= end <= len(text):
        raise ExportFormatError(
            line, path, f"offsets {start}:{end} outside the paragraph (length {len(text)})"
        )
    if text[start:end] != stext:
        raise ExportFormatError(
            line, f"{path}.text", f"{stext!r} is not the paragraph's text[{start}:{end}] {text[start:end]!r}"
        )


def validate_all_record(record: Any, line: int = 1, scheme: Scheme | None = None) -> dict:
    """Return ``record`` with its labels in the fixed export shape of ``scheme``, or raise ``ExportFormatError``."""
    if not isinstance(record, dict):
        raise ExportFormatError(line, None, f"expected a JSON object, got {type(record).__name__}")
    for k in REQUIRED:
        if k not in record:
            raise ExportFormatError(line, k, "missing")
    for k in _NON_NULL:
        if record[k] is None:
            raise ExportFormatError(line, k, "must not be null")
    for k in record:
        if k not in ALL_RECORD:
            raise ExportFormatError(line, k, "unknown field")
    text = record["text"]
    if type(text) is not str:
        raise ExportFormatError(line, "text", "expected a string")
    for k, spec in ALL_RECORD.items():
        if k != "labels":
            _check(record[k], spec, k, text, line)
    labels = record["labels"]
    _check(labels, labels_spec(scheme), "labels", text, line)
    for i, a in enumerate(labels.get("attributions") or ()):
        if not a.get("cue"):
            raise ExportFormatError(line, f"labels.attributions[{i}].cue", "an attribution needs its cue")
    # the whole-document check gold passes in review: every claim's link names one attribution
    for problem in link_problems(labels):
        raise ExportFormatError(line, f"labels.{problem['path']}", problem["message"])
    pid, aid, pos = record["paragraph_id"], record["article_id"], record["position"]
    if pid != f"{aid}#p{pos}":
        raise ExportFormatError(
            line, "paragraph_id", f"{pid!r} is not '<article_id>#p<position>' ({aid}#p{pos})"
        )
    out = dict(record)
    out["labels"] = labels_normaliser(scheme)(labels)
    return out


def read_all_export(lines_iter: Iterable[str | bytes], scheme: Scheme | None = None) -> Iterator[dict]:
    """Yield the validated records of an ``all`` export under ``scheme`` (default newsattr-1), one per non-blank line.

    Raises ``ExportFormatError`` naming the first bad line and field; records before
    it have already been yielded, so a caller that must import all or nothing
    collects them first or works in a transaction.
    """
    for n, raw in enumerate(lines_iter, start=1):
        if isinstance(raw, bytes | bytearray):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise ExportFormatError(n, None, f"not UTF-8 ({e.reason} at byte {e.start})") from None
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as e:
            raise ExportFormatError(n, None, f"not JSON: {e.msg} at column {e.colno}") from None
        yield validate_all_record(record, n, scheme)


def labels_by_key(records: Iterable[Mapping]) -> dict[tuple[str, str], dict]:
    """Return ``{(paragraph_id, annotator): labels}``; a small helper for comparisons and tests."""
    return {(r["paragraph_id"], r["annotator"]): r["labels"] for r in records}
