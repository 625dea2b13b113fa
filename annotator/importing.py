"""Importing articles: ingest (pure) turns bytes into units, the store keeps them, one file per transaction."""

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import ingest
from .errors import Conflict
from .store import write
from .store import articles, events

UNIT_SEPARATOR = "\n\n"


@dataclass
class ImportReport:
    """What an import did, file by file."""

    added: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    files: int = 0

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "added": self.added,
            "duplicates": self.duplicates,
            "changed": self.changed,
            "failed": self.failed,
        }


def article_uid(outlet: str | None, text_sha256: str) -> str:
    """Return the stable article id: a slug of the outlet and the start of the text hash."""
    slug = re.sub(r"[^a-z0-9]+", "-", (outlet or "").lower()).strip("-")[:40] or "article"
    return f"{slug}-{text_sha256[:12]}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rank(project: dict, uid: str, db: sqlite_utils.Database) -> int:
    settings = project["settings"]
    if settings.get("order") == "shuffle":
        # A hash of seed and id: stable as articles are added, and a new seed reshuffles.
        digest = hashlib.sha256(f"{settings.get('seed', 0)}:{uid}".encode()).hexdigest()
        return int(digest[:10], 16)
    return articles.next_article_rank(db, project["id"])


def store_document(db: sqlite_utils.Database, project: dict, doc, *, source_name: str, user_id=None) -> dict:
    """Store one ingested document. Return ``{"status": "added"|"duplicate"|"changed", ...}``."""
    units = doc.units
    full_text = UNIT_SEPARATOR.join(unit.text for unit in units)
    text_sha = _sha256(full_text)
    meta = doc.meta
    where = {"file": source_name, "line": doc.line, "title": meta.get("title") or ""}
    existing = articles.find_article_by_text(db, project["id"], text_sha)
    if existing:
        return {**where, "status": "duplicate", "article_id": existing["id"]}
    url = meta.get("url")
    if url:
        known = articles.find_articles_by_url(db, project["id"], url)
        if known:
            # A new version of a known page: report it, never merge it into labelled work silently.
            return {
                **where,
                "status": "changed",
                "article_id": known[0]["id"],
                "reason": f"{url} was imported before with different text (article {known[0]['uid']}); not imported",
            }
    uid = article_uid(meta.get("outlet"), text_sha)
    kinds = set(project["settings"].get("kinds") or [])
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
    known_keys = {"title", "outlet", "published", "section", "byline", "url", "language"}
    article = {
        "uid": uid,
        "url": url,
        "outlet": meta.get("outlet"),
        "title": meta.get("title"),
        "byline": meta.get("byline"),
        "section": meta.get("section"),
        "published": meta.get("published"),
        "language": meta.get("language"),
        "source_format": doc.source_format,
        "source_name": source_name,
        "raw_sha256": hashlib.sha256(doc.raw).hexdigest(),
        "text_sha256": text_sha,
        "meta": {k: v for k, v in meta.items() if k not in known_keys},
        "rank": _rank(project, uid, db),
        "imported_by": user_id,
    }
    try:
        article_id = articles.insert_article(
            db, project_id=project["id"], article=article, paragraphs=paragraphs, raw=doc.raw, dropped=doc.dropped
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
    max_bytes: int = 20_000_000,
    user_id=None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import one file's bytes: all of its articles, or none of them when any fails."""
    report = report or ImportReport()
    report.files += 1
    try:
        docs = ingest.read_document(data, name=source_name, format=format, max_bytes=max_bytes)
    except ingest.IngestError as e:
        place = f"{source_name}, line {e.line}" if getattr(e, "line", None) else source_name
        report.failed.append({"file": source_name, "line": getattr(e, "line", None), "reason": f"{place}: {e}"})
        return report
    outcomes = []
    # One transaction per file: a JSONL file imports all of its new articles or none.
    try:
        with write(db):
            for doc in docs:
                outcomes.append(store_document(db, project, doc, source_name=source_name, user_id=user_id))
    except Exception as e:  # noqa: BLE001 - any failure of this file must leave the others going
        report.failed.append({"file": source_name, "line": None, "reason": f"{source_name}: {e}"})
        return report
    for outcome in outcomes:
        {"added": report.added, "duplicate": report.duplicates, "changed": report.changed}[outcome["status"]].append(
            outcome
        )
    if any(o["status"] == "added" for o in outcomes):
        events.log_event(
            db,
            "import",
            user_id=user_id,
            project_id=project["id"],
            file=source_name,
            added=sum(o["status"] == "added" for o in outcomes),
        )
    return report


def iter_input_files(paths: Iterable[str]) -> Iterator[Path]:
    """Yield files from paths, walking directories recursively in sorted order and skipping hidden files."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path
