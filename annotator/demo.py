"""The demo database that ``make run`` creates: a project with the bundled sample article and four users."""

from importlib import resources

import sqlite_utils

from . import accounts, importing, projects

DEMO_PROJECT = "demo"
DEMO_USERS = [
    ("admin", "admin"),
    ("reviewer", "reviewer"),
    ("annotator1", "annotator"),
    ("annotator2", "annotator"),
]


def sample_files() -> list[tuple[str, bytes]]:
    """Return the bundled sample articles as (name, bytes)."""
    folder = resources.files("annotator") / "samples"
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in folder.iterdir()
        if entry.name.endswith((".txt", ".html", ".htm")) and not entry.name.startswith(".")
    )


def import_samples(db: sqlite_utils.Database, project: dict) -> importing.ImportReport:
    """Import the bundled sample articles into ``project``."""
    report = importing.ImportReport()
    for name, data in sample_files():
        importing.import_bytes(db, project, data, source_name=name, report=report)
    return report


def create_demo(db: sqlite_utils.Database) -> dict:
    """Fill an empty database with the demo project and users; return the users' fresh passwords."""
    project = projects.create_project(db, DEMO_PROJECT, overlap=2, extended="all")
    report = import_samples(db, project)
    created = []
    for name, role in DEMO_USERS:
        password = accounts.generate_password()
        accounts.create_user(db, name, role=role, password=password)
        projects.add_member(db, project, name, role=role)
        created.append((name, role, password))
    return {"project": project["name"], "users": created, "import": report.to_dict()}
