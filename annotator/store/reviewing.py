"""The review queue: paragraphs with two or more annotations, their annotations, and cached reports."""

import json
from collections.abc import Iterator

import sqlite_utils

from ..errors import NotFound
from . import search
from .connection import now, query

STATES = ("open", "decided", "unanimous")


def database_path(db: sqlite_utils.Database) -> str | None:
    """Return the file behind ``db``, or ``None`` for an in-memory or temporary database."""
    for _, name, path in db.execute("pragma database_list").fetchall():
        if name == "main":
            return path or None
    return None


def get_project_paragraph(db: sqlite_utils.Database, project_id: int, paragraph_id: int) -> dict:
    """Return a paragraph of the project with its article's title, outlet and uid; raise ``NotFound``."""
    rows = list(
        query(
            db,
            """select p.id, p.article_id, p.position, p.kind, p.text, p.project_id, a.uid as article_uid,
                a.title, a.outlet, a.url, a.published
            from paragraphs p join articles a on a.id = p.article_id
            where p.id = ? and p.project_id = ?""",
            [paragraph_id, project_id],
        )
    )
    if not rows:
        raise NotFound(f"no paragraph {paragraph_id} in this project")
    return rows[0]


def list_paragraph_annotations(db: sqlite_utils.Database, paragraph_id: int) -> list[dict]:
    """Return every annotator's current labels on a paragraph, by annotator name."""
    rows = query(
        db,
        """select n.id, n.user_id, u.name, n.labels, n.version, n.seconds, n.updated_at
        from annotations n join users u on u.id = n.user_id
        where n.paragraph_id = ? order by u.name collate nocase, u.id""",
        [paragraph_id],
    )
    return [{**row, "labels": json.loads(row["labels"])} for row in rows]


def user_names(db: sqlite_utils.Database) -> dict[int, str]:
    return dict(db.execute("select id, name from users").fetchall())


def paragraph_id_bounds(db: sqlite_utils.Database, project_id: int) -> list[int]:
    """Return the sorted ids of the project's annotated paragraphs (for splitting work into ranges)."""
    return [
        row[0]
        for row in db.execute(
            """select distinct n.paragraph_id from annotations n join paragraphs p on p.id = n.paragraph_id
            where p.project_id = ? order by n.paragraph_id""",
            [project_id],
        )
    ]


def iter_raw_annotations(
    db: sqlite_utils.Database, project_id: int, *, lo: int | None = None, hi: int | None = None
) -> Iterator[tuple[int, int, str]]:
    """Yield ``(paragraph_id, user_id, labels JSON text)`` in paragraph order, ids in ``[lo, hi)``.

    A cursor over the annotations' unique (paragraph_id, user_id) index: memory stays flat.
    """
    yield from db.execute(
        """select n.paragraph_id, n.user_id, n.labels from annotations n
        join paragraphs p on p.id = n.paragraph_id
        where p.project_id = :project and n.paragraph_id >= :lo and n.paragraph_id < :hi
        order by n.paragraph_id, n.user_id""",
        {
            "project": project_id,
            "lo": -(1 << 62) if lo is None else lo,
            "hi": (1 << 62) if hi is None else hi,
        },
    )


def upsert_review_items(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Insert or replace review items ``{paragraph_id, project_id, state, n_annotations, disagreement,
    unanimous, stale}``. Call inside ``write``."""
    stamp = now()
    db.conn.executemany(
        """insert into review_items (paragraph_id, project_id, state, n_annotations, disagreement, unanimous,
            stale, updated_at)
        values (:paragraph_id, :project_id, :state, :n_annotations, :disagreement, :unanimous, :stale, :at)
        on conflict (paragraph_id) do update set state = excluded.state, n_annotations = excluded.n_annotations,
            disagreement = excluded.disagreement, unanimous = excluded.unanimous, stale = excluded.stale,
            updated_at = excluded.updated_at""",
        [{"stale": 0, **row, "at": stamp} for row in rows],
    )


def delete_review_item(db: sqlite_utils.Database, paragraph_id: int) -> None:
    db.execute("delete from review_items where paragraph_id = ?", [paragraph_id])


def delete_project_review_items(db: sqlite_utils.Database, project_id: int, keep: set[int]) -> None:
    """Delete the project's review items whose paragraph is not in ``keep`` (no longer two annotations)."""
    ids = [
        row[0]
        for row in db.execute("select paragraph_id from review_items where project_id = ?", [project_id])
    ]
    gone = [(pid,) for pid in ids if pid not in keep]
    db.conn.executemany("delete from review_items where paragraph_id = ?", gone)


def find_review_item(db: sqlite_utils.Database, paragraph_id: int) -> dict | None:
    rows = list(query(db, "select * from review_items where paragraph_id = ?", [paragraph_id]))
    return rows[0] if rows else None


def set_review_state(db: sqlite_utils.Database, paragraph_id: int, state: str, *, stale: int = 0) -> None:
    db.execute(
        "update review_items set state = ?, stale = ?, updated_at = ? where paragraph_id = ?",
        [state, stale, now(), paragraph_id],
    )


def count_review_items(db: sqlite_utils.Database, project_id: int) -> dict[str, int]:
    """Return ``{state: count}`` for the project (every state present, zero when empty), kept by triggers."""
    counts = dict.fromkeys(STATES, 0)
    counts.update(
        db.execute("select state, n from review_counts where project_id = ?", [project_id]).fetchall()
    )
    return counts


def list_review_items(
    db: sqlite_utils.Database,
    project_id: int,
    state: str,
    *,
    limit: int = 50,
    offset: int = 0,
    q: str | None = None,
) -> list[dict]:
    """Return one page of the project's review items in ``state`` (with text matching ``q``, when given),
    most disagreement first."""
    # The page's ids come from the covering index alone; only those 50 rows are joined, however deep the page.
    matching = f"and {search.matching_review_items(db, q)}" if q else ""
    return list(
        query(
            db,
            f"""with page as (
                select paragraph_id, state, n_annotations, disagreement, stale, updated_at from review_items
                where project_id = :project and state = :state {matching}
                order by disagreement desc, paragraph_id limit :limit offset :offset
            )
            select r.paragraph_id, r.state, r.n_annotations, r.disagreement, r.stale, r.updated_at,
                p.position, p.kind, substr(p.text, 1, 160) as snippet, length(p.text) as length,
                a.title, a.outlet, d.source, d.version as decision_version, d.updated_at as decided_at,
                coalesce(u.name, '') as reviewer
            from page r
            join paragraphs p on p.id = r.paragraph_id
            join articles a on a.id = p.article_id
            left join decisions d on d.paragraph_id = r.paragraph_id
            left join users u on u.id = d.reviewer_id
            order by r.disagreement desc, r.paragraph_id""",
            {
                "project": project_id,
                "state": state,
                "limit": limit,
                "offset": offset,
                "q": search.fts_query(db, q) if q else None,
            },
        )
    )


def next_open_item(db: sqlite_utils.Database, project_id: int, *, after: int | None = None) -> int | None:
    """Return the most disagreeing open paragraph's id other than ``after``, or ``None``."""
    row = db.execute(
        """select paragraph_id from review_items where project_id = ? and state = 'open' and paragraph_id != ?
        order by disagreement desc, paragraph_id limit 1""",
        [project_id, -1 if after is None else after],
    ).fetchone()
    return row[0] if row else None


def disagreement_histogram(db: sqlite_utils.Database, project_id: int, bins: int = 10) -> list[int]:
    """Return how many review items fall in each of ``bins`` equal bins of disagreement over [0, 1]."""
    counts = [0] * bins
    for k, n in db.execute(
        """select min(cast(disagreement * ? as integer), ? - 1) as k, count(*) from review_items
        where project_id = ? group by k""",
        [bins, bins, project_id],
    ):
        counts[max(0, int(k))] += n
    return counts


def list_most_disagreeing(db: sqlite_utils.Database, project_id: int, limit: int = 20) -> list[dict]:
    """Return the project's most disagreeing paragraphs whatever their state."""
    return list(
        query(
            db,
            """select r.paragraph_id, r.state, r.n_annotations, r.disagreement, substr(p.text, 1, 120) as snippet
            from review_items r join paragraphs p on p.id = r.paragraph_id
            where r.project_id = ? order by r.disagreement desc, r.paragraph_id limit ?""",
            [project_id, limit],
        )
    )


def find_agreement_report(db: sqlite_utils.Database, project_id: int) -> dict | None:
    rows = list(query(db, "select * from agreement_reports where project_id = ?", [project_id]))
    if not rows:
        return None
    return {**rows[0], "report": json.loads(rows[0]["report"])}


def save_agreement_report(
    db: sqlite_utils.Database, project_id: int, *, fingerprint: str, report: dict, seconds: float
) -> None:
    db.execute(
        """insert into agreement_reports (project_id, fingerprint, report, computed_at, seconds)
        values (?, ?, ?, ?, ?) on conflict (project_id) do update set fingerprint = excluded.fingerprint,
            report = excluded.report, computed_at = excluded.computed_at, seconds = excluded.seconds""",
        [project_id, fingerprint, json.dumps(report), now(), seconds],
    )


def iter_user_decided(db: sqlite_utils.Database, project_id: int, user_id: int) -> Iterator[dict]:
    """Yield the user's labels beside the gold for every decided paragraph they annotated, in text order."""
    cursor = db.execute(
        """select p.id as paragraph_id, p.text, p.position, a.title, n.labels as mine, d.labels as gold,
            d.source, d.updated_at as decided_at
        from annotations n
        join decisions d on d.paragraph_id = n.paragraph_id
        join paragraphs p on p.id = n.paragraph_id
        join articles a on a.id = p.article_id
        where n.user_id = ? and p.project_id = ?
        order by a.rank, a.id, p.position""",
        [user_id, project_id],
    )
    columns = [c[0] for c in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        row["mine"] = json.loads(row["mine"])
        row["gold"] = json.loads(row["gold"])
        yield row


def list_chunks(db: sqlite_utils.Database, project_id: int) -> dict[int, dict]:
    """Return ``{block: {"fingerprint", "changes", "counted"}}`` of the project's blocks of agreement counts.

    Triggers on ``annotations`` add a block when its first annotation arrives and bump ``changes`` on
    every save, so the list is complete and current without reading the annotations.
    """
    rows = db.execute(
        "select chunk, fingerprint, changes, counted from agreement_chunks where project_id = ?", [project_id]
    )
    return {
        k: {"fingerprint": fp, "changes": changes, "counted": counted} for k, fp, changes, counted in rows
    }


def chunks_generation(db: sqlite_utils.Database, project_id: int) -> str:
    """Return a value that changes whenever any of the project's annotations does."""
    total, count = db.execute(
        "select total(changes), count(*) from agreement_chunks where project_id = ?", [project_id]
    ).fetchone()
    return f"{total:.0f}:{count}"


def load_chunk_states(db: sqlite_utils.Database, project_id: int, chunks: list[int]) -> dict[int, bytes]:
    out = {}
    for k in chunks:
        row = db.execute(
            "select state from agreement_chunks where project_id = ? and chunk = ?", [project_id, k]
        ).fetchone()
        if row:
            out[k] = row[0]
    return out


def chunk_changes(db: sqlite_utils.Database, project_id: int, chunk: int) -> int | None:
    """Return the block's ``changes`` counter (``None`` when the block does not exist)."""
    row = db.execute(
        "select changes from agreement_chunks where project_id = ? and chunk = ?", [project_id, chunk]
    ).fetchone()
    return row[0] if row else None


def save_chunk_states(
    db: sqlite_utils.Database, project_id: int, states: dict[int, tuple[str, int, bytes]]
) -> None:
    """Store ``{block: (format, changes counted at, state)}``. Call inside ``write``."""
    db.conn.executemany(
        "update agreement_chunks set fingerprint = ?, counted = ?, state = ? where project_id = ? and chunk = ?",
        [(fp, counted, state, project_id, k) for k, (fp, counted, state) in states.items()],
    )


def register_chunks(db: sqlite_utils.Database, project_id: int, size: int) -> None:
    """Add any missing block of the project's agreement counts and mark every block to be recounted.

    The triggers keep the blocks current; this repairs them after changes made with the triggers off.
    Call inside ``write``.
    """
    db.execute(
        """insert into agreement_chunks (project_id, chunk, fingerprint, state, changes, counted)
        select :project, n.paragraph_id / :size, '', x'', 1, 0
        from annotations n join paragraphs p on p.id = n.paragraph_id where p.project_id = :project
        group by 2 having true
        on conflict (project_id, chunk) do update set changes = changes + 1""",
        {"project": project_id, "size": size},
    )
