"""The annotation workspace: one paragraph in its article, labels saved without page reloads.

The page posts its labels document as JSON in the ``labels`` field with ``version`` and
``ms`` (whole milliseconds of active time not reported yet); without JavaScript the paragraph-level choice fields post as a plain form.

    GET  /projects/<p>/annotate                      lease the next paragraph: redirect (page) or render (htmx)
    GET  /projects/<p>/paragraphs/<id>               one paragraph of yours, page or fragment
    POST /projects/<p>/paragraphs/<id>/annotation    save (JSON answers: 200 {version}, 400 {errors}, 409 {current});
                                                     with next=1 the next paragraph's fragment; plain form: 303
    POST /projects/<p>/paragraphs/<id>/draft         keep unsaved labels (and renew the lease); ms: time spent
    POST /projects/<p>/paragraphs/<id>/time          ms: time a page view spent, added at the next save
    POST /projects/<p>/paragraphs/<id>/draft/discard
    POST /projects/<p>/paragraphs/<id>/skip          reason: unclear, not_news, extraction_error
    POST /projects/<p>/paragraphs/<id>/flag          extracted wrongly: admins see it at /projects/<p>/flags
    GET  /projects/<p>/previous?before=<id>          your previous done or skipped paragraph
    GET  /projects/<p>/my-work, /projects/<p>/guidelines, /projects/<p>/flags (admin)
"""

import functools
import hashlib

from flask import Blueprint, g, get_template_attribute, jsonify, make_response, redirect, request, url_for
from markupsafe import Markup

from .. import annotation, projects, suggestions
from ..errors import Conflict, Invalid
from .access import role_required
from .db import get_db
from .htmx import render, wants_fragment

bp = Blueprint("annotate", __name__)


def _project(project_id: int) -> dict:
    return projects.get_project(get_db(), project_id)


PAGE_SCHEME_KEYS = ("name", "version", "fields", "span_roles", "sourcing_scale")


@functools.lru_cache(maxsize=32)
def _scheme_parts(scheme) -> tuple[Markup, Markup, str]:
    """Return the scheme as JSON for the page's script, the rendered key overlay, and a tag naming both.

    Schemes are cached and compared by identity, so this renders once per scheme and project setting.
    """
    from jinja2.utils import htmlsafe_json_dumps

    # Only what the page's script reads: the guidelines, rules and descriptions have their own
    # page, and sending them cost the first annotate page its weight budget (bench_page_weight).
    model = {k: v for k, v in scheme.to_dict().items() if k in PAGE_SCHEME_KEYS}
    data = Markup(htmlsafe_json_dumps(model))
    keys = get_template_attribute("annotate/_macros.html", "keys_help")(scheme)
    tag = hashlib.sha256((data + keys).encode()).hexdigest()[:16]
    return data, Markup(keys), tag


def _json_wanted() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _task_context(project: dict, paragraph_id: int, **extra) -> dict:
    task = annotation.task(get_db(), project, actor=g.user, paragraph_id=paragraph_id)
    pid = project["id"]
    urls = {
        "save": url_for("annotate.save", project_id=pid, paragraph_id=paragraph_id),
        "draft": url_for("annotate.draft", project_id=pid, paragraph_id=paragraph_id),
        "time": url_for("annotate.view_time", project_id=pid, paragraph_id=paragraph_id),
        "discard": url_for("annotate.discard_draft", project_id=pid, paragraph_id=paragraph_id),
        "previous": url_for("annotate.previous", project_id=pid, before=paragraph_id),
        "start": url_for("annotate.start", project_id=pid),
        "guidelines": url_for("annotate.guidelines", project_id=pid),
    }
    scheme = task["scheme"]
    data = {
        "project_id": pid,
        "paragraph_id": paragraph_id,
        "user_id": g.user["id"],
        "text": task["paragraph"]["text"],
        "labels": task["labels"],
        "version": task["version"],
        "urls": urls,
        # Issue 16: the project's suggestions for this paragraph (static/js/annotate-suggest.js).
        "suggestions": suggestions.for_paragraph(get_db(), project, task["paragraph"]),
    }
    scheme_json, keys_help, scheme_tag = _scheme_parts(scheme)
    if request.headers.get("X-Scheme") == scheme_tag:
        # The page already holds this scheme and its key overlay: a paragraph swap need not resend ~40 KB.
        scheme_json = keys_help = None
    return {
        **task,
        "data": data,
        "urls": urls,
        "targets": task["stance_targets"],
        "scheme_json": scheme_json,
        "keys_help": keys_help,
        "scheme_tag": scheme_tag,
        "scripted": bool(request.headers.get("HX-Request")),
        "skip_reasons": annotation.SKIP_REASON_LABELS,
        "flag_reasons": annotation.FLAG_REASON_LABELS,
        **extra,
    }


def _render_task(project: dict, paragraph_id: int, *, status: int = 200, push: bool = False, **extra):
    context = _task_context(project, paragraph_id, **extra)
    response = render("annotate/task.html", "annotate/_task.html", status=status, **context)
    if push:
        response.headers["X-Push-Url"] = url_for(
            "annotate.paragraph", project_id=project["id"], paragraph_id=paragraph_id
        )
    return response


def _render_next(project: dict, *, push: bool = True, leased: dict | None = None):
    """Lease the next paragraph (unless ``leased`` is it) and render it (htmx) or redirect to it; the done
    page when none is left."""
    db = get_db()
    try:
        paragraph = leased or annotation.next_paragraph(db, project, actor=g.user)
    except annotation.Paused as e:
        return _render_done(project, paused=e.message)
    if paragraph is None:
        return _render_done(project)
    if not wants_fragment():
        return redirect(
            url_for("annotate.paragraph", project_id=project["id"], paragraph_id=paragraph["id"]), 303
        )
    return _render_task(project, paragraph["id"], push=push)


def _render_done(project: dict, paused: str | None = None):
    progress = annotation.progress(get_db(), project, actor=g.user)
    response = render(
        "annotate/done.html", "annotate/_done.html", project=project, progress=progress, paused=paused
    )
    if wants_fragment():
        response.headers["X-Push-Url"] = url_for("annotate.start", project_id=project["id"])
    return response


@bp.get("/projects/<int:project_id>/annotate")
@role_required("annotator")
def start(project_id):
    return _render_next(_project(project_id))


@bp.get("/projects/<int:project_id>/paragraphs/<int:paragraph_id>")
@role_required("annotator")
def paragraph(project_id, paragraph_id):
    return _render_task(_project(project_id), paragraph_id)


@bp.post("/projects/<int:project_id>/paragraphs/<int:paragraph_id>/annotation")
@role_required("annotator")
def save(project_id, paragraph_id):
    project = _project(project_id)
    db = get_db()
    form = request.form
    plain = "labels" not in form
    then_next = bool(form.get("next")) and not plain
    leased = None
    try:
        version = annotation.parse_version(form.get("version"))
        if "ms" in form:
            seconds = annotation.parse_ms(form.get("ms")) / 1000
        else:
            seconds = annotation.parse_seconds(form.get("seconds"))
        if plain:
            labels, _ = annotation.saved_labels(db, project, actor=g.user, paragraph_id=paragraph_id)
            fields = {k: form.get(k, "") for k in ("kind", "primary_frame", "notes") if k in form}
            fields["frames"] = form.getlist("frames")
            labels = annotation.apply_form(labels, fields, annotation.scheme_for(project))
        else:
            labels = annotation.parse_labels(form.get("labels"))
        if then_next:
            saved, leased = annotation.save_and_lease_next(
                db,
                project=project,
                actor=g.user,
                paragraph_id=paragraph_id,
                labels=labels,
                version=version,
                seconds=seconds,
            )
        else:
            saved = annotation.save(
                db,
                project=project,
                actor=g.user,
                paragraph_id=paragraph_id,
                labels=labels,
                version=version,
                seconds=seconds,
            )
    except annotation.LabelsInvalid as e:
        if plain:
            return _render_task(project, paragraph_id, status=400, form_errors=e.errors)
        return jsonify(message=e.message, errors=[x.to_dict() for x in e.errors]), 400
    except Invalid as e:
        if plain or not _json_wanted():
            raise
        return jsonify(
            message=e.message, errors=[{"path": e.field or "", "message": e.message, "code": "invalid"}]
        ), 400
    except Conflict as e:
        if plain or not _json_wanted():
            raise
        return jsonify(message=e.message, current=getattr(e, "current", None)), 409
    if plain:
        return redirect(url_for("annotate.start", project_id=project_id), 303)
    if then_next:
        return _render_next(project, leased=leased)
    return jsonify(saved)


@bp.post("/projects/<int:project_id>/paragraphs/<int:paragraph_id>/draft")
@role_required("annotator")
def draft(project_id, paragraph_id):
    project = _project(project_id)
    labels = annotation.parse_labels(request.form.get("labels"))
    version = annotation.parse_version(request.form.get("version"))
    result = annotation.save_draft(
        get_db(),
        project=project,
        actor=g.user,
        paragraph_id=paragraph_id,
        labels=labels,
        version=version,
        ms=annotation.parse_ms(request.form.get("ms")),
    )
    return jsonify(result)


@bp.post("/projects/<int:project_id>/paragraphs/<int:paragraph_id>/time")
@role_required("annotator")
def view_time(project_id, paragraph_id):
    annotation.record_time(
        get_db(),
        project=_project(project_id),
        actor=g.user,
        paragraph_id=paragraph_id,
        ms=annotation.parse_ms(request.form.get("ms")),
    )
    return "", 204


@bp.post("/projects/<int:project_id>/paragraphs/<int:paragraph_id>/draft/discard")
@role_required("annotator")
def discard_draft(project_id, paragraph_id):
    annotation.discard_draft(get_db(), _project(project_id), actor=g.user, paragraph_id=paragraph_id)
    if wants_fragment():
        return "", 204
    return redirect(url_for("annotate.paragraph", project_id=project_id, paragraph_id=paragraph_id), 303)


@bp.post("/projects/<int:project_id>/paragraphs/<int:paragraph_id>/skip")
@role_required("annotator")
def skip(project_id, paragraph_id):
    project = _project(project_id)
    reason = request.form.get("reason", "")
    annotation.skip(get_db(), project, actor=g.user, paragraph_id=paragraph_id, reason=reason)
    response = _render_next(project)
    # The page says what happened, and how to go back.
    label = annotation.SKIP_REASON_LABELS.get(reason, reason)
    response.headers["X-Message"] = f"Skipped the last paragraph ({label}): < opens it again."
    return response


@bp.post("/projects/<int:project_id>/paragraphs/<int:paragraph_id>/flag")
@role_required("annotator")
def flag(project_id, paragraph_id):
    project = _project(project_id)
    annotation.flag(
        get_db(),
        project=project,
        actor=g.user,
        paragraph_id=paragraph_id,
        reason=request.form.get("reason", ""),
        note=request.form.get("note", ""),
    )
    message = "Flagged for an administrator: thank you."
    if wants_fragment():
        response = make_response(f'<p class="flash">{message}</p>')
        response.headers["X-Message"] = message
        return response
    return redirect(url_for("annotate.paragraph", project_id=project_id, paragraph_id=paragraph_id), 303)


@bp.get("/projects/<int:project_id>/previous")
@role_required("annotator")
def previous(project_id):
    project = _project(project_id)
    before = request.args.get("before", type=int)
    row = annotation.previous(get_db(), project, actor=g.user, before=before)
    if row is None:
        if before is not None:
            return redirect(url_for("annotate.paragraph", project_id=project_id, paragraph_id=before))
        return redirect(url_for("annotate.start", project_id=project_id))
    return redirect(url_for("annotate.paragraph", project_id=project_id, paragraph_id=row["id"]))


@bp.get("/projects/<int:project_id>/my-work")
@role_required("annotator")
def history(project_id):
    project = _project(project_id)
    page = max(request.args.get("page", 1, type=int), 1)
    rows = annotation.my_work(get_db(), project, actor=g.user, page=page)
    progress = annotation.progress(get_db(), project, actor=g.user)
    return render("annotate/history.html", project=project, rows=rows, page_number=page, progress=progress)


@bp.get("/projects/<int:project_id>/guidelines")
@role_required("annotator")
def guidelines(project_id):
    project = _project(project_id)
    projects.require_project_role(get_db(), project, actor=g.user)
    scheme = annotation.scheme_for(project)
    return render("annotate/guidelines.html", project=project, scheme=scheme, example=scheme.worked_example())


@bp.get("/projects/<int:project_id>/flags")
@role_required("admin")
def flags(project_id):
    project = _project(project_id)
    return render(
        "annotate/flags.html",
        project=project,
        flags=annotation.open_flags(get_db(), project),
        reasons=annotation.FLAG_REASON_LABELS,
    )


@bp.post("/projects/<int:project_id>/flags/<int:flag_id>/resolve")
@role_required("admin")
def resolve_flag(project_id, flag_id):
    project = _project(project_id)
    projects.require_project_role(get_db(), project, "admin", actor=g.user)
    annotation.resolve_flag(get_db(), project, flag_id=flag_id)
    return redirect(url_for("annotate.flags", project_id=project_id), 303)
