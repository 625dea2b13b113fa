"""Each API route is declared once, as an :class:`Operation`: the route, its access rule, how its
query parameters are read, and its entry in the OpenAPI document all come from that declaration.
"""

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from flask import g, request

from ... import accounts
from ...errors import Forbidden, Invalid, Unauthorized
from ...export import RECORD_SPECS

VERSION = "1"
PREFIX = "/api/v1"


@dataclass(frozen=True)
class Param:
    """A query parameter: its JSON-schema type, default, bounds or choices."""

    name: str
    type: str = "string"  # string | integer
    description: str = ""
    default: Any = None
    enum: tuple | None = None
    minimum: int | None = None
    maximum: int | None = None

    def schema(self) -> dict:
        schema: dict = {"type": self.type}
        for key in ("default", "minimum", "maximum"):
            if getattr(self, key) is not None:
                schema[key] = getattr(self, key)
        if self.enum:
            schema["enum"] = list(self.enum)
        return schema

    def parse(self, raw: str | None):
        if raw is None or raw == "":
            return self.default
        value: Any = raw
        if self.type == "integer":
            if not re.fullmatch(r"-?\d{1,18}", raw):
                raise Invalid(f"{self.name} must be a whole number", field=self.name)
            value = int(raw)
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise Invalid(
                    f"{self.name} must be from {self.minimum} to {self.maximum}".replace(" to None", " up"),
                    field=self.name,
                )
        if self.enum and value not in self.enum:
            raise Invalid(f"{self.name} must be one of {', '.join(map(str, self.enum))}", field=self.name)
        return value


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str
    endpoint: str
    summary: str
    role: str | None
    params: tuple[Param, ...] = ()
    body: dict | None = None  # {"content type": schema}
    response: dict = field(default_factory=lambda: {"application/json": {"type": "object"}})
    description: str = ""


OPERATIONS: list[Operation] = []


def operation(bp, method: str, rule: str, *, summary: str, role: str | None, **details):
    """Register a view on ``bp`` from its declaration; query parameters arrive as keyword arguments."""

    def decorator(view):
        op = Operation(method, rule, f"{bp.name}.{view.__name__}", summary, role, **details)
        OPERATIONS.append(op)

        @functools.wraps(view)
        def wrapped(**kwargs):
            if role is not None:
                if g.user is None:
                    raise Unauthorized("this API takes a token: send 'Authorization: Bearer <token>'")
                if not accounts.has_role(g.user, role):
                    raise Forbidden(f"this route is for the {role} role")
            for param in op.params:
                kwargs[param.name] = param.parse(request.args.get(param.name))
            return view(**kwargs)

        wrapped.required_role = role
        wrapped.operation = op
        bp.add_url_rule(rule, view_func=wrapped, methods=[method])
        return wrapped

    return decorator


def openapi_path(rule: str) -> str:
    """``/projects/<int:project_id>`` -> ``/api/v1/projects/{project_id}``."""
    return PREFIX + re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def json_schema(spec: Any) -> dict:
    """Turn an export record spec (``export.RECORD_SPECS``) into JSON schema."""
    if isinstance(spec, str):
        kind = {"int64": "integer", "float64": "number", "string": "string", "bool": "boolean"}[spec]
        return {"type": kind, "nullable": True}
    if isinstance(spec, list):
        return {"type": "array", "items": json_schema(spec[0])}
    return {
        "type": "object",
        "nullable": True,
        "properties": {key: json_schema(value) for key, value in spec.items()},
    }


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string"},
                "field": {"type": "string", "nullable": True},
            },
        }
    },
}


def _path_params(rule: str) -> list[dict]:
    params = []
    for converter, name in re.findall(r"<(?:([^:<>]+):)?([^<>]+)>", rule):
        params.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer" if converter == "int" else "string"},
            }
        )
    return params


def _error_responses(op: Operation) -> dict:
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    codes = {"400": "Bad input, naming the field", "404": "Not found"}
    if op.role is not None:
        codes |= {"401": "No token, or one unknown or revoked", "403": "Not allowed for this user"}
    return {code: {"description": text, "content": ref} for code, text in codes.items()}


def document() -> dict:
    """Return the OpenAPI 3.0 document of every declared operation."""
    paths: dict = {}
    for op in OPERATIONS:
        entry: dict = {
            "operationId": op.endpoint.split(".", 1)[1],
            "summary": op.summary,
            "parameters": _path_params(op.rule)
            + [
                {
                    "name": p.name,
                    "in": "query",
                    "required": False,
                    "description": p.description,
                    "schema": p.schema(),
                }
                for p in op.params
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {kind: {"schema": schema} for kind, schema in op.response.items()},
                },
                **_error_responses(op),
            },
        }
        if op.description:
            entry["description"] = op.description
        if op.body:
            entry["requestBody"] = {
                "required": True,
                "content": {kind: {"schema": schema} for kind, schema in op.body.items()},
            }
        entry["security"] = [{"bearer": []}] if op.role is not None else []
        paths.setdefault(openapi_path(op.rule), {})[op.method.lower()] = entry
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "annotator API",
            "version": VERSION,
            "description": "Projects, articles, annotations, gold labels and exports, for scripts. "
            "Every request but this document's carries 'Authorization: Bearer <token>' "
            "(make one on your account page or with 'annotator tokens add'). "
            'Errors are {"error": {"code", "message", "field"}}.',
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": ERROR_SCHEMA,
                **{f"{view.capitalize()}Record": json_schema(spec) for view, spec in RECORD_SPECS.items()},
            },
        },
    }
