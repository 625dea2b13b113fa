"""Full-text search over paragraphs and article metadata (the FTS5 tables of m013).

Two plans, picked by how many paragraphs the words are in (FTS5 counts a posting list in
milliseconds): a rare word's few paragraphs are collected and joined; a common word's are not
(a million of them would be), the listing is walked in its own order instead, asking the index
about each row until the page is full. Pages are found with one row past the page, not with
a count of every match.
"""

import sqlite_utils

from .connection import query

#: Up to this many matching paragraphs, collect them; past it, walk the listing.
COLLECT_UP_TO = 2_000

_PARAGRAPH_MATCHES = "select rowid from paragraphs_fts where paragraphs_fts match :q"
_ARTICLE_MATCHES = "select rowid from articles_fts where articles_fts match :q"


def fts_query(db: sqlite_utils.Database, q: str) -> str:
    """Return ``q`` as an FTS5 query of its words, each quoted, so no input is a syntax error.

    NUL ends an FTS5 string early, so it goes; a query of nothing but quotes becomes the empty
    phrase, which matches nothing.
    """
    return db.quote_fts(q.replace("\x00", "")) or '""'


def _few_matches(db: sqlite_utils.Database, q: str) -> bool:
    """Return whether at most ``COLLECT_UP_TO`` paragraphs (of any project) have the words of ``q``."""
    found = db.execute(
        f"select count(*) from ({_PARAGRAPH_MATCHES} limit :cap)",
        {"q": fts_query(db, q), "cap": COLLECT_UP_TO + 1},
    ).fetchone()[0]
    return found <= COLLECT_UP_TO


def _paragraph_matches(db: sqlite_utils.Database, q: str, column: str) -> str:
    """Return a condition that ``column`` (a paragraph id) has the words of ``:q``, in the cheaper plan."""
    if _few_matches(db, q):
        return f"{column} in ({_PARAGRAPH_MATCHES})"
    return f"exists (select 1 from paragraphs_fts where paragraphs_fts match :q and rowid = {column})"


def search_articles(
    db: sqlite_utils.Database, project_id: int, q: str, *, limit: int, offset: int
) -> tuple[list[dict], bool]:
    """Return one page of the project's articles whose title, outlet, byline, URL or any paragraph has
    the words of ``q``, in the project's order, and whether another page follows."""
    if _few_matches(db, q):
        matches = f"""a.id in ({_ARTICLE_MATCHES}
            union select p.article_id from paragraphs p where p.id in ({_PARAGRAPH_MATCHES}))"""
    else:
        matches = f"""(a.id in ({_ARTICLE_MATCHES}) or exists (select 1 from paragraphs p
            where p.article_id = a.id and exists (
                select 1 from paragraphs_fts where paragraphs_fts match :q and rowid = p.id)))"""
    rows = list(
        query(
            db,
            f"""select a.id, a.uid, a.title, a.outlet, a.published, a.url, a.source_format, a.imported_at,
                (select count(*) from paragraphs p where p.article_id = a.id) as n_paragraphs
            from articles a where a.project_id = :project and {matches}
            order by a.rank, a.id limit :limit offset :offset""",
            {"project": project_id, "q": fts_query(db, q), "limit": limit + 1, "offset": offset},
        )
    )
    return rows[:limit], len(rows) > limit


def matching_review_items(db: sqlite_utils.Database, q: str) -> str:
    """Return a condition on ``review_items.paragraph_id`` that the paragraph has the words of ``:q``."""
    return _paragraph_matches(db, q, "paragraph_id")
