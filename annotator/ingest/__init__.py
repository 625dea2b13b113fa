"""Read articles from scraped page text, HTML or JSONL into metadata and ordered, labelled units.

Pure: imports the standard library, trafilatura, charset_normalizer and lxml only.

``read_document(data, name=..., format="auto")`` returns a list of :class:`Document`
(one per JSONL record, otherwise one) or raises :class:`IngestError` with a human
reason and, for JSONL, the 1-based ``line``.

Unit kinds, in reading order:

- ``headline``: the article's title.
- ``standfirst``: the summary line under the headline.
- ``caption``: an image caption; ``credit`` holds the photo credit ("Reuters") when one is given.
- ``subheading``: a short heading inside the body.
- ``body``: a body paragraph, however short.
- ``quote``: a block quotation (HTML ``<blockquote>``).

Formats:

- ``text``: a whole page as copied or scraped; the cleaner keeps the article and drops
  navigation, teasers, share buttons, footers (listed in ``Document.dropped``, each a
  :class:`Dropped` with the line's text and why it was left out).
- ``html``: parsed once; trafilatura reads the metadata and extracts the body with the page's
  structure (lists, tables, quotes), and the cleaner's reading of the visible text trims teaser
  runs at its edges and fills in what it skipped (``merge.py``).
- ``jsonl``: one article per line; ``paragraphs`` (a list of strings) become body units
  exactly, ``units`` (``[{"kind", "text", "credit"}]``, as an extraction made them) become those
  units exactly, ``text`` is taken as the article's text (paragraphs split at blank lines, or at
  line breaks when there are none), ``html`` is extracted as above. ``url``, ``outlet``,
  ``title``, ``published``, ``section``, ``byline``, ``language`` and any other keys are kept
  in ``meta`` (``published`` normalised to ISO 8601 when it parses); a ``title`` also becomes
  the headline unit when the record has none.

Every unit's text occurs in the input once whitespace is collapsed: text is selected,
never rewritten.  A block the page prints without a blank line inside (a list, a table, lines
broken by ``<br>``) is one unit whose lines are joined with line breaks, as annotators count it.

Metadata that does not look like its field (an outlet that is a photo credit, a byline that is
not names) is left empty (``sanity.py``).  Text over 50,000 lines is refused before cleaning.

Where things are: ``text.py`` cleans a page's lines (``lines.py`` reads each line's features,
``furniture.py`` knows page furniture, ``core.py`` finds where the article lies, ``blocks.py``
joins blocks, ``tables.py`` finds a table printed one cell per line); ``header.py`` reads
headline, standfirst, byline and captions; ``published.py`` chooses the publication date of an
HTML page and ``dates.py`` reads dates in text; ``html.py`` and ``merge.py`` are the HTML path,
``pagemeta.py`` an HTML page's metadata; ``meta.py`` and ``sanity.py`` the metadata of text.
"""

from __future__ import annotations

import datetime as dt

from . import meta as _meta
from .decode import decode_bytes
from .detect import FORMATS, binary_kind, detect_format
from .jsonl import CONTENT_FIELDS, iter_records
from .models import KINDS, META_KEYS, Document, Dropped, IngestError, Unit
from .sanity import check_meta
from .text import clean_text

__all__ = ["read_document", "Document", "Dropped", "Unit", "IngestError", "KINDS", "META_KEYS", "FORMATS"]

_BODY_KINDS = {"body", "quote", "subheading"}


def extract_html(*args, **kwargs):
    """``html.extract_html``, imported on first use: trafilatura and lxml add ~20 MB to every
    process that loads the package, and the web server reads HTML only when someone imports it."""
    from .html import extract_html as extract

    return extract(*args, **kwargs)


def read_document(
    data: bytes,
    *,
    name: str | None = None,
    format: str = "auto",
    reference_date: dt.date | None = None,
    max_bytes: int = 20_000_000,
) -> list[Document]:
    """Return the documents in ``data`` (one per JSONL record, otherwise one).

    Raises IngestError for an unknown format, a file over ``max_bytes``, undecodable
    bytes, no text, invalid JSON (with its line), or nothing left after cleaning.
    """
    if format not in ("auto", *FORMATS):
        raise IngestError(f"unknown format {format!r} (expected auto, text, html or jsonl)")
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise IngestError(f"file over the size limit ({len(data) / 1e6:.1f} MB > {max_bytes / 1e6:g} MB)")
    kind = binary_kind(data)
    if kind:
        raise IngestError(f"unknown format: {kind}, not text, HTML or JSONL")
    text = decode_bytes(data)
    if not text.strip():
        raise IngestError("no text")
    fmt = detect_format(text, name) if format == "auto" else format
    if fmt == "jsonl":
        # Every line is read before any document is returned: one bad line fails the whole file.
        return [
            _from_record(record, line.encode("utf-8"), number, reference_date)
            for number, line, record in iter_records(text)
        ]
    return [_build(text, fmt, data, reference_date)]


#: More lines than any article page has (a long one renders to a few thousand); the cleaner's
#: time grows with the line count, so a text past this is refused before any work is done.
MAX_TEXT_LINES = 50_000


def _build(
    text: str, fmt: str, raw: bytes, ref: dt.date | None, *, url: str | None = None, line: int | None = None
) -> Document:
    if fmt == "text":
        lines = text.count("\n") + 1
        if lines > MAX_TEXT_LINES:
            raise IngestError(
                f"{lines:,} lines of text: over the limit of {MAX_TEXT_LINES:,} for one article "
                "(a page has a few hundred); split the file, or give one article per line as JSONL",
                line=line,
            )
    if fmt == "html":
        meta, units, dropped = extract_html(text, url=url, reference_date=ref)
    else:
        meta, units, dropped = clean_text(text, reference_date=ref, join_blocks=True)
    if not any(u.kind in _BODY_KINDS for u in units):
        raise IngestError("nothing left after cleaning", line=line)
    units = check_meta(meta, units)
    return Document(meta=meta, units=units, dropped=dropped, source_format=fmt, raw=raw, line=line)


def _from_record(record: dict, raw: bytes, number: int, ref: dt.date | None) -> Document:
    given = {k: v for k, v in record.items() if k not in CONTENT_FIELDS}
    if record.get("units"):
        # Units as an extraction made them (a Dask job's, say): kept exactly, kinds and all.
        units = [Unit(u["kind"], u["text"], u.get("credit")) for u in record["units"]]
        if not any(u.kind in _BODY_KINDS and u.text.strip() for u in units):
            raise IngestError("no text: no body unit", line=number, field="units")
        doc = Document(
            meta=_blank_meta(), units=units, dropped=[], source_format="jsonl", raw=raw, line=number
        )
    elif record.get("paragraphs"):
        units = [Unit("body", p) for p in record["paragraphs"] if p.strip()]
        doc = Document(
            meta=_blank_meta(), units=units, dropped=[], source_format="jsonl", raw=raw, line=number
        )
        if not units:
            raise IngestError("no text: every paragraph is empty", line=number, field="paragraphs")
    elif record.get("html"):
        doc = _build(record["html"], "html", raw, ref, url=record.get("url"), line=number)
        doc.source_format = "jsonl"
    else:
        body = record["text"]
        if not body.strip():
            raise IngestError("no text", line=number, field="text")
        units = [Unit("body", p) for p in _split_paragraphs(body)]
        doc = Document(
            meta=_blank_meta(), units=units, dropped=[], source_format="jsonl", raw=raw, line=number
        )
    for key, value in given.items():
        if key == "published" and isinstance(value, str):
            found = _meta.iso_from_meta_value(value) or (_meta.find_date(value) or ("",))[0]
            value = found or value
        doc.meta[key] = value
    title = doc.meta.get("title")
    exact = bool(record.get("units"))
    if (
        not exact
        and isinstance(title, str)
        and title.strip()
        and not any(u.kind == "headline" for u in doc.units)
    ):
        doc.units.insert(0, Unit("headline", " ".join(title.split())))
    return doc


def _blank_meta() -> dict:
    return dict.fromkeys(META_KEYS, "")


def _split_paragraphs(text: str) -> list[str]:
    lines = text.splitlines()
    if any(not ln.strip() for ln in lines):
        chunks, cur = [], []
        for ln in lines:
            if ln.strip():
                cur.append(ln)
            elif cur:
                chunks.append(cur)
                cur = []
        if cur:
            chunks.append(cur)
        paras = [" ".join(" ".join(c).split()) for c in chunks]
    else:
        paras = [" ".join(ln.split()) for ln in lines]
    return [p for p in paras if p]
