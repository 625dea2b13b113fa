"""One handler renders every error: a page, or a fragment for htmx requests."""

import logging

from flask import request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..errors import AnnotatorError
from .htmx import render, wants_fragment

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    429: "Too many requests",
    500: "Server error",
}


def _render_error(status: int, message: str):
    response = render(
        "errors/error.html",
        "errors/_error.html",
        status=status,
        code=status,
        title=TITLES.get(status, "Error"),
        message=message,
    )
    if wants_fragment():
        # Error fragments go to the flash area whatever the request targeted.
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def register(app) -> None:
    @app.errorhandler(AnnotatorError)
    def annotator_error(error: AnnotatorError):
        return _render_error(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render_error(
            400, "the form expired or lacks its security token: reload the page and try again"
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429:
            return _render_error(429, "too many attempts from your address: wait a minute and try again")
        return _render_error(error.code or 500, error.description or "")

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _render_error(500, "something went wrong on our side; the error has been logged")
