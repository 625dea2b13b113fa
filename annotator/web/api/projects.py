"""API: projects, and a project's progress."""

from flask import g, jsonify, request

from ... import projects as project_service
from ... import team
from ...errors import Invalid
from ..db import get_db
from . import bp
from .spec import operation

PROJECT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "scheme": {"type": "string"},
        "scheme_version": {"type": "string"},
        "overlap": {"type": "integer"},
        "paused": {"type": "boolean"},
        "settings": {"type": "object"},
        "created_at": {"type": "string"},
    },
}
NEW_PROJECT = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "scheme": {"type": "string", "default": "newsattr-1"},
        "overlap": {"type": "integer", "minimum": 1, "maximum": 20, "default": 1},
    },
    "additionalProperties": False,
}


def project_json(project: dict) -> dict:
    return {key: project.get(key) for key in PROJECT_SCHEMA["properties"]} | {
        "paused": bool(project.get("paused")),
        "settings": dict(project.get("settings") or {}),
    }


def project_for(project_id: int, role: str) -> dict:
    """The project, when the token's user holds ``role`` in it (admins hold every project)."""
    db = get_db()
    project = project_service.get_project(db, project_id)
    project_service.require_project_role(db, project, role, actor=g.user)
    return project


def json_body(schema: dict) -> dict:
    """The request's JSON object, its keys checked against ``schema`` (types are the service's to check)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("send a JSON object with Content-Type: application/json")
    unknown = set(body) - set(schema["properties"])
    if unknown:
        raise Invalid(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    for name in schema.get("required", ()):
        if name not in body:
            raise Invalid(f"{name} is required", field=name)
    return body


@operation(
    bp,
    "GET",
    "/projects",
    summary="The projects you work in (every project for an admin)",
    role="annotator",
    response={
        "application/json": {
            "type": "object",
            "properties": {"projects": {"type": "array", "items": PROJECT_SCHEMA}},
        }
    },
)
def list_projects():
    rows = project_service.list_projects_for(get_db(), actor=g.user)
    return jsonify({"projects": [project_json(p) for p in rows]})


@operation(
    bp,
    "POST",
    "/projects",
    summary="Create a project (admins)",
    role="admin",
    body={"application/json": NEW_PROJECT},
    response={"application/json": PROJECT_SCHEMA},
)
def create_project():
    body = json_body(NEW_PROJECT)
    scheme = body.get("scheme", "newsattr-1")
    # A scheme file path would let a request make the server read any file: built-in names only.
    if not isinstance(scheme, str) or "/" in scheme or "\\" in scheme or scheme.endswith(".toml"):
        raise Invalid("scheme is the name of a built-in scheme, such as newsattr-1", field="scheme")
    overlap = body.get("overlap", 1)
    if isinstance(overlap, bool):
        raise Invalid("overlap must be a whole number from 1 to 20", field="overlap")
    project = project_service.create_project(
        get_db(),
        body["name"] if isinstance(body["name"], str) else "",
        scheme=scheme,
        overlap=overlap,
        actor=g.user,
    )
    return jsonify(project_json(project)), 201


@operation(
    bp,
    "GET",
    "/projects/<int:project_id>",
    summary="One project you work in",
    role="annotator",
    response={"application/json": PROJECT_SCHEMA},
)
def get_project(project_id):
    return jsonify(project_json(project_for(project_id, "annotator")))


@operation(
    bp,
    "GET",
    "/projects/<int:project_id>/progress",
    summary="The project's progress: paragraphs by annotations done, decided, per annotator, per day",
    role="reviewer",
)
def progress(project_id):
    project = project_for(project_id, "reviewer")
    return jsonify(team.progress(get_db(), project))
