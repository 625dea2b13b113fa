"""The start page: what each role can do next."""

from flask import Blueprint, g, redirect, url_for

from .. import accounts, projects, queue
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
    mine = projects.list_projects_for(db, actor=g.user)
    # Every role sees how many paragraphs each project has to label, and their own part of it.
    counts = {p["id"]: p.get("n_paragraphs") for p in projects.list_projects(db)}
    rows = [
        {**p, "n_paragraphs": counts.get(p["id"]), "yours": queue.progress_for(db, p, actor=g.user)}
        for p in mine
    ]
    return render("home/index.html", projects=rows, can_create=accounts.has_role(g.user, "admin"))


@bp.get("/favicon.ico")
@public
def favicon():
    # Browsers and tools that ask for the icon by its old name get the page's icon.
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/healthz")
@public
def healthz():
    # Opening the connection checks that the database file is there and readable.
    get_db()
    return {"ok": True}
