"""Import articles in the browser, list them, and fix their units (admins only)."""

from flask import Blueprint, current_app, flash, g, redirect, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from .. import curation, importing
from .. import projects as project_service
from ..errors import Invalid
from .access import role_required
from .db import get_db
from .forms import ConfirmForm
from .htmx import render, wants_fragment

bp = Blueprint("imports", __name__)

FORMAT_CHOICES = [
    SelectChoice("auto", "detect from the content"),
    SelectChoice("text", "scraped page text"),
    SelectChoice("html", "HTML"),
    SelectChoice("jsonl", "JSONL, one article per line"),
]


class UploadForm(FlaskForm):
    files = MultipleFileField("Files")
    format = SelectField("Format", choices=FORMAT_CHOICES, default="auto")


class KindForm(FlaskForm):
    kind = SelectField("Kind", validate_choice=False, validators=[InputRequired()])


class SplitForm(FlaskForm):
    offset = IntegerField(
        "Split before character", validators=[InputRequired("choose where to split"), NumberRange(min=1)]
    )


def _upload_page(form, *, report=None, status=200):
    project = project_service.get_project(get_db(), request.view_args["project_id"])
    return render(
        "imports/upload.html",
        "imports/_import_result.html",
        status=status,
        project=project,
        form=form,
        report=report,
        max_mb=current_app.config["IMPORT_MAX_BYTES"] / 1e6,
    )


@bp.get("/projects/<int:project_id>/import")
@role_required("admin")
def upload(project_id):
    return _upload_page(UploadForm())


@bp.post("/projects/<int:project_id>/import")
@role_required("admin")
def do_upload(project_id):
    form = UploadForm()
    files = [f for f in request.files.getlist(form.files.name) if f and f.filename]
    if not form.validate_on_submit():
        return _upload_page(form, status=400)
    if not files:
        form.files.errors = ["choose at least one file"]
        return _upload_page(form, status=400)
    db = get_db()
    project = project_service.get_project(db, project_id)
    report = importing.import_uploads(
        db,
        project,
        [(f.filename, f.stream) for f in files],
        format=form.format.data,
        max_bytes=current_app.config["IMPORT_MAX_BYTES"],
        actor=g.user,
    )
    # The good files are imported even when others failed; the report says which failed and why,
    # and the status (422) tells a script that something in the upload was refused.
    return _upload_page(
        UploadForm(formdata=None, format=form.format.data),
        report=report,
        status=422 if report.failed else 200,
    )


@bp.get("/projects/<int:project_id>/articles")
@role_required("admin")
def articles(project_id):
    db = get_db()
    project = project_service.get_project(db, project_id)
    listing = curation.list_articles(
        db, project, page=request.args.get("page", 1, type=int), q=request.args.get("q", "")
    )
    return render("imports/articles.html", project=project, listing=listing)


def _article_page(article_id, *, status=200):
    view = curation.article_view(get_db(), article_id)
    return render(
        "imports/article.html",
        "imports/_units_update.html",
        status=status,
        confirm=ConfirmForm(),
        **view,
    )


@bp.get("/articles/<int:article_id>")
@role_required("admin")
def article(article_id):
    return _article_page(article_id)


def _after_edit(article_id, message):
    """Answer an edit: the units fragment for htmx, otherwise back to the article (post/redirect/get)."""
    if wants_fragment():
        return _article_page(article_id)
    flash(message)
    return redirect(url_for("imports.article", article_id=article_id))


def _require_form(form) -> None:
    if not form.validate_on_submit():
        errors = [f"{name}: {'; '.join(messages)}" for name, messages in form.errors.items()]
        raise Invalid("; ".join(errors) or "the form is incomplete")


@bp.post("/articles/<int:article_id>/units/<int:paragraph_id>/kind")
@role_required("admin")
def set_kind(article_id, paragraph_id):
    form = KindForm()
    _require_form(form)
    unit = curation.set_kind(get_db(), article_id, paragraph_id, form.kind.data, actor=g.user)
    return _after_edit(article_id, f"Unit {unit['position'] + 1} is now {unit['kind']}.")


@bp.post("/articles/<int:article_id>/units/<int:paragraph_id>/merge")
@role_required("admin")
def merge(article_id, paragraph_id):
    _require_form(ConfirmForm())
    unit = curation.merge_with_next(get_db(), article_id, paragraph_id, actor=g.user)
    return _after_edit(article_id, f"Units {unit['position'] + 1} and {unit['position'] + 2} are merged.")


def _split_page(article_id, paragraph_id, form, *, status=200):
    db = get_db()
    unit = curation.get_unit(db, article_id, paragraph_id)
    return render(
        "imports/split.html",
        status=status,
        article=curation.article_view(db, article_id)["article"],
        unit=unit,
        points=curation.split_points(unit["text"]),
        form=form,
    )


@bp.get("/articles/<int:article_id>/units/<int:paragraph_id>/split")
@role_required("admin")
def split_form(article_id, paragraph_id):
    return _split_page(article_id, paragraph_id, SplitForm())


@bp.post("/articles/<int:article_id>/units/<int:paragraph_id>/split")
@role_required("admin")
def split(article_id, paragraph_id):
    form = SplitForm()
    if not form.validate_on_submit():
        return _split_page(article_id, paragraph_id, form, status=400)
    first, _ = curation.split(get_db(), article_id, paragraph_id, form.offset.data, actor=g.user)
    flash(f"Unit {first['position'] + 1} is split in two.")
    return redirect(
        url_for("imports.article", article_id=article_id, _anchor=f"unit-{first['position'] + 1}")
    )


@bp.post("/articles/<int:article_id>/units/drop")
@role_required("admin")
def drop_many(article_id):
    _require_form(ConfirmForm())
    try:
        ids = [int(v) for v in request.form.getlist("unit")]
    except ValueError:
        raise Invalid("unit: each chosen unit is a number") from None
    units = curation.drop_many(get_db(), article_id, ids, actor=g.user)
    return _after_edit(
        article_id, f"{len(units)} unit{'s' if len(units) > 1 else ''} dropped; restore them below."
    )


@bp.post("/articles/<int:article_id>/dropped/restore")
@role_required("admin")
def restore(article_id):
    _require_form(ConfirmForm())
    try:
        indices = [int(v) - 1 for v in request.form.getlist("line")]
    except ValueError:
        raise Invalid("line: each chosen line is a number") from None
    units = curation.restore(get_db(), article_id, indices, actor=g.user)
    where = ", ".join(str(u["position"] + 1) for u in units)
    return _after_edit(article_id, f"Restored as unit{'s' if len(units) > 1 else ''} {where}.")


@bp.post("/articles/<int:article_id>/units/<int:paragraph_id>/drop")
@role_required("admin")
def drop(article_id, paragraph_id):
    _require_form(ConfirmForm())
    unit = curation.drop(get_db(), article_id, paragraph_id, actor=g.user)
    return _after_edit(
        article_id, f"Unit {unit['position'] + 1} is dropped; its text is kept with the boilerplate."
    )
