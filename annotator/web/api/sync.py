"""API: annotations and gold changed since a cursor (incremental sync), and exports streamed."""

import tempfile

from flask import Response, jsonify

from ... import datasets, export, sync
from ..db import get_db, streaming_db
from . import bp
from .projects import project_for
from .spec import Param, operation

SYNC_PARAMS = (
    Param("since", "integer", "Cursor: 0 for everything, else a page's next_cursor", default=0, minimum=0),
    Param("limit", "integer", "Items per page", default=100, minimum=1, maximum=sync.MAX_LIMIT),
)


def _page(record_ref: str) -> dict:
    return {
        "application/json": {
            "type": "object",
            "properties": {
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "cursor": {"type": "integer"},
                            "removed": {"type": "boolean"},
                            "record": {"$ref": record_ref},
                            "paragraph_id": {"type": "string", "description": "of a removed item"},
                            "annotator": {"type": "string", "description": "of a removed annotation"},
                        },
                    },
                },
                "next_cursor": {"type": "integer"},
                "has_more": {"type": "boolean"},
            },
        }
    }


@operation(
    bp,
    "GET",
    "/projects/<int:project_id>/annotations",
    summary="Annotations saved or removed since a cursor, oldest first, one item per paragraph and annotator",
    role="reviewer",
    params=SYNC_PARAMS,
    response=_page("#/components/schemas/AllRecord"),
    description="Each record is the one `annotator export --view all` writes. Page on with next_cursor "
    "while has_more; keep the last next_cursor to pull only what changes later.",
)
def annotations(project_id, since, limit):
    project = project_for(project_id, "reviewer")
    return jsonify(sync.pull(get_db(), project, "annotations", since=since, limit=limit))


@operation(
    bp,
    "GET",
    "/projects/<int:project_id>/gold",
    summary="Gold decisions made, changed or withdrawn since a cursor, oldest first, one item per paragraph",
    role="reviewer",
    params=SYNC_PARAMS,
    response=_page("#/components/schemas/GoldRecord"),
    description="Each record is the one `annotator export --view gold` writes.",
)
def gold(project_id, since, limit):
    project = project_for(project_id, "reviewer")
    return jsonify(sync.pull(get_db(), project, "gold", since=since, limit=limit))


@operation(
    bp,
    "GET",
    "/projects/<int:project_id>/export",
    summary="A view of the project as JSONL or Parquet, streamed; one split or all of it",
    role="admin",
    params=(
        Param("view", description="all, gold or spans", default="gold", enum=export.VIEWS),
        Param("format", description="jsonl or parquet", default="jsonl", enum=datasets.FORMATS),
        Param("only", description="gold and spans: which decisions", default="all", enum=datasets.ONLY),
        Param(
            "min_annotators",
            "integer",
            "Paragraphs with at least this many annotations",
            default=1,
            minimum=1,
        ),
        Param(
            "split",
            description="One split (80/10/10 by article) or all",
            default="all",
            enum=("all", *export.SPLITS),
        ),
        Param("seed", "integer", "Split seed", default=0, minimum=0),
    ),
    response={
        "application/x-ndjson": {"type": "string"},
        "application/vnd.apache.parquet": {"type": "string", "format": "binary"},
    },
    description="The records and splits of `annotator export` with the same view and filters.",
)
def export_view(project_id, view, format, only, min_annotators, split, seed):
    project = project_for(project_id, "admin")
    datasets.check_download(view=view, only=only, min_annotators=min_annotators, split=split)
    name = f"{project['name']}-{view}{'' if split == 'all' else '-' + split}".replace("/", "_").replace(
        '"', "_"
    )
    options = {"view": view, "only": only, "min_annotators": min_annotators, "split": split, "seed": seed}
    if format == "parquet":
        # Parquet's footer comes last: the file is written whole to a temporary file, then streamed.
        fh = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the stream ends
        try:
            datasets.write_download_parquet(get_db(), project, fh, **options)
            size = fh.tell()
            fh.seek(0)
        except BaseException:
            fh.close()
            raise

        def chunks():
            with fh:
                while block := fh.read(1 << 16):
                    yield block

        return Response(
            chunks(),
            mimetype="application/vnd.apache.parquet",
            headers={
                "Content-Disposition": f'attachment; filename="{name}.parquet"',
                "Content-Length": str(size),
            },
        )
    connection = streaming_db()

    def lines():
        with connection as db:
            yield from datasets.iter_download_split(db, project, **options)

    return Response(
        lines(),
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{name}.jsonl"'},
    )
