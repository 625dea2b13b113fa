"""Looking at imported articles and fixing their units: kind, merge, split, drop.

A unit can be changed only while nobody has worked on it (no annotation, draft, decision or
assignment); an edit that would renumber later units also needs those units untouched, because
a paragraph's exported id is ``<article_id>#p<position>``. The store checks both inside the
write transaction, so a lease taken at the same moment cannot slip in between.
"""

import re

import sqlite_utils

from . import ingest
from .errors import Invalid, NotFound
from .store import articles, events, projects, search, write

PER_PAGE = 50
# Sentence ends and line breaks: where the split form offers to cut a unit.
_SPLIT_AT = re.compile(r"(?<=[.!?…”\"'»)])\s+(?=\S)|\n+")


def list_articles(db: sqlite_utils.Database, project: dict, *, page: int = 1, q: str = "") -> dict:
    """Return one page of a project's articles with the paging figures; with ``q``, only the articles
    whose title, outlet, byline, URL or any paragraph has those words."""
    project_id = project["id"]
    q = q.strip()
    if q:
        # A search pages by asking for one row past the page, not by counting every match.
        page = max(1, page)
        rows, more = search.search_articles(db, project_id, q, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        total, pages = None, page + 1 if more else page
    else:
        total = articles.count_articles(db, project_id)
        pages = max(1, -(-total // PER_PAGE))
        page = min(max(1, page), pages)
        rows = articles.list_articles(db, project_id, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return {
        "project": project,
        "articles": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "q": q,
    }


def kinds_for(project: dict) -> list[str]:
    """Return the unit kinds an admin may choose: ingest's kinds, then any the project adds."""
    extra = [kind for kind in project["settings"].kinds if kind not in ingest.KINDS]
    return [*ingest.KINDS, *extra]


def article_view(db: sqlite_utils.Database, article_id: int) -> dict:
    """Return an article, its project, its units (each with the work that locks it) and what was dropped."""
    article = articles.get_article(db, article_id)
    project = projects.get_project(db, article["project_id"])
    work = articles.list_paragraph_work(db, article_id)
    units = []
    for unit in articles.list_paragraphs(db, article_id):
        held = articles.describe_work(work.get(unit["id"], {}))
        units.append({**unit, "work": held, "locked": bool(held)})
    try:
        dropped = articles.get_article_source(db, article_id)["dropped"]
    except NotFound:
        dropped = []
    return {
        "article": article,
        "project": project,
        "units": units,
        "dropped": dropped,
        "kinds": kinds_for(project),
    }


def get_unit(db: sqlite_utils.Database, article_id: int, paragraph_id: int) -> dict:
    """Return one unit of the article. Raises ``NotFound`` when it belongs to another article."""
    unit = articles.get_paragraph(db, paragraph_id)
    if unit["article_id"] != article_id:
        raise NotFound(f"article {article_id} has no unit with id {paragraph_id}")
    return unit


def split_points(text: str) -> list[dict]:
    """Return the sentence ends and line breaks of ``text`` as ``{"offset", "before", "after"}`` (code points)."""
    points = []
    for match in _SPLIT_AT.finditer(text):
        offset = match.start()
        if 0 < offset < len(text) and text[:offset].strip() and text[match.end() :].strip():
            points.append(
                {
                    "offset": offset,
                    "before": text[max(0, offset - 40) : offset],
                    "after": text[match.end() : match.end() + 40],
                }
            )
    return points


def _queued(db, article_id: int, kind: str) -> bool:
    project = projects.get_project(db, articles.get_article(db, article_id)["project_id"])
    return kind in project["settings"].kinds


def _log(db, article_id: int, action: str, actor: dict | None, **detail) -> None:
    article = articles.get_article(db, article_id)
    events.log_event(
        db,
        "article.edited",
        user_id=actor["id"] if actor else None,
        project_id=article["project_id"],
        article=article["uid"],
        action=action,
        **detail,
    )


def set_kind(
    db: sqlite_utils.Database, article_id: int, paragraph_id: int, kind: str, *, actor: dict | None = None
) -> dict:
    """Change a unit's kind; the queue offers it when the project labels that kind. Return the unit."""
    article = articles.get_article(db, article_id)
    if kind not in kinds_for(projects.get_project(db, article["project_id"])):
        raise Invalid(f"unknown unit kind {kind!r}", field="kind")
    with write(db):
        before = get_unit(db, article_id, paragraph_id)
        unit = articles.set_paragraph_kind(
            db, article_id, paragraph_id, kind=kind, queued=_queued(db, article_id, kind)
        )
        _log(db, article_id, "kind", actor, position=unit["position"], old=before["kind"], new=kind)
    return unit


def merge_with_next(
    db: sqlite_utils.Database, article_id: int, paragraph_id: int, *, actor: dict | None = None
) -> dict:
    """Merge a unit with the next one; return the merged unit."""
    with write(db):
        unit = articles.merge_paragraphs(db, article_id, paragraph_id)
        _log(db, article_id, "merge", actor, position=unit["position"])
    return unit


def split(
    db: sqlite_utils.Database, article_id: int, paragraph_id: int, offset, *, actor: dict | None = None
) -> tuple[dict, dict]:
    """Split a unit at ``offset`` (code points into its text); return the two units."""
    try:
        offset = int(offset)
    except (TypeError, ValueError):
        raise Invalid("the split offset must be a whole number", field="offset") from None
    with write(db):
        unit = get_unit(db, article_id, paragraph_id)
        first, second = articles.split_paragraph(
            db, article_id, paragraph_id, offset=offset, queued=_queued(db, article_id, unit["kind"])
        )
        _log(db, article_id, "split", actor, position=first["position"], offset=offset)
    return first, second


def drop_many(
    db: sqlite_utils.Database, article_id: int, paragraph_ids: list[int], *, actor: dict | None = None
) -> list[dict]:
    """Drop several units in one go (all or none); return them.  The last is dropped first, so
    each keeps the position it had and restoring them all puts every one back in place."""
    if not paragraph_ids:
        raise Invalid("choose at least one unit to drop")
    with write(db):
        units = {u["id"]: u for u in articles.list_paragraphs(db, article_id)}
        unknown = [pid for pid in paragraph_ids if pid not in units]
        if unknown:
            raise NotFound(f"article {article_id} has no unit with id {unknown[0]}")
        order = sorted(set(paragraph_ids), key=lambda pid: units[pid]["position"], reverse=True)
        return [drop(db, article_id, pid, actor=actor) for pid in order][::-1]


def restore(
    db: sqlite_utils.Database, article_id: int, indices: list[int], *, actor: dict | None = None
) -> list[dict]:
    """Put dropped lines back among the units (a hand drop where it stood); return the restored units."""
    with write(db):
        units = articles.restore_dropped(db, article_id, indices, queued=_queued(db, article_id, "body"))
        _log(db, article_id, "restore", actor, positions=[u["position"] for u in units])
    return units


def drop(db: sqlite_utils.Database, article_id: int, paragraph_id: int, *, actor: dict | None = None) -> dict:
    """Drop a unit (its text joins what was dropped as boilerplate); return it."""
    with write(db):
        unit = articles.drop_paragraph(db, article_id, paragraph_id)
        _log(db, article_id, "drop", actor, position=unit["position"])
    return unit
