"""The schema: schema.sql is what the migrations build, and a populated database at any earlier
version upgrades to the same tables and rows as one built at the latest version."""

import pytest
import sqlite_utils

from annotator.store import migrations
from annotator.store.schema import SCHEMA_FILE, build, dump

T = "2026-01-01T00:00:00Z"

# Rows in the shape of the first schema (m001): every later migration must carry them forward.
ROWS = {
    "users": [
        {"id": 1, "name": "ada", "password_hash": "x", "role": "admin", "created_at": T},
        {"id": 2, "name": "bea", "password_hash": "y", "role": "annotator", "created_at": T},
        {"id": 3, "name": "cy", "password_hash": "z", "role": "reviewer", "created_at": T},
    ],
    "projects": [
        {"id": 1, "name": "p", "scheme": "newsattr-1", "scheme_version": "1", "overlap": 2, "created_at": T}
    ],
    "project_members": [
        {"project_id": 1, "user_id": 2, "role": "annotator"},
        {"project_id": 1, "user_id": 3, "role": "reviewer"},
    ],
    "articles": [
        {
            "id": 1,
            "project_id": 1,
            "uid": "a1",
            "url": "https://example.org/x",
            "outlet": "Example",
            "title": "T",
            "source_format": "text",
            "raw_sha256": "r",
            "text_sha256": "t",
            "imported_at": T,
        }
    ],
    "article_sources": [{"article_id": 1, "raw": b"raw bytes", "dropped": '["Menu"]'}],
    "paragraphs": [
        {
            "id": i,
            "article_id": 1,
            "project_id": 1,
            "position": i,
            "kind": "body" if i > 1 else "headline",
            "text": f"Paragraph {i} said the minister.",
            "text_sha256": f"h{i}",
            "doc_char_start": 40 * i,
            "rank": i,
        }
        for i in range(1, 5)
    ],
    "assignments": [
        {
            "id": 1,
            "project_id": 1,
            "paragraph_id": 1,
            "user_id": 2,
            "state": "done",
            "created_at": T,
            "updated_at": T,
        },
        {
            "id": 2,
            "project_id": 1,
            "paragraph_id": 2,
            "user_id": 2,
            "state": "skipped",
            "skip_reason": "unclear",
            "created_at": T,
            "updated_at": T,
        },
        {
            "id": 3,
            "project_id": 1,
            "paragraph_id": 3,
            "user_id": 2,
            "state": "leased",
            "leased_until": "2999-01-01T00:00:00Z",
            "created_at": T,
            "updated_at": T,
        },
        {
            "id": 4,
            "project_id": 1,
            "paragraph_id": 1,
            "user_id": 3,
            "state": "done",
            "created_at": T,
            "updated_at": T,
        },
    ],
    "annotations": [
        {
            "id": 1,
            "paragraph_id": 1,
            "user_id": 2,
            "labels": '{"claims": []}',
            "scheme_version": "1",
            "version": 2,
            "seconds": 12.5,
            "created_at": T,
            "updated_at": T,
        },
        {
            "id": 2,
            "paragraph_id": 1,
            "user_id": 3,
            "labels": '{"claims": []}',
            "scheme_version": "1",
            "created_at": T,
            "updated_at": T,
        },
    ],
    "annotation_revisions": [
        {"annotation_id": 1, "version": 1, "labels": "{}", "seconds": 3.0, "saved_at": T},
        {"annotation_id": 1, "version": 2, "labels": '{"claims": []}', "seconds": 12.5, "saved_at": T},
    ],
    "drafts": [
        {"paragraph_id": 3, "user_id": 2, "labels": '{"claims": []}', "base_version": None, "updated_at": T}
    ],
    "flags": [
        {"paragraph_id": 4, "user_id": 2, "reason": "garbled", "note": "half a table", "created_at": T}
    ],
    "decisions": [
        {
            "id": 1,
            "paragraph_id": 1,
            "labels": '{"claims": []}',
            "source": "unanimous",
            "annotators": "[2, 3]",
            "created_at": T,
            "updated_at": T,
        }
    ],
    "decision_revisions": [
        {
            "decision_id": 1,
            "version": 1,
            "labels": '{"claims": []}',
            "source": "unanimous",
            "note": "",
            "saved_at": T,
        }
    ],
    "events": [{"at": T, "user_id": 1, "project_id": 1, "kind": "import", "detail": "{}"}],
    "login_failures": [{"name": "ada", "at": T}],
}


def _at_version(version: int) -> sqlite_utils.Database:
    db = sqlite_utils.Database(memory=True)
    saved = migrations.MIGRATIONS
    migrations.MIGRATIONS = saved[:version]
    try:
        migrations.migrate(db)
    finally:
        migrations.MIGRATIONS = saved
    return db


def _fill(db: sqlite_utils.Database) -> None:
    with db.conn:
        for table, rows in ROWS.items():
            if table in db.table_names():  # a later version may have folded a table away
                for row in rows:
                    db[table].insert(row)


# Caches whose exact counters depend on the path taken; what they mean must still agree.
READ_AS = {
    # A block is stale when ``changes`` moved past ``counted``; how far does not matter.
    "agreement_chunks": "select project_id, chunk, fingerprint, state, changes != counted from agreement_chunks",
    # A change log: a database that lived logs every save, an upgraded one each current row once;
    # a sync from cursor 0 reads the latest entry of each key, so the keys are what must agree.
    "sync_log": "select distinct project_id, stream, paragraph_id, user_id from sync_log",
}


def _contents(db: sqlite_utils.Database) -> dict:
    tables = [
        # An FTS5 index stores the same postings in segments shaped by the order rows came in; what
        # it finds is compared through its virtual table instead.
        t
        for t in db.table_names()
        if not any(t.endswith(f"_fts_{part}") for part in ("data", "idx", "docsize", "config"))
    ]
    return {
        table: sorted(map(repr, db.execute(READ_AS.get(table, f"select * from [{table}]")).fetchall()))
        for table in sorted(tables)
    }


def test_schema_sql_is_what_the_migrations_build():
    assert SCHEMA_FILE.read_text() == build(), (
        "run `python -m annotator.store.schema` after adding a migration"
    )


@pytest.mark.parametrize("version", range(1, len(migrations.MIGRATIONS)))
def test_a_populated_database_upgrades_from_each_earlier_version(version):
    old = _at_version(version)
    _fill(old)
    assert migrations.migrate(old) == [m.__name__ for m in migrations.MIGRATIONS[version:]]

    new = _at_version(len(migrations.MIGRATIONS))
    _fill(new)

    assert old.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert old.execute("pragma foreign_key_check").fetchall() == []
    assert dump(old) == dump(new)
    assert _contents(old) == _contents(new)
    for table, rows in ROWS.items():
        if table in new.table_names():
            assert old[table].count == len(rows), table
    for db in (old, new):  # the search index holds every paragraph, however it was built
        hits = db.execute("select rowid from paragraphs_fts where paragraphs_fts match 'minister'").fetchall()
        assert sorted(hits) == [(i,) for i in range(1, 5)]
