"""The first schema (m001): every table the tool began with. Never edited once shipped."""

import sqlite_utils

from .connection import run_script


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
