"""Numbered schema migrations, tracked in ``PRAGMA user_version``.

Each migration runs once, in order, in its own transaction. Add a new function
to ``MIGRATIONS``; never edit one that has shipped.
"""

import sqlite3

import sqlite_utils

from ..errors import AnnotatorError


class TooNew(AnnotatorError):
    """The database was made by a newer version of annotator."""


def m001_initial(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table users (
            id integer primary key,
            name text not null unique collate nocase,
            password_hash text not null,
            role text not null check (role in ('annotator', 'reviewer', 'admin')),
            active integer not null default 1,
            created_at text not null,
            locked_until text
        );
        create table login_failures (
            id integer primary key,
            name text not null collate nocase,
            at text not null
        );
        create index login_failures_name_at on login_failures (name, at);

        create table projects (
            id integer primary key,
            name text not null unique,
            scheme text not null,
            scheme_version text not null,
            overlap integer not null default 1 check (overlap >= 1),
            paused integer not null default 0,
            settings text not null default '{}',
            created_at text not null
        );
        create table project_members (
            project_id integer not null references projects (id) on delete cascade,
            user_id integer not null references users (id),
            role text not null check (role in ('annotator', 'reviewer', 'admin')),
            primary key (project_id, user_id)
        );

        create table articles (
            id integer primary key,
            project_id integer not null references projects (id) on delete cascade,
            uid text not null,
            url text,
            outlet text,
            title text,
            byline text,
            section text,
            published text,
            language text,
            source_format text not null,
            source_name text,
            raw_sha256 text not null,
            text_sha256 text not null,
            meta text not null default '{}',
            rank integer not null default 0,
            imported_at text not null,
            imported_by integer references users (id)
        );
        create unique index articles_project_text on articles (project_id, text_sha256);
        create unique index articles_project_uid on articles (project_id, uid);
        create index articles_project_url on articles (project_id, url);
        create table article_sources (
            article_id integer primary key references articles (id) on delete cascade,
            raw blob not null,
            dropped text not null default '[]'
        );

        create table paragraphs (
            id integer primary key,
            article_id integer not null references articles (id) on delete cascade,
            project_id integer not null references projects (id) on delete cascade,
            position integer not null,
            kind text not null,
            text text not null,
            credit text,
            text_sha256 text not null,
            doc_char_start integer not null,
            queued integer not null default 1,
            rank integer not null default 0,
            n_taken integer not null default 0,
            n_done integer not null default 0,
            unique (article_id, position)
        );
        -- The queue reads open paragraphs in rank order without scanning the table.
        create index paragraphs_open on paragraphs (project_id, rank) where queued = 1;

        create table assignments (
            id integer primary key,
            project_id integer not null references projects (id) on delete cascade,
            paragraph_id integer not null references paragraphs (id) on delete cascade,
            user_id integer not null references users (id),
            state text not null check (state in ('leased', 'done', 'skipped')),
            leased_until text,
            skip_reason text,
            created_at text not null,
            updated_at text not null,
            unique (paragraph_id, user_id)
        );
        create index assignments_user on assignments (user_id, project_id, state, updated_at);
        create index assignments_lease on assignments (state, leased_until) where state = 'leased';

        create table annotations (
            id integer primary key,
            paragraph_id integer not null references paragraphs (id) on delete cascade,
            user_id integer not null references users (id),
            labels text not null,
            scheme_version text not null,
            version integer not null default 1,
            seconds real not null default 0,
            created_at text not null,
            updated_at text not null,
            unique (paragraph_id, user_id)
        );
        create index annotations_user on annotations (user_id, updated_at);
        create table annotation_revisions (
            id integer primary key,
            annotation_id integer not null references annotations (id) on delete cascade,
            version integer not null,
            labels text not null,
            seconds real not null,
            saved_at text not null,
            unique (annotation_id, version)
        );
        create table drafts (
            paragraph_id integer not null references paragraphs (id) on delete cascade,
            user_id integer not null references users (id),
            labels text not null,
            base_version integer,
            updated_at text not null,
            primary key (paragraph_id, user_id)
        );
        create table flags (
            id integer primary key,
            paragraph_id integer not null references paragraphs (id) on delete cascade,
            user_id integer not null references users (id),
            reason text not null,
            note text not null default '',
            created_at text not null,
            resolved_at text
        );
        create index flags_open on flags (paragraph_id) where resolved_at is null;

        create table decisions (
            id integer primary key,
            paragraph_id integer not null unique references paragraphs (id) on delete cascade,
            labels text not null,
            source text not null check (source in ('unanimous', 'adjudicated')),
            reviewer_id integer references users (id),
            annotators text not null default '[]',
            note text not null default '',
            agreement text not null default '{}',
            version integer not null default 1,
            created_at text not null,
            updated_at text not null
        );
        create table decision_revisions (
            id integer primary key,
            decision_id integer not null references decisions (id) on delete cascade,
            version integer not null,
            labels text not null,
            source text not null,
            reviewer_id integer,
            note text not null,
            saved_at text not null
        );

        create table events (
            id integer primary key,
            at text not null,
            user_id integer references users (id),
            project_id integer references projects (id) on delete set null,
            kind text not null,
            detail text not null default '{}'
        );
        create index events_kind_at on events (kind, at);
        """,
    )


def m002_queue_filled(db: sqlite_utils.Database) -> None:
    # ``filled`` caches ``n_taken >= projects.overlap`` so the queue's partial index holds only
    # paragraphs that still want annotations: finding work never walks past full ones.
    run_script(
        db,
        """
        alter table paragraphs add column filled integer not null default 0;
        update paragraphs set filled = 1
            where n_taken >= (select overlap from projects where projects.id = paragraphs.project_id);
        create index paragraphs_unfilled on paragraphs (project_id, rank) where queued = 1 and filled = 0;
        -- An annotator's latest assignment (to continue their article) and their history, newest first.
        create index assignments_user_recent on assignments (user_id, project_id, updated_at);
        """,
    )


def m003_review_items(db: sqlite_utils.Database) -> None:
    # One row per paragraph with two or more annotations: its disagreement, kept current as annotations
    # are saved, so the review queue is an indexed read, most disagreement first. A cached agreement
    # report per project, since a large project's report takes seconds to compute.
    run_script(
        db,
        """
        create table review_items (
            paragraph_id integer primary key references paragraphs (id) on delete cascade,
            project_id integer not null references projects (id) on delete cascade,
            state text not null check (state in ('open', 'decided', 'unanimous')),
            n_annotations integer not null,
            disagreement real not null,
            unanimous integer not null default 0,
            stale integer not null default 0,
            updated_at text not null
        );
        create index review_items_queue on review_items (project_id, state, disagreement desc, paragraph_id);
        create table agreement_reports (
            project_id integer primary key references projects (id) on delete cascade,
            fingerprint text not null,
            report text not null,
            computed_at text not null,
            seconds real not null
        );
        """,
    )


def m004_agreement_chunks(db: sqlite_utils.Database) -> None:
    # Agreement counts per block of paragraph ids, each with a fingerprint of its annotations: a report
    # recounts only the blocks whose annotations changed and merges the rest, so it stays fast as a
    # project grows. ``state`` is the pickled agreement accumulator of that block.
    run_script(
        db,
        """
        create table agreement_chunks (
            project_id integer not null references projects (id) on delete cascade,
            chunk integer not null,
            fingerprint text not null,
            state blob not null,
            primary key (project_id, chunk)
        );
        """,
    )


def m005_review_counts(db: sqlite_utils.Database) -> None:
    # The review queue's tab counts, kept by triggers: counting 100,000 queue rows on every page view
    # would cost more than the rest of the page.
    run_script(
        db,
        """
        create table review_counts (
            project_id integer not null,
            state text not null,
            n integer not null default 0,
            primary key (project_id, state)
        ) without rowid;
        insert into review_counts (project_id, state, n)
            select project_id, state, count(*) from review_items group by project_id, state;
        create trigger review_items_counted_insert after insert on review_items begin
            insert into review_counts (project_id, state, n) values (new.project_id, new.state, 1)
                on conflict (project_id, state) do update set n = n + 1;
        end;
        create trigger review_items_counted_delete after delete on review_items begin
            update review_counts set n = n - 1 where project_id = old.project_id and state = old.state;
        end;
        create trigger review_items_counted_update after update of project_id, state on review_items
        when old.project_id != new.project_id or old.state != new.state begin
            update review_counts set n = n - 1 where project_id = old.project_id and state = old.state;
            insert into review_counts (project_id, state, n) values (new.project_id, new.state, 1)
                on conflict (project_id, state) do update set n = n + 1;
        end;
        """,
    )


def m006_agreement_chunk_changes(db: sqlite_utils.Database) -> None:
    # Triggers count the changes to each block of 2,000 paragraph ids (the size in review/reports.py)
    # as annotations are saved, so a report knows which blocks to recount without reading the
    # annotations. ``counted`` is the ``changes`` value the stored state was counted at.
    run_script(
        db,
        """
        delete from agreement_chunks;
        alter table agreement_chunks add column changes integer not null default 1;
        alter table agreement_chunks add column counted integer not null default 0;
        insert into agreement_chunks (project_id, chunk, fingerprint, state, changes, counted)
            select p.project_id, n.paragraph_id / 2000, '', x'', 1, 0
            from annotations n join paragraphs p on p.id = n.paragraph_id group by 1, 2;
        create trigger annotations_agreement_insert after insert on annotations begin
            insert into agreement_chunks (project_id, chunk, fingerprint, state, changes, counted)
                values ((select project_id from paragraphs where id = new.paragraph_id), new.paragraph_id / 2000,
                        '', x'', 1, 0)
                on conflict (project_id, chunk) do update set changes = changes + 1;
        end;
        create trigger annotations_agreement_update after update of labels, user_id, paragraph_id on annotations
        begin
            update agreement_chunks set changes = changes + 1
                where chunk in (old.paragraph_id / 2000, new.paragraph_id / 2000)
                and project_id in (select project_id from paragraphs where id in (old.paragraph_id, new.paragraph_id));
        end;
        create trigger annotations_agreement_delete after delete on annotations begin
            update agreement_chunks set changes = changes + 1
                where chunk = old.paragraph_id / 2000
                and project_id = (select project_id from paragraphs where id = old.paragraph_id);
        end;
        """,
    )


def m007_article_lookups(db: sqlite_utils.Database) -> None:
    # Import asks, per article, for the project's last rank and whether these exact input bytes
    # came before (so an improved cleaner never re-imports a known file as new): both indexed.
    run_script(
        db,
        """
        create index articles_project_rank on articles (project_id, rank);
        create index articles_project_raw on articles (project_id, raw_sha256);
        """,
    )


def m008_queue_filled_triggers(db: sqlite_utils.Database) -> None:
    # ``filled`` follows ``n_taken`` and the project's overlap whoever changes them (the queue,
    # import-annotations, an overlap edited by hand), so the queue's index can never offer a full paragraph.
    run_script(
        db,
        """
        update paragraphs set filled = (n_taken >= (select overlap from projects where projects.id = paragraphs.project_id))
            where filled != (n_taken >= (select overlap from projects where projects.id = paragraphs.project_id));
        create trigger paragraphs_filled_taken after update of n_taken on paragraphs begin
            update paragraphs set filled = (new.n_taken >= (select overlap from projects where id = new.project_id))
                where id = new.id and filled != (new.n_taken >= (select overlap from projects where id = new.project_id));
        end;
        create trigger projects_filled_overlap after update of overlap on projects
        when old.overlap != new.overlap begin
            update paragraphs set filled = (n_taken >= new.overlap)
                where project_id = new.id and filled != (n_taken >= new.overlap);
        end;
        """,
    )


def m009_paragraph_counts(db: sqlite_utils.Database) -> None:
    # The progress page's "paragraphs with 0, 1, … k annotations", kept by triggers: grouping a
    # million paragraphs on every view would cost most of a second.
    run_script(
        db,
        """
        create table paragraph_counts (
            project_id integer not null,
            n_done integer not null,
            n integer not null default 0,
            primary key (project_id, n_done)
        ) without rowid;
        insert into paragraph_counts (project_id, n_done, n)
            select project_id, n_done, count(*) from paragraphs where queued = 1 group by project_id, n_done;
        create trigger paragraphs_counted_insert after insert on paragraphs when new.queued = 1 begin
            insert into paragraph_counts (project_id, n_done, n) values (new.project_id, new.n_done, 1)
                on conflict (project_id, n_done) do update set n = n + 1;
        end;
        create trigger paragraphs_counted_delete after delete on paragraphs when old.queued = 1 begin
            update paragraph_counts set n = n - 1 where project_id = old.project_id and n_done = old.n_done;
        end;
        create trigger paragraphs_counted_update after update of n_done, queued, project_id on paragraphs
        when old.n_done != new.n_done or old.queued != new.queued or old.project_id != new.project_id begin
            update paragraph_counts set n = n - 1
                where old.queued = 1 and project_id = old.project_id and n_done = old.n_done;
            insert into paragraph_counts (project_id, n_done, n) select new.project_id, new.n_done, 1 where new.queued = 1
                on conflict (project_id, n_done) do update set n = n + 1;
        end;
        """,
    )


def m010_assignment_counts(db: sqlite_utils.Database) -> None:
    # Each annotator's done and skipped counts per project, kept by triggers: the annotate page shows
    # "done of assigned" on every paragraph, and counting 100,000 assignments each time would show.
    run_script(
        db,
        """
        create table assignment_counts (
            project_id integer not null,
            user_id integer not null,
            state text not null,
            n integer not null default 0,
            primary key (project_id, user_id, state)
        ) without rowid;
        insert into assignment_counts (project_id, user_id, state, n)
            select project_id, user_id, state, count(*) from assignments where state != 'leased'
            group by project_id, user_id, state;
        create trigger assignments_counted_insert after insert on assignments when new.state != 'leased' begin
            insert into assignment_counts (project_id, user_id, state, n) values (new.project_id, new.user_id, new.state, 1)
                on conflict (project_id, user_id, state) do update set n = n + 1;
        end;
        create trigger assignments_counted_delete after delete on assignments when old.state != 'leased' begin
            update assignment_counts set n = n - 1
                where project_id = old.project_id and user_id = old.user_id and state = old.state;
        end;
        create trigger assignments_counted_update after update of state, project_id, user_id on assignments
        when old.state != new.state or old.project_id != new.project_id or old.user_id != new.user_id begin
            update assignment_counts set n = n - 1
                where old.state != 'leased' and project_id = old.project_id and user_id = old.user_id and state = old.state;
            insert into assignment_counts (project_id, user_id, state, n)
                select new.project_id, new.user_id, new.state, 1 where new.state != 'leased'
                on conflict (project_id, user_id, state) do update set n = n + 1;
        end;
        """,
    )


def m011_annotation_export_forms(db: sqlite_utils.Database) -> None:
    # What an export makes of each annotation, made once at save time: the labels as export JSON text
    # and their label-name counts, with the format they were made in (a fingerprint of the export
    # schema). A large export then splices stored text instead of parsing and re-encoding every
    # document. Rows saved before (null) or in another format are encoded by the export itself, so
    # nothing is backfilled here. The trigger clears the forms when ``labels`` changes without them,
    # so a writer that does not know the columns can never leave a stale text behind.
    run_script(
        db,
        """
        alter table annotations add column export_format text;
        alter table annotations add column export_labels text;
        alter table annotations add column export_counts text;
        create trigger annotations_export_forms_stale after update of labels on annotations
        when new.labels is not old.labels and new.export_format is old.export_format
            and new.export_labels is old.export_labels and new.export_counts is old.export_counts
            and new.export_format is not null
        begin
            update annotations set export_format = null, export_labels = null, export_counts = null
                where id = new.id;
        end;
        """,
    )


def m012_decision_revision_lookups(db: sqlite_utils.Database) -> None:
    # A decision's revisions by decision: without this index every automatic (unanimous) decision
    # scanned all revisions to see whether its first one was written, and every withdrawn decision
    # scanned them again for the cascade; the cost of a save grew with the decisions in the database.
    # Project deletions cascade to assignments by project, which had no index of its own either.
    run_script(
        db,
        """
        create index decision_revisions_decision on decision_revisions (decision_id, version);
        create index assignments_project on assignments (project_id);
        """,
    )


def m013_decision_provenance(db: sqlite_utils.Database) -> None:
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
    m013_decision_provenance,
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


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run each statement of ``script`` inside the caller's transaction.

    ``executescript`` would COMMIT first, so a failing migration could leave half a schema.
    """
    current = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            db.conn.execute(current)
            current = ""
    if current.strip():
        db.conn.execute(current)
