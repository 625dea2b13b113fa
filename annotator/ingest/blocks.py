"""Paragraphs of scraped page text from its blocks: lines that a page printed without a blank
line between them (a paragraph broken by line breaks, a list, a lead-in and its paragraph) are
one paragraph, joined with line breaks as the page broke them.
"""

from __future__ import annotations

from .lines import _Line
from .models import Unit


def _lower_start(text: str) -> bool:
    # A short line that starts in lower case goes on with the one before it (a list that completes
    # its lead-in, the end of a quotation), even across a blank line; "iPhone" starts a new one,
    # and so does a whole paragraph that starts with a brand name in lower case.
    return text[:1].islower() and not text[1:2].isupper()


def join_blocks(lines: list[_Line], units: list[Unit], src: list[int]) -> list[Unit]:
    """Join body lines that follow each other in one block (no blank line between) into one paragraph.

    Pages put a blank line around each paragraph; lines inside one block are a paragraph broken
    by line breaks, or the items of one list, and the article's own paragraphs are whole blocks.
    """
    out: list[Unit] = []
    prev = -2
    for unit, k in zip(units, src, strict=True):
        same_block = k == prev + 1 and lines[k].bid == lines[prev].bid
        if out and (
            (
                unit.kind in ("body", "quote")
                and out[-1].kind == unit.kind
                and k == prev + 1
                and (same_block or (not lines[k].prose and _lower_start(unit.text)))
            )
            # A heading line in the block of the paragraph it leads (a bold lead-in broken off
            # by a line break) is part of that paragraph, not a heading of its own.
            or (same_block and {out[-1].kind, unit.kind} == {"subheading", "body"})
        ):
            # A line break, not a space: list items and table rows stay readable as lines.
            kind = "body" if "body" in (out[-1].kind, unit.kind) else unit.kind
            out[-1] = Unit(kind, out[-1].text + "\n" + unit.text)
        else:
            out.append(unit)
        prev = k
    return out
