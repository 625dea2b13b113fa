"""Suggestions imported from a model: one labels document per paragraph and source."""

import json

import sqlite_utils

from .connection import now, query, write


def replace_source(
    db: sqlite_utils.Database, project_id: int, source: str, rows: list[tuple[int, dict]]
) -> int:
    """Make ``rows`` ((paragraph_id, labels), ...) the whole of ``source`` in the project, in one transaction."""
    stamp = now()
    with write(db):
        db.execute("delete from suggestions where project_id = ? and source = ?", [project_id, source])
        db.conn.executemany(
            """insert into suggestions (project_id, paragraph_id, source, labels, created_at)
            values (?, ?, ?, ?, ?)""",
            [
                (project_id, pid, source, json.dumps(labels, ensure_ascii=False), stamp)
                for pid, labels in rows
            ],
        )
    return len(rows)


def find_suggestion(db: sqlite_utils.Database, paragraph_id: int, source: str) -> dict | None:
    row = db.execute(
        "select labels from suggestions where paragraph_id = ? and source = ?", [paragraph_id, source]
    ).fetchone()
    return json.loads(row[0]) if row else None


def list_sources(db: sqlite_utils.Database, project_id: int) -> list[dict]:
    return list(
        query(
            db,
            """select source, count(*) as n, max(created_at) as imported_at from suggestions
            where project_id = ? group by source order by source""",
            [project_id],
        )
    )


def source_labels(db: sqlite_utils.Database, project_id: int, source: str) -> dict[int, dict]:
    """Every suggestion of ``source`` in the project, by paragraph id."""
    rows = db.execute(
        "select paragraph_id, labels from suggestions where project_id = ? and source = ?",
        [project_id, source],
    ).fetchall()
    return {pid: json.loads(labels) for pid, labels in rows}


def paragraph_keys(db: sqlite_utils.Database, project_id: int) -> list[dict]:
    """What a suggestion line may name a paragraph by: its export id and its text's sha256."""
    return list(
        query(
            db,
            """select p.id, a.uid || '#p' || p.position as export_id, p.text_sha256, p.text, p.kind
            from paragraphs p join articles a on a.id = p.article_id where p.project_id = ?""",
            [project_id],
        )
    )


def saved_labels_of(db: sqlite_utils.Database, paragraph_id: int) -> list[str]:
    """The labels (as stored JSON) every annotator saved, and the gold decision, for one paragraph."""
    rows = db.execute(
        """select labels from annotations where paragraph_id = ?
        union all select labels from decisions where paragraph_id = ?""",
        [paragraph_id, paragraph_id],
    ).fetchall()
    return [r[0] for r in rows]


def article_language(db: sqlite_utils.Database, article_id: int) -> str | None:
    row = db.execute("select language from articles where id = ?", [article_id]).fetchone()
    return row[0] if row else None


def gold_paragraphs(db: sqlite_utils.Database, project_id: int) -> list[dict]:
    """Paragraphs with a gold decision: id, article, text, its sha256 and the gold labels."""
    rows = query(
        db,
        """select p.id, p.article_id, p.text, p.text_sha256, d.labels from decisions d
        join paragraphs p on p.id = d.paragraph_id where p.project_id = ? order by p.id""",
        [project_id],
    )
    return [{**row, "labels": json.loads(row["labels"])} for row in rows]


def annotations_on(db: sqlite_utils.Database, paragraph_ids: list[int]) -> list[dict]:
    """Every annotator's saved labels on these paragraphs."""
    out = []
    for start in range(0, len(paragraph_ids), 500):
        chunk = paragraph_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in query(
            db,
            f"""select n.paragraph_id, u.name as annotator, n.labels from annotations n
            join users u on u.id = n.user_id where n.paragraph_id in ({marks})""",
            chunk,
        ):
            out.append({**row, "labels": json.loads(row["labels"])})
    return out
