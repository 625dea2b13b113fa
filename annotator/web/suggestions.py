"""The project's suggestion source on its Settings page: none, the built-in rules, or an imported model."""

from flask import Blueprint, flash, g, get_template_attribute, redirect, url_for
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from .. import suggestion_report, suggestions
from ..errors import AnnotatorError
from .access import role_required
from .db import get_db
from .team import _project, _settings_page

bp = Blueprint("suggestions", __name__)


class SuggestionForm(FlaskForm):
    source = SelectField("Suggestions annotators see", validators=[InputRequired()])
    share = IntegerField(
        "Share of paragraphs shown suggestions (%)",
        default=100,
        validators=[InputRequired(), NumberRange(0, 100)],
        description="Chosen by a hash of each paragraph's text; the agreement report compares paragraphs with and without.",
    )


def _form(project: dict) -> SuggestionForm:
    current = suggestions.setting(project)
    form = SuggestionForm(formdata=None, source=current["source"], share=current["share"])
    form.source.choices = [(s["source"], s["label"]) for s in suggestions.sources(get_db(), project)]
    return form


@bp.app_context_processor
def panel():
    """``suggestion_panel(project)`` for the Settings page (templates/team/_suggestions.html) and
    ``suggestion_agreement(project)`` for the agreement page (templates/review/_suggestions.html)."""

    def suggestion_panel(project: dict, form: SuggestionForm | None = None) -> Markup:
        macro = get_template_attribute("team/_suggestions.html", "suggestion_panel")
        return macro(project, form or _form(project))

    def suggestion_agreement(project: dict) -> Markup:
        """The agreement page's section: each source against gold, and with/without suggestions."""
        macro = get_template_attribute("review/_suggestions.html", "suggestion_agreement")
        return macro(project, suggestion_report.report(get_db(), project))

    return {"suggestion_panel": suggestion_panel, "suggestion_agreement": suggestion_agreement}


@bp.post("/projects/<int:project_id>/suggestions")
@role_required("admin")
def save(project_id):
    project = _project(project_id, "admin")
    form = SuggestionForm()
    form.source.choices = [(s["source"], s["label"]) for s in suggestions.sources(get_db(), project)]
    if not form.validate_on_submit():
        flash(
            "Suggestions not changed: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
            "error",
        )
        return _settings_page(project, status=400)
    try:
        suggestions.set_setting(
            get_db(), project, source=form.source.data, share=form.share.data, actor=g.user
        )
    except AnnotatorError as e:
        flash(f"Suggestions not changed: {e.message}", "error")
        return _settings_page(project, status=e.status)
    flash(f"Annotators now see {form.source.data} suggestions on {form.share.data}% of paragraphs.")
    return redirect(url_for("team.settings", project_id=project_id))
