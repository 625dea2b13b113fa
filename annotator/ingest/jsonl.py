"""Read JSONL: one article per line, as ``text``, ``html`` or already segmented ``paragraphs``."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .models import KINDS, IngestError

CONTENT_FIELDS = ("text", "html", "paragraphs", "units")


def iter_records(text: str) -> Iterator[tuple[int, str, dict]]:
    """Yield ``(line_number, line, record)`` for each non-blank line.

    Raises IngestError naming the line for invalid JSON, a line that is not an
    object, or a record without usable content.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise IngestError(f"invalid JSON: {e.msg} at column {e.colno}", line=number) from None
        if not isinstance(record, dict):
            raise IngestError(
                f"invalid record: expected a JSON object, got {type(record).__name__}", line=number
            )
        _check(record, number)
        yield number, line, record


def _check(record: dict, number: int) -> None:
    present = [f for f in CONTENT_FIELDS if record.get(f) not in (None, "", [])]
    if not present:
        raise IngestError(
            "no text: the record has no text, html, paragraphs or units", line=number, field="text"
        )
    for f in ("text", "html"):
        if f in record and record[f] is not None and not isinstance(record[f], str):
            raise IngestError(f"invalid {f}: expected a string", line=number, field=f)
    paras = record.get("paragraphs")
    if paras is not None and (not isinstance(paras, list) or not all(isinstance(p, str) for p in paras)):
        raise IngestError("invalid paragraphs: expected a list of strings", line=number, field="paragraphs")
    units = record.get("units")
    if units is not None and not (
        isinstance(units, list)
        and all(
            isinstance(u, dict)
            and u.get("kind") in KINDS
            and isinstance(u.get("text"), str)
            and isinstance(u.get("credit"), str | None)
            and set(u) <= {"kind", "text", "credit"}
            for u in units
        )
    ):
        raise IngestError(
            f"invalid units: expected a list of {{kind, text, credit}} objects, kind one of {', '.join(KINDS)}",
            line=number,
            field="units",
        )
