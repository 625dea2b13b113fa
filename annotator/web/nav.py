"""Navigation links, filtered by role and by which blueprints exist."""

from flask import current_app, url_for

from .. import accounts

# (label, endpoint, role needed)
MAIN = [
    ("New project", "team.new_project", "admin"),
    ("Users", "admin.users", "admin"),
    ("Audit log", "admin.events", "admin"),
]

# (label, endpoint, role needed[, project setting that must be on]); each endpoint takes ``project_id``.
PROJECT = [
    ("Annotate", "annotate.start", "annotator"),
    ("My work", "annotate.history", "annotator"),
    ("Guidelines", "annotate.guidelines", "annotator"),
    ("My feedback", "review.feedback", "annotator", "feedback"),
    ("Review", "review.queue", "reviewer"),
    ("Agreement", "review.agreement", "reviewer"),
    ("Progress", "team.progress", "reviewer"),
    ("Settings", "team.settings", "admin"),
    ("Flags", "annotate.flags", "admin"),
    ("Articles", "imports.articles", "admin"),
    ("Import", "imports.upload", "admin"),
    ("Export", "datasets.index", "admin"),
]


def _exists(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def nav_items(user: dict | None) -> list[dict]:
    return [
        {"label": label, "url": url_for(endpoint)}
        for label, endpoint, role in MAIN
        if _exists(endpoint) and accounts.has_role(user, role)
    ]


def project_links(project: dict, user: dict | None) -> list[dict]:
    """Links for one project; a member's project role counts, and an admin sees them all."""
    role = project.get("member_role") or (user or {}).get("role")
    holder = {"role": role} if role else None
    settings = project.get("settings") or {}
    return [
        {"label": label, "url": url_for(endpoint, project_id=project["id"])}
        for label, endpoint, needed, *setting in PROJECT
        if _exists(endpoint)
        and accounts.has_role(holder, needed)
        and all(settings.get(name) for name in setting)
    ]
