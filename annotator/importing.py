"""Importing articles: ingest (pure) turns bytes into units, the store keeps them, one file per transaction.

What a run reports, per article: ``added``, ``duplicates`` (the same text is already in the
project: nothing happens), ``changed`` (a known URL with different text: reported, never merged);
per file: ``failed`` (nothing from that file is imported) and ``skipped`` (a path that is no file
to import, such as a directory reached twice through a symbolic link).
"""

import errno
import hashlib
import os
import re
import stat
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import ingest
from .errors import Conflict
from .store import articles, events, write

UNIT_SEPARATOR = articles.UNIT_SEPARATOR
MAX_BYTES = 20 * 1024 * 1024
STDIN = "-"
# Metadata kept in the articles table's own columns; any other key goes to its ``meta`` JSON.
META_COLUMNS = ("title", "outlet", "published", "section", "byline", "url", "language")
STDIN_NAME = "<stdin>"


@dataclass
class ImportReport:
    """What an import did, file by file."""

    added: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    files: int = 0
    # WARC archives read (see crawls.py): per file, its articles and the records passed over.
    archives: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        report = {
            "files": self.files,
            "added": self.added,
            "duplicates": self.duplicates,
            "changed": self.changed,
            "failed": self.failed,
            "skipped": self.skipped,
        }
        if self.archives:
            report["archives"] = self.archives
        return report

    def fail(self, name: str, reason: str, *, line: int | None = None) -> None:
        """Record that file ``name`` imported nothing, and why."""
        place = f"{name}, line {line}" if line else name
        self.failed.append({"file": name, "line": line, "reason": reason, "message": f"{place}: {reason}"})

    def summary(self) -> str:
        """Return the one-line summary that the CLI and the import page show."""
        line = (
            f"{self.files} file{'' if self.files == 1 else 's'}: {len(self.added)} added, "
            f"{len(self.duplicates)} skipped as duplicates, {len(self.changed)} changed versions not imported, "
            f"{len(self.failed)} failed"
        )
        line += f", {len(self.skipped)} paths skipped" if self.skipped else ""
        passed = sum(archive["skipped_total"] for archive in self.archives)
        return line + (f", {passed} WARC records not articles" if self.archives else "")


def article_uid(outlet: str | None, text_sha256: str) -> str:
    """Return the stable article id: a slug of the outlet and the start of the text hash."""
    slug = re.sub(r"[^a-z0-9]+", "-", (outlet or "").lower()).strip("-")[:40] or "article"
    return f"{slug}-{text_sha256[:12]}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rank(project: dict, uid: str, db: sqlite_utils.Database, counter: dict | None) -> int:
    settings = project["settings"]
    if settings.order == "shuffle":
        # A hash of seed and id: stable as articles are added, and a new seed reshuffles.
        digest = hashlib.sha256(f"{settings.seed}:{uid}".encode()).hexdigest()
        return int(digest[:10], 16)
    if counter is None:
        return articles.next_article_rank(db, project["id"])
    # One max(rank) per file's transaction, not per article: it scans the project's articles.
    if "next" not in counter:
        counter["next"] = articles.next_article_rank(db, project["id"])
    counter["next"] += 1
    return counter["next"] - 1


def store_document(
    db: sqlite_utils.Database,
    project: dict,
    doc,
    *,
    source_name: str,
    actor: dict | None = None,
    rank_counter: dict | None = None,
) -> dict:
    """Store one ingested document. Return ``{"status": "added"|"duplicate"|"changed", ...}``.

    The article's ``text_sha256`` is the hash of its units as imported, joined by blank lines:
    the key that makes re-importing the same article a no-op, even after its units are edited.
    """
    units = doc.units
    for key in META_COLUMNS:
        value = doc.meta.get(key)
        if value is not None and not isinstance(value, str):
            # JSONL metadata arrives as given: a list or a number here is a mistake in the feed.
            raise ingest.IngestError(
                f"invalid {key}: expected a string, got {type(value).__name__}", line=doc.line, field=key
            )
    full_text = UNIT_SEPARATOR.join(unit.text for unit in units)
    text_sha = _sha256(full_text)
    meta = doc.meta
    where = {"file": source_name, "line": doc.line, "title": meta.get("title") or ""}
    raw_sha = hashlib.sha256(doc.raw).hexdigest()
    # The same text, or the very same input bytes (which a later, better cleaner may cut differently).
    existing = articles.find_article_by_text(db, project["id"], text_sha)
    if existing is None and doc.raw:
        existing = articles.find_article_by_raw(db, project["id"], raw_sha)
    if existing:
        return {**where, "status": "duplicate", "article_id": existing["id"], "uid": existing["uid"]}
    url = meta.get("url")
    if url:
        known = articles.find_articles_by_url(db, project["id"], url)
        if known:
            # A new version of a known page: report it, never merge it into labelled work silently.
            return {
                **where,
                "status": "changed",
                "article_id": known[0]["id"],
                "uid": known[0]["uid"],
                "url": url,
                "reason": f"{url} was imported before with different text (article {known[0]['uid']}); not imported",
            }
    uid = article_uid(meta.get("outlet"), text_sha)
    kinds = set(project["settings"].kinds)
    paragraphs, offset = [], 0
    for position, unit in enumerate(units):
        paragraphs.append(
            {
                "position": position,
                "kind": unit.kind,
                "text": unit.text,
                "credit": unit.credit,
                "text_sha256": _sha256(unit.text),
                "doc_char_start": offset,
                "queued": unit.kind in kinds,
            }
        )
        offset += len(unit.text) + len(UNIT_SEPARATOR)
    article = {
        "uid": uid,
        "url": url or None,
        "outlet": meta.get("outlet"),
        "title": meta.get("title"),
        "byline": meta.get("byline"),
        "section": meta.get("section"),
        "published": meta.get("published"),
        "language": meta.get("language"),
        "source_format": doc.source_format,
        "source_name": source_name,
        "raw_sha256": raw_sha,
        "text_sha256": text_sha,
        "meta": {k: v for k, v in meta.items() if k not in META_COLUMNS},
        "rank": _rank(project, uid, db, rank_counter),
        "imported_by": actor["id"] if actor else None,
    }
    try:
        article_id = articles.insert_article(
            db,
            project_id=project["id"],
            article=article,
            paragraphs=paragraphs,
            raw=doc.raw,
            dropped=[{"text": d.text, "reason": d.reason} for d in doc.dropped],
        )
    except Conflict:
        return {**where, "status": "duplicate"}
    return {**where, "status": "added", "article_id": article_id, "uid": uid, "units": len(units)}


def import_bytes(
    db: sqlite_utils.Database,
    project: dict,
    data: bytes,
    *,
    source_name: str,
    format: str = "auto",
    max_bytes: int = MAX_BYTES,
    actor: dict | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import one file's bytes: all of its articles, or none of them when any fails."""
    report = report if report is not None else ImportReport()
    report.files += 1
    try:
        docs = ingest.read_document(data, name=source_name, format=format, max_bytes=max_bytes)
    except ingest.IngestError as e:
        report.fail(source_name, e.reason, line=e.line)
        return report
    return _store_docs(db, project, docs, source_name=source_name, actor=actor, report=report)


def store_batch(
    db: sqlite_utils.Database,
    project: dict,
    docs: list,
    *,
    source_name: str,
    actor: dict | None = None,
    report: ImportReport,
) -> ImportReport:
    """Store documents already ingested, in one transaction: all of them, or none when any fails."""
    return _store_docs(db, project, docs, source_name=source_name, actor=actor, report=report)


def _store_docs(
    db, project: dict, docs: list, *, source_name: str, actor: dict | None, report: ImportReport
) -> ImportReport:
    outcomes = []
    # One transaction per file: a JSONL file imports all of its new articles or none.
    try:
        with write(db):
            counter: dict = {}
            for doc in docs:
                outcomes.append(
                    store_document(
                        db, project, doc, source_name=source_name, actor=actor, rank_counter=counter
                    )
                )
            added = sum(o["status"] == "added" for o in outcomes)
            if added:
                events.log_event(
                    db,
                    "import",
                    user_id=actor["id"] if actor else None,
                    project_id=project["id"],
                    file=source_name,
                    added=added,
                )
    except ingest.IngestError as e:
        report.fail(source_name, e.reason, line=e.line)
        return report
    except Exception as e:  # noqa: BLE001 - a failure of this file must not stop the others
        report.fail(source_name, f"not stored: {e}")
        return report
    lists = {"added": report.added, "duplicate": report.duplicates, "changed": report.changed}
    for outcome in outcomes:
        lists[outcome["status"]].append(outcome)
    return report


@dataclass(frozen=True)
class Source:
    """One input to import: a file, stdin (``path`` None), or a path found unusable while walking."""

    name: str
    path: Path | None = None
    problem: str | None = None
    # A problem that loses no data (a directory seen twice) is skipped rather than failed.
    skip: bool = False


def iter_sources(paths: Iterable[str]) -> Iterator[Source]:
    """Yield the files under ``paths``: directories are walked recursively (files by name, then subdirectories).

    As with ``grep -r``, a symbolic link named on the command line is followed, while inside a
    walk only links to files within the walked directory are: a linked directory is skipped (so
    a link loop cannot run away) and so is a link to a file outside the tree. Hidden files and directories inside a walk are
    left out. A path that cannot be read is yielded with its ``problem`` so the report names it.
    """
    for raw in paths:
        if raw == STDIN:
            yield Source(STDIN_NAME)
            continue
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except OSError as e:
            yield Source(raw, path, _stat_problem(path, e))
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(path)
        else:
            # Named explicitly: read it even if it is a pipe (``<(zcat a.gz)``).
            yield Source(raw, path)


def _stat_problem(path: Path, error: OSError) -> str:
    if not path.is_symlink():
        return _os_reason(error)
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return "symbolic link loop"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def _walk(top: Path) -> Iterator[Source]:
    # Directories already read, by device and inode: a bind mount can loop even without links.
    seen: set[tuple[int, int]] = set()
    # Links to files are followed only while they stay inside the tree: importing a folder
    # must not read (and show an admin) whatever a link in it points at elsewhere.
    inside = top.resolve()
    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            info = directory.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as e:
            yield Source(str(directory), directory, _os_reason(e))
            continue
        subdirectories = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            try:
                mode = child.stat().st_mode
            except OSError as e:
                problem = _stat_problem(child, e)
                yield Source(str(child), child, problem, skip=problem == "symbolic link loop")
                continue
            if stat.S_ISDIR(mode):
                if entry.is_symlink():
                    yield Source(str(child), child, "a symbolic link to a directory: not followed", skip=True)
                else:
                    subdirectories.append(child)
            elif stat.S_ISREG(mode):
                if entry.is_symlink() and not child.resolve().is_relative_to(inside):
                    yield Source(
                        str(child),
                        child,
                        "a symbolic link to a file outside the directory: not followed",
                        skip=True,
                    )
                else:
                    yield Source(str(child), child)
            else:
                yield Source(str(child), child, "not a regular file", skip=True)
        # Depth first, in name order.
        pending.extend(reversed(subdirectories))


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def read_source(source: Source, *, max_bytes: int = MAX_BYTES, stdin=None) -> bytes:
    """Return the bytes of ``source``, reading at most ``max_bytes + 1`` so a huge file is refused early.

    Raises ``ingest.IngestError`` for a file over the limit and ``OSError`` when it cannot be read.
    """
    if source.path is None:
        stream = stdin or sys.stdin.buffer
        data = stream.read(max_bytes + 1)
    else:
        with open(source.path, "rb") as fp:
            size = os.fstat(fp.fileno()).st_size
            if size > max_bytes:
                raise ingest.IngestError(_too_big(size, max_bytes))
            data = fp.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ingest.IngestError(_too_big(None, max_bytes))
    return data


def _too_big(size: int | None, max_bytes: int) -> str:
    if size is None:  # a stream: all we know is that it goes on past the limit
        return f"file over the size limit (more than {max_bytes / 1e6:g} MB)"
    return f"file over the size limit ({size / 1e6:.1f} MB > {max_bytes / 1e6:g} MB)"


@dataclass
class Ingested:
    """One source read and ingested: its documents, or why it could not be (``reason``, ``line``)."""

    source: Source
    docs: list | None = None
    reason: str | None = None
    line: int | None = None


def ingest_source(
    source: Source, *, format: str = "auto", max_bytes: int = MAX_BYTES, stdin=None
) -> Ingested:
    """Read and ingest one source with no database, so it can run in a worker process."""
    if source.problem:
        return Ingested(source, reason=source.problem)
    try:
        data = read_source(source, max_bytes=max_bytes, stdin=stdin)
        docs = ingest.read_document(data, name=source.name, format=format, max_bytes=max_bytes)
    except ingest.IngestError as e:
        return Ingested(source, reason=e.reason, line=e.line)
    except OSError as e:
        return Ingested(source, reason=_os_reason(e))
    return Ingested(source, docs=docs)


def iter_ingested(
    sources: Iterable[Source], *, format: str = "auto", max_bytes: int = MAX_BYTES, jobs: int = 1
) -> Iterator[Ingested]:
    """Yield each source ingested, in order; with ``jobs`` > 1, worker processes do the ingesting.

    At most a few files per worker are in flight, so memory stays bounded however many there are.
    Stdin is read here, in this process.
    """
    if jobs <= 1:
        for source in sources:
            yield ingest_source(source, format=format, max_bytes=max_bytes)
        return
    from concurrent.futures import Future, ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs)
    pending: deque[Future] = deque()
    try:
        for source in sources:
            if source.path is None or source.problem:  # stdin, or nothing to read: done here
                future: Future = Future()
                future.set_result(ingest_source(source, format=format, max_bytes=max_bytes))
            else:
                future = pool.submit(ingest_source, source, format=format, max_bytes=max_bytes)
            pending.append(future)
            if len(pending) >= jobs * 4:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def store_ingested(
    db: sqlite_utils.Database,
    project: dict,
    item: Ingested,
    *,
    actor: dict | None = None,
    report: ImportReport,
) -> ImportReport:
    """Store what :func:`ingest_source` made of one file into ``report``: one transaction, all or nothing."""
    if item.source.problem and item.source.skip:
        report.skipped.append({"file": item.source.name, "reason": item.source.problem})
        return report
    report.files += 1
    if item.docs is None:
        report.fail(item.source.name, item.reason, line=item.line)
        return report
    return _store_docs(db, project, item.docs, source_name=item.source.name, actor=actor, report=report)


def import_source(
    db: sqlite_utils.Database,
    project: dict,
    source: Source,
    *,
    format: str = "auto",
    max_bytes: int = MAX_BYTES,
    actor: dict | None = None,
    report: ImportReport,
    stdin=None,
) -> ImportReport:
    """Import one source into ``report``: a file that cannot be read is a failed file, never an abort."""
    item = ingest_source(source, format=format, max_bytes=max_bytes, stdin=stdin)
    return store_ingested(db, project, item, actor=actor, report=report)


def import_uploads(
    db: sqlite_utils.Database,
    project: dict,
    uploads: Iterable[tuple[str, object]],
    *,
    format: str = "auto",
    max_bytes: int = MAX_BYTES,
    actor: dict | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import uploaded files, given as ``(file name, binary stream)``, one transaction each."""
    report = report if report is not None else ImportReport()
    for name, stream in uploads:
        name = name or "upload"
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            report.files += 1
            report.fail(name, _too_big(None, max_bytes))
            continue
        import_bytes(
            db,
            project,
            data,
            source_name=name,
            format=format,
            max_bytes=max_bytes,
            actor=actor,
            report=report,
        )
    return report
