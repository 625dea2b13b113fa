"""Logging in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for

from .. import accounts
from ..errors import Forbidden
from .access import public, role_required
from .db import get_db
from .forms import ChangeOwnPasswordForm, LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                get_db(),
                form.name.data.strip(),
                form.password.data,
                max_failures=current_app.config["LOCKOUT_FAILURES"],
                window_minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"],
            )
        except Forbidden as e:
            error, status = e.message, 403
        else:
            session.clear()
            session["user_id"] = user["id"]
            session["pw"] = user["password_hash"][-16:]
            return redirect(_safe_next(form.next.data))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@public
def logout():
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@role_required("annotator")
def password():
    form = ChangeOwnPasswordForm()
    error = None
    if form.validate_on_submit():
        db = get_db()
        try:
            accounts.authenticate(db, g.user["name"], form.current.data)
        except Forbidden:
            error = "the current password is wrong"
        else:
            user = accounts.set_password(db, g.user["name"], form.password.data, actor_id=g.user["id"])
            session["pw"] = user["password_hash"][-16:]
            flash("Your password is changed.")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form, error=error), 400 if error or form.errors else 200
