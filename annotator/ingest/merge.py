"""Merge two readings of one HTML page into its body: trafilatura's extraction, which keeps the
page's structure (paragraphs, lists, quotes, headings inside the main-content container), and
the text cleaner's verdict on the same page rendered to lines.

trafilatura decides on the DOM (content containers, link density, boilerplate classes) and is
the base: its units and their splits are kept.  The cleaner is a second opinion used only where
it is the stronger signal:

- at the edges of trafilatura's body, a run of units the cleaner dropped as furniture
  (teaser cards, newsletter boxes after the article, a kicker before it) is trimmed, and the
  units the cleaner read as the header (headline, standfirst) take that kind;
- a body paragraph the cleaner kept but trafilatura left out, lying between two paragraphs both
  kept (or before the first of them, once trafilatura's body has begun), is put back in reading
  order (trafilatura sometimes skips a container mid-article), unless the units around it
  already hold its words in pieces.

Units inside trafilatura's body are never dropped on the cleaner's word: lists, tables and
embedded posts are exactly what the line cleaner misjudges.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .models import Unit
from .script import fold as key

BODY_KINDS = frozenset({"body", "subheading", "quote"})
_HEADER_KINDS = frozenset({"headline", "standfirst"})
_TOKEN = re.compile(r"\w+")
_LINKED_SHARE = 0.3
_HEADING_SHARE = 0.6
_MIN_CHARS = 50
_STOPS = (".", "!", "?", "…", ":", "。", "！", "？")
# Compared without spaces, a fragment this long starts only one paragraph of a page.
_MIN_FRAGMENT = 12
# A unit is a piece of a paragraph when nearly all its words are in it; the paragraph is there
# when its pieces hold most of its words.
_PIECE_SHARE = 0.8
_COVERED_SHARE = 0.8


def merge_units(
    extracted: list[Unit], linked: set[int], comments: set[str], cleaned: list[Unit], dropped: list[str]
) -> list[Unit]:
    """Return the page's units: trafilatura's ``extracted`` body, edged and filled in by ``cleaned``.

    ``linked`` holds the indices of extracted units that are mostly link text, ``comments`` the
    keys of the paragraphs trafilatura found in the reader comments.
    """
    if not any(u.kind in BODY_KINDS for u in extracted):
        return cleaned
    if not any(u.kind in BODY_KINDS for u in cleaned):
        # The cleaner found no prose (a short item, an unusual layout, a script without
        # spaces): trafilatura's body stands, less any lines that are only links, unless all
        # it has is a word or two (its fallback returns a page's menu as text).
        kept = [u for i, u in enumerate(extracted) if i not in linked]
        return kept if sum(len(u.text) for u in kept if u.kind in BODY_KINDS) >= _MIN_CHARS else []
    extracted, linked = _rejoin(extracted, linked, cleaned)
    kinds: dict[str, str] = {}
    for u in cleaned:
        kinds.setdefault(key(u.text), u.kind)
    if _finer(cleaned, extracted, kinds):
        return cleaned
    gone = {key(t) for t in dropped}

    def rejected_text(text: str) -> bool:
        k = key(text)
        kind = kinds.get(k)
        if kind in BODY_KINDS:
            return False
        return kind == "headline" or k in gone

    def rejected(u: Unit) -> bool:
        # A list or a table is one unit, a line an item or a row: the cleaner judged the lines.
        if rejected_text(u.text):
            return True
        return "\n" in u.text and all(rejected_text(line) for line in u.text.split("\n"))

    lo, hi = 0, len(extracted)
    while lo < hi and rejected(extracted[lo]):
        lo += 1
    while hi > lo and rejected(extracted[hi - 1]):
        hi -= 1
    # Then a closing run of links the cleaner did not keep as body, and the heading over it (a
    # list of advertisers whose lines the page's text joins otherwise).
    while hi > lo and (
        (hi - 1 in linked and kinds.get(key(extracted[hi - 1].text)) not in BODY_KINDS)
        or (extracted[hi - 1].kind == "subheading" and rejected(extracted[hi - 1]))
    ):
        hi -= 1
    # An edge run the cleaner rejected is furniture when links make a good part of it (teaser
    # cards, "more from" lists); without links it is as likely a recipe or a results table.
    # A run of headings with hardly a paragraph among them is a list of story titles too.
    if lo and not _furniture_run(extracted, range(lo), linked):
        lo = _headlines(extracted, lo, kinds)
    if hi < len(extracted) and not _furniture_run(extracted, range(hi, len(extracted)), linked):
        hi = len(extracted)
    body = list(extracted[lo:hi])
    if not any(u.kind in BODY_KINDS for u in body):
        return cleaned
    body = _fill_gaps(body, cleaned, comments)
    header = []
    for u in cleaned:
        if u.kind in BODY_KINDS:
            break
        header.append(u)
    taken = {key(u.text) for u in body}
    return [u for u in header if key(u.text) not in taken] + body


def _rejoin(extracted: list[Unit], linked: set[int], cleaned: list[Unit]) -> tuple[list[Unit], set[int]]:
    """Return ``extracted`` with each run of body units that together make one of the cleaner's
    body paragraphs replaced by that paragraph, and ``linked`` renumbered.

    Text written straight into a container between ``<br>`` tags, with a link in it, comes out
    of trafilatura (links kept) cut at the link and glued to it ("Just months after the last i9"
    / "MacBook Prowas released"); the page rendered to lines shows the paragraph whole.
    """
    whole: dict[str, list[tuple[str, Unit]]] = {}
    for u in cleaned:
        if u.kind == "body":
            c = _compact(u.text)
            if len(c) >= _MIN_FRAGMENT:
                whole.setdefault(c[:_MIN_FRAGMENT], []).append((c, u))
    if not whole:
        return extracted, linked
    out: list[Unit] = []
    renumbered: set[int] = set()
    i, n = 0, len(extracted)
    while i < n:
        joined = _joined_run(extracted, i, whole)
        if joined is None:
            if i in linked:
                renumbered.add(len(out))
            out.append(extracted[i])
            i += 1
            continue
        end, unit = joined
        if all(k in linked for k in range(i, end)):
            renumbered.add(len(out))
        out.append(unit)
        i = end
    return out, renumbered


def _joined_run(extracted: list[Unit], i: int, whole: dict) -> tuple[int, Unit] | None:
    """The end of the run of body units from ``i`` that spells one of ``whole``'s paragraphs, and it."""
    if extracted[i].kind != "body":
        return None
    acc = _compact(extracted[i].text)
    for target, unit in whole.get(acc[:_MIN_FRAGMENT], ()) if len(acc) >= _MIN_FRAGMENT else ():
        if target == acc or not target.startswith(acc):
            continue
        run, j = acc, i + 1
        while j < len(extracted) and extracted[j].kind == "body" and len(run) < len(target):
            run += _compact(extracted[j].text)
            j += 1
            if not target.startswith(run):
                break
            if run == target:
                return j, unit
    return None


@lru_cache(maxsize=8192)
def _compact(text: str) -> str:
    """``key(text)`` without its spaces (cached: each unit is compared compacted several times)."""
    return key(text).replace(" ", "")


def _finer(cleaned: list[Unit], extracted: list[Unit], kinds: dict[str, str]) -> bool:
    """Whether trafilatura glued the page together (its fallback on a form or table layout): no
    paragraph in common, every one of the cleaner's paragraphs inside its text, and text the
    cleaner dropped (a menu, a form label) glued to them."""
    if any(kinds.get(key(u.text)) in BODY_KINDS for u in extracted):
        return False
    rest = "\n".join(_compact(u.text) for u in extracted)
    for u in cleaned:
        k = _compact(u.text)
        if u.kind in BODY_KINDS:
            if k not in rest:
                return False
            rest = rest.replace(k, "\n", 1)
        elif k:
            # The cleaner's headline or caption glued in is no sign of a glued page.
            rest = rest.replace(k, "\n", 1)
    return bool(rest.replace("\n", ""))


def _furniture_run(units: list[Unit], run: range, linked: set[int]) -> bool:
    # Counted in lines: a list or a table is one unit of many lines, and a box of product
    # features is no more a run of links for being one unit than for being seven.
    lines = [units[i].text.count("\n") + 1 for i in run]
    n = sum(lines)
    links = sum(k for i, k in zip(run, lines, strict=True) if i in linked)
    heads = sum(1 for i in run if units[i].kind == "subheading")
    return links >= _LINKED_SHARE * n or heads >= _HEADING_SHARE * n


def _headlines(extracted: list[Unit], lo: int, kinds: dict[str, str]) -> int:
    """Return how many leading units to drop: only the ones repeating the headline."""
    n = 0
    while n < lo and kinds.get(key(extracted[n].text)) == "headline":
        n += 1
    return n


def _substantial(units: list[Unit]) -> bool:
    # Teaser summaries are a line or two each; an article's paragraphs run longer.
    chars = sum(len(u.text) for u in units)
    return len(units) >= 3 and chars >= 600 and chars >= 200 * len(units)


def _sentence(u: Unit) -> bool:
    # What trafilatura skips mid-article is a paragraph; a short line without a full stop there
    # is a byline, a credit or an image's alt text the cleaner let through.
    return u.kind != "body" or len(u.text) >= 80 or u.text.rstrip(" \"'”’)»").endswith(_STOPS)


def _fill_gaps(body: list[Unit], cleaned: list[Unit], comments: set[str]) -> list[Unit]:
    """Put back the cleaner's body paragraphs missing between two paragraphs both readings kept,
    before the first one when trafilatura's body starts earlier, or running on after the last one
    (never past the start of the comments).

    A paragraph whose words the units between those two already hold (table cells the cleaner
    read as one row, a sentence trafilatura cut at its links) is there, in pieces, and is not
    put back beside them: its text would be counted twice.
    """
    at = {}
    for i, u in enumerate(body):
        at.setdefault(key(u.text), i)
    # Compared without spaces: the two readings may join inline elements differently
    # ("MacBook Prowas"), and scripts written without spaces compare the same way.
    # Joined without a separator, every unit in reading order (a cell repeated down a table
    # counts each time): a paragraph the cleaner reads as one line (a list whose items it ran
    # together, a table row) is there when trafilatura holds it as several units.
    joined = "".join(_compact(u.text) for u in body)
    inserts: dict[int, list[Unit]] = {}
    anchor = None  # index in ``body`` of the last cleaned paragraph both readings hold
    pending: list[Unit] = []
    for u in cleaned:
        if u.kind not in BODY_KINDS:
            continue
        k = key(u.text)
        if k in comments:
            break
        if k in at:
            if anchor is not None and pending and at[k] > anchor:
                inserts.setdefault(anchor, []).extend(_missing(pending, body[anchor + 1 : at[k]]))
            elif anchor is None and pending and at[k] > 0:
                # Before the first paragraph both hold, but after trafilatura's body began (a
                # kicker, a caption, a line of links): the opening paragraph it skipped.
                inserts.setdefault(at[k] - 1, []).extend(_missing(pending, body[: at[k]]))
            anchor, pending = at[k], []
        elif k and _compact(u.text) not in joined and _sentence(u):
            pending.append(u)
    # The cleaner's prose running on past trafilatura's last paragraph: the extractor stopped
    # at a container boundary inside the article.
    if anchor is not None and _substantial(pending):
        inserts.setdefault(anchor, []).extend(_missing(pending, body[anchor + 1 :]))
    if not any(inserts.values()):
        return body
    out: list[Unit] = []
    for i, u in enumerate(body):
        out.append(u)
        out.extend(inserts.get(i, []))
    return out


def _missing(pending: list[Unit], between: list[Unit]) -> list[Unit]:
    """``pending`` less the paragraphs whose words are mostly in the units ``between`` that are
    pieces of them (each unit's own words nearly all inside the paragraph).

    Words, not spelling: pieces cut at links or cells lose or gain a space, a bracket, a
    character the two readings render differently, so no exact comparison finds them.
    """
    if not between:
        return pending
    held = [Counter(_TOKEN.findall(u.text.casefold())) for u in between]
    out = []
    for u in pending:
        words = Counter(_TOKEN.findall(u.text.casefold()))
        total = sum(words.values())
        pieces: Counter = Counter()
        for h in held:
            n = sum(h.values())
            if n and sum((h & words).values()) >= _PIECE_SHARE * n:
                pieces += h
        if not total or sum((pieces & words).values()) < _COVERED_SHARE * total:
            out.append(u)
    return out
