"""Checks for untrusted JSON and text, shared by every entry (importers, label saves and drafts, forms, CLI).

Python's ``json`` accepts what the rest of the program cannot keep: nesting deep enough to
exhaust the recursion limit (in ``json`` itself, ``copy.deepcopy`` or a template), lone
surrogates (``"\\ud800"``) that no UTF-8 encoder will write to SQLite, a file or a response,
integers past SQLite's 64 bits, and ``NaN``/``Infinity``, which are not JSON at all. Each is
refused here with a message that names the place. Pure: no Flask, no database.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32
# SQLite's integers are signed 64-bit.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
INF = float("inf")
_SURROGATE = re.compile("[\ud800-\udfff]")


class UntrustedError(ValueError):
    """Why an untrusted value was refused; ``path`` says where in it (``""`` for the whole)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path


def _refuse_constant(name: str):
    raise UntrustedError(f"{name} is not a JSON number")


def _int(text: str) -> int:
    # Judged on the digits, before int() spends time on (or refuses) thousands of them.
    if len(text) > 20 or not INT_MIN <= (value := int(text)) <= INT_MAX:
        raise UntrustedError("the number is out of range")
    return value


def _float(text: str) -> float:
    value = float(text)
    if value in (INF, -INF):
        raise UntrustedError("the number is out of range")
    return value


def _deeper_than(value: Any, max_depth: int) -> bool:
    """Whether ``value`` nests containers deeper than ``max_depth``: a walk level by level over
    the containers only (``json`` itself stops at Python's recursion limit, about 1,000)."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            return True
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
    return False


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse untrusted JSON ``text``; raise ``UntrustedError`` (a ValueError) for anything :func:`check` refuses.

    This runs on every label save, so it stays close to ``json.loads``: numbers are judged in its
    hooks, depth by a walk over the containers alone, and strings only when the text could hold a
    lone surrogate (a ``\\ud800``-style escape, or a surrogate that will not encode).
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")  # strict: undecodable bytes, surrogates included, are refused
        except UnicodeDecodeError as e:
            raise UntrustedError(f"invalid JSON: not UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_int=_int, parse_float=_float)
    except RecursionError:
        raise UntrustedError(f"nested too deeply (more than {max_depth} levels)") from None
    except UntrustedError:
        raise
    except json.JSONDecodeError as e:
        where = f"column {e.colno}" if e.lineno == 1 else f"line {e.lineno}, column {e.colno}"
        raise UntrustedError(f"invalid JSON: {e.msg} at {where}") from None
    if _deeper_than(value, max_depth):
        raise UntrustedError(f"nested too deeply (more than {max_depth} levels)")
    suspect = "\\ud" in text or "\\uD" in text
    if not suspect:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            suspect = True
    if suspect:
        check(value, max_depth=max_depth)
    return value


def check(value: Any, *, max_depth: int = MAX_DEPTH, path: str = "") -> None:
    """Refuse nesting deeper than ``max_depth``, lone surrogates in any string or key,
    integers outside 64 bits and non-finite floats. Walks without recursion."""
    stack = [(value, path, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            check_text(item, path=where)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                raise UntrustedError("the number is out of range", where)
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                raise UntrustedError("the number is not finite", where)
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                raise UntrustedError(f"nested too deeply (more than {max_depth} levels)", where)
            if isinstance(item, dict):
                for key, child in item.items():
                    if not isinstance(key, str):
                        raise UntrustedError("keys must be strings", where)
                    check_text(key, path=where)
                    stack.append((child, f"{where}.{key}" if where else key, depth + 1))
            else:
                stack.extend((child, f"{where}[{i}]", depth + 1) for i, child in enumerate(item))
        else:
            raise UntrustedError(f"unexpected {type(item).__name__}", where)


def check_text(text: str, *, path: str = "", max_chars: int | None = None) -> str:
    """Refuse a lone surrogate (which cannot be stored or sent as UTF-8) or text over ``max_chars``."""
    if _SURROGATE.search(text):
        raise UntrustedError("contains a lone surrogate (\\ud800-\\udfff), which is not text", path)
    if max_chars is not None and len(text) > max_chars:
        raise UntrustedError(f"longer than {max_chars} characters", path)
    return text
