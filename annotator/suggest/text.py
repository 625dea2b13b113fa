"""Quotations, tokens and sentences of one paragraph, as code-point offsets.

Quotation styles: curly “…”, straight "…", doubled apostrophes ''…'' and ``…'', low-high „…“,
guillemets «…» and single curly ‘…’ (when the closing mark ends a word, so that apostrophes in
"don’t" are not taken for one). A quotation left open at the end of a paragraph runs to its end:
news style opens every paragraph of a long quotation and closes only the last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE = re.compile(r"''|``|[“”„«»\"]")
_SINGLE = re.compile(r"[‘’']")
_OPEN_ONLY = {"„", "«", "``"}
_CLOSE_ONLY = {"”", "»"}
# An ambiguous mark (" or '') opens after these characters (or at the start).
_BEFORE_OPEN = set(" \t\n\u00a0([{—–-/:")
_TOKEN = re.compile(r"\w+(?:[-’'.&]\w+)*|[^\w\s]", re.UNICODE)
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "st", "jr", "sr", "prof", "rev",
    "adm", "sgt", "capt", "cmdr", "maj", "corp", "inc", "ltd", "co", "vs", "no", "jan", "feb", "mar",
    "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "u.k", "u.n", "d.c", "e.g", "i.e",
}  # fmt: skip


@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int  # after the closing mark, or the paragraph's end when left open
    closed: bool
    marks: tuple[int, int] = (1, 1)  # lengths of the opening and closing marks ('' is two)

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + self.marks[0], self.end - (self.marks[1] if self.closed else 0)


def find_quotes(text: str) -> list[Quote]:
    quotes = _scan(text, _DOUBLE, single=False)
    if not quotes:
        quotes = _scan(text, _SINGLE, single=True)
    return quotes


def _scan(text: str, pattern: re.Pattern, *, single: bool) -> list[Quote]:
    quotes: list[Quote] = []
    open_at: int | None = None
    opener = ""
    for m in pattern.finditer(text):
        mark, pos = m.group(), m.start()
        before = text[pos - 1] if pos else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if open_at is None:
            if single:
                # ‘ opens only at the start of a word; ’ outside a quotation is an apostrophe.
                opens = mark in "‘'" and (before in _BEFORE_OPEN or before in '“"') and after.isalnum()
            else:
                opens = (
                    mark in _OPEN_ONLY or mark == "“" or (mark not in _CLOSE_ONLY and before in _BEFORE_OPEN)
                )
            if opens and not after.isspace():
                open_at, opener = pos, mark
            continue
        if single:
            closes = mark in "’'" and not after.isalnum() and not before.isspace()
        elif mark == "“" and opener != "„":
            # A second opening mark: a closing “ typed the wrong way round (followed by a space
            # or punctuation), or the quotation before it was left open (a typing slip).
            closes = not after.isalnum()
            if not closes:
                quotes.append(Quote(open_at, _trim_end(text, pos), False, (len(opener), 0)))
                open_at, opener = pos, mark
                continue
        else:
            closes = mark != "„" and mark != "«" and mark != "``"
        if closes:
            if m.end() - open_at > 2:
                quotes.append(Quote(open_at, m.end(), True, (len(opener), len(mark))))
            open_at = None
    if open_at is not None and len(text) - open_at > 2:
        quotes.append(Quote(open_at, _trim_end(text, len(text)), False, (len(opener), 0)))
    return quotes


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


class Token:
    """A word or a punctuation mark; ``low`` is lower-cased with ’ read as '."""

    __slots__ = ("start", "end", "text", "low", "is_word", "capital")

    def __init__(self, start: int, end: int, text: str, low: str | None = None) -> None:
        self.start, self.end, self.text = start, end, text
        self.low = text.lower().replace("’", "'") if low is None else low
        first = text[0]
        self.is_word = first.isalnum() or first == "_"
        self.capital = first.isupper()


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    # Lower-case the text once; per token only when lower() changes a length ("İ" -> "i̇").
    lowered = text.lower().replace("’", "'")
    aligned = len(lowered) == len(text)
    return [
        Token(s, e, text[s:e], lowered[s:e] if aligned else None)
        for s, e in (m.span() for m in _TOKEN.finditer(text, start, end))
    ]


_STOP = re.compile(r"[.!?][”\"’'»)]*(?=\s|$)")


def sentences(text: str, quotes: list[Quote]) -> list[tuple[int, int]]:
    """Sentence spans; no sentence ends inside a quotation except at its last mark."""
    n = len(text)
    inner = [q.inner for q in quotes]
    # A quotation that ends in . ? or ! ends its sentence when a new one follows it.
    ends = {q.end for q in quotes if q.closed and text[q.inner[1] - 1 : q.inner[1]] in (".", "?", "!")}
    cuts = []
    for m in _STOP.finditer(text):
        i, j = m.start(), m.end()
        if j in ends and any(a <= i < b for a, b in inner):
            if j < n and _next_starts_sentence(text, j):
                cuts.append(j)
            continue
        if any(a <= i < b for a, b in inner):
            continue
        if j < n and not _next_starts_sentence(text, j):
            continue
        if text[i] == "." and _abbreviation(text, i):
            continue
        cuts.append(j)
    spans = []
    start = 0
    for cut in cuts:
        if cut > start:
            spans.append((start, cut))
        start = cut
        while start < n and text[start].isspace():
            start += 1
    if start < n and text[start:].strip():
        spans.append((start, _trim_end(text, n)))
    return [(a, b) for a, b in spans if b > a]


def _next_starts_sentence(text: str, j: int) -> bool:
    while j < len(text) and text[j].isspace():
        j += 1
    return j < len(text) and (text[j].isupper() or text[j] in "“\"‘'«„(" or text[j].isdigit())


def _abbreviation(text: str, i: int) -> bool:
    k = i
    while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    word = text[k:i].lower()
    if k > 0 and text[k - 1].isalnum():
        return False  # "1970s." ends a sentence; "Leonard E. Burman" does not
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
