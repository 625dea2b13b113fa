"""Turn input bytes into text: UTF-8 first, then a detected charset, then a clear failure."""

from __future__ import annotations

import codecs
import re

from .models import IngestError

_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_bytes(data: bytes) -> str:
    """Return ``data`` decoded as text.

    Raises IngestError("undecodable bytes ...") when neither UTF-8, a declared
    HTML charset nor a detected one fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff")
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _HTML_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    text = _detect(data)
    if text is None:
        raise IngestError("undecodable bytes (not UTF-8 and no charset detected)")
    return text


def _detect(data: bytes) -> str | None:
    # NUL bytes mean binary, not text in some legacy charset.
    if b"\x00" in data:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    # A "detected" charset that yields mostly control characters is a guess, not a decoding.
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > len(text) * 0.01:
        return None
    return text
