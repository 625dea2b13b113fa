"""How long a line is and whether its words look like running text, in any script.

Scripts written without spaces between words (Chinese, Japanese, Thai, ...) make one ``\\w+`` run
of a whole clause, and scripts without letter case (those, and Arabic, Hebrew, Devanagari, ...)
have no lower-case words; counted the Latin way, their prose looks like one-word headings.
Here characters decide: two characters of a spaceless script count as one word, and a word
that starts with a caseless letter counts as a lower-case one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter

from .furniture import ASCII_WORD, WORD

# Han, Hiragana, Katakana (and their extensions), Thai, Lao, Khmer, Myanmar: written without spaces.
SPACELESS = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
# Each byte that is not an ASCII letter becomes a space.
_LETTERS_ONLY = bytes(c if chr(c).isascii() and chr(c).isalpha() else 32 for c in range(256))
# Upper-case ASCII letters become "U", lower-case ones "l", all else stays (a space, above).
_CASES = bytes(
    ord("U") if chr(c).isupper() and c < 128 else ord("l") if chr(c).islower() and c < 128 else c
    for c in range(256)
)
# Sentence ends of scripts that do not use the Latin full stop.
FULL_STOPS = "。！？｡।۔"


def measure(text: str) -> tuple[int, int, tuple[str, ...]]:
    """Return ``(length, lower, words)``: the line's length in words, how many of them are lower
    case (or caseless), with two characters of a spaceless script counting as one word, and the
    words themselves (``words_of``).

    Not through ``words_of``'s cache: ``lines._measured`` caches its answer for each line, and
    the word tuples of every line of every page, kept there, cost more to evict (each word freed
    long after it was made) than the few lines ``words_of`` is asked about cost to split again."""
    words, spaceless, upper = _split(text)
    lower = len(words) - upper
    extra = (spaceless + 1) // 2
    return len(words) + extra, lower + extra, words


def words_of(text: str) -> tuple[str, ...]:
    """The line's words (for stop-word counts); spaceless scripts contribute none."""
    # The cached tuple itself: it cannot be changed, so no copy is needed.
    return _cached_split(text)[0]


def _split(text: str) -> tuple[tuple[str, ...], int, int]:
    """The words of ``text`` outside spaceless scripts, how many spaceless characters it has, and
    how many of the words start with a capital."""
    if text.isascii():
        # No spaceless script is ASCII, and ASCII_WORD finds WORD's words in ASCII text.
        if "'" not in text:
            # Without an apostrophe ASCII_WORD's words are the runs of ASCII letters: with every
            # other byte made a space, split() finds them, in a third of the regex's time; and a
            # run starts with a capital where a space comes before an upper-case letter once each
            # letter is made "U" or "l".
            letters = text.encode("ascii").translate(_LETTERS_ONLY)
            upper = (b" " + letters.translate(_CASES)).count(b" U")
            return tuple(letters.decode("ascii").split()), 0, upper
        words = tuple(ASCII_WORD.findall(text))
        return words, 0, _capitalised(words)
    spaceless = len(SPACELESS.findall(text))
    if spaceless:
        text = SPACELESS.sub(" ", text)
    words = tuple(WORD.findall(text))
    return words, spaceless, _capitalised(words)


# The header reader asks for the words of its lines several times, and a batch of pages from one
# site repeats its menus and footers.
_cached_split = lru_cache(maxsize=4096)(_split)


def _capitalised(words: tuple[str, ...]) -> int:
    # Every match has a first letter; map() keeps the count out of the interpreter's loop.
    return sum(map(str.isupper, map(itemgetter(0), words)))


# Each byte that \w does not match in ASCII text (all but letters, digits and "_") becomes a space.
_ASCII_WORD_BYTES = bytes(c if chr(c).isascii() and (chr(c).isalnum() or c == 95) else 32 for c in range(256))
_TOKEN = re.compile(r"\w+")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Text folded to its word tokens, lower case, one space apart, so that two renderings of
    one paragraph, a title with its punctuation and without, compare equal."""
    if text.isascii():
        # In ASCII text \w is a letter, a digit or "_", and casefold() is lower(): with every
        # other byte made a space, split() finds the same tokens, in a third of the time.
        return b" ".join(text.encode("ascii").translate(_ASCII_WORD_BYTES).lower().split()).decode("ascii")
    return " ".join(_TOKEN.findall(text.casefold()))
