"""Label schemes: load a scheme (TOML), and validate labels documents against it. Pure: stdlib only.

scheme = load_scheme("newsattr-1", extended="all")
errors = validate(labels, paragraph_text, scheme)   # [] = valid
"""

from .model import (
    DEFAULT_SCHEME,
    ORIGIN_KEY,
    ORIGINS,
    Choice,
    Condition,
    Field,
    ScaleLevel,
    Scheme,
    SchemeError,
    SpanRole,
    build_scheme,
    list_schemes,
    load_scheme,
)
from .validate import FieldError, empty_labels, normalize, validate, without_origins

__all__ = [
    "DEFAULT_SCHEME",
    "ORIGIN_KEY",
    "ORIGINS",
    "Choice",
    "Condition",
    "Field",
    "FieldError",
    "ScaleLevel",
    "Scheme",
    "SchemeError",
    "SpanRole",
    "build_scheme",
    "empty_labels",
    "list_schemes",
    "load_scheme",
    "normalize",
    "without_origins",
    "validate",
]
