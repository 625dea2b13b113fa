"""Changes since a cursor: the rows an incremental sync pulls, in commit order.

``sync_log`` (filled by triggers, see ``m013_api_tokens``) gets a row each time an annotation or a
gold decision is saved or removed. A page is the latest change of each (paragraph, annotator)
after the cursor, oldest first; a change that was superseded later is skipped, so a client that
pages to the end holds every current row exactly once.
"""

import json
from collections.abc import Iterator

import sqlite_utils

from .datasets import _PARAGRAPH_COLUMNS


def changes_since(
    db: sqlite_utils.Database, project_id: int, stream: str, *, since: int, limit: int
) -> list[tuple[int, int, int]]:
    """Return up to ``limit`` ``(seq, paragraph id, user id)`` changed after ``since``, by seq."""
    return db.execute(
        """select l.seq, l.paragraph_id, l.user_id from sync_log l
        where l.project_id = :project and l.stream = :stream and l.seq > :since
          and not exists (select 1 from sync_log m where m.stream = l.stream and m.paragraph_id = l.paragraph_id
                          and m.user_id = l.user_id and m.seq > l.seq)
        order by l.seq limit :limit""",
        {"project": project_id, "stream": stream, "since": since, "limit": limit},
    ).fetchall()


def latest_seq(db: sqlite_utils.Database, project_id: int, stream: str) -> int:
    row = db.execute(
        "select max(seq) from sync_log where project_id = ? and stream = ?", [project_id, stream]
    ).fetchone()
    return row[0] or 0


def annotation_rows(db: sqlite_utils.Database, keys: list[tuple[int, int]]) -> Iterator[dict]:
    """Yield the export rows (as ``iter_annotation_rows`` makes them) of these (paragraph, user) pairs."""
    for paragraph_id, user_id in keys:
        cursor = db.execute(
            f"""select p.id as _paragraph, n.user_id as _user, {_PARAGRAPH_COLUMNS}, u.name as annotator,
                n.labels, n.seconds, n.updated_at
            from annotations n join paragraphs p on p.id = n.paragraph_id
            join articles a on a.id = p.article_id join users u on u.id = n.user_id
            where n.paragraph_id = ? and n.user_id = ?""",
            [paragraph_id, user_id],
        )
        columns = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(columns, values, strict=True))
            row["labels"] = json.loads(row["labels"])
            yield row


def decision_rows(db: sqlite_utils.Database, paragraph_ids: list[int]) -> Iterator[dict]:
    """Yield the export rows (as ``iter_decision_rows`` makes them) of these paragraphs' decisions."""
    for paragraph_id in paragraph_ids:
        cursor = db.execute(
            f"""select p.id as _paragraph, {_PARAGRAPH_COLUMNS}, d.labels, d.source,
                coalesce(r.name, '') as reviewer, d.annotators, d.note, d.updated_at as decided_at, d.agreement
            from decisions d join paragraphs p on p.id = d.paragraph_id
            join articles a on a.id = p.article_id left join users r on r.id = d.reviewer_id
            where d.paragraph_id = ?""",
            [paragraph_id],
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
            }
            row["agreement"] = json.loads(row["agreement"])
            yield row


def paragraph_export_ids(db: sqlite_utils.Database, paragraph_ids: list[int]) -> dict[int, str]:
    """Return ``{paragraph id: export paragraph id}`` for paragraphs that still exist."""
    if not paragraph_ids:
        return {}
    marks = ",".join("?" * len(paragraph_ids))
    return dict(
        db.execute(
            f"""select p.id, a.uid || '#p' || p.position from paragraphs p join articles a on a.id = p.article_id
            where p.id in ({marks})""",
            paragraph_ids,
        ).fetchall()
    )


def user_names(db: sqlite_utils.Database, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    marks = ",".join("?" * len(user_ids))
    return dict(db.execute(f"select id, name from users where id in ({marks})", user_ids).fetchall())
