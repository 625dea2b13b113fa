"""Read JSONL: one article per line, as ``text``, ``html`` or already segmented ``paragraphs``."""

from __future__ import annotations

from collections.abc import Iterator

from .. import untrusted
from .models import KINDS, IngestError

CONTENT_FIELDS = ("text", "html", "paragraphs", "units")
# Metadata the store keeps as text in columns of its own: anything but a string (or null) is a
# mistake in the feed, refused here so that ``extract`` and ``import`` judge a file alike.
STRING_FIELDS = ("title", "outlet", "published", "section", "byline", "url", "language")


def iter_records(text: str) -> Iterator[tuple[int, str, dict]]:
    """Yield ``(line_number, line, record)`` for each non-blank line.

    Raises IngestError naming the line for invalid JSON, a line that is not an
    object, or a record without usable content.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = untrusted.loads(line)
        except untrusted.UntrustedError as e:
            message = e.message if e.message.startswith("invalid JSON") else f"invalid record: {e.message}"
            raise IngestError(message, line=number, field=e.path or None) from None
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
    for f in STRING_FIELDS:
        value = record.get(f)
        if value is not None and not isinstance(value, str):
            raise IngestError(
                f"invalid {f}: expected a string, got {type(value).__name__}", line=number, field=f
            )
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
