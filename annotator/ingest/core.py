"""Where the article lies among a page's lines: the body core is the contiguous run of lines
with the highest prose score (a maximum-sum subarray), cut at comment sections and at runs of
teaser cards, and trimmed of prose that furniture cuts off from it (a standfirst, an author's
bio, a footer blurb).  ``text.clean_text`` reads the header above it and the body inside it.
"""

from __future__ import annotations

import re

from . import meta as m
from .header import is_headline
from .lines import _Line


def _score(ln: _Line) -> float:
    if ln.table:
        return 0.0  # a table of figures neither builds the article nor breaks it
    if ln.prose:
        # Paragraphs stand alone between blank lines; prose inside a list of lines is
        # usually a teaser card (headline run into its summary).
        weight = 1.0 if ln.block == 1 else 0.6 if ln.block == 2 else 0.25
        return (min(ln.words, 80) + 5) * weight
    if ln.stop:
        return -40
    if ln.boiler:
        return -8
    if ln.credit:
        return -12
    if ln.words >= 12 and ln.stops >= 3 and ln.lower_ratio >= 0.5:
        return 2
    return -4


def body_span(lines: list[_Line]) -> tuple[int, int]:
    """Return [start, end) of the body core: the best run of lines before a comment section.

    Comment headings split the page into segments; reader comments can outweigh a short
    article, so the first segment that scores close to the best one wins.
    """
    cuts = [i for i, ln in enumerate(lines) if ln.comments]
    # Comment threads and teaser cards are found by their shape; before them, one real paragraph
    # is article enough.
    soft = {c for c in (_thread_start(lines), _cards_start(lines)) if c is not None}
    for cut in soft:
        cuts = sorted({*(c for c in cuts if c < cut or c > cut + 2), cut})
    bounds = list(zip([0] + [c + 1 for c in cuts], cuts + [len(lines)], strict=True))
    found = [(_best_run(lines, lo, hi), hi) for lo, hi in bounds if hi > lo]
    if not found:
        return 0, 0
    top = max(score for (score, _), _ in found)
    for (score, span), hi in found:
        # Before a stamped comment thread, one real paragraph is article enough.
        if score >= min(0.4 * top, max(100.0, 0.2 * top)) or (hi in soft and score >= 40):
            return _trim(lines, *span)
    return 0, 0


_CLOCK = re.compile(r"\d:[0-5]\d")


def _thread_start(lines: list[_Line]) -> int | None:
    """Return the first line of a reader-comment thread: three or more short lines stamped with a
    date and a clock time ("Ann on 3 May 2021 at 4:07 pm said:"), each followed by prose, after
    prose of their own.  Articles date themselves once; comments stamp every entry."""
    stamps = [
        i
        for i, ln in enumerate(lines)
        if ln.words <= 14 and _CLOCK.search(ln.text) and "T" in ((m.find_date(ln.text) or ("",))[0])
    ]
    if len(stamps) < 3:
        return None
    entries = [
        s
        for s, nxt in zip(stamps, stamps[1:] + [len(lines)], strict=True)
        if any(ln.prose for ln in lines[s + 1 : nxt])
    ]
    # The article's own dateline is stamped too; the thread starts at the first entry with a
    # paragraph (not a one-line teaser) before it, and takes in a heading right before it.
    first = _first_paragraph(lines)
    shapes = [_stamp_shape(lines[e].text) for e in entries]
    for k in range(len(entries) - 2):
        # Comments are stamped alike ("Am 29. Mai um 14:38 von Hugo", "Am 29. Mai um 23:16 von
        # Jo"); the article's dateline under its standfirst, stamped otherwise ("von Jo Lee am 29.
        # Mai, 14:14 Uhr") before two alike, is no comment though prose follows it: the thread
        # is the two alike.
        own = shapes[k] != shapes[k + 1] == shapes[k + 2]
        if first < entries[k]:
            return _with_heading(lines, entries[k + 1] if own else entries[k])
    return None


def _stamp_shape(text: str) -> tuple[str, ...]:
    """A stamp's words in lower case, without the names, dates and times that change."""
    return tuple(w for w in text.split() if w.isalpha() and w.islower())


def _first_paragraph(lines: list[_Line]) -> int:
    return next((i for i, ln in enumerate(lines) if ln.prose and ln.words >= 20), len(lines))


def _with_heading(lines: list[_Line], start: int) -> int:
    """``start`` moved back over a section heading and up to two short lines right before it."""
    at = start
    while at > 0 and not lines[at - 1].prose and (lines[at - 1].comments or start - at < 2):
        at -= 1
    return at


def _cards_start(lines: list[_Line]) -> int | None:
    """Return the first line of a run of cards after the article: the same line (a section label,
    a share bar) recurring at a fixed short interval, three times or more, with content between,
    after a paragraph of the article.  Teasers of other stories repeat one shape; an article's
    paragraphs do not come with the same line every two to four lines, nor one paragraph a card.
    Also three or more linked titles in a row, each repeated elsewhere on the page and followed by
    a one-line summary."""
    first = _first_paragraph(lines)
    where: dict[str, list[int]] = {}
    # The page labels its own story the same way: the line also comes before the first paragraph
    # (a line that first appears inside the article is its own recurring heading).
    above = {ln.text for ln in lines[:first] if ln.dup >= 3}
    for i, ln in enumerate(lines):
        if ln.dup >= 3 and i > first and not ln.prose and ln.text in above:
            where.setdefault(ln.text, []).append(i)
    best: int | None = None
    for at in where.values():
        for a, b, c in zip(at, at[1:], at[2:], strict=False):
            gap = b - a
            if (
                2 <= gap <= 4
                and c - b == gap
                and any(not lines[k].boiler for k in range(a + 1, b))
                and sum(lines[k].prose for k in range(a + 1, c)) <= 2
            ):
                if best is None or a < best:
                    best = a
                break
    # Linked titles, each repeated elsewhere on the page (in a menu), each with a one-line summary.
    for a in range(first + 1, len(lines) - 5):
        if best is not None and a >= best:
            break
        if all(
            lines[t].dup >= 2 and not lines[t].prose and lines[t + 1].prose and lines[t + 1].words <= 25
            for t in (a, a + 2, a + 4)
        ):
            best = a
    return None if best is None else _with_heading(lines, best)


# How many short lines a paragraph ending with a colon may announce.
_ANNOUNCED = 30


def _best_run(lines: list[_Line], lo: int, hi: int) -> tuple[float, tuple[int, int]]:
    best, best_span = 0.0, (lo, lo)
    cur, start = 0.0, lo
    listed = 0  # lines still announced by a paragraph ending with a colon ("the facts:")
    for i in range(lo, hi):
        ln = lines[i]
        s = _score(ln)
        if ln.prose:
            listed = _ANNOUNCED if ln.text.endswith(":") else 0
        elif listed:
            # What a paragraph announces (a list of facts, of names, of dates) is the article's,
            # up to its next paragraph: short lines there do not break it.
            listed -= 1
            s = max(s, 0.0) if s == -4 else s
        if cur <= 0:
            cur, start = s, i
        else:
            cur += s
        if cur > best:
            best, best_span = cur, (start, i + 1)
    return best, best_span


def _trim(lines: list[_Line], start: int, end: int) -> tuple[int, int]:
    """Return the core without prose cut off from it by furniture (a standfirst, an author's bio, a footer blurb).

    The core's prose lines fall into clusters wherever furniture separates them.  Past a
    section heading ("Related", "More stories") only a substantial cluster still counts as
    body; elsewhere a lone short paragraph at either end is dropped.
    """
    clusters: list[list[int]] = []
    headed: list[bool] = []  # whether a section heading separates a cluster from the one before
    boxed: list[
        bool
    ] = []  # ... or a sign-up form (three furniture or button lines or more), which ends an article
    run: list[int] = []
    for i in range(start, end):
        if lines[i].prose:
            # A run that a paragraph ending with a colon announces is part of what it announces.
            announced = (
                bool(clusters) and lines[clusters[-1][-1]].text.endswith(":") and len(run) <= _ANNOUNCED
            )
            split = (
                bool(run)
                and not announced
                and (
                    len(run) >= 3
                    or any(lines[k].credit or lines[k].stop or lines[k].furniture for k in run)
                    or (len(run) >= 2 and any(lines[k].boiler for k in run))
                )
            )
            if not clusters or split:
                clusters.append([])
                # A section heading, or a sign-up form (three furniture or button lines or more), ends the article.
                headed.append(any(lines[k].stop for k in run))
                boxed.append(sum(lines[k].furniture or lines[k].boiler for k in run) >= 3)
            clusters[-1].append(i)
            run = []
        elif not lines[i].table:
            run.append(i)
    if not clusters:
        return start, end

    sizes = [sum(lines[i].words for i in c) for c in clusters]  # in words
    total = sum(sizes)
    main = max(range(len(clusters)), key=sizes.__getitem__)
    biggest = sizes[main]

    def small(j: int) -> bool:
        c = clusters[j]
        # Is there a section heading between this cluster and the main one?
        if (
            any(headed[main + 1 : j + 1]) or any(boxed[main + 1 : j + 1])
            if j > main
            else any(headed[j + 1 : main + 1])
        ):
            return (len(c) < 3 and sizes[j] < 0.25 * biggest) or (j > main and _teasers(lines, c))
        return len(c) == 1 and sizes[j] < 60 and sizes[j] < total * 0.15

    lo, hi = 0, len(clusters) - 1
    while lo < main and small(lo):
        lo += 1
    while hi > main and small(hi):
        hi -= 1
    clusters = clusters[lo : hi + 1]
    first = clusters[0][0]
    # A byline or dateline after the first prose line means that line was the standfirst.
    for k in range(first + 1, min(first + 4, clusters[-1][-1])):
        # (The headline printed twice, as a breadcrumb's last item and as the heading, is one line.)
        if lines[k].prose and lines[k].text != lines[first].text:
            break
        nxt = lines[k + 1].text if k + 1 < len(lines) else None
        if lines[k].words <= 20 and (m.find_byline(lines[k].text, nxt) or m.find_date(lines[k].text)):
            rest = [[i for i in c if i > k] for c in clusters]
            rest = [c for c in rest if c]
            if rest:
                clusters = rest
            break
    end = clusters[-1][-1] + 1
    # Short closing paragraphs ("Tickets are free.") are not prose by length, but belong to it.
    while end < len(lines) and end - clusters[-1][-1] <= 2:
        ln = lines[end]
        alone = ln.gap and ln.after_gap or ln.bid == lines[end - 1].bid
        if not (
            ln.terminal
            and alone
            and 2 <= ln.words
            and not ln.boiler
            and not ln.credit
            and not ln.furniture
            and ln.lower_ratio >= 0.3
        ):
            break
        end += 1
    return clusters[0][0], end


def _teasers(lines: list[_Line], cluster: list[int]) -> bool:
    """Whether a cluster of prose after a section heading ("Most read", "More from ...") is other
    stories: each of its paragraphs a summary of a sentence or two under a title-like line of its
    own (headline, summary, headline, summary), as an article's paragraphs do not come."""
    return len(cluster) >= 2 and all(
        lines[k].words <= 40 and k > 0 and not lines[k - 1].prose and is_headline(lines[k - 1])
        for k in cluster
    )
