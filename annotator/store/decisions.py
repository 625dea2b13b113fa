"""Gold decisions and their revisions: every saved version is kept."""

import json

import sqlite_utils

from ..errors import Conflict
from .connection import now, query


def _decision(row: dict) -> dict:
    return {
        **row,
        "labels": json.loads(row["labels"]),
        "annotators": json.loads(row["annotators"]),
        "agreement": json.loads(row["agreement"]),
        "compared": json.loads(row["compared"]),
        "taken": json.loads(row["taken"]),
    }


def find_decision(db: sqlite_utils.Database, paragraph_id: int) -> dict | None:
    """Return the paragraph's decision with its reviewer's name, or ``None``."""
    rows = list(
        query(
            db,
            """select d.*, coalesce(u.name, '') as reviewer from decisions d
            left join users u on u.id = d.reviewer_id where d.paragraph_id = ?""",
            [paragraph_id],
        )
    )
    return _decision(rows[0]) if rows else None


def save_decision(
    db: sqlite_utils.Database,
    *,
    paragraph_id: int,
    labels: dict,
    source: str,
    reviewer_id: int | None,
    annotators: list[str],
    note: str,
    agreement: dict,
    compared: list[str] = (),
    taken: list[dict] = (),
    expected_version: int | None = None,
) -> dict:
    """Insert or update the paragraph's decision, append a revision, and return the decision.

    ``compared`` names the annotators whose labels were compared; ``taken`` is the provenance per field
    and item (``agreement.provenance``). ``expected_version`` is the version the reviewer edited (0: none existed); another version raises
    ``Conflict``. ``None`` skips the check (automatic decisions). Call inside ``write``.
    """
    stamp = now()
    current = db.execute(
        "select id, version from decisions where paragraph_id = ?", [paragraph_id]
    ).fetchone()
    have = current[1] if current else 0
    if expected_version is not None and expected_version != have:
        raise Conflict(
            f"someone saved this decision meanwhile (version {have}, you edited version {expected_version}): "
            "reload the page to see it"
        )
    text = json.dumps(labels, ensure_ascii=False)
    values = {
        "labels": text,
        "source": source,
        "reviewer_id": reviewer_id,
        "annotators": json.dumps(sorted(annotators)),
        "note": note,
        "agreement": json.dumps(agreement),
        "compared": json.dumps(sorted(compared)),
        "taken": json.dumps(list(taken), ensure_ascii=False),
        "at": stamp,
        "paragraph_id": paragraph_id,
    }
    if current:
        decision_id, version = current[0], have + 1
        db.execute(
            """update decisions set labels = :labels, source = :source, reviewer_id = :reviewer_id,
                annotators = :annotators, note = :note, agreement = :agreement, compared = :compared,
                taken = :taken, version = :version,
                updated_at = :at where id = :id""",
            {**values, "version": version, "id": decision_id},
        )
    else:
        version = 1
        decision_id = db.execute(
            """insert into decisions (paragraph_id, labels, source, reviewer_id, annotators, note, agreement,
                compared, taken, version, created_at, updated_at)
            values (:paragraph_id, :labels, :source, :reviewer_id, :annotators, :note, :agreement,
                :compared, :taken, 1, :at, :at)""",
            values,
        ).lastrowid
    db.execute(
        """insert into decision_revisions (decision_id, version, labels, source, reviewer_id, note, saved_at)
        values (?, ?, ?, ?, ?, ?, ?)""",
        [decision_id, version, text, source, reviewer_id, note, stamp],
    )
    return find_decision(db, paragraph_id)


def insert_unanimous_decisions(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Insert automatic decisions ``{paragraph_id, labels (JSON text), annotators, agreement, taken}`` in
    bulk (``compared`` is ``annotators``: all of them agreed), skipping paragraphs already decided. Call
    inside ``write``."""
    stamp = now()
    db.conn.executemany(
        """insert into decisions (paragraph_id, labels, source, reviewer_id, annotators, note, agreement, version,
            created_at, updated_at, compared, taken)
        values (:paragraph_id, :labels, 'unanimous', null, :annotators, '', :agreement, 1, :at, :at,
            :annotators, :taken)
        on conflict (paragraph_id) do nothing""",
        [{**row, "at": stamp} for row in rows],
    )
    db.conn.executemany(
        """insert into decision_revisions (decision_id, version, labels, source, reviewer_id, note, saved_at)
        select d.id, 1, d.labels, d.source, null, '', d.created_at from decisions d
        where d.paragraph_id = ? and d.created_at = ?
            and not exists (select 1 from decision_revisions r where r.decision_id = d.id)""",
        [(row["paragraph_id"], stamp) for row in rows],
    )


def delete_decision(db: sqlite_utils.Database, paragraph_id: int) -> None:
    """Delete the paragraph's decision and its revisions (an automatic decision whose basis is gone)."""
    db.execute("delete from decisions where paragraph_id = ?", [paragraph_id])


def list_revisions(db: sqlite_utils.Database, paragraph_id: int) -> list[dict]:
    """Return every saved version of the paragraph's decision, newest first."""
    rows = query(
        db,
        """select r.version, r.labels, r.source, r.note, r.saved_at, coalesce(u.name, '') as reviewer
        from decision_revisions r join decisions d on d.id = r.decision_id
        left join users u on u.id = r.reviewer_id
        where d.paragraph_id = ? order by r.version desc""",
        [paragraph_id],
    )
    return [{**row, "labels": json.loads(row["labels"])} for row in rows]


def list_decisions(
    db: sqlite_utils.Database, project_id: int, *, source: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict]:
    """Return one page of the project's decisions (newest first), optionally of one source."""
    rows = query(
        db,
        """select d.paragraph_id, d.source, d.annotators, d.note, d.version, d.updated_at,
            coalesce(u.name, '') as reviewer, substr(p.text, 1, 160) as snippet, a.title, p.position
        from decisions d join paragraphs p on p.id = d.paragraph_id join articles a on a.id = p.article_id
        left join users u on u.id = d.reviewer_id
        where p.project_id = ? and (? is null or d.source = ?)
        order by d.updated_at desc, d.id desc limit ? offset ?""",
        [project_id, source, source, limit, offset],
    )
    return [{**row, "annotators": json.loads(row["annotators"])} for row in rows]


def decision_sources(db: sqlite_utils.Database, project_id: int) -> dict[int, str]:
    """Return ``{paragraph_id: source}`` for the project's decided paragraphs."""
    return dict(
        db.execute(
            """select d.paragraph_id, d.source from decisions d join paragraphs p on p.id = d.paragraph_id
            where p.project_id = ?""",
            [project_id],
        ).fetchall()
    )
