"""The account page's API tokens: make one (shown once), see when each was last used, revoke."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .. import tokens
from ..errors import AnnotatorError
from .access import role_required
from .db import get_db
from .forms import ConfirmForm

bp = Blueprint("tokens", __name__)


class NewTokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=64)])


def _page(form, *, secret=None, error=None, status=200):
    rows = tokens.list_tokens(get_db(), owner=g.user)
    return (
        render_template(
            "account/tokens.html", form=form, rows=rows, secret=secret, error=error, revoke_form=ConfirmForm()
        ),
        status,
    )


@bp.get("/account/tokens")
@role_required("annotator")
def index():
    return _page(NewTokenForm())


@bp.post("/account/tokens")
@role_required("annotator")
def create():
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        token, secret = tokens.create_token(get_db(), owner=g.user, name=form.name.data.strip())
    except AnnotatorError as e:
        return _page(form, error=e.message, status=e.status)
    # The secret is in this response only: the page says so, and nothing keeps it.
    return _page(NewTokenForm(formdata=None), secret={"name": token["name"], "value": secret}, status=201)


@bp.post("/account/tokens/<name>/revoke")
@role_required("annotator")
def revoke(name):
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(NewTokenForm(formdata=None), error="the form expired: try again", status=400)
    tokens.revoke_token(get_db(), owner=g.user, name=name)
    flash(f"The token {name!r} is revoked.")
    return redirect(url_for("tokens.index"))
