"""One handler renders every error, in the form the client asked for: a page, an htmx fragment, or JSON."""

import logging

from flask import jsonify, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..errors import AnnotatorError
from .api import bp as api_bp
from .api import error_response as api_error_response
from .db import storage_problem
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
    422: "Not imported",
    429: "Too many requests",
    500: "Server error",
    503: "Cannot save right now",
}

RETRY_AFTER_SECONDS = 30
API_PREFIX = api_bp.url_prefix


def _under_api() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or (request.is_json and best != "text/html")


def _render_error(status: int, message: str, *, errors: list | None = None):
    if wants_json():
        body = {"message": message, "status": status}
        if errors is not None:
            body["errors"] = errors
        response = jsonify(body)
        response.status_code = status
        response.headers["Vary"] = "Accept, HX-Request"
        return response
    response = render(
        "errors/error.html",
        "errors/_error.html",
        status=status,
        code=status,
        title=TITLES.get(status, "Error"),
        message=message,
    )
    if wants_fragment():
        # Error fragments go to the flash area whatever the request targeted, so the page (and
        # any unsaved work in it) stays as it was.
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    response.headers["Vary"] = "Accept, HX-Request"
    return response


def _storage_error(what: str):
    log.error("storage failure on %s %s: %s", request.method, request.path, what)
    response = _render_error(
        503,
        f"nothing was saved: {what}. Your unsaved work is still in this page; "
        "try again in a minute, and tell the person who runs the server if it goes on.",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register(app) -> None:
    @app.errorhandler(AnnotatorError)
    def annotator_error(error: AnnotatorError):
        errors = getattr(error, "errors", None)
        listed = [e.to_dict() for e in errors] if errors else None
        return _render_error(error.status, error.message, errors=listed)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render_error(
            400, "the form expired or lacks its security token: reload the page and try again"
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _under_api():
            # Routing errors (no such path or method) never reach the API blueprint's own
            # handler; a client of /api/v1 still gets the API's error shape, not a page.
            return api_error_response(error.code or 500, error.description or "")
        if error.code == 429:
            return _render_error(429, "too many attempts from your address: wait a minute and try again")
        return _render_error(error.code or 500, error.description or "")

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        what = storage_problem(error)
        if what is not None:
            return _storage_error(what)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _render_error(500, "something went wrong on our side; the error has been logged")
