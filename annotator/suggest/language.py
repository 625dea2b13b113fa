"""Which lexicon fits a text: the language whose marker words (its commonest function words)
cover the largest share of the text's words, if that share is high enough to be sure."""

from __future__ import annotations

import re

from .lexicon import available_languages, load_lexicon

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# English running text: its 20 commonest words make up about a quarter of the words;
# another language written in the Latin alphabet scores well under a tenth.
MIN_SHARE = 0.12


def guess_language(text: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < 3:
        return None
    best, share = None, 0.0
    for code in available_languages():
        lex = load_lexicon(code)
        if lex is None or not lex.markers:
            continue
        hits = sum(1 for w in words if w in lex.markers) / len(words)
        if hits > share:
            best, share = code, hits
    if len(words) < 12:
        return best if share > 0 else None
    return best if share >= MIN_SHARE else None
