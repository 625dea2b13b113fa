"""Persistence: the only package that holds SQL.

Each module holds one concept's queries; functions take the ``Database`` first.
A ``get_`` that finds nothing raises ``NotFound``; a ``find_`` returns ``None``.
"""

from .connection import connect, iso_in, now, read, write
from .failures import storage_problem
from .migrations import TooNew, current_version, migrate

__all__ = [
    "connect",
    "read",
    "write",
    "now",
    "iso_in",
    "migrate",
    "current_version",
    "TooNew",
    "storage_problem",
]
