"""Guess an input's format (text, html or jsonl) from its content, with the file name as a hint."""

from __future__ import annotations

import json
import re

FORMATS = ("text", "html", "jsonl")

_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)\b", re.I | re.S
)
_HTML_TAGS = re.compile(r"</?(?:p|div|span|a|br|h[1-6]|article|section|body|html|li|ul|img)\b[^>]*>", re.I)


def detect_format(text: str, name: str | None = None) -> str:
    """Return "jsonl", "html" or "text" for decoded ``text``.

    The content decides; the extension of ``name`` only breaks ties, so a
    ``.txt`` file holding HTML is read as HTML.
    """
    head = text.lstrip("\ufeff")[:4096]
    stripped = head.lstrip()
    if stripped.startswith("{") and _looks_like_jsonl(text):
        return "jsonl"
    if _HTML_START.match(head):
        return "html"
    tags = len(_HTML_TAGS.findall(head))
    if tags >= 5 or (tags >= 2 and name and name.lower().endswith((".html", ".htm", ".xhtml"))):
        return "html"
    return "text"


def _looks_like_jsonl(text: str) -> bool:
    for line in text.splitlines():
        if line.strip():
            try:
                return isinstance(json.loads(line), dict)
            except (ValueError, RecursionError):  # RecursionError: nested too deeply to parse
                # A first line that starts like an object but does not parse is
                # still meant as JSONL: report its error rather than clean it as prose.
                return line.rstrip().endswith("}") or '":' in line
    return False


_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (perhaps DOCX or EPUB)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an Office document"),
    (b"SQLite format 3", "an SQLite database"),
)


def binary_kind(data: bytes) -> str | None:
    """Return a description of a known binary format ("a PDF file"), or None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None
