"""The start page: what each role can do next."""

from flask import Blueprint, g, redirect, url_for

from .. import projects
from .access import public, role_required
from .db import get_db
from .htmx import render

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    if g.user is None:
        return redirect(url_for("auth.login"))
    return dashboard()


@role_required("annotator")
def dashboard():
    db = get_db()
    mine = projects.list_projects_for(db, g.user)
    return render("home/index.html", projects=mine)


@bp.get("/healthz")
@public
def healthz():
    # Opening the connection checks that the database file is there and readable.
    get_db()
    return {"ok": True}
