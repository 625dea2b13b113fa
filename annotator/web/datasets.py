"""Export in the browser: an admin picks a view and filters and downloads JSONL as it streams."""

from flask import Blueprint, Response, g, request

from .. import datasets, export, projects
from ..errors import Invalid
from .access import role_required
from .db import get_db, streaming_db
from .htmx import render

bp = Blueprint("datasets", __name__)


def _project(project_id: int) -> dict:
    db = get_db()
    project = projects.get_project(db, project_id)
    projects.require_project_role(db, project, "admin", actor=g.user)
    return project


@bp.get("/projects/<int:project_id>/export")
@role_required("admin")
def index(project_id):
    project = _project(project_id)
    return render(
        "datasets/index.html",
        project=project,
        views=export.VIEWS,
        only=datasets.ONLY,
        splits=("all", *export.SPLITS),
    )


@bp.get("/projects/<int:project_id>/export.jsonl")
@role_required("admin")
def download(project_id):
    project = _project(project_id)
    view = request.args.get("view", "gold")
    only = request.args.get("only", "all")
    split = request.args.get("split", "all")
    try:
        min_annotators = int(request.args.get("min_annotators", "1"))
        seed = int(request.args.get("seed", "0"))
    except ValueError as e:
        raise Invalid("min_annotators and seed are whole numbers") from e
    # Check before the first byte is sent, so errors still get a proper page.
    datasets.check_download(view=view, only=only, min_annotators=min_annotators, split=split)

    connection = streaming_db()

    def lines():
        with connection as db:
            yield from datasets.iter_download_split(
                db, project, view=view, only=only, min_annotators=min_annotators, split=split, seed=seed
            )

    name = f"{project['name']}-{view}{'' if split == 'all' else '-' + split}.jsonl".replace("/", "_")
    return Response(
        lines(),
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
