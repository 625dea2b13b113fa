"""API: articles in (the CLI's import, with its per-file report), listed, and read with their units."""

from flask import current_app, g, jsonify, request

from ... import crawls, curation
from ...errors import Invalid, NotFound
from ...ingest import FORMATS
from ..db import get_db
from . import bp
from .projects import project_for
from .spec import Param, operation

REPORT_ITEM = {"type": "object", "additionalProperties": True}
IMPORT_REPORT = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "files": {"type": "integer"},
        **{
            name: {"type": "array", "items": REPORT_ITEM}
            for name in ("added", "duplicates", "changed", "failed", "skipped")
        },
    },
}
ARTICLE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "uid": {"type": "string"},
        "title": {"type": "string", "nullable": True},
        "outlet": {"type": "string", "nullable": True},
        "published": {"type": "string", "nullable": True},
        "url": {"type": "string", "nullable": True},
        "source_format": {"type": "string"},
        "imported_at": {"type": "string"},
    },
}
UNIT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "paragraph_id": {"type": "string"},
        "position": {"type": "integer"},
        "kind": {"type": "string"},
        "text": {"type": "string"},
        "text_sha256": {"type": "string"},
        "doc_char_start": {"type": "integer"},
    },
}


@operation(
    bp,
    "POST",
    "/projects/<int:project_id>/articles",
    summary="Import files of articles (JSONL, HTML, text, or WARC archives); one transaction per file",
    role="admin",
    body={
        "multipart/form-data": {
            "type": "object",
            "required": ["files"],
            "properties": {
                "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                "format": {"type": "string", "enum": ["auto", *FORMATS], "default": "auto"},
            },
        }
    },
    response={"application/json": IMPORT_REPORT},
    description="The report is the one `annotator import --json` prints: per article added, duplicates "
    "and changed versions; per file failed (with the line) and skipped; per WARC archive its articles "
    "and the records passed over. A file with any bad article imports nothing.",
)
def import_articles(project_id):
    project = project_for(project_id, "admin")
    fmt = request.form.get("format", "auto")
    if fmt not in ("auto", *FORMATS):
        raise Invalid(f"format must be one of auto, {', '.join(FORMATS)}", field="format")
    files = [f for f in request.files.getlist("files") if f]
    if not files:
        raise Invalid("send one or more files as multipart form fields named 'files'", field="files")
    report = crawls.import_uploads(
        get_db(),
        project,
        [(f.filename, f.stream) for f in files],
        format=fmt,
        max_bytes=current_app.config["IMPORT_MAX_BYTES"],
        actor=g.user,
    )
    return jsonify({"summary": report.summary(), **report.to_dict()})


@operation(
    bp,
    "GET",
    "/projects/<int:project_id>/articles",
    summary="The project's articles, a page at a time, in queue order",
    role="admin",
    params=(Param("page", "integer", "Page number, from 1", default=1, minimum=1),),
    response={
        "application/json": {
            "type": "object",
            "properties": {
                "articles": {"type": "array", "items": ARTICLE},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
            },
        }
    },
)
def list_articles(project_id, page):
    project = project_for(project_id, "admin")
    listing = curation.list_articles(get_db(), project, page=page)
    return jsonify(
        {
            "articles": [{key: row.get(key) for key in ARTICLE["properties"]} for row in listing["articles"]],
            **{key: listing[key] for key in ("total", "page", "pages")},
        }
    )


@operation(
    bp,
    "GET",
    "/projects/<int:project_id>/articles/<int:article_id>",
    summary="One article: its metadata and its units in order",
    role="admin",
    response={
        "application/json": {
            "allOf": [ARTICLE, {"type": "object", "properties": {"units": {"type": "array", "items": UNIT}}}]
        }
    },
)
def get_article(project_id, article_id):
    project_for(project_id, "admin")
    view = curation.article_view(get_db(), article_id)
    article = view["article"]
    if article["project_id"] != project_id:
        raise NotFound(f"project {project_id} has no article with id {article_id}")
    units = [
        {key: unit.get(key) for key in UNIT["properties"]}
        | {"paragraph_id": f"{article['uid']}#p{unit['position']}"}
        for unit in view["units"]
    ]
    return jsonify({**{key: article.get(key) for key in ARTICLE["properties"]}, "units": units})
