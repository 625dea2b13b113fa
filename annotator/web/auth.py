"""Logging in and out, changing one's password, seeing and ending one's sessions."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import accounts
from ..errors import Forbidden, Invalid, NotFound
from .access import public, role_required
from .db import get_db
from .forms import ChangeOwnPasswordForm, ConfirmForm, LoginForm

bp = Blueprint("auth", __name__)

# Per client address, in memory: each server process counts on its own, which bounds the CPU a
# client can spend on password hashing; the per-account backoff lives in the database.
limiter = Limiter(get_remote_address, storage_uri="memory://", default_limits=[])
bp.record_once(lambda state: limiter.init_app(state.app))

# A browser where a user has logged in before carries this signed cookie; logins from it skip the
# account's backoff, so nobody can keep the owner out by guessing their password elsewhere.
DEVICE_COOKIE = "annotator_device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="trusted-device")


def _trusted_device(name: str) -> bool:
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return False
    try:
        remembered = _devices().loads(cookie, max_age=DEVICE_MAX_AGE)
    except BadSignature:
        return False
    return isinstance(remembered, str) and remembered.casefold() == name.casefold()


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    status = 200
    if form.validate_on_submit():
        name = form.name.data.strip()
        db = get_db()
        try:
            user = accounts.authenticate(
                db,
                name,
                form.password.data,
                trusted=_trusted_device(name),
                free_failures=current_app.config["LOGIN_FREE_FAILURES"],
                max_delay_seconds=current_app.config["LOGIN_MAX_DELAY_SECONDS"],
            )
        except Forbidden as e:
            error, status = e.message, 403
        else:
            session.clear()
            session["sid"] = accounts.start_session(
                db,
                user,
                lifetime_days=current_app.config["SESSION_LIFETIME_DAYS"],
                address=request.remote_addr,
                agent=request.user_agent.string,
            )
            response = redirect(_safe_next(form.next.data))
            response.set_cookie(
                DEVICE_COOKIE,
                _devices().dumps(user["name"]),
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            )
            return response
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@public
def logout():
    if g.user is not None:
        accounts.end_session(get_db(), g.session_id, actor=g.user)
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@role_required("annotator")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def password():
    form = ChangeOwnPasswordForm()
    error = None
    if form.validate_on_submit():
        db = get_db()
        try:
            accounts.authenticate(db, g.user["name"], form.current.data, trusted=True)
        except Forbidden:
            error = "the current password is wrong"
        else:
            try:
                accounts.set_password(
                    db, g.user["name"], form.password.data, actor=g.user, keep_session=g.session_id
                )
            except Invalid as e:
                error = e.message
            else:
                flash("Your password is changed; your other sessions are ended.")
                return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form, error=error), 400 if error or form.errors else 200


@bp.get("/account/sessions")
@role_required("annotator")
def sessions():
    return render_template(
        "auth/sessions.html",
        sessions=accounts.list_sessions(get_db(), actor=g.user),
        current=g.session_id,
        confirm=ConfirmForm(),
    )


@bp.post("/account/sessions/<int:session_id>/end")
@role_required("annotator")
def end_session(session_id):
    if not ConfirmForm().validate_on_submit():
        raise Invalid("the form expired: reload the page and try again")
    if session_id == g.session_id:
        return logout()
    if not accounts.end_session(get_db(), session_id, actor=g.user):
        raise NotFound("no such session of yours")
    flash("The session is ended.")
    return redirect(url_for("auth.sessions"))


@bp.post("/account/sessions/end-others")
@role_required("annotator")
def end_other_sessions():
    if not ConfirmForm().validate_on_submit():
        raise Invalid("the form expired: reload the page and try again")
    count = accounts.end_sessions(get_db(), actor=g.user, keep=g.session_id)
    flash(f"{count} other session{'s' if count != 1 else ''} ended.")
    return redirect(url_for("auth.sessions"))
