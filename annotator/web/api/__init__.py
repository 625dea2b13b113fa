"""The JSON API under /api/v1/: bearer tokens only, the same services and rules as the pages.

A request is authenticated by its ``Authorization: Bearer`` token and nothing else: a session
cookie is ignored here (so a page cannot be made to call the API on a visitor's behalf), and
therefore no CSRF token is asked for. Errors are ``{"error": {"code", "message", "field"}}``.
"""

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from ... import tokens
from ...errors import AnnotatorError
from ..db import get_db, storage_problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")

CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "unprocessable",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


def error_response(status: int, message: str, field: str | None = None):
    response = jsonify({"error": {"code": CODES.get(status, "error"), "message": message, "field": field}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="annotator"'
    return response


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


@bp.before_request
def authenticate():
    # The app's own loader may have found a session user: on the API only the token counts.
    g.user = None
    view = current_app.view_functions.get(request.endpoint)
    secret = _bearer()
    if getattr(view, "required_role", None) is None and secret is None:
        return None
    g.user = tokens.authenticate(get_db(), secret)
    return None


@bp.after_request
def no_store(response):
    # Answers carry a user's data: no shared cache keeps them.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(AnnotatorError)
def annotator_error(error: AnnotatorError):
    return error_response(error.status, error.message, error.field)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return error_response(error.code or 500, error.description or "")


@bp.errorhandler(Exception)
def server_error(error: Exception):
    what = storage_problem(error)
    if what is not None:
        response = error_response(503, f"nothing was saved: {what}; try again in a minute")
        response.headers["Retry-After"] = "30"
        return response
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "something went wrong on our side; the error has been logged")


from . import articles, projects, suggestions, sync  # noqa: E402,F401  (their views register on bp)
from .spec import document, operation  # noqa: E402


@operation(bp, "GET", "/openapi.json", summary="This API's OpenAPI 3 document", role=None)
def openapi():
    return jsonify(document())
