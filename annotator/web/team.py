"""Projects in the browser: create one, its settings and members, pausing, releasing leases, progress."""

from flask import Blueprint, flash, g, redirect, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from .. import projects as project_service
from .. import team
from ..accounts import ROLES
from ..errors import AnnotatorError
from ..ingest.models import KIND_NAMES, KINDS
from ..scheme import list_schemes, load_scheme
from .access import role_required
from .db import get_db
from .forms import ConfirmForm
from .htmx import render

bp = Blueprint("team", __name__)

KIND_CHOICES = [SelectChoice(kind, KIND_NAMES[kind]) for kind in KINDS]
ORDER_CHOICES = [
    SelectChoice("article", "article order (as imported)"),
    SelectChoice("shuffle", "articles shuffled from the seed"),
]
PROJECT_ROLE_CHOICES = [SelectChoice(role, role) for role in ROLES]


class KindsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewProjectForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    scheme = SelectField("Label scheme", default="newsattr-1")
    overlap = IntegerField(
        "Annotations per paragraph (overlap k)", default=2, validators=[InputRequired(), NumberRange(1, 20)]
    )
    kinds = KindsField(
        "Paragraph kinds to label", choices=KIND_CHOICES, default=project_service.DEFAULT_KINDS
    )
    order = SelectField("Order", choices=ORDER_CHOICES, default="article")
    seed = IntegerField("Shuffle seed", default=0, validators=[InputRequired()])
    extended = StringField(
        "Extended fields (comma-separated, or all)", default="", validators=[Length(max=2000)]
    )


class SettingsForm(FlaskForm):
    overlap = IntegerField(
        "Annotations per paragraph (overlap k)", validators=[InputRequired(), NumberRange(1, 20)]
    )
    kinds = KindsField("Paragraph kinds to label", choices=KIND_CHOICES)
    order = SelectField("Order", choices=ORDER_CHOICES)
    seed = IntegerField("Shuffle seed", validators=[InputRequired()])
    lease_minutes = IntegerField("Lease (minutes)", validators=[InputRequired(), NumberRange(1, 24 * 60)])
    auto_gold_unanimous = BooleanField("Accept unanimous annotations as gold")
    feedback = BooleanField("Show annotators feedback against gold")
    paused = BooleanField("Paused (annotators get no new paragraphs)")


class PauseForm(FlaskForm):
    paused = BooleanField("Paused")


class MemberForm(FlaskForm):
    name = SelectField("User", validators=[DataRequired()], validate_choice=False)
    role = SelectField("Role in this project", choices=PROJECT_ROLE_CHOICES, default="annotator")


def _project(project_id: int, role: str) -> dict:
    db = get_db()
    project = project_service.get_project(db, project_id)
    project_service.require_project_role(db, project, role, actor=g.user)
    return project


def _new_form() -> NewProjectForm:
    form = NewProjectForm()
    form.scheme.choices = [SelectChoice(name, name) for name in list_schemes()]
    return form


@bp.get("/projects/new")
@role_required("admin")
def new_project():
    return render("team/new.html", form=_new_form(), extended_fields=load_scheme().extended_fields)


@bp.post("/projects/new")
@role_required("admin")
def create_project():
    form = _new_form()
    if form.validate_on_submit():
        extended = form.extended.data.strip()
        extended = "all" if extended == "all" else [e.strip() for e in extended.split(",") if e.strip()]
        try:
            project = project_service.create_project(
                get_db(),
                form.name.data,
                scheme=form.scheme.data,
                overlap=form.overlap.data,
                kinds=form.kinds.data or None,
                order=form.order.data,
                seed=form.seed.data,
                extended=extended,
                actor=g.user,
            )
        except AnnotatorError as e:
            form.form_errors.append(e.message)
            status = e.status
        else:
            flash(f"Project {project['name']} created. Add members, then import articles.")
            return redirect(url_for("team.settings", project_id=project["id"]))
    else:
        status = 400
    return render("team/new.html", form=form, extended_fields=load_scheme().extended_fields, status=status)


def _settings_form(project: dict) -> SettingsForm:
    s = project["settings"]
    return SettingsForm(
        formdata=None,
        overlap=project["overlap"],
        kinds=s.kinds,
        order=s.order,
        seed=s.seed,
        lease_minutes=s.lease_minutes,
        auto_gold_unanimous=s.auto_gold_unanimous,
        feedback=s.feedback,
        paused=bool(project["paused"]),
    )


def _settings_page(project: dict, form: SettingsForm | None = None, *, member_form=None, status=200):
    db = get_db()
    member_form = member_form or MemberForm(formdata=None)
    member_form.name.choices = [SelectChoice(u["name"], u["name"]) for u in team.candidates(db, project)]
    return render(
        "team/settings.html",
        project=project,
        form=form or _settings_form(project),
        member_form=member_form,
        pause_form=PauseForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
        members=team.members(db, project),
        working=team.working_now(db, project),
        status=status,
    )


@bp.get("/projects/<int:project_id>/settings")
@role_required("admin")
def settings(project_id):
    return _settings_page(_project(project_id, "admin"))


@bp.post("/projects/<int:project_id>/settings")
@role_required("admin")
def save_settings(project_id):
    project = _project(project_id, "admin")
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(project, form, status=400)
    try:
        team.update_settings(
            get_db(),
            project,
            actor=g.user,
            overlap=form.overlap.data,
            kinds=form.kinds.data,
            order=form.order.data,
            seed=form.seed.data,
            lease_minutes=form.lease_minutes.data,
            auto_gold_unanimous=form.auto_gold_unanimous.data,
            feedback=form.feedback.data,
            paused=form.paused.data,
        )
    except AnnotatorError as e:
        form.form_errors.append(e.message)
        return _settings_page(project, form, status=e.status)
    flash("Settings saved.")
    return redirect(url_for("team.settings", project_id=project_id))


@bp.post("/projects/<int:project_id>/pause")
@role_required("admin")
def pause(project_id):
    project = _project(project_id, "admin")
    form = PauseForm()
    if not form.validate_on_submit():
        return _settings_page(project, status=400)
    team.set_paused(get_db(), project, form.paused.data, actor=g.user)
    flash(f"{project['name']} is {'paused' if form.paused.data else 'running again'}.")
    return redirect(url_for("team.settings", project_id=project_id))


@bp.post("/projects/<int:project_id>/members")
@role_required("admin")
def add_member(project_id):
    project = _project(project_id, "admin")
    form = MemberForm()
    if not form.validate_on_submit():
        return _settings_page(project, member_form=form, status=400)
    try:
        project_service.add_member(
            get_db(), project, form.name.data.strip(), role=form.role.data, actor=g.user
        )
    except AnnotatorError as e:
        form.form_errors.append(e.message)
        return _settings_page(project, member_form=form, status=e.status)
    flash(f"{form.name.data.strip()} is a member as {form.role.data}.")
    return redirect(url_for("team.settings", project_id=project_id))


@bp.post("/projects/<int:project_id>/members/<name>/remove")
@role_required("admin")
def remove_member(project_id, name):
    project = _project(project_id, "admin")
    if not ConfirmForm().validate_on_submit():
        return _settings_page(project, status=400)
    project_service.remove_member(get_db(), project, name, actor=g.user)
    flash(f"{name} is no longer a member; their saved work is kept.")
    return redirect(url_for("team.settings", project_id=project_id))


@bp.post("/projects/<int:project_id>/members/<name>/release")
@role_required("admin")
def release(project_id, name):
    project = _project(project_id, "admin")
    if not ConfirmForm().validate_on_submit():
        return _settings_page(project, status=400)
    released = team.release_leases(get_db(), project, name, actor=g.user)
    flash(f"Released {released} lease{'s' if released != 1 else ''} of {name}.")
    return redirect(url_for("team.settings", project_id=project_id))


@bp.get("/projects/<int:project_id>/working")
@role_required("admin")
def working(project_id):
    project = _project(project_id, "admin")
    return render(
        "team/working.html",
        "team/_working.html",
        project=project,
        working=team.working_now(get_db(), project),
        confirm=ConfirmForm(formdata=None),
    )


@bp.get("/projects/<int:project_id>/progress")
@role_required("reviewer")
def progress(project_id):
    project = _project(project_id, "reviewer")
    figures = team.progress(get_db(), project)
    return render(
        "team/progress.html", "team/_progress.html", project=project, p=figures, chart=team.chart(figures)
    )
