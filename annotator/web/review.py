"""Reviewing in the browser: the queue, one paragraph's annotations side by side, gold decisions, reports."""

import json

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from .. import review
from ..errors import Conflict, Invalid
from .access import role_required
from .db import get_db
from .htmx import render

bp = Blueprint("review", __name__)

#: Form keys that choose an annotator's version (``field:<path>``, ``attribution:<row>``, ...)
#: or move a span of the gold (``span:<row key>:<role>``)
PICK_PREFIXES = ("field:", "attribution:", "claim:", "fspan:", "link:", "span:")


class DecisionForm(FlaskForm):
    note = TextAreaField("Note", validators=[Length(max=5000)])
    labels_json = TextAreaField("Gold labels (JSON)", validators=[Length(max=200_000)])
    version = IntegerField(validators=[Optional(), NumberRange(min=0)])
    action = HiddenField(default="picks")


class ConfirmForm(FlaskForm):
    """Nothing but the CSRF token, for buttons that change state."""


def _picks() -> dict[str, str]:
    picks = {k: v for k, v in request.form.items() if k.startswith(PICK_PREFIXES)}
    if request.form.get("no_attribution"):
        picks["no_attribution"] = "1"
    return picks


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.get("/projects/<int:project_id>/review")
@role_required("reviewer")
def queue(project_id):
    db = get_db()
    project = review.project_for_reviewer(db, project_id, actor=g.user)
    data = review.queue(
        db, project, state=request.args.get("state", "open"), page=_page_number(), q=request.args.get("q", "")
    )
    return render("review/queue.html", "review/_queue.html", project=project, confirm=ConfirmForm(), **data)


@bp.get("/projects/<int:project_id>/review/unanimous")
@role_required("reviewer")
def unanimous(project_id):
    db = get_db()
    project = review.project_for_reviewer(db, project_id, actor=g.user)
    data = review.queue(db, project, state="unanimous", page=_page_number(), q=request.args.get("q", ""))
    return render("review/queue.html", "review/_queue.html", project=project, confirm=ConfirmForm(), **data)


@bp.post("/projects/<int:project_id>/review/refresh")
@role_required("reviewer")
def refresh(project_id):
    db = get_db()
    project = review.project_for_reviewer(db, project_id, actor=g.user)
    if not ConfirmForm().validate_on_submit():
        raise Invalid("the form expired: reload the page and try again")
    counts = review.refresh(db, project)
    flash(
        f"Queue recomputed: {counts['open']} open, {counts['unanimous']} unanimous, {counts['decided']} decided."
    )
    return redirect(url_for("review.queue", project_id=project_id))


def _item_page(project, paragraph_id, form=None, *, picks=None, errors=None, status=200, message=None):
    data = review.review_item(get_db(), project, paragraph_id, picks=picks)
    form = form or DecisionForm()
    if form.version.data is None:
        form.version.data = data["decision"]["version"] if data["decision"] else 0
    if request.method == "GET" and data["decision"]:
        # a decided paragraph opens on its gold, for spot checks and revisions
        form.labels_json.data = _dump(data["decision"]["labels"])
    elif not form.labels_json.data or form.action.data != "json":
        form.labels_json.data = _dump(data["composed"])
    if not form.note.data and data["decision"] and request.method == "GET":
        form.note.data = data["decision"]["note"]
    return render(
        "review/item.html",
        project=project,
        form=form,
        errors=errors or [],
        message=message,
        status=status,
        **data,
    )


def _dump(labels) -> str:
    return json.dumps(labels, ensure_ascii=False, indent=2)


@bp.get("/projects/<int:project_id>/review/<int:paragraph_id>")
@role_required("reviewer")
def item(project_id, paragraph_id):
    project = review.project_for_reviewer(get_db(), project_id, actor=g.user)
    return _item_page(project, paragraph_id)


@bp.post("/projects/<int:project_id>/review/<int:paragraph_id>/preview")
@role_required("reviewer")
def preview(project_id, paragraph_id):
    """Return the gold the current choices would give (the JSON editor's content), without saving."""
    db = get_db()
    project = review.project_for_reviewer(db, project_id, actor=g.user)
    if not DecisionForm().validate_on_submit():
        raise Invalid("the form expired: reload the page and try again")
    data = review.review_item(db, project, paragraph_id, picks=_picks())
    return render(
        "review/_composed.html",
        labels_json=_dump(data["composed"]),
        problems=data["problems"],
        broken_links=data["broken_links"],
        gold_segments=data["gold_segments"],
        span_kinds=data["span_kinds"],
        span_keys=data["span_keys"],
        moved=data["moved"],
        paragraph_id=paragraph_id,
        project=project,
    )


@bp.post("/projects/<int:project_id>/review/<int:paragraph_id>")
@role_required("reviewer")
def decide(project_id, paragraph_id):
    db = get_db()
    project = review.project_for_reviewer(db, project_id, actor=g.user)
    form = DecisionForm()
    picks = _picks()
    if not form.validate_on_submit():
        return _item_page(project, paragraph_id, form, picks=picks, status=400)
    action = form.action.data or "picks"
    if action == "preview":
        form.action.data = "picks"
        return _item_page(project, paragraph_id, form, picks=picks)
    try:
        labels = review.parse_labels_json(form.labels_json.data or "") if action == "json" else None
        decision = review.decide(
            db,
            project,
            paragraph_id=paragraph_id,
            actor=g.user,
            note=form.note.data or "",
            picks=None if labels is not None else picks,
            labels=labels,
            expected_version=form.version.data if form.version.data is not None else 0,
        )
    except Conflict as e:
        return _item_page(project, paragraph_id, form, picks=picks, status=409, message=e.message)
    except Invalid as e:
        errors = getattr(e, "errors", None) or [{"path": e.field or "", "message": e.message}]
        return _item_page(
            project, paragraph_id, form, picks=picks, errors=errors, status=400, message=e.message
        )
    flash(f"Decision saved (version {decision['version']}).")
    next_id = review.next_to_review(db, project, after=paragraph_id)
    if next_id is None:
        return redirect(url_for("review.queue", project_id=project_id))
    return redirect(url_for("review.item", project_id=project_id, paragraph_id=next_id))


@bp.get("/projects/<int:project_id>/agreement")
@role_required("reviewer")
def agreement(project_id):
    db = get_db()
    project = review.project_for_reviewer(db, project_id, actor=g.user)
    report = review.project_report(db, project)
    return render("review/agreement.html", project=project, report=report, confirm=ConfirmForm())


@bp.post("/projects/<int:project_id>/agreement")
@role_required("reviewer")
def recompute(project_id):
    db = get_db()
    project = review.project_for_reviewer(db, project_id, actor=g.user)
    if not ConfirmForm().validate_on_submit():
        raise Invalid("the form expired: reload the page and try again")
    report = review.project_report(db, project, recompute=True)
    flash(f"Agreement recomputed in {report['seconds']:.1f} s.")
    return redirect(url_for("review.agreement", project_id=project_id))


@bp.get("/projects/<int:project_id>/feedback")
@role_required("annotator")
def feedback(project_id):
    db = get_db()
    project = review.project_for_feedback(db, project_id, actor=g.user)
    return render("review/feedback.html", project=project, **review.feedback(db, project, g.user))
