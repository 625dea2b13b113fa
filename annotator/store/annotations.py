"""Annotations (one current row per paragraph and user), their revisions, drafts and flags."""

import json

import sqlite_utils

from ..errors import Conflict, NotFound
from .connection import now, query, write


def _annotation(row: dict) -> dict:
    return {**row, "labels": json.loads(row["labels"])}


def find_annotation(db: sqlite_utils.Database, paragraph_id: int, user_id: int) -> dict | None:
    rows = list(
        query(db, "select * from annotations where paragraph_id = ? and user_id = ?", [paragraph_id, user_id])
    )
    return _annotation(rows[0]) if rows else None


def save_annotation(
    db: sqlite_utils.Database,
    *,
    paragraph_id: int,
    user_id: int,
    labels: dict,
    scheme_version: str,
    base_version: int,
    seconds: float,
    export: tuple[str, str, str] | None = None,
) -> dict:
    """Store ``labels`` as the user's annotation of the paragraph, keep the revision, drop the draft; return the row.

    ``base_version`` is the version the labels were edited from (0: none existed). Raises
    ``Conflict`` (with ``current`` holding the stored version) when another save came in between.
    Runs in the caller's transaction when there is one, so a later refusal undoes it.
    ``export`` is ``(format, labels text, counts text)``, what an export makes of ``labels``, kept
    beside them (``None`` stores nothing: the export then encodes these labels itself).
    """
    text = json.dumps(labels, ensure_ascii=False, separators=(",", ":"))
    forms = list(export) if export is not None else [None, None, None]
    with write(db):
        at = now()
        row = db.execute(
            "select id, version from annotations where paragraph_id = ? and user_id = ?",
            [paragraph_id, user_id],
        ).fetchone()
        current = row[1] if row else 0
        if current != base_version:
            error = Conflict(
                f"this paragraph was saved again (version {current}) after you opened version {base_version}"
            )
            error.current = current
            raise error
        # Time the page views reported before this save is part of it; the sum stays in whole milliseconds.
        pending = db.execute(
            "delete from view_time where paragraph_id = ? and user_id = ? returning ms",
            [paragraph_id, user_id],
        ).fetchone()
        seconds = round(seconds * 1000 + (pending[0] if pending else 0)) / 1000
        if row is None:
            annotation_id = db.execute(
                """insert into annotations (paragraph_id, user_id, labels, scheme_version, version, seconds,
                    created_at, updated_at, export_format, export_labels, export_counts)
                    values (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)""",
                [paragraph_id, user_id, text, scheme_version, seconds, at, at, *forms],
            ).lastrowid
            version = 1
        else:
            annotation_id, version = row[0], current + 1
            db.execute(
                """update annotations set labels = ?, scheme_version = ?, version = ?, seconds = round((seconds + ?) * 1000) / 1000.0,
                    updated_at = ?, export_format = ?, export_labels = ?, export_counts = ? where id = ?""",
                [text, scheme_version, version, seconds, at, *forms, annotation_id],
            )
        db.execute(
            "insert into annotation_revisions (annotation_id, version, labels, seconds, saved_at) values (?, ?, ?, ?, ?)",
            [annotation_id, version, text, seconds, at],
        )
        db.execute("delete from drafts where paragraph_id = ? and user_id = ?", [paragraph_id, user_id])
    return {"id": annotation_id, "version": version, "updated_at": at}


def list_revisions(db: sqlite_utils.Database, paragraph_id: int, user_id: int) -> list[dict]:
    rows = query(
        db,
        """select r.version, r.labels, r.seconds, r.saved_at from annotation_revisions r
        join annotations n on n.id = r.annotation_id
        where n.paragraph_id = ? and n.user_id = ? order by r.version""",
        [paragraph_id, user_id],
    )
    return [_annotation(row) for row in rows]


def list_user_annotations(
    db: sqlite_utils.Database, project_id: int, user_id: int, *, limit: int = 100, offset: int = 0
) -> list[dict]:
    """Return the user's annotations in the project, newest first, with a snippet of each paragraph."""
    return list(
        query(
            db,
            """select n.paragraph_id, n.version, n.seconds, n.updated_at, p.position, p.kind,
                substr(p.text, 1, 140) as snippet, a.title
            from annotations n join paragraphs p on p.id = n.paragraph_id join articles a on a.id = p.article_id
            where n.user_id = ? and p.project_id = ? order by n.updated_at desc limit ? offset ?""",
            [user_id, project_id, limit, offset],
        )
    )


def find_draft(db: sqlite_utils.Database, paragraph_id: int, user_id: int) -> dict | None:
    rows = list(
        query(db, "select * from drafts where paragraph_id = ? and user_id = ?", [paragraph_id, user_id])
    )
    return _annotation(rows[0]) if rows else None


def save_draft(
    db: sqlite_utils.Database, *, paragraph_id: int, user_id: int, labels, base_version: int | None
) -> str:
    """Keep the user's unsaved labels of the paragraph (one draft each, replaced); return when."""
    at = now()
    with write(db):
        db.execute(
            """insert into drafts (paragraph_id, user_id, labels, base_version, updated_at) values (?, ?, ?, ?, ?)
            on conflict (paragraph_id, user_id) do update set labels = excluded.labels,
                base_version = excluded.base_version, updated_at = excluded.updated_at""",
            [paragraph_id, user_id, json.dumps(labels, ensure_ascii=False), base_version, at],
        )
    return at


def add_view_time(db: sqlite_utils.Database, paragraph_id: int, user_id: int, ms: int) -> None:
    """Add whole milliseconds a page view spent on the paragraph, kept until the user's next save."""
    with write(db):
        db.execute(
            """insert into view_time (paragraph_id, user_id, ms) values (?, ?, ?)
            on conflict (paragraph_id, user_id) do update set ms = ms + excluded.ms""",
            [paragraph_id, user_id, ms],
        )


def delete_draft(db: sqlite_utils.Database, paragraph_id: int, user_id: int) -> None:
    with write(db):
        db.execute("delete from drafts where paragraph_id = ? and user_id = ?", [paragraph_id, user_id])


def insert_flag(
    db: sqlite_utils.Database, *, paragraph_id: int, user_id: int, reason: str, note: str
) -> dict:
    with write(db):
        at = now()
        flag_id = db.execute(
            "insert into flags (paragraph_id, user_id, reason, note, created_at) values (?, ?, ?, ?, ?)",
            [paragraph_id, user_id, reason, note, at],
        ).lastrowid
    return {"id": flag_id, "paragraph_id": paragraph_id, "reason": reason, "note": note, "created_at": at}


def list_open_flags(db: sqlite_utils.Database, project_id: int, *, limit: int = 500) -> list[dict]:
    return list(
        query(
            db,
            """select f.id, f.paragraph_id, f.reason, f.note, f.created_at, u.name as user_name,
                p.position, p.kind, p.text, p.article_id, a.title, a.uid as article_uid
            from flags f join paragraphs p on p.id = f.paragraph_id join articles a on a.id = p.article_id
            join users u on u.id = f.user_id
            where p.project_id = ? and f.resolved_at is null order by f.created_at desc limit ?""",
            [project_id, limit],
        )
    )


def count_open_flags(db: sqlite_utils.Database, paragraph_id: int, user_id: int | None = None) -> int:
    sql = "select count(*) from flags where paragraph_id = ? and resolved_at is null"
    args = [paragraph_id]
    if user_id is not None:
        sql += " and user_id = ?"
        args.append(user_id)
    return db.execute(sql, args).fetchone()[0]


def resolve_flag(db: sqlite_utils.Database, project_id: int, flag_id: int) -> None:
    with write(db):
        row = db.execute(
            """select f.id from flags f join paragraphs p on p.id = f.paragraph_id
            where f.id = ? and p.project_id = ?""",
            [flag_id, project_id],
        ).fetchone()
        if row is None:
            raise NotFound(f"no flag {flag_id} in this project")
        db.execute("update flags set resolved_at = ? where id = ?", [now(), flag_id])


def list_article_paragraphs(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    """Return the article's units (id, position, kind, text) in order, for the context around a paragraph."""
    return list(
        query(
            db,
            "select id, position, kind, text from paragraphs where article_id = ? order by position",
            [article_id],
        )
    )


def list_stance_targets(db: sqlite_utils.Database, article_id: int, user_id: int) -> list[str]:
    """Return the stance targets the user already named in this article's paragraphs, most used first."""
    rows = db.execute(
        """select json_extract(s.value, '$.target') as target, count(*) as n
        from annotations n join paragraphs p on p.id = n.paragraph_id,
            json_each(n.labels, '$.framing.stance') s
        where p.article_id = ? and n.user_id = ? and json_valid(n.labels)
        group by target having target is not null and target != '' order by n desc, target limit 50""",
        [article_id, user_id],
    ).fetchall()
    return [row[0] for row in rows]
