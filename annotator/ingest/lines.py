"""The lines of scraped page text and their cheap features: length in words (characters for
spaceless scripts), sentence punctuation, function words, boilerplate patterns, block membership.

Blank lines separate blocks; short lines that an inline element broke out of a paragraph are
rejoined to it (``_rejoin``).  Text is selected, never rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from .furniture import (
    APPEAL_HINT,
    BOILER,
    COMMENT_LINES,
    COMMENTS,
    CREDIT,
    CREDIT_ACRONYM,
    CREDIT_HINT,
    EMBED_HINT,
    FURNITURE_LINES,
    FURNITURE_WORD,
    STOP,
    STOP_LINES,
    STOPWORDS,
    ends_sentence,
    glued,
    is_appeal,
    is_embed,
    is_furniture,
    phrases_in,
)
from .script import measure


# Slots: a page makes a few hundred of these, and each feature is read many times.  The fields
# from ``words`` to ``prose`` depend on the text alone, in the order ``_measured`` returns them.
@dataclass(slots=True)
class _Line:
    text: str
    words: int
    stops: int
    terminal: bool
    lower_ratio: float
    embed: bool  # a quoted social post's text or signature line
    furniture: bool
    boiler: bool
    stop: bool
    comments: bool
    credit: bool
    glued: bool
    prose: bool
    gap: bool  # a blank line or the start of the text precedes it
    after_gap: bool = False  # a blank line or the end of the text follows it
    block: int = 1  # lines in its block (a run without blank lines)
    bid: int = 0  # which block
    dup: int = 1
    table: int = 0  # which table (tables.py) the line is a cell of, from 1; 0 none
    cell: int = 0  # ... and its column, from 0


# A reference in brackets after a sentence ("... to the sea.” [Chapter 2]") does not end it.
_CITATION = re.compile(r"(?<=[.!?…。！？\"”’»])\s*\[(?=[^\]]*[^\W\d_])[^\[\]]{1,40}\]$")


def split_lines(text: str) -> list[_Line]:
    """Return the non-empty lines of ``text`` with whitespace collapsed and short broken lines rejoined."""
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line:
            if not blocks[-1] and len(blocks) > 1 and _closes(blocks[-2][-1], line):
                # A bracket left open before a blank line is closed after it ("[Reported by
                # the agency" / "with the ministry]"): one line broken twice, not two blocks.
                blocks.pop()
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out: list[_Line] = []
    for bid, block in enumerate(blocks):
        if not block:
            continue
        block = _rejoin(block)
        last = len(block) - 1
        for i, t in enumerate(block):
            out.append(_Line(t, *_measured(t), i == 0, i == last, last + 1, bid))
    return out


def _closes(before: str, line: str) -> bool:
    # A line with no opening bracket leaves none open: the common case, answered without counting.
    if "[" not in before and "(" not in before:
        return False
    return any(
        before.count(o) > before.count(c) and line.count(c) > line.count(o) for o, c in ("[]", "()")
    ) and not ends_sentence(before)


def _rejoin(block: list[str]) -> list[str]:
    # Inline elements rendered on their own line ("giant\nHome Depot\nare dropping") break a
    # paragraph; a line that starts in lower case, or with closing punctuation, continues the one before.
    if len(block) == 1:
        return block
    # Joined lines are kept as parts and joined once at the end, and only the last part and a
    # running word count of each line are looked at: the time stays linear in the block's size.
    out: list[list[str]] = [[block[0]]]
    counts = [len(block[0].split())]
    i = 1
    while i < len(block):
        cur = block[i]
        tail = out[-1][-1]
        prev_words = counts[-1]
        nxt = block[i + 1] if i + 1 < len(block) else ""
        open_end = not ends_sentence(tail) and tail[-1:].isalpha() and tail[-1:].islower()
        cur_words = len(cur.split())
        if _continues(cur) and not ends_sentence(tail) and (prev_words > 2 or cur_words >= 6):
            out[-1].append(cur)
            counts[-1] += cur_words
        elif (
            open_end
            and cur_words <= 4
            and nxt
            and (_continues(nxt) or nxt[:1] == "(")
            and len(nxt.split()) > 2
        ):
            out[-1] += [cur, nxt]
            counts[-1] += cur_words + len(nxt.split())
            i += 1
        elif open_end and prev_words >= 6 and cur_words <= 6 and tail.rsplit(None, 1)[-1] in _OPEN_WORDS:
            # "... outpacing the" + "Dow Jones Industrial Average": a sentence does not end on an
            # article or a preposition, so the link's text that follows goes on with it.
            out[-1].append(cur)
            counts[-1] += cur_words
        elif open_end and cur_words <= 4 and ends_sentence(cur) and prev_words >= 6 and not nxt[:1].islower():
            # "... according to" + "Reuters." closes the sentence a link broke.
            out[-1].append(cur)
            counts[-1] += cur_words
        else:
            out.append([cur])
            counts.append(cur_words)
        i += 1
    return [" ".join(parts) for parts in out]


_CUT_OFF = re.compile(r"[,;]\s?(?:\.\.\.|…)$")
_ELLIPSES = ("...", "…")
# Words no sentence ends on.
_OPEN_WORDS = frozenset("the a an of to in and or for on with at by from into than".split())


def _continues(line: str) -> bool:
    c = line[:1]
    # "iPhone" and "eBay" start in lower case but begin a new item.
    return (c.islower() and not (len(line) > 1 and line[1].isupper())) or (c != "" and c in ",.;:)!?")


# The stop words in every mix of upper and lower case ("The", "THE", ...): an ASCII word is a stop
# word exactly when it is in here, without a lower() per word.  Only for ASCII text: a few other
# letters lower to ASCII ones (the Kelvin sign to "k").
_STOPWORDS_ANY_CASE = frozenset(
    "".join(letters) for w in STOPWORDS for letters in product(*({c, c.upper()} for c in w))
)


@lru_cache(maxsize=4096)
def _measured(text: str) -> tuple:
    """The features of a line that depend on its text alone, in ``_Line``'s terms.

    Cached: pages of one site repeat their bylines, share rows, section headers and footers, and
    a line is measured once however often it recurs."""
    n, lower, words = measure(text)
    # map() keeps the per-word lower() and set lookup out of the interpreter's loop.
    if text.isascii():
        stops = sum(map(_STOPWORDS_ANY_CASE.__contains__, words))
    else:
        stops = sum(map(STOPWORDS.__contains__, map(str.lower, words)))
    # _CITATION ends in "]" and the line has no trailing space or newline: without one, sub()
    # would return the line unchanged.
    terminal = ends_sentence(_CITATION.sub("", text) if text.endswith("]") else text)
    ratio = lower / n if n else 0.0
    # The patterns are lower case: matching lowered text is much faster than re.I.
    low = text.lower()
    key = low.strip(" []()|:-–—•·»›>…*#")
    found = phrases_in(low)
    embed = n <= 80 and bool(found & EMBED_HINT) and is_embed(low, found)
    furniture = not embed and (
        (n < 40 and is_furniture(low, found))
        or (n < 120 and bool(found & APPEAL_HINT) and is_appeal(low, found))
    )
    boiler = not embed and (
        n == 0
        # An excerpt cut off mid-sentence ("... diagnosed with the plague,...") teases a text
        # printed elsewhere; the text itself never breaks off after a comma.
        # (_CUT_OFF ends in "..." or "…" at the line's end, which endswith() checks first.)
        or (text.endswith(_ELLIPSES) and bool(_CUT_OFF.search(text)))
        or (n <= 15 and (bool(BOILER.match(key)) or key in FURNITURE_LINES))
        or (n <= 12 and (furniture or bool(found & FURNITURE_WORD)))
    )
    stop = n <= 10 and (bool(STOP.match(key)) or key in STOP_LINES)
    comments = n <= 8 and (bool(COMMENTS.match(key)) or key in COMMENT_LINES)
    credit = n <= 40 and bool(found & CREDIT_HINT) and bool(CREDIT.search(low) or CREDIT_ACRONYM.search(text))
    glue = n >= 5 and glued(text)
    prose = (
        not boiler
        and not glue
        and n >= 6
        # A long line of running text is prose even when its last sentence has no full stop.
        # ... and a long sentence that ends in a colon introduces what follows.
        and (terminal or (n >= 40 and ratio >= 0.6) or (n >= 15 and text.endswith(":")))
        and (stops >= 2 or ratio >= 0.5)
        and (ratio >= 0.3 or n >= 20)
        and not furniture
    )
    return n, stops, terminal, ratio, embed, furniture, boiler, stop, comments, credit, glue, prose
