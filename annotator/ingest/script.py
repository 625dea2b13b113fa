"""How long a line is and whether its words look like running text, in any script.

Scripts written without spaces between words (Chinese, Japanese, Thai, ...) make one ``\\w+`` run
of a whole clause, and scripts without letter case (those, and Arabic, Hebrew, Devanagari, ...)
have no lower-case words; counted the Latin way, their prose looks like one-word headings.
Here characters decide: two characters of a spaceless script count as one word, and a word
that starts with a caseless letter counts as a lower-case one.
"""

from __future__ import annotations

import re

from .furniture import WORD

# Han, Hiragana, Katakana (and their extensions), Thai, Lao, Khmer, Myanmar: written without spaces.
_SPACELESS = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
# Sentence ends of scripts that do not use the Latin full stop.
FULL_STOPS = "。！？｡।۔"


def measure(text: str) -> tuple[int, int]:
    """Return ``(words, lower)``: the line's length in words and how many of them are lower case
    (or caseless), with two characters of a spaceless script counting as one word."""
    spaceless = len(_SPACELESS.findall(text))
    if spaceless:
        text = _SPACELESS.sub(" ", text)
    words = WORD.findall(text)
    lower = sum(1 for w in words if not w[:1].isupper())
    extra = (spaceless + 1) // 2
    return len(words) + extra, lower + extra


def words_of(text: str) -> list[str]:
    """The line's words (for stop-word counts); spaceless scripts contribute none."""
    return WORD.findall(_SPACELESS.sub(" ", text))
