"""WARC archives in: their HTML responses read (in worker processes with ``jobs`` > 1) and stored.

An archive is read as a stream, never whole, and stored a batch of articles per transaction:
a crawl file holds thousands of pages, and the records that are no article (requests, images,
redirects, index pages) are expected, so they are skipped and counted rather than failing the
file. An interrupted import keeps the batches stored before it; importing again adds the rest
(articles already in are duplicates). In the report an article's ``line`` is its record number.
"""

import shutil
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import sqlite_utils

from . import importing
from .ingest import IngestError, warc

BATCH = 200  # articles per transaction
is_warc = warc.is_warc


def iter_articles(
    path: str | Path,
    *,
    counts: Counter,
    jobs: int = 1,
    max_bytes: int = importing.MAX_BYTES,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[warc.Page, object]]:
    """Yield ``(page, document)`` for each article of the archive, in record order.

    Records passed over are counted in ``counts`` by reason; ``progress`` is called with the
    archive bytes read so far. Raises ``IngestError`` for a file that is no WARC archive.
    """
    with open(path, "rb") as fh:
        pages = warc.iter_pages(fh, counts=counts, max_bytes=max_bytes)
        if jobs <= 1:
            results: Iterator = map(warc.try_page, pages)
        else:
            results = _in_workers(pages, jobs)
        for page, doc, _reason in results:
            if progress is not None:
                progress(fh.tell())
            if doc is None:
                counts[warc.NOT_ARTICLE] += 1
                continue
            yield page, doc


def _in_workers(pages: Iterator, jobs: int) -> Iterator:
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs)
    pending: deque = deque()
    try:
        for page in pages:
            pending.append(pool.submit(warc.try_page, page))
            # A few pages per worker in flight: memory stays bounded however large the archive.
            if len(pending) >= jobs * 8:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def import_warc(
    db: sqlite_utils.Database,
    project: dict,
    path: str | Path,
    *,
    name: str | None = None,
    jobs: int = 1,
    max_bytes: int = importing.MAX_BYTES,
    actor: dict | None = None,
    report: importing.ImportReport,
    progress: Callable[[int], None] | None = None,
) -> importing.ImportReport:
    """Import the articles of one WARC archive into ``report``; add its record counts to ``report.archives``."""
    name = name or str(path)
    report.files += 1
    counts: Counter = Counter()
    batch: list = []
    articles = 0
    try:
        for page, doc in iter_articles(
            path, counts=counts, jobs=jobs, max_bytes=max_bytes, progress=progress
        ):
            doc.line = page.record
            batch.append(doc)
            articles += 1
            if len(batch) >= BATCH:
                importing.store_batch(db, project, batch, source_name=name, actor=actor, report=report)
                batch = []
    except IngestError as e:
        report.fail(name, e.reason)
    except OSError as e:
        report.fail(name, e.strerror or str(e))
    if batch:
        importing.store_batch(db, project, batch, source_name=name, actor=actor, report=report)
    report.archives.append(
        {
            "file": name,
            "articles": articles,
            "skipped": dict(sorted(counts.items())),
            "skipped_total": sum(counts.values()),
        }
    )
    return report


def import_uploads(
    db: sqlite_utils.Database,
    project: dict,
    uploads: Iterable[tuple[str, object]],
    *,
    format: str = "auto",
    max_bytes: int = importing.MAX_BYTES,
    actor: dict | None = None,
) -> importing.ImportReport:
    """Import uploaded files as ``importing.import_uploads`` does, WARC archives (by name) included.

    An archive is spooled to a temporary file and read as a stream, as from the command line.
    """
    report = importing.ImportReport()
    for name, stream in uploads:
        if not is_warc(name):
            importing.import_uploads(
                db,
                project,
                [(name, stream)],
                format=format,
                max_bytes=max_bytes,
                actor=actor,
                report=report,
            )
            continue
        with tempfile.NamedTemporaryFile(suffix=".warc.gz") as spool:
            shutil.copyfileobj(stream, spool, 1 << 20)
            spool.flush()
            import_warc(db, project, spool.name, name=name, max_bytes=max_bytes, actor=actor, report=report)
    return report
