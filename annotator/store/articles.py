"""Articles, their source, and their paragraphs."""

import hashlib
import json
import zlib

import sqlite_utils

from ..errors import Conflict, Invalid, NotFound
from .connection import now, query, write

# Room for this many units per article inside one article's block of queue ranks.
RANK_STRIDE = 4096


def find_article_by_text(db: sqlite_utils.Database, project_id: int, text_sha256: str) -> dict | None:
    rows = list(
        query(
            db, "select * from articles where project_id = ? and text_sha256 = ?", [project_id, text_sha256]
        )
    )
    return rows[0] if rows else None


def find_article_by_raw(db: sqlite_utils.Database, project_id: int, raw_sha256: str) -> dict | None:
    rows = list(
        query(
            db,
            "select * from articles where project_id = ? and raw_sha256 = ? limit 1",
            [project_id, raw_sha256],
        )
    )
    return rows[0] if rows else None


def find_articles_by_url(db: sqlite_utils.Database, project_id: int, url: str) -> list[dict]:
    return list(query(db, "select * from articles where project_id = ? and url = ?", [project_id, url]))


def next_article_rank(db: sqlite_utils.Database, project_id: int) -> int:
    row = db.execute(
        "select coalesce(max(rank), -1) + 1 from articles where project_id = ?", [project_id]
    ).fetchone()
    return row[0]


def insert_article(
    db: sqlite_utils.Database,
    *,
    project_id: int,
    article: dict,
    paragraphs: list[dict],
    raw: bytes,
    dropped: list[dict],
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
        # sqlite-utils' table API (savepoints inside the caller's transaction): 3,000 articles of 12
        # paragraphs import at ~460 a second against ~500 with hand-written executemany, the same run.
        article_id = db["articles"].insert(row).last_pk
        db["article_sources"].insert(
            {
                "article_id": article_id,
                "raw": zlib.compress(raw),
                "dropped": json.dumps(dropped, ensure_ascii=False),
            }
        )
        db["paragraphs"].insert_all(
            {
                "article_id": article_id,
                "project_id": project_id,
                "position": p["position"],
                "kind": p["kind"],
                "text": p["text"],
                "credit": p.get("credit"),
                "text_sha256": p["text_sha256"],
                "doc_char_start": p["doc_char_start"],
                "queued": 1 if p["queued"] else 0,
                "rank": article["rank"] * RANK_STRIDE + p["position"],
            }
            for p in paragraphs
        )
    return article_id


def get_article(db: sqlite_utils.Database, article_id: int) -> dict:
    rows = list(query(db, "select * from articles where id = ?", [article_id]))
    if not rows:
        raise NotFound(f"no article with id {article_id}")
    return {**rows[0], "meta": json.loads(rows[0]["meta"])}


def get_article_source(db: sqlite_utils.Database, article_id: int) -> dict:
    rows = list(query(db, "select * from article_sources where article_id = ?", [article_id]))
    if not rows:
        raise NotFound(f"no source kept for article {article_id}")
    return {"raw": zlib.decompress(rows[0]["raw"]), "dropped": _dropped(rows[0]["dropped"])}


def _dropped(stored: str) -> list[dict]:
    """The dropped lines as ``{"text", "reason"}``; sources stored before reasons were kept hold
    bare strings, read with an empty reason."""
    return [{"text": d, "reason": ""} if isinstance(d, str) else d for d in json.loads(stored)]


def list_articles(
    db: sqlite_utils.Database, project_id: int, *, limit: int = 200, offset: int = 0
) -> list[dict]:
    return list(
        query(
            db,
            """select a.id, a.uid, a.title, a.outlet, a.published, a.url, a.source_format, a.imported_at,
                (select count(*) from paragraphs p where p.article_id = a.id) as n_paragraphs
            from articles a where a.project_id = ? order by a.rank, a.id limit ? offset ?""",
            [project_id, limit, offset],
        )
    )


def count_articles(db: sqlite_utils.Database, project_id: int) -> int:
    return db.execute("select count(*) from articles where project_id = ?", [project_id]).fetchone()[0]


def list_paragraphs(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    return list(query(db, "select * from paragraphs where article_id = ? order by position", [article_id]))


def get_paragraph(db: sqlite_utils.Database, paragraph_id: int) -> dict:
    rows = list(
        query(
            db,
            """select p.*, a.uid as article_uid, a.title, a.outlet, a.published, a.url, a.section, a.byline
            from paragraphs p join articles a on a.id = p.article_id where p.id = ?""",
            [paragraph_id],
        )
    )
    if not rows:
        raise NotFound(f"no paragraph with id {paragraph_id}")
    return rows[0]


# Editing an article's units. Every change rewrites the article's unit list in one transaction,
# so positions stay contiguous and doc_char_start, text_sha256, queued and rank stay consistent.

#: How ``doc_char_start`` counts: units joined by a blank line, as at import.
UNIT_SEPARATOR = "\n\n"
#: What joins two merged units.
MERGE_JOINER = " "


def list_paragraph_work(db: sqlite_utils.Database, article_id: int) -> dict[int, dict]:
    """Return ``{paragraph_id: {"annotations", "drafts", "decisions", "assignments"}}`` for the article's units."""
    rows = query(
        db,
        """select p.id,
            (select count(*) from annotations x where x.paragraph_id = p.id) as annotations,
            (select count(*) from drafts x where x.paragraph_id = p.id) as drafts,
            (select count(*) from decisions x where x.paragraph_id = p.id) as decisions,
            (select count(*) from assignments x where x.paragraph_id = p.id) as assignments
        from paragraphs p where p.article_id = ?""",
        [article_id],
    )
    return {row.pop("id"): row for row in rows}


def describe_work(work: dict) -> str:
    """Return ``"2 annotations and 1 assignment"`` for a work count dict, or ``""`` when there is none."""
    parts = [f"{n} {name[:-1] if n == 1 else name}" for name, n in work.items() if n]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def _require_free(db, article_id: int, units: list[dict], index: int, *, shifts: bool, action: str) -> None:
    """Raise ``Conflict`` when the edited unit, or a unit the edit would renumber, has any work on it."""
    work = list_paragraph_work(db, article_id)
    unit = units[index]
    held = describe_work(work.get(unit["id"], {}))
    if held:
        raise Conflict(
            f"cannot {action} unit {unit['position'] + 1}: it already has {held}; "
            "units that people have worked on are kept as they are"
        )
    if shifts:
        for later in units[index + 1 :]:
            held = describe_work(work.get(later["id"], {}))
            if held:
                raise Conflict(
                    f"cannot {action} unit {unit['position'] + 1}: unit {later['position'] + 1} after it already has "
                    f"{held}, and this change would renumber it (its paragraph id in exports would change)"
                )


def _units_for_edit(db, article_id: int, paragraph_id: int) -> tuple[dict, list[dict], int]:
    article = get_article(db, article_id)
    units = list_paragraphs(db, article_id)
    for index, unit in enumerate(units):
        if unit["id"] == paragraph_id:
            return article, units, index
    raise NotFound(f"article {article_id} has no unit with id {paragraph_id}")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rewrite(db, article: dict, units: list[dict], *, removed: list[int] = ()) -> None:
    """Store ``units`` as the article's ordered units: renumber, re-offset, re-rank; insert those without an id."""
    for paragraph_id in removed:
        db.execute("delete from paragraphs where id = ?", [paragraph_id])
    # Park every position out of the way first: unique (article_id, position) holds after each statement.
    db.execute("update paragraphs set position = -1 - position where article_id = ?", [article["id"]])
    offset = 0
    for position, unit in enumerate(units):
        values = {
            "position": position,
            "kind": unit["kind"],
            "text": unit["text"],
            "credit": unit.get("credit"),
            "text_sha256": _sha256(unit["text"]),
            "doc_char_start": offset,
            "queued": 1 if unit["queued"] else 0,
            "rank": article["rank"] * RANK_STRIDE + position,
        }
        if unit.get("id"):
            sets = ", ".join(f"{key} = :{key}" for key in values)
            db.execute(f"update paragraphs set {sets} where id = :id", {**values, "id": unit["id"]})
        else:
            row = {**values, "article_id": article["id"], "project_id": article["project_id"]}
            db.execute(
                f"insert into paragraphs ({', '.join(row)}) values ({', '.join(':' + key for key in row)})",
                row,
            )
        offset += len(unit["text"]) + len(UNIT_SEPARATOR)


def restore_dropped(
    db: sqlite_utils.Database, article_id: int, indices: list[int], *, queued: bool
) -> list[dict]:
    """Put dropped lines (by their index in the dropped list) back among the units; return them.

    A unit dropped by hand goes back where it stood, with its kind (restoring the last drops
    first undoes them exactly); a line the cleaner dropped is appended as a body unit, offered
    to the queue when ``queued``.  Raises ``Invalid`` for an unknown index, ``Conflict`` when a
    unit that would be renumbered has work.
    """
    with write(db):
        article = get_article(db, article_id)
        units = list_paragraphs(db, article_id)
        source = list(query(db, "select dropped from article_sources where article_id = ?", [article_id]))
        if not source:
            raise NotFound(f"no source kept for article {article_id}")
        dropped = _dropped(source[0]["dropped"])
        picked = sorted(set(indices))
        if not picked:
            raise Invalid("choose at least one dropped line to restore")
        if picked[0] < 0 or picked[-1] >= len(dropped):
            raise Invalid(f"article {article_id} has {len(dropped)} dropped lines; no line {picked[-1] + 1}")
        placed = [i for i in picked if dropped[i].get("position") is not None]
        appended = [i for i in picked if dropped[i].get("position") is None]
        work = list_paragraph_work(db, article_id)
        new = list(units)
        for i in reversed(placed):
            entry = dropped[i]
            at = min(entry["position"], len(new))
            for later in new[at:]:
                held = describe_work(work.get(later.get("id"), {})) if later.get("id") else ""
                if held:
                    raise Conflict(
                        f"cannot restore “{entry['text'][:40]}” before unit {later['position'] + 1}: it already "
                        f"has {held}, and restoring would renumber it"
                    )
            unit = {"kind": entry["kind"], "text": entry["text"], "credit": entry.get("credit")}
            new.insert(at, {**unit, "queued": entry.get("queued", queued)})
        for i in appended:
            new.append({"kind": "body", "text": dropped[i]["text"], "credit": None, "queued": queued})
        _rewrite(db, article, new)
        rest = [d for i, d in enumerate(dropped) if i not in set(picked)]
        db.execute(
            "update article_sources set dropped = ? where article_id = ?",
            [json.dumps(rest, ensure_ascii=False), article_id],
        )
        texts = {dropped[i]["text"] for i in picked}
    return [u for u in list_paragraphs(db, article_id) if u["text"] in texts]


def set_paragraph_kind(
    db: sqlite_utils.Database, article_id: int, paragraph_id: int, *, kind: str, queued: bool
) -> dict:
    """Set one unit's kind (and whether the queue offers it); return the unit. Raises ``Conflict`` when it has work."""
    with write(db):
        article, units, index = _units_for_edit(db, article_id, paragraph_id)
        _require_free(db, article_id, units, index, shifts=False, action="change the kind of")
        units[index] = {**units[index], "kind": kind, "queued": queued}
        _rewrite(db, article, units)
    return get_paragraph(db, paragraph_id)


def merge_paragraphs(db: sqlite_utils.Database, article_id: int, paragraph_id: int) -> dict:
    """Merge a unit with the one after it into one unit of the first's kind; return the merged unit.

    Raises ``Conflict`` when either unit, or a unit after them, has work; ``Invalid`` for the last unit.
    """
    with write(db):
        article, units, index = _units_for_edit(db, article_id, paragraph_id)
        if index + 1 >= len(units):
            raise Invalid("the last unit has no next unit to merge with")
        _require_free(db, article_id, units, index, shifts=True, action="merge")
        first, second = units[index], units[index + 1]
        merged = {
            **first,
            "text": first["text"] + MERGE_JOINER + second["text"],
            "credit": first["credit"] or second["credit"],
        }
        _rewrite(db, article, [*units[:index], merged, *units[index + 2 :]], removed=[second["id"]])
    return get_paragraph(db, paragraph_id)


def split_paragraph(
    db: sqlite_utils.Database, article_id: int, paragraph_id: int, *, offset: int, queued: bool
) -> tuple[dict, dict]:
    """Split a unit at a code-point ``offset`` into two of its kind; return both.

    Whitespace at the split point is trimmed, never other text. Raises ``Invalid`` when either
    side would be empty, ``Conflict`` when the unit or a unit after it has work.
    """
    with write(db):
        article, units, index = _units_for_edit(db, article_id, paragraph_id)
        unit = units[index]
        if not 0 < offset < len(unit["text"]):
            raise Invalid(f"split offset {offset} is outside the unit's text (1 to {len(unit['text']) - 1})")
        left, right = unit["text"][:offset].rstrip(), unit["text"][offset:].lstrip()
        if not left or not right:
            raise Invalid("a split must leave text on both sides")
        _require_free(db, article_id, units, index, shifts=True, action="split")
        parts = [
            {**unit, "text": left},
            {**unit, "id": None, "text": right, "credit": None, "queued": queued},
        ]
        _rewrite(db, article, [*units[:index], *parts, *units[index + 1 :]])
        second_id = db.execute(
            "select id from paragraphs where article_id = ? and position = ?", [article_id, index + 1]
        ).fetchone()[0]
    return get_paragraph(db, paragraph_id), get_paragraph(db, second_id)


def drop_paragraph(db: sqlite_utils.Database, article_id: int, paragraph_id: int) -> dict:
    """Remove a unit, keeping its text with what was dropped as boilerplate; return the removed unit.

    Raises ``Conflict`` when it, or a unit after it, has work; ``Invalid`` when it is the only unit.
    """
    with write(db):
        article, units, index = _units_for_edit(db, article_id, paragraph_id)
        if len(units) == 1:
            raise Invalid("an article keeps at least one unit")
        _require_free(db, article_id, units, index, shifts=True, action="drop")
        unit = units[index]
        _rewrite(db, article, [*units[:index], *units[index + 1 :]], removed=[paragraph_id])
        source = list(query(db, "select dropped from article_sources where article_id = ?", [article_id]))
        if source:
            # Where it stood and what it was, so that restoring it undoes the drop exactly.
            kept = {
                "text": unit["text"],
                "reason": "dropped by hand",
                "position": unit["position"],
                "kind": unit["kind"],
                "credit": unit.get("credit"),
                "queued": bool(unit["queued"]),
            }
            dropped = [*_dropped(source[0]["dropped"]), kept]
            db.execute(
                "update article_sources set dropped = ? where article_id = ?",
                [json.dumps(dropped, ensure_ascii=False), article_id],
            )
    return unit
