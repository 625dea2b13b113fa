"""Numbered schema migrations, tracked in ``PRAGMA user_version``.

Each migration runs once, in order, in its own transaction. Add a new function
to ``MIGRATIONS``; never edit one that has shipped.
"""

import sqlite_utils

from ..errors import AnnotatorError
from .connection import run_script
from .migrations_caches import (
    m002_queue_filled,
    m003_review_items,
    m004_agreement_chunks,
    m005_review_counts,
    m006_agreement_chunk_changes,
    m007_article_lookups,
    m008_queue_filled_triggers,
    m009_paragraph_counts,
    m010_assignment_counts,
    m011_annotation_export_forms,
    m012_decision_revision_lookups,
)
from .migrations_initial import m001_initial

__all__ = ["MIGRATIONS", "TooNew", "current_version", "migrate", "run_script"]


class TooNew(AnnotatorError):
    """The database was made by a newer version of annotator."""


# Words of any script that separates them with spaces; diacritics fold ("cafe" finds "café").
SEARCH_TOKENIZER = "unicode61 remove_diacritics 2"


def m013_search(db: sqlite_utils.Database) -> None:
    # Full-text search of paragraphs and article metadata (the Articles page and the review queue).
    # sqlite-utils builds and fills the FTS5 tables; its own update triggers would fire on every update
    # of a paragraph, and the queue's counters change a paragraph row on every lease and save, so these
    # triggers fire only when the searched columns change.
    db["paragraphs"].enable_fts(["text"], tokenize=SEARCH_TOKENIZER)
    db["articles"].enable_fts(["title", "outlet", "byline", "url"], tokenize=SEARCH_TOKENIZER)
    run_script(
        db,
        """
        create trigger paragraphs_search_insert after insert on paragraphs begin
            insert into paragraphs_fts (rowid, text) values (new.id, new.text);
        end;
        create trigger paragraphs_search_delete after delete on paragraphs begin
            insert into paragraphs_fts (paragraphs_fts, rowid, text) values ('delete', old.id, old.text);
        end;
        create trigger paragraphs_search_update after update of text on paragraphs begin
            insert into paragraphs_fts (paragraphs_fts, rowid, text) values ('delete', old.id, old.text);
            insert into paragraphs_fts (rowid, text) values (new.id, new.text);
        end;
        create trigger articles_search_insert after insert on articles begin
            insert into articles_fts (rowid, title, outlet, byline, url)
                values (new.id, new.title, new.outlet, new.byline, new.url);
        end;
        create trigger articles_search_delete after delete on articles begin
            insert into articles_fts (articles_fts, rowid, title, outlet, byline, url)
                values ('delete', old.id, old.title, old.outlet, old.byline, old.url);
        end;
        create trigger articles_search_update after update of title, outlet, byline, url on articles begin
            insert into articles_fts (articles_fts, rowid, title, outlet, byline, url)
                values ('delete', old.id, old.title, old.outlet, old.byline, old.url);
            insert into articles_fts (rowid, title, outlet, byline, url)
                values (new.id, new.title, new.outlet, new.byline, new.url);
        end;
        """,
    )


def m014_api_tokens(db: sqlite_utils.Database) -> None:
    # Only a token's sha256 is kept: a copy of the database gives no one a working token.
    run_script(
        db,
        """
        create table api_tokens (
            id integer primary key,
            user_id integer not null references users (id),
            name text not null,
            token_hash text not null unique,
            prefix text not null,
            created_at text not null,
            last_used_at text,
            revoked_at text
        );
        create unique index api_tokens_user_name on api_tokens (user_id, name) where revoked_at is null;

        -- Incremental sync: one row per change of an annotation or a gold decision, in commit order
        -- (writers are serialised, so a later commit always gets a larger seq). The API's cursor is a seq.
        create table sync_log (
            seq integer primary key autoincrement,
            project_id integer not null,
            stream text not null check (stream in ('annotations', 'gold')),
            paragraph_id integer not null,
            user_id integer not null default 0
        );
        create index sync_log_project on sync_log (project_id, stream, seq);
        create index sync_log_key on sync_log (stream, paragraph_id, user_id, seq);
        create trigger sync_annotation_added after insert on annotations begin
            insert into sync_log (project_id, stream, paragraph_id, user_id)
            select p.project_id, 'annotations', new.paragraph_id, new.user_id
            from paragraphs p where p.id = new.paragraph_id;
        end;
        create trigger sync_annotation_changed after update of labels, version, seconds on annotations
        when new.labels is not old.labels or new.version is not old.version or new.seconds is not old.seconds
        begin
            insert into sync_log (project_id, stream, paragraph_id, user_id)
            select p.project_id, 'annotations', new.paragraph_id, new.user_id
            from paragraphs p where p.id = new.paragraph_id;
        end;
        create trigger sync_annotation_deleted after delete on annotations begin
            insert into sync_log (project_id, stream, paragraph_id, user_id)
            select p.project_id, 'annotations', old.paragraph_id, old.user_id
            from paragraphs p where p.id = old.paragraph_id;
        end;
        create trigger sync_decision_added after insert on decisions begin
            insert into sync_log (project_id, stream, paragraph_id)
            select p.project_id, 'gold', new.paragraph_id from paragraphs p where p.id = new.paragraph_id;
        end;
        -- Any change of what a gold record holds: labels, provenance, the paragraph's agreement.
        create trigger sync_decision_changed after update on decisions
        when new.labels is not old.labels or new.source is not old.source or new.reviewer_id is not old.reviewer_id
            or new.annotators is not old.annotators or new.note is not old.note or new.agreement is not old.agreement
            or new.version is not old.version
        begin
            insert into sync_log (project_id, stream, paragraph_id)
            select p.project_id, 'gold', new.paragraph_id from paragraphs p where p.id = new.paragraph_id;
        end;
        create trigger sync_decision_deleted after delete on decisions begin
            insert into sync_log (project_id, stream, paragraph_id)
            select p.project_id, 'gold', old.paragraph_id from paragraphs p where p.id = old.paragraph_id;
        end;
        -- What exists already is one change each, oldest first.
        insert into sync_log (project_id, stream, paragraph_id, user_id)
        select p.project_id, 'annotations', n.paragraph_id, n.user_id
        from annotations n join paragraphs p on p.id = n.paragraph_id order by n.updated_at, n.id;
        insert into sync_log (project_id, stream, paragraph_id)
        select p.project_id, 'gold', d.paragraph_id
        from decisions d join paragraphs p on p.id = d.paragraph_id order by d.updated_at, d.id;
        """,
    )


def m015_suggestions(db: sqlite_utils.Database) -> None:
    # Suggested labels per paragraph and source (an imported model's name; the built-in rules are
    # computed from the text and never stored). A source is replaced whole by each import.
    run_script(
        db,
        """
        create table suggestions (
            id integer primary key,
            project_id integer not null references projects (id) on delete cascade,
            paragraph_id integer not null references paragraphs (id) on delete cascade,
            source text not null,
            labels text not null,
            created_at text not null,
            unique (paragraph_id, source)
        );
        create index suggestions_project_source on suggestions (project_id, source);
        """,
    )


def m016_view_time(db: sqlite_utils.Database) -> None:
    # Time on a paragraph is counted in whole milliseconds. ``view_time`` holds what page views
    # reported before the labels were saved (a reload, a break, a second visit); a save moves it into
    # the annotation's ``seconds``, which from now on always holds whole milliseconds (summing
    # decimal fractions as floats had left values like 25.700000000000003).
    run_script(
        db,
        """
        create table view_time (
            paragraph_id integer not null references paragraphs(id) on delete cascade,
            user_id integer not null references users(id) on delete cascade,
            ms integer not null default 0,
            primary key (paragraph_id, user_id)
        );
        update annotations set seconds = round(seconds * 1000) / 1000.0;
        update annotation_revisions set seconds = round(seconds * 1000) / 1000.0;
        """,
    )


def m017_sessions(db: sqlite_utils.Database) -> None:
    # Logins become rows that logout, a password change, deactivation or a role change can delete;
    # the cookie carries only a random token whose hash is looked up here. Failed logins are
    # counted on the user's row: a row per attempt let anyone add rows by trying unknown names.
    run_script(
        db,
        """
        create table sessions (
            id integer primary key,
            token_hash text not null unique,
            user_id integer not null references users (id) on delete cascade,
            created_at text not null,
            seen_at text not null,
            expires_at text not null,
            address text,
            agent text
        );
        create index sessions_user on sessions (user_id);
        alter table users add column failed_logins integer not null default 0;
        alter table users add column last_failed_login text;
        drop table login_failures;
        """,
    )


def m018_decision_provenance(db: sqlite_utils.Database) -> None:
    # Provenance of gold: the annotators whose labels were compared, and per field or item whose version
    # the gold holds (or that the reviewer edited it); a JSON list of {path, annotators, edited}.
    run_script(
        db,
        """
        alter table decisions add column compared text not null default '[]';
        alter table decisions add column taken text not null default '[]';
        """,
    )


MIGRATIONS = [
    m001_initial,
    m002_queue_filled,
    m003_review_items,
    m004_agreement_chunks,
    m005_review_counts,
    m006_agreement_chunk_changes,
    m007_article_lookups,
    m008_queue_filled_triggers,
    m009_paragraph_counts,
    m010_assignment_counts,
    m011_annotation_export_forms,
    m012_decision_revision_lookups,
    m013_search,
    m014_api_tokens,
    m015_suggestions,
    m016_view_time,
    m017_sessions,
    m018_decision_provenance,
]


def current_version(db: sqlite_utils.Database) -> int:
    return db.execute("pragma user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database lacks; return their names.

    Raises ``TooNew`` when the database was written by a newer annotator.
    """
    version = current_version(db)
    if version > len(MIGRATIONS):
        raise TooNew(
            f"this database is at schema version {version}, newer than this annotator knows "
            f"({len(MIGRATIONS)}): upgrade annotator before opening it"
        )
    applied = []
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(db) >= number:  # another process got here first
                db.conn.execute("ROLLBACK")
                continue
            migration(db)
            db.conn.execute(f"pragma user_version = {number}")
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        applied.append(migration.__name__)
    return applied
