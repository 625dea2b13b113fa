"""API: a model's labels as suggestions, in the format of ``annotator import-suggestions``."""

from flask import current_app, g, jsonify, request

from ... import suggestions
from ...errors import Invalid
from ..db import get_db
from . import bp
from .projects import project_for
from .spec import Param, operation

REPORT = {
    "type": "object",
    "properties": {
        "source": {"type": "string"},
        "paragraphs": {"type": "integer"},
        "lines": {"type": "integer"},
    },
}


@operation(
    bp,
    "POST",
    "/projects/<int:project_id>/suggestions",
    summary="Import a model's labels as the suggestions of one source (replacing that source)",
    role="admin",
    params=(Param("source", "string", "The source's name: letters, digits, '.', '_' or '-'"),),
    body={
        "application/x-ndjson": {
            "type": "string",
            "description": "JSONL lines: paragraph_id or text_sha256, labels",
        },
        "multipart/form-data": {
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}},
        },
    },
    response={"application/json": REPORT},
    description="Each line names a paragraph by `paragraph_id` (`<article_id>#p<position>`, as exported) or "
    "`text_sha256`, and gives `labels` in the project's scheme, checked like a save (fields may be left "
    "empty). All or nothing: a bad line answers 400 naming the line and field, and nothing changes.",
)
def import_suggestions(project_id, source):
    project = project_for(project_id, "admin")
    if not source:
        raise Invalid("name the source: ?source=NAME", field="source")
    upload = request.files.get("file")
    data = upload.read(current_app.config["IMPORT_MAX_BYTES"] + 1) if upload else request.get_data()
    if len(data) > current_app.config["IMPORT_MAX_BYTES"]:
        raise Invalid(f"the file is larger than {current_app.config['IMPORT_MAX_BYTES']} bytes", field="file")
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise Invalid(f"the file is not UTF-8 (byte {e.start})", field="file") from None
    report = suggestions.import_suggestions(get_db(), project, lines, source=source, actor=g.user)
    return jsonify(report)
