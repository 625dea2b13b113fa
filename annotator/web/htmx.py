"""One URL answers with a page or a fragment; the branch lives only here."""

from flask import make_response, render_template
from flask_htmx import HTMX

htmx = HTMX()


def wants_fragment() -> bool:
    return bool(htmx) and not (htmx.boosted or htmx.history_restore_request)


def render(page: str, fragment: str | None = None, *, status: int = 200, **context):
    """Render ``fragment`` for an htmx request and ``page`` otherwise, varying on ``HX-Request``."""
    template = fragment if fragment and wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.headers["Vary"] = "HX-Request"
    return response
