"""Projects: creating them, their settings and members."""

from pathlib import Path

import sqlite_utils

from . import accounts, agreement
from .errors import Forbidden, Invalid
from .project_settings import DEFAULT_KINDS, ORDERS, Settings
from .store import events, projects, users


def create_project(
    db: sqlite_utils.Database,
    name: str,
    *,
    scheme: str = "newsattr-1",
    overlap: int = 1,
    kinds: list[str] | None = None,
    order: str = "article",
    seed: int = 0,
    extended: list[str] | str | None = None,
    actor: dict | None = None,
) -> dict:
    """Create and return a project. Raises ``Invalid`` for a bad name, scheme, overlap or order."""
    from .scheme import load_scheme

    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid("a project needs a name of 1 to 100 characters", field="name")
    if not isinstance(overlap, int) or not 1 <= overlap <= 20:
        raise Invalid("overlap must be a whole number from 1 to 20", field="overlap")
    if order not in ORDERS:
        raise Invalid(f"order must be one of {', '.join(ORDERS)}", field="order")
    try:
        loaded = load_scheme(scheme, extended=extended)
        # agreement and review compare items of a known shape: refuse a scheme they cannot score now,
        # rather than at its first save
        agreement.layout_of(loaded)
    except (FileNotFoundError, ValueError, KeyError) as e:
        raise Invalid(f"cannot load scheme {scheme!r}: {e}", field="scheme") from e
    settings = Settings(
        kinds=list(kinds or DEFAULT_KINDS),
        order=order,
        seed=seed,
        extended=extended if isinstance(extended, str) else list(extended or []),
    )
    # A scheme file is remembered by its absolute path, so the project can load it again later.
    is_file = "/" in scheme or scheme.endswith(".toml")
    stored = str(Path(scheme).resolve()) if is_file else loaded.name
    project = projects.insert_project(
        db, name=name, scheme=stored, scheme_version=str(loaded.version), overlap=overlap, settings=settings
    )
    events.log_event(
        db, "project.created", user_id=actor["id"] if actor else None, project_id=project["id"], name=name
    )
    return project


def get_project(db: sqlite_utils.Database, project_id: int) -> dict:
    return projects.get_project(db, project_id)


def get_project_by_name(db: sqlite_utils.Database, name: str) -> dict:
    return projects.get_project_by_name(db, name)


def list_projects(db: sqlite_utils.Database) -> list[dict]:
    return projects.list_projects(db)


def list_projects_for(db: sqlite_utils.Database, *, actor: dict) -> list[dict]:
    """Return the projects ``actor`` works in: every project for an admin, memberships otherwise."""
    if accounts.has_role(actor, "admin"):
        return projects.list_projects(db)
    return projects.list_user_projects(db, actor["id"])


def add_member(
    db: sqlite_utils.Database, project: dict, name: str, *, role: str | None = None, actor: dict | None = None
) -> None:
    """Make the user called ``name`` a member of ``project``, in ``role`` (by default their site role)."""
    member = users.get_user_by_name(db, name)
    role = accounts.check_role(role or member["role"])
    projects.set_member(db, project["id"], member["id"], role)
    events.log_event(
        db,
        "project.member",
        user_id=actor["id"] if actor else None,
        project_id=project["id"],
        name=name,
        role=role,
    )


def remove_member(db: sqlite_utils.Database, project: dict, name: str, *, actor: dict | None = None) -> None:
    member = users.get_user_by_name(db, name)
    projects.remove_member(db, project["id"], member["id"])
    events.log_event(
        db,
        "project.member_removed",
        user_id=actor["id"] if actor else None,
        project_id=project["id"],
        name=name,
    )


def list_members(db: sqlite_utils.Database, project: dict) -> list[dict]:
    return projects.list_members(db, project["id"])


def member_role(db: sqlite_utils.Database, project: dict, account: dict) -> str | None:
    """Return the role ``account`` has in ``project`` (admins have admin everywhere), or ``None``."""
    if accounts.has_role(account, "admin"):
        return "admin"
    return projects.find_member_role(db, project["id"], account["id"])


def require_project_role(
    db: sqlite_utils.Database, project: dict, role: str = "annotator", *, actor: dict
) -> str:
    """Return ``actor``'s role in ``project``; raise ``Forbidden`` unless it is at least ``role``.

    The one access rule of every project page, service and export: site admins hold admin in every
    project, everyone else the role their membership gives them.
    """
    held = member_role(db, project, actor)
    if held is None:
        raise Forbidden(f"you are not a member of the project {project['name']!r}")
    if not accounts.has_role({"role": held}, role):
        raise Forbidden(f"this is for the project's {role}s")
    return held


def find_project_by_name(db: sqlite_utils.Database, name: str) -> dict | None:
    return projects.find_project_by_name(db, name)
