"""Articles, their source, and their paragraphs."""

import json
import zlib

import sqlite_utils

from ..errors import Conflict, NotFound
from .connection import now, write

# Room for this many units per article inside one article's block of queue ranks.
RANK_STRIDE = 4096


def find_article_by_text(db: sqlite_utils.Database, project_id: int, text_sha256: str) -> dict | None:
    rows = list(
        db.query("select * from articles where project_id = ? and text_sha256 = ?", [project_id, text_sha256])
    )
    return rows[0] if rows else None


def find_articles_by_url(db: sqlite_utils.Database, project_id: int, url: str) -> list[dict]:
    return list(db.query("select * from articles where project_id = ? and url = ?", [project_id, url]))


def next_article_rank(db: sqlite_utils.Database, project_id: int) -> int:
    row = db.execute("select coalesce(max(rank), -1) + 1 from articles where project_id = ?", [project_id]).fetchone()
    return row[0]


def insert_article(
    db: sqlite_utils.Database,
    *,
    project_id: int,
    article: dict,
    paragraphs: list[dict],
    raw: bytes,
    dropped: list[str],
) -> int:
    """Insert an article with its paragraphs in one transaction and return its id.

    ``article`` holds the ``articles`` columns (``rank`` included); each paragraph dict holds
    ``position kind text credit text_sha256 doc_char_start queued``.
    Raises ``Conflict`` when the project already holds the same text.
    """
    with write(db):
        if find_article_by_text(db, project_id, article["text_sha256"]):
            raise Conflict("this article is already imported")
        row = {**article, "project_id": project_id, "imported_at": now()}
        row["meta"] = json.dumps(row.get("meta") or {}, ensure_ascii=False)
        columns = ", ".join(row)
        cursor = db.execute(
            f"insert into articles ({columns}) values ({', '.join('?' for _ in row)})", list(row.values())
        )
        article_id = cursor.lastrowid
        db.execute(
            "insert into article_sources (article_id, raw, dropped) values (?, ?, ?)",
            [article_id, zlib.compress(raw), json.dumps(dropped, ensure_ascii=False)],
        )
        db.conn.executemany(
            """insert into paragraphs (article_id, project_id, position, kind, text, credit, text_sha256,
                doc_char_start, queued, rank)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                [
                    article_id,
                    project_id,
                    p["position"],
                    p["kind"],
                    p["text"],
                    p.get("credit"),
                    p["text_sha256"],
                    p["doc_char_start"],
                    1 if p["queued"] else 0,
                    article["rank"] * RANK_STRIDE + p["position"],
                ]
                for p in paragraphs
            ],
        )
    return article_id


def get_article(db: sqlite_utils.Database, article_id: int) -> dict:
    rows = list(db.query("select * from articles where id = ?", [article_id]))
    if not rows:
        raise NotFound(f"no article with id {article_id}")
    return {**rows[0], "meta": json.loads(rows[0]["meta"])}


def get_article_source(db: sqlite_utils.Database, article_id: int) -> dict:
    rows = list(db.query("select * from article_sources where article_id = ?", [article_id]))
    if not rows:
        raise NotFound(f"no source kept for article {article_id}")
    return {"raw": zlib.decompress(rows[0]["raw"]), "dropped": json.loads(rows[0]["dropped"])}


def list_articles(db: sqlite_utils.Database, project_id: int, *, limit: int = 200, offset: int = 0) -> list[dict]:
    return list(
        db.query(
            """select a.id, a.uid, a.title, a.outlet, a.published, a.url, a.source_format, a.imported_at,
                (select count(*) from paragraphs p where p.article_id = a.id) as n_paragraphs
            from articles a where a.project_id = ? order by a.rank, a.id limit ? offset ?""",
            [project_id, limit, offset],
        )
    )


def count_articles(db: sqlite_utils.Database, project_id: int) -> int:
    return db.execute("select count(*) from articles where project_id = ?", [project_id]).fetchone()[0]


def list_paragraphs(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    return list(db.query("select * from paragraphs where article_id = ? order by position", [article_id]))


def get_paragraph(db: sqlite_utils.Database, paragraph_id: int) -> dict:
    rows = list(
        db.query(
            """select p.*, a.uid as article_uid, a.title, a.outlet, a.published, a.url, a.section, a.byline
            from paragraphs p join articles a on a.id = p.article_id where p.id = ?""",
            [paragraph_id],
        )
    )
    if not rows:
        raise NotFound(f"no paragraph with id {paragraph_id}")
    return rows[0]
