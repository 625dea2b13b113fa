"""Read WARC archives (web crawls, such as Common Crawl's news crawl): one article per HTML response.

``iter_pages(stream)`` yields a :class:`Page` ``(body, url, date, record)`` for every HTML
response record with status 200 (warcio undoes gzip, chunking and content encodings), counting
the records it passes over by reason: not a response (requests, metadata, warcinfo), not HTML
(images, scripts, PDFs), another status (redirects, errors), over the size limit.
``read_page(page)`` makes the page an article with the HTML reader: its URL is the record's, its
date the page's own when the page gives one, else the day it was crawled (which also anchors
relative dates such as "2 hours ago"). A page with no article in it raises ``IngestError``.

Pure: the standard library, warcio and the ingest package only; nothing here knows a database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .models import Document, IngestError

SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
NOT_RESPONSE = "not a response"
NOT_HTML = "not HTML"
NOT_OK = "not status 200"
TOO_BIG = "over the size limit"
NOT_ARTICLE = "no article in the page"


def is_warc(name: str | None) -> bool:
    return bool(name) and name.lower().endswith(SUFFIXES)


@dataclass(frozen=True)
class Page:
    """An HTML response: its body, the URL asked for, when it was crawled (WARC-Date) and its record number."""

    body: bytes
    url: str
    date: str
    record: int


def iter_pages(
    stream: BinaryIO, *, counts: Counter | None = None, max_bytes: int = 20_000_000
) -> Iterator[Page]:
    """Yield each HTML response of a WARC (or gzipped WARC) stream; count the others in ``counts``.

    Raises ``IngestError`` when the stream is not a WARC archive or breaks off mid-record.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    counts = counts if counts is not None else Counter()
    number = 0
    try:
        for number, record in enumerate(ArchiveIterator(stream), start=1):  # noqa: B007 - read after the loop
            if record.rec_type != "response" or record.http_headers is None:
                counts[NOT_RESPONSE] += 1
                continue
            http = record.http_headers
            content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
            if content_type not in HTML_TYPES:
                counts[NOT_HTML] += 1
                continue
            if http.get_statuscode() != "200":
                counts[NOT_OK] += 1
                continue
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                counts[TOO_BIG] += 1
                continue
            yield Page(
                body=body,
                url=record.rec_headers.get_header("WARC-Target-URI") or "",
                date=record.rec_headers.get_header("WARC-Date") or "",
                record=number,
            )
    except ArchiveLoadFailed as e:
        raise IngestError(f"not a WARC archive, or a broken one after record {number}: {e}") from None
    except (OSError, EOFError, ValueError) as e:
        raise IngestError(f"the archive breaks off after record {number}: {e}") from None


def crawl_day(warc_date: str) -> dt.date | None:
    """Return the day of a WARC-Date (``2024-01-30T09:15:00Z``), or ``None`` when it does not parse."""
    try:
        return dt.datetime.fromisoformat(warc_date.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def read_page(page: Page) -> Document:
    """Return the article in ``page``; raise ``IngestError`` when there is none."""
    from . import read_document

    day = crawl_day(page.date)
    doc = read_document(page.body, name=page.url, format="html", reference_date=day)[0]
    doc.meta["url"] = page.url or doc.meta.get("url") or ""
    if not doc.meta.get("published") and day is not None:
        doc.meta["published"] = day.isoformat()
    doc.meta["crawled_at"] = page.date
    return doc


def try_page(page: Page) -> tuple[Page, Document | None, str | None]:
    """``read_page``, with a page that holds no article returned with its reason: for worker processes."""
    try:
        return page, read_page(page), None
    except IngestError as e:
        return page, None, e.reason
