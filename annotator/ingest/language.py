"""The language a page is written in: as it declares, else guessed from its commonest words."""

from __future__ import annotations

from collections import Counter

from .furniture import ASCII_WORD, WORD
from .lines import _Line


def page_language(lines: list[_Line], declared: str = "") -> str:
    """The page's language: as declared, else guessed from its prose (up to 20,000 characters,
    read only when nothing is declared)."""
    return declared or guess_language(" ".join(ln.text for ln in lines[:400] if ln.prose))


# The commonest function words of a few languages: enough to name the language of a news text.
_LANG_WORDS = {
    "en": "the and of to in is that for on with was said it by as at from",
    "de": "der die und das ist nicht mit den von zu sich auf für ein eine dem des im",
    "fr": "le la les et des est une du pour dans que qui sur pas au par ce il",
    "es": "el la los las y que de en por con para una del se es al lo",
    "it": "il la che di e per una non del della sono con è gli le un",
    "nl": "de het een en van is dat op niet met voor zijn te in die",
    "pt": "o a os as que de e não para com uma do da em no na",
    "vi": "và của có là không được cho trong những một các với người này đã để khi từ",
}
_LANG_SETS = {k: frozenset(v.split()) for k, v in _LANG_WORDS.items()}


def guess_language(text: str) -> str:
    """Return an ISO 639-1 code ("en", "de", ...) from function words, or "" when unsure."""
    sample = text[:20000]
    if sample.isascii():
        # In ASCII text lower() turns each letter into one letter: the lowered text's words are the
        # lowered words, and one lower() call costs less than one per word.
        words = ASCII_WORD.findall(sample.lower())
    else:
        words = [w.lower() for w in WORD.findall(sample)]
    if len(words) < 8:
        return ""
    # Counted once, then looked up per language: seven passes over the words cost more.
    counts = Counter(words)
    scores = {k: sum(counts[w] for w in v) / len(words) for k, v in _LANG_SETS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 0.12 else ""
