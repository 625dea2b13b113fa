"""Who may open which route: every view declares its rule, and the app refuses a view without one."""

import functools

from flask import current_app, g, redirect, request, session, url_for

from .. import accounts
from ..errors import Forbidden
from .db import get_db


def public(view):
    """Mark a view as open to anonymous visitors."""
    view.required_role = None
    return view


def role_required(role: str):
    """Let in signed-in users holding ``role`` or a higher one; send anonymous visitors to the login page."""
    accounts.check_role(role)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.user is None:
                if request.headers.get("HX-Request"):
                    response = current_app.response_class("", status=401)
                    response.headers["HX-Redirect"] = url_for("auth.login", next=request.full_path)
                    return response
                return redirect(url_for("auth.login", next=request.full_path))
            if not accounts.has_role(g.user, role):
                raise Forbidden(f"this page is for the {role} role")
            return view(*args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorator


def load_user() -> None:
    """Find the request's user from its session token: one indexed query per request."""
    g.user = None
    g.session_id = None
    token = session.get("sid")
    if token is None:
        if "user_id" in session:  # a cookie from before server-side sessions
            session.clear()
        return
    user = accounts.session_user(get_db(), token, lifetime_days=current_app.config["SESSION_LIFETIME_DAYS"])
    if user is None:
        # Logged out elsewhere, expired, ended by a password or role change, or deactivated.
        session.clear()
        return
    g.session_id = user.pop("session_id")
    del user["session_seen_at"]
    g.user = user


def no_store(response):
    """Pages shown to a signed-in user stay out of shared and back-button caches."""
    if g.get("user") is not None and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def check_rules(app) -> None:
    """Refuse to start when a view has no access rule, so a new route cannot be left open by accident."""
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "required_role")
    ]
    if missing:
        raise RuntimeError(f"views without an access rule: {', '.join(sorted(missing))}")
