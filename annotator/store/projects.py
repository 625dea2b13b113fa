"""Projects and their members."""

import json

import sqlite_utils

from ..errors import Conflict, NotFound
from ..project_settings import Settings
from .connection import now, query, write


def _project(row: dict) -> dict:
    return {**row, "settings": Settings.from_mapping(json.loads(row["settings"]))}


def find_project_by_name(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = list(query(db, "select * from projects where name = ?", [name]))
    return _project(rows[0]) if rows else None


def get_project_by_name(db: sqlite_utils.Database, name: str) -> dict:
    project = find_project_by_name(db, name)
    if project is None:
        raise NotFound(f"no project named {name!r}")
    return project


def get_project(db: sqlite_utils.Database, project_id: int) -> dict:
    rows = list(query(db, "select * from projects where id = ?", [project_id]))
    if not rows:
        raise NotFound(f"no project with id {project_id}")
    return _project(rows[0])


def list_projects(db: sqlite_utils.Database) -> list[dict]:
    rows = query(
        db,
        """select p.*,
            (select count(*) from articles a where a.project_id = p.id) as n_articles,
            (select count(*) from paragraphs g where g.project_id = p.id and g.queued = 1) as n_paragraphs
        from projects p order by p.name""",
    )
    return [_project(row) for row in rows]


def insert_project(
    db: sqlite_utils.Database, *, name: str, scheme: str, scheme_version: str, overlap: int, settings: dict
) -> dict:
    with write(db):
        if find_project_by_name(db, name):
            raise Conflict(f"a project named {name!r} already exists")
        cursor = db.execute(
            """insert into projects (name, scheme, scheme_version, overlap, paused, settings, created_at)
            values (?, ?, ?, ?, 0, ?, ?)""",
            [
                name,
                scheme,
                scheme_version,
                overlap,
                json.dumps(Settings.from_mapping(settings).to_dict()),
                now(),
            ],
        )
    return get_project(db, cursor.lastrowid)


def update_project(db: sqlite_utils.Database, project_id: int, **changes) -> dict:
    allowed = {"overlap", "paused", "settings", "name"}
    assert set(changes) <= allowed, set(changes) - allowed
    if "settings" in changes:
        changes["settings"] = json.dumps(Settings.from_mapping(changes["settings"]).to_dict())
    with write(db):
        get_project(db, project_id)
        assignments = ", ".join(f"{key} = :{key}" for key in changes)
        db.execute(f"update projects set {assignments} where id = :id", {**changes, "id": project_id})
    return get_project(db, project_id)


def set_member(db: sqlite_utils.Database, project_id: int, user_id: int, role: str) -> None:
    with write(db):
        db.execute(
            """insert into project_members (project_id, user_id, role) values (?, ?, ?)
            on conflict (project_id, user_id) do update set role = excluded.role""",
            [project_id, user_id, role],
        )


def remove_member(db: sqlite_utils.Database, project_id: int, user_id: int) -> None:
    with write(db):
        db.execute("delete from project_members where project_id = ? and user_id = ?", [project_id, user_id])


def list_members(db: sqlite_utils.Database, project_id: int) -> list[dict]:
    return list(
        query(
            db,
            """select u.id, u.name, u.active, m.role from project_members m join users u on u.id = m.user_id
            where m.project_id = ? order by u.name collate nocase""",
            [project_id],
        )
    )


def list_user_projects(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    rows = query(
        db,
        """select p.*, m.role as member_role from projects p
        join project_members m on m.project_id = p.id and m.user_id = ? order by p.name""",
        [user_id],
    )
    return [_project(row) for row in rows]


def find_member_role(db: sqlite_utils.Database, project_id: int, user_id: int) -> str | None:
    row = db.execute(
        "select role from project_members where project_id = ? and user_id = ?", [project_id, user_id]
    ).fetchone()
    return row[0] if row else None
