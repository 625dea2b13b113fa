"""The web layer: thin views over the services. ``register`` wires it into the app."""

import importlib

from flask import g
from flask_wtf.csrf import CSRFProtect

from .. import accounts
from . import access, errors, nav, times
from .db import close_db
from .htmx import htmx

csrf = CSRFProtect()

# Blueprint modules, each exporting ``bp``; the blueprint name is the module name.
BLUEPRINTS = [
    "auth",
    "home",
    "admin",
    "datasets",
    "imports",
    "review",
    "team",
    "annotate",
    "suggestions",
    "tokens",
    "api",
]


def register(app) -> None:
    htmx.init_app(app)
    csrf.init_app(app)
    app.teardown_appcontext(close_db)
    app.before_request(access.load_user)

    @app.after_request
    def security_headers(response):
        # Article text is hostile input: even if escaping failed somewhere, no inline script runs.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return access.no_store(response)

    app.jinja_env.filters["when"] = times.when
    app.jinja_env.filters["kind_name"] = times.kind_name

    @app.context_processor
    def navigation():
        user = g.get("user")
        return {
            "current_user": user,
            "has_role": lambda role: accounts.has_role(user, role),
            "nav_items": nav.nav_items,
            "project_links": lambda project: nav.project_links(project, user),
        }

    for name in BLUEPRINTS:
        module = importlib.import_module(f"{__name__}.{name}")
        app.register_blueprint(module.bp)
    # The API authenticates by bearer token only, never by cookie, so a CSRF token has nothing to guard.
    csrf.exempt(importlib.import_module(f"{__name__}.api").bp)
    errors.register(app)
    # flask's static view is the one route every visitor may fetch.
    app.view_functions["static"].required_role = None
    access.check_rules(app)
