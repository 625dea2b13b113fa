"""Tables of figures in scraped page text: a page copied as text prints each cell of a table on
a line of its own, so a standings table or a box score arrives as a long run of short lines that
the prose score reads as a menu.

What gives a table away is its period: the cells of each row come in the same order, so the
lines repeat a shape (a figure, a name, a figure, a figure...) every ``p`` lines, row after
row.  A run counts as a table when that shape holds for at least three rows and has at least two
columns of figures and one of words: a menu, a tag list or a pager has no such mixed period, and
a list of headlines with their times has one column of figures only.  A table is neither prose
nor furniture: it neither builds the article's core nor breaks it, so prose on both sides of it
stays one article, and inside the article its rows are kept, one line per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .lines import _Line
from .models import Unit

# A cell that is a figure: digits with the punctuation of scores, times, shares and money.
_FIGURE = re.compile(r"[-+–−(#$€£]?\d[\d.,:%/'’()\-–+×x]*[%)]?")
_MIN_ROWS = 3
_MAX_PERIOD = 12
_MAX_CELL_WORDS = 25
_MAX_HEADER_WORDS = 4


def _shape(ln: _Line) -> str:
    """'n' a figure, 'w' a short cell of words, '' a line no table cell is (long, or furniture)."""
    if _FIGURE.fullmatch(ln.text):
        return "n"
    if ln.words > _MAX_CELL_WORDS or ln.stop or ln.comments or ln.glued:
        return ""
    return "w"


def _periodic(shapes: list[str], p: int) -> list[tuple[int, int]]:
    """Maximal spans [a, b) in which every line has the shape of the line ``p`` before it."""
    spans: list[tuple[int, int]] = []
    n = len(shapes)
    i = p
    while i < n:
        if not shapes[i] or shapes[i] != shapes[i - p]:
            i += 1
            continue
        a = i - p
        while i < n and shapes[i] and shapes[i] == shapes[i - p]:
            i += 1
        spans.append((a, i))
    return spans


def _is_table(shapes: list[str], a: int, b: int, p: int) -> bool:
    if b - a < _MIN_ROWS * p:
        return False
    row = shapes[a : a + p]
    # Two columns of figures and one of words.  A row that is a shorter shape repeated ("09:09",
    # a title, "01:52", a title) is a list of items with one figure each (videos and their
    # lengths, headlines and their times), not a table.
    return (
        row.count("n") >= 2
        and "w" in row
        and not any(p % q == 0 and row == row[:q] * (p // q) for q in range(1, p))
    )


def _header(lines: list[_Line], shapes: list[str], taken: list[bool], a: int, p: int) -> int:
    def names(h: int) -> bool:
        return (
            h >= 0
            and not any(taken[h : h + p])
            and all(
                shapes[k] == "w" and not lines[k].prose and lines[k].words <= _MAX_HEADER_WORDS
                for k in range(h, h + p)
            )
        )

    if not names(a - p):
        return a
    a -= p
    if names(a - p) and all(lines[a - p + c].text == lines[a + c].text for c in range(p)):
        a -= p
    return a


def mark_tables(lines: list[_Line]) -> None:
    """Number the tables of ``lines`` and set ``table`` (the number) and ``cell`` (the column) on their lines.

    The rows are whole periods from the first line of the run; a header row of words above them
    (the column names), printed once or twice, is the table's too.
    """
    shapes = [_shape(ln) for ln in lines]
    number = 0
    taken = [False] * len(lines)
    for p in range(2, _MAX_PERIOD + 1):
        for a, b in _periodic(shapes, p):
            if not _is_table(shapes, a, b, p) or any(taken[a:b]):
                continue
            # The run can begin inside a row (a header's cells share the shape of the first
            # cells of a row); the last row is whole, as the run ends where the table does.
            a += (b - a) % p
            # Column names: a row of a few words a cell right above the first row, printed once,
            # or twice (a sticky copy of the header).
            a = _header(lines, shapes, taken, a, p)
            number += 1
            for k in range(a, b):
                taken[k] = True
                lines[k].table = number
                lines[k].cell = (k - a) % p


def take_table(
    lines: list[_Line], i: int, end: int, units: list[Unit], src: list[int], used: set[int]
) -> int:
    """Add the table starting at line ``i`` (up to ``end``) to ``units`` as one body unit, a row a
    line and its cells joined by spaces; record its lines in ``src`` and ``used``; return the line after it."""
    j = i + 1
    while j < end and lines[j].table == lines[i].table:
        j += 1
    rows: list[str] = []
    cells: list[str] = []
    for k in range(i, j):
        if lines[k].cell == 0 and cells:
            rows.append(" ".join(cells))
            cells = []
        cells.append(lines[k].text)
    rows.append(" ".join(cells))
    # A header printed twice (a sticky copy of the column names) is one header.
    rows = [r for n, r in enumerate(rows) if n == 0 or r != rows[n - 1]]
    units.append(Unit("body", "\n".join(rows)))
    src.append(i)
    used.update(range(i, j))
    return j


def table_texts(body, text_tags, text_of: Callable) -> dict:
    """Tables of trafilatura's body (its XML: table, row, cell) as paragraphs: map the first cell
    of each table of short cells to the table's text, a row a line and its cells joined by spaces,
    and its other cells to ''.  A table whose cells hold paragraphs, lists or headings lays out a
    page, and one with fewer than three rows is a box; their cells stay units of their own."""
    out: dict = {}
    for table in body.iter("table"):
        # A table inside another, or holding one, lays out a page.
        if next(table.iterancestors("table"), None) is not None:
            continue
        if next(table.iterdescendants("table"), None) is not None:
            continue
        cells = list(table.iter("cell"))
        rows: list[str] = []
        ok = bool(cells)
        for row in table.iter("row"):
            texts = [text_of(c) for c in row.iter("cell")]
            if any(len(t.split()) > _MAX_CELL_WORDS for t in texts):
                ok = False
                break
            line = " ".join(t for t in texts if t)
            if line and (not rows or line != rows[-1]):
                rows.append(line)
        if not ok or len(rows) < _MIN_ROWS:
            continue
        if any(next(c.iterdescendants(*text_tags), None) is not None for c in cells):
            continue
        out[cells[0]] = "\n".join(rows)
        for c in cells[1:]:
            out[c] = ""
    return out
