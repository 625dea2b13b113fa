"""Clean text copied or scraped from a whole web page into headline, standfirst, captions and body.

The page arrives as lines: paragraphs surrounded by blank lines, menus and
lists as runs of short lines, teasers, share buttons and footers around the
article.  Each line gets cheap features (length, sentence punctuation,
function words, boilerplate patterns, repetition: ``lines.py``); the body core is the
contiguous run of lines with the highest prose score (``core.py``), and the header before it
yields headline, standfirst, captions, byline and date (``header.py``).  Lines are selected,
never rewritten: a unit's text is a line of the input with its whitespace collapsed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from itertools import groupby

from . import meta as m
from .blocks import join_blocks
from .core import body_span
from .dates import day_first_page
from .furniture import READ_MORE, STOP, STOPWORDS
from .header import (
    caption_unit,
    empty_meta,
    is_headline,
    opening_title,
    read_footer,
    read_header,
    title_line,
    titled_opening,
)
from .language import page_language
from .lines import _Line, split_lines
from .models import Dropped, Unit
from .tables import mark_tables, take_table


def clean_text(
    text: str, *, reference_date: dt.date | None = None, join_blocks: bool = False, language: str = ""
) -> tuple[dict, list[Unit], list[Dropped]]:
    """Return ``(meta, units, dropped)`` for scraped page text.

    With ``join_blocks`` (page text read on its own, not the HTML path's second reading), body
    lines that follow each other without a blank line between them (a paragraph broken by line
    breaks, the items of one list) become one paragraph, when the page puts blank lines around its
    paragraphs at all; and runs of the article's own short lines between its paragraphs are kept
    (the HTML path has them from the page's structure, and would add them twice).
    ``language``, when the page declares it, is the language (not guessed from the words).
    """
    lines = split_lines(text)
    if not lines:
        return empty_meta(), [], []
    counts = Counter(ln.text for ln in lines)
    for ln in lines:
        ln.dup = counts[ln.text]
    mark_tables(lines)
    start, end = body_span(lines)
    alone = join_blocks and end > start and _article_alone(lines)
    if alone:
        # A title, then nothing that is page furniture: the text is the article, tables and lists
        # included.
        start, end = 1, len(lines)
    if (
        start < end < len(lines)
        and lines[end].block == 1
        and _bracketed(lines[end].text)
        and lines[end].words <= 12
    ):
        # A source in brackets under the last paragraph ("[Reuters]") closes the article.
        end += 1
    used: set[int] = set()
    # Text that puts blank lines around its paragraphs splits them there and only there.
    join = join_blocks and (
        2 * len({ln.bid for ln in lines}) >= len(lines)
        or sum(1 if ln.block == 1 else -1 for ln in lines if ln.prose) > 0
    )
    body = (
        (_whole_blocks(lines, start, used) if alone else _select_body(lines, start, end, used, join))
        if end > start
        else []
    )
    if not any(u.kind == "body" for u in body):
        # No prose at all: a results table, a list of dates, short captioned items.  Read again
        # with every distinct line of a few tokens that is not furniture counted as content.
        for ln in lines:
            ln.prose = ln.prose or _datum(ln)
        start, end = body_span(lines)
        if end <= start:
            return empty_meta(), [], [Dropped(ln.text, _reason(ln, 0, 0, 0)) for ln in lines]
        # Short lines alone count as content here, so the headline, byline and dateline above the
        # table may too: the article starts under its dateline.
        dated = next(
            (
                k
                for k in range(start, min(end - 1, start + 8))
                if lines[k].words <= 12 and m.find_date(lines[k].text)
            ),
            None,
        )
        if dated is not None:
            start = dated + 1
        used = set()
        body = _select_body(lines, start, end, used, join)
        # Its first line, when title-like, is the headline the header search did not reach.
        if (
            dated is None
            and len(body) > 1
            and is_headline(lines[start])
            and body[0].text == lines[start].text
        ):
            body[0] = Unit("headline", body[0].text)
    if body and body[0].kind == "body" and body[0].text == lines[start].text and titled_opening(lines, start):
        # The body found opens with the line the page's <title> names: its headline, kept apart
        # from the header search's candidates because it reads as prose (a question, a quote).
        body[0] = Unit("headline", body[0].text)
    if _title_block(lines, start, body):
        # Clean text: a title of its own at the very top, then the paragraphs.  A question or
        # an exclamation there is the headline, not the first paragraph.
        body[0] = Unit("headline", body[0].text)
    language = page_language(lines, language)
    day_first = day_first_page((ln.text for ln in lines), language)
    header, meta = read_header(
        lines, start, used, reference_date, bare_names=join_blocks, day_first=day_first
    )
    if join_blocks and opening_title(lines, start, used, meta["title"]):
        # A text that is the article alone opens with its title: the line the header search
        # preferred (the longer one nearer the body) is the article's first paragraph.
        header = [Unit("headline", lines[0].text)] + [
            Unit("body", u.text) if u.kind == "headline" else u for u in header
        ]
        used.add(0)
        meta["title"], meta["outlet"] = lines[0].text, ""
    if body and body[0].kind == "body" and meta["title"] == body[0].text == lines[start].text:
        body = body[1:]  # the header search took the body's first line for the headline
    if body and body[0].kind == "headline":
        header = [u for u in header if u.kind != "headline"]
        meta["title"] = body[0].text
        header, body = body[:1] + header, body[1:]
    read_footer(lines, end, meta, reference_date, language, day_first)
    units = header + body
    dropped = [Dropped(ln.text, _reason(ln, i, start, end)) for i, ln in enumerate(lines) if i not in used]
    return meta, units, dropped


def _article_alone(lines: list[_Line]) -> bool:
    """Whether the text holds an article and nothing else (pasted from an editor, exported from
    a feed): a title in a block of its own, then blocks of text with no line of page furniture,
    no picture credit, no section heading that leads to other stories or comments, and no line
    printed twice."""
    return (
        len({ln.bid for ln in lines}) >= 3
        and lines[0].block == 1
        and title_line(lines[0])
        and not any(
            ln.boiler or ln.furniture or ln.stop or ln.comments or ln.glued or ln.credit or ln.dup > 1
            for ln in lines
        )
    )


def _whole_blocks(lines: list[_Line], start: int, used: set[int]) -> list[Unit]:
    """Every block from ``start`` on as a body unit, its lines joined with line breaks."""
    units = []
    for _, group in groupby(range(start, len(lines)), key=lambda k: lines[k].bid):
        ks = list(group)
        used.update(ks)
        units.append(Unit("body", "\n".join(lines[k].text for k in ks)))
    return units


def _reason(ln: _Line, i: int, start: int, end: int) -> str:
    """Why a line was left out, in the words the article page and ``extract --dropped`` show."""
    if ln.stop or ln.comments:
        return "section heading (related stories, comments)"
    if ln.boiler or ln.furniture or ln.glued:
        return "page furniture (menu, share, sign-up, cookie notice or appeal)"
    if ln.credit:
        return "picture credit"
    if ln.dup > 1:
        return "repeated on the page"
    if end <= start:
        return "no article prose found"
    if i < start:
        return "before the article"
    if i >= end:
        return "after the article"
    return "inside the article but not prose (a short line, a teaser)"


def _in_article_list(lines: list[_Line], run: list[int], seen: set[str]) -> bool:
    """Whether a run of short lines reads as one list: at most a heading block and one block of
    two or more items, each item distinct and short, none a caption or credit."""
    blocks = sorted({lines[k].bid for k in run})
    items = [k for k in run if lines[k].bid == blocks[-1]]
    return (
        len(blocks) <= 2
        and len(items) >= 2
        and (len(blocks) == 1 or all(lines[k].bid != blocks[-1] for k in run[: len(run) - len(items)]))
        and all(lines[k].dup == 1 and lines[k].text not in seen and 0 < lines[k].words <= 40 for k in run)
        and not any(lines[k].credit or lines[k].glued for k in run)
    )


def _content_run(lines: list[_Line], run: list[int], seen: set[str], echo: int) -> bool:
    """Whether a run of short lines between two paragraphs of the article is the article's own:
    no line of it furniture, a credit, a comment heading or glued menu words, each line distinct
    on the page (or repeated only as often as the article's paragraphs, ``echo``) and not yet kept."""
    return all(
        (lines[k].dup == 1 or lines[k].dup == echo)
        and lines[k].text not in seen
        and 0 < lines[k].words <= 60
        and not (lines[k].credit or lines[k].glued or lines[k].comments)
        for k in run
    )


def _title_block(lines: list[_Line], start: int, body: list[Unit]) -> bool:
    first = lines[0]
    return (
        start == 0
        and len(body) > 1
        and body[0].kind == "body"
        and body[0].text == first.text
        and first.gap
        and first.after_gap
        and first.words <= 25
        and not first.text.endswith((".", ":", ";", ","))
        and not first.boiler
    )


def _datum(ln: _Line) -> bool:
    return (
        ln.dup == 1
        and not (ln.boiler or ln.furniture or ln.glued or ln.stop or ln.comments or ln.credit)
        and len(_TOKENS.findall(ln.text)) >= 4
    )


_TOKENS = re.compile(r"\w+")


def _sentence(ln: _Line) -> bool:
    return ln.boiler and not (ln.furniture or ln.stop) and ln.words >= 5 and ln.lower_ratio >= 0.6


def _cut_short(text: str) -> bool:
    # Ends on a comma or a function word ("won the", "as well as"): the sentence goes on.
    last = text.rsplit(None, 1)[-1]
    return text.endswith(",") or last in STOPWORDS


def _bracketed(text: str) -> bool:
    # "[Reuters]", "(Source: the ministry)": a line of its own in brackets names a source;
    # "[Related: another story]" links to a teaser.
    label = text[1:-1].split(":")[0].strip().lower()
    return len(text) > 2 and (text[0], text[-1]) in (("[", "]"), ("(", ")")) and not STOP.match(label)


def _select_body(lines: list[_Line], start: int, end: int, used: set[int], join: bool = False) -> list[Unit]:
    """Return the body units of lines ``start:end``, adding the indices used to ``used``."""
    seen: set[str] = set()
    spread: dict[str, tuple[int, int]] = {}  # first and last line of each text that repeats
    for k, ln in enumerate(lines):
        if ln.dup > 1:
            spread[ln.text] = (spread.get(ln.text, (k, k))[0], k)
    last_heading = -1
    units: list[Unit] = []
    src: list[int] = []  # the line each unit was taken from
    # Lines next to a "Read more" link are the teaser it belongs to.
    teaser = set()
    for i in range(start, end):
        if READ_MORE.match(lines[i].text):
            teaser.update(j for j in (i - 1, i + 1) if start <= j < end and not lines[j].prose)
            # The teaser's title may also be repeated (as an image's alt text) one line further out.
            for far, near in ((i - 2, i - 1), (i + 2, i + 1)):
                if start <= far < end and not lines[far].prose and lines[far].text == lines[near].text:
                    teaser.add(far)
    i = start
    while i < end:
        ln = lines[i]
        if ln.table:
            i = take_table(lines, i, end, units, src, used)
            continue
        if ln.prose:
            # The standfirst printed again right above the first paragraph is not a paragraph.
            again = not units and ln.dup > 1 and ln.words <= 40 and spread[ln.text][0] < start
            if ln.text not in seen and not again:
                seen.add(ln.text)
                used.add(i)
                units.append(Unit("body", ln.text))
                src.append(i)
            i += 1
            continue
        # A run of non-prose lines: short furniture, teasers, menus, or a subheading.
        j = i
        while j < end and not (lines[j].prose or lines[j].table):
            j += 1
        run = list(range(i, j))
        keep = [
            k for k in run if not (lines[k].boiler or lines[k].furniture or lines[k].stop) and k not in teaser
        ]
        # In a run of the article's own lines, a sentence that only mentions an e-mail or a share
        # ("Your email list will grow") is one of them, not a button.
        lenient = [k for k in run if k in keep or _sentence(lines[k])]
        if (
            len(keep) > 2
            and (keep == run or (len(keep) >= 4 and lenient == run))
            and i > start
            and j < end
            and (
                _in_article_list(lines, run, seen) or (join and _content_run(lines, run, seen, lines[j].dup))
            )
        ):
            # A list between two paragraphs of the article (steps, products, tour dates), or short
            # lines of its own between them (questions and answers, verses, offers, a table): its
            # items are body, a short line alone in its block before them its heading.
            for k in run:
                kl = lines[k]
                alone = kl.gap and kl.after_gap
                # ... unless the paragraph before ends in a colon: then the run is what it announced.
                heading = (
                    alone
                    and not kl.terminal
                    and kl.words <= 14
                    and k == run[0]
                    and not lines[i - 1].text.endswith(":")
                )
                units.append(Unit("subheading" if heading else "body", kl.text))
                src.append(k)
                seen.add(kl.text)
                used.add(k)
                if heading:
                    last_heading = k
        elif len(keep) <= 2 and not any(lines[k].stop for k in run):
            for k in keep:
                kl = lines[k]
                # A repeated line is menu or teaser, unless the paragraphs around it repeat as often:
                # then the page holds the article twice (a print or app copy) and it is a heading of it.
                # A line repeated only inside the article (a source named after each quote, a step
                # of a plan) is the article's own, each time.
                echoed = (j < end and lines[j].dup == kl.dup) or (i > start and lines[i - 1].dup == kl.dup)
                own = kl.dup > 1 and start <= spread[kl.text][0] and spread[kl.text][1] < end
                if (
                    (kl.text in seen and not own)
                    or (kl.dup > 1 and not (echoed or own or kl.embed))
                    or kl.words == 0
                    or kl.words > 40 + 40 * kl.embed
                ):
                    continue
                if kl.credit:
                    cap = caption_unit(kl.text)
                    # A bare credit ("Getty Images/Creatas") under a short line without a full stop
                    # credits that line: the picture's alt text or caption.
                    bare = (
                        cap.credit is None
                        and i > start
                        and not lines[i - 1].terminal
                        and lines[i - 1].words <= 15
                    )
                    credit = cap.credit or (kl.text if bare else None)
                    if (
                        cap.text == kl.text
                        and credit
                        and k == i
                        and units
                        and units[-1].kind == "body"
                        and i - 1 in used
                        and lines[i - 1].text == units[-1].text
                        and lines[i - 1].words <= 40
                    ):
                        units[-1] = Unit("caption", units[-1].text, credit=credit)
                    else:
                        units.append(cap)
                        src.append(k)
                    used.add(k)
                    seen.add(kl.text)
                    continue
                # A paragraph stands alone between blank lines, or, in text without blank
                # lines, is a sentence in the same block as the prose around it.
                own_block = kl.gap and kl.after_gap
                in_prose_block = (
                    kl.terminal
                    and kl.words >= 2
                    and ((i > start and lines[i - 1].bid == kl.bid) or (j < end and lines[j].bid == kl.bid))
                )
                # A line cut off mid-sentence ("... who in 2008 won the") starts the paragraph
                # that goes on in the next line of its block.
                broken = (
                    k == j - 1
                    and j < end
                    and lines[j].bid == kl.bid
                    and kl.words >= 8
                    and _cut_short(kl.text)
                )
                # A short line that opens the block of the paragraph after it (a bold lead-in, a
                # name before its description) is part of that paragraph.
                lead_in = join and k == j - 1 and j < end and lines[j].bid == kl.bid and kl.gap
                # A line ending in a colon is a label ("Share:", "Related:"), unless it is a clause
                # that introduces what follows ("The council resolved as follows:").
                if not (own_block or in_prose_block or broken or lead_in or kl.embed) or (
                    kl.text.endswith(":") and kl.words < 4 and not lead_in
                ):
                    continue
                kind = (
                    "quote"
                    if kl.embed
                    else "body"
                    # A long line of lower-case words is a paragraph without its full stop, not a heading.
                    if (kl.terminal and kl.words >= 2) or broken or (kl.words >= 12 and kl.lower_ratio >= 0.6)
                    else "subheading"
                )
                if kind == "subheading" and (
                    kl.words > 20
                    or not (kl.text[:1].isalnum() or kl.text[:1] in "“\"'‘" or _bracketed(kl.text))
                ):
                    continue
                seen.add(kl.text)
                used.add(k)
                units.append(Unit(kind, kl.text))
                src.append(k)
                last_heading = k
        i = j
    # A heading with no paragraph after it belongs to whatever follows the article; a source in
    # brackets right under the last paragraph ("[Reuters]") is the article's own last line.
    while (
        units
        and units[-1].kind == "subheading"
        and not (len(src) > 1 and src[-1] == src[-2] + 1 and _bracketed(units[-1].text))
    ):
        units.pop()
        src.pop()
        used.discard(last_heading)
        last_heading = (
            next((k for k in sorted(used, reverse=True) if lines[k].text == units[-1].text), -1)
            if units
            else -1
        )
    return join_blocks(lines, units, src) if join else units
