"""Exceptions that carry their HTTP status, so one handler can render them all."""


class AnnotatorError(Exception):
    """An expected failure with a message fit to show a user."""

    status = 500

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(AnnotatorError):
    status = 400


class Unauthorized(AnnotatorError):
    status = 401


class Forbidden(AnnotatorError):
    status = 403


class NotFound(AnnotatorError):
    status = 404


class Conflict(AnnotatorError):
    status = 409
