"""Rows for exports, streamed from SQLite cursors, and annotations read back from an export."""

import json
from collections.abc import Iterator

import sqlite_utils

from .connection import now, query

_PARAGRAPH_COLUMNS = """
    a.uid as article_id, a.uid || '#p' || p.position as paragraph_id, p.position, p.kind, p.text,
    p.text_sha256, p.doc_char_start, coalesce(a.outlet, '') as outlet, coalesce(a.url, '') as url,
    coalesce(a.published, '') as published, coalesce(a.title, '') as title"""


def iter_annotation_rows(
    db: sqlite_utils.Database, project_id: int, *, min_annotators: int = 1
) -> Iterator[dict]:
    """Yield one row per (paragraph, annotator), sorted by article, position and annotator.

    A cursor, not a list: memory stays flat however large the project.
    """
    cursor = db.execute(
        f"""select {_PARAGRAPH_COLUMNS}, u.name as annotator, n.labels, n.seconds, n.updated_at
        from paragraphs p
        join articles a on a.id = p.article_id
        join annotations n on n.paragraph_id = p.id
        join users u on u.id = n.user_id
        where p.project_id = :project_id
          and (:min_annotators <= 1
               or (select count(*) from annotations m where m.paragraph_id = p.id) >= :min_annotators)
        order by a.rank, a.id, p.position, u.name""",
        {"project_id": project_id, "min_annotators": min_annotators},
    )
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        row["labels"] = json.loads(row["labels"])
        yield row


# Articles first, by their (project, rank) index, then each one's paragraphs and annotations by their
# unique indexes: the rows come out in export order without sorting the whole project.
_EXPORT_FROM = "from articles a cross join paragraphs p on p.article_id = a.id"
_EXPORT_WHERE = """
    where a.project_id = :project_id and p.project_id = :project_id
      and (:min_annotators <= 1
           or (select count(*) from annotations m where m.paragraph_id = p.id) >= :min_annotators)"""


def open_annotation_export(
    db: sqlite_utils.Database, project_id: int, *, export_format: str, min_annotators: int = 1
) -> tuple[Iterator[tuple], Iterator[tuple], dict[int, tuple[int, str]]]:
    """Return the ``all`` view as tuples: ``(paragraphs, annotations, annotators)``.

    ``paragraphs`` yields ``(id, article_id, paragraph_id, position, kind, text, text_sha256,
    doc_char_start, outlet, url, published, title)`` for every annotated paragraph and
    ``annotations`` ``(paragraph id, user id, export labels as UTF-8 bytes, export counts, labels,
    seconds, updated_at)``, both in export order (article rank, article, position); the stored
    export forms come when they are in ``export_format``, the labels text when they are not.
    ``annotators`` maps every user id to ``(place in name order, name)``. Two cursors, not one
    join: the paragraph's columns are read once, not once per annotation.
    """
    params = {"project_id": project_id, "min_annotators": min_annotators, "format": export_format}
    paragraphs = db.execute(
        f"""select p.id, {_PARAGRAPH_COLUMNS} {_EXPORT_FROM} {_EXPORT_WHERE}
          and exists (select 1 from annotations n where n.paragraph_id = p.id)
        order by a.rank, a.id, p.position""",
        params,
    )
    annotations = db.execute(
        f"""select p.id, n.user_id,
            case when n.export_format = :format then cast(n.export_labels as blob) end,
            case when n.export_format = :format then n.export_counts end,
            case when n.export_format = :format then null else n.labels end,
            n.seconds, n.updated_at
        {_EXPORT_FROM} cross join annotations n on n.paragraph_id = p.id {_EXPORT_WHERE}
        order by a.rank, a.id, p.position""",
        params,
    )
    order = db.execute("select id, name from users order by name, id").fetchall()
    return paragraphs, annotations, {uid: (k, name) for k, (uid, name) in enumerate(order)}


def iter_decision_rows(
    db: sqlite_utils.Database, project_id: int, *, source: str | None = None, min_annotators: int = 1
) -> Iterator[dict]:
    """Yield one row per decided paragraph with its gold labels, provenance and agreement."""
    cursor = db.execute(
        f"""select {_PARAGRAPH_COLUMNS}, d.labels, d.source, coalesce(r.name, '') as reviewer, d.annotators,
            d.note, d.updated_at as decided_at, d.agreement, d.compared, d.taken
        from paragraphs p
        join articles a on a.id = p.article_id
        join decisions d on d.paragraph_id = p.id
        left join users r on r.id = d.reviewer_id
        where p.project_id = :project_id
          and (:source is null or d.source = :source)
          and (:min_annotators <= 1
               or (select count(*) from annotations m where m.paragraph_id = p.id) >= :min_annotators)
        order by a.rank, a.id, p.position""",
        {"project_id": project_id, "source": source, "min_annotators": min_annotators},
    )
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        row["labels"] = json.loads(row["labels"])
        row["decision"] = {
            "source": row.pop("source"),
            "reviewer": row.pop("reviewer"),
            "annotators": json.loads(row.pop("annotators")),
            "note": row.pop("note"),
            "decided_at": row.pop("decided_at"),
            "compared": json.loads(row.pop("compared")),
            "taken": json.loads(row.pop("taken")),
        }
        row["agreement"] = json.loads(row["agreement"])
        yield row


def find_paragraph_for_export_id(
    db: sqlite_utils.Database, project_id: int, article_uid: str, position: int
) -> dict | None:
    rows = list(
        query(
            db,
            """select p.id, p.text, p.text_sha256, p.queued from paragraphs p join articles a on a.id = p.article_id
            where a.project_id = ? and a.uid = ? and p.position = ?""",
            [project_id, article_uid, position],
        )
    )
    return rows[0] if rows else None


def upsert_imported_annotation(
    db: sqlite_utils.Database,
    *,
    project_id: int,
    paragraph_id: int,
    user_id: int,
    labels: dict,
    scheme_version: str,
    seconds: float,
    export: tuple[str, str, str] | None = None,
) -> str:
    """Store an annotation read from an export as the user's current labels; return added|updated|unchanged.

    The queue's bookkeeping follows: the paragraph counts as done by that user.
    Call inside ``write``; every change is a new revision, so nothing saved before is lost.
    ``export`` is what an export makes of ``labels``, as for ``annotations.save_annotation``.
    """
    text = json.dumps(labels, ensure_ascii=False, sort_keys=True)
    forms = list(export) if export is not None else [None, None, None]
    stamp = now()
    existing = db.execute(
        "select id, labels, version from annotations where paragraph_id = ? and user_id = ?",
        [paragraph_id, user_id],
    ).fetchone()
    if existing:
        annotation_id, old, version = existing
        if json.loads(old) == labels:
            return "unchanged"
        version += 1
        db.execute(
            """update annotations set labels = ?, version = ?, updated_at = ?, export_format = ?, export_labels = ?,
                export_counts = ? where id = ?""",
            [text, version, stamp, *forms, annotation_id],
        )
        outcome = "updated"
    else:
        version = 1
        annotation_id = db.execute(
            """insert into annotations (paragraph_id, user_id, labels, scheme_version, version, seconds,
                created_at, updated_at, export_format, export_labels, export_counts)
                values (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)""",
            [paragraph_id, user_id, text, scheme_version, seconds, stamp, stamp, *forms],
        ).lastrowid
        outcome = "added"
    db.execute(
        "insert into annotation_revisions (annotation_id, version, labels, seconds, saved_at) values (?, ?, ?, ?, ?)",
        [annotation_id, version, text, seconds, stamp],
    )
    state = db.execute(
        "select state, leased_until from assignments where paragraph_id = ? and user_id = ?",
        [paragraph_id, user_id],
    ).fetchone()
    if state is None:
        db.execute(
            """insert into assignments (project_id, paragraph_id, user_id, state, created_at, updated_at)
            values (?, ?, ?, 'done', ?, ?)""",
            [project_id, paragraph_id, user_id, stamp, stamp],
        )
        db.execute(
            "update paragraphs set n_taken = n_taken + 1, n_done = n_done + 1 where id = ?", [paragraph_id]
        )
    elif state[0] != "done":
        # A lease counts in n_taken until the queue reclaims it (deleting the row); a skip does not.
        counted = state[0] == "leased"
        db.execute(
            "update assignments set state = 'done', leased_until = null, updated_at = ? where paragraph_id = ? and user_id = ?",
            [stamp, paragraph_id, user_id],
        )
        db.execute(
            "update paragraphs set n_taken = n_taken + ?, n_done = n_done + 1 where id = ?",
            [0 if counted else 1, paragraph_id],
        )
    return outcome


def iter_paragraphs_with_gold(db: sqlite_utils.Database, project_id: int) -> Iterator[dict]:
    """Yield every paragraph of the project in article order, with its gold labels or ``None``."""
    cursor = db.execute(
        """select a.uid as article_id, a.uid || '#p' || p.position as paragraph_id, p.text, d.labels
        from paragraphs p join articles a on a.id = p.article_id
        left join decisions d on d.paragraph_id = p.id
        where p.project_id = ? order by a.rank, a.id, p.position""",
        [project_id],
    )
    for article_id, paragraph_id, text, labels in cursor:
        yield {
            "article_id": article_id,
            "paragraph_id": paragraph_id,
            "text": text,
            "labels": json.loads(labels) if labels else None,
        }


def stale_export_forms(
    db: sqlite_utils.Database, project_id: int, export_format: str, *, after: int, limit: int
) -> list[tuple[int, str]]:
    """Return ``(annotation id, labels JSON)`` of up to ``limit`` of the project's annotations, by id
    past ``after``, whose stored export forms are missing or in another format than ``export_format``."""
    return db.execute(
        """select n.id, n.labels from annotations n join paragraphs p on p.id = n.paragraph_id
        where p.project_id = ? and n.id > ? and (n.export_format is null or n.export_format != ?)
        order by n.id limit ?""",
        [project_id, after, export_format, limit],
    ).fetchall()


def set_export_forms(
    db: sqlite_utils.Database, rows: list[tuple[str | None, str | None, str | None, int]]
) -> None:
    """Keep ``(format, labels text, counts text, annotation id)`` as annotations' export forms.

    Only these columns change: no trigger fires, so neither the agreement counts nor the API's
    change log see it as an edit.
    """
    db.conn.executemany(
        "update annotations set export_format = ?, export_labels = ?, export_counts = ? where id = ?", rows
    )
