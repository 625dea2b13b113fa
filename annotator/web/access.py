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
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None:
        user = accounts.find_user(get_db(), user_id)
        # A deactivated user or a changed password ends every open session.
        if user and user["active"] and session.get("pw") == user["password_hash"][-16:]:
            g.user = user
        else:
            session.clear()


def check_rules(app) -> None:
    """Refuse to start when a view has no access rule, so a new route cannot be left open by accident."""
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "required_role")
    ]
    if missing:
        raise RuntimeError(f"views without an access rule: {', '.join(sorted(missing))}")
