"""Migrations m002–m012: the counters, caches, triggers and indexes that keep the queue, the review
queue and the agreement counts fast as projects grow. Never edited once shipped."""

import sqlite_utils

from .connection import run_script


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
