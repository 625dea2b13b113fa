"""The page around the body of scraped text: headline, standfirst and captions before it, and the
metadata found there and in the footer (byline, date, section, outlet, language)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from . import meta as m
from .dates import CLOCK
from .furniture import CREDIT_SPLIT, PAREN_CREDIT, WORD, is_furniture
from .models import Unit
from .sanity import NAME_PARTICLES, PHOTO_CREDIT
from .script import words_of

if TYPE_CHECKING:
    from .lines import _Line

_HEADER_WINDOW = 60


def empty_meta() -> dict:
    return {
        "title": "",
        "outlet": "",
        "published": "",
        "section": "",
        "byline": "",
        "url": "",
        "language": "",
    }


def split_credit(text: str) -> tuple[str, str | None]:
    """Return ``(caption, credit)``: the credit split off after "©", "Photo:" and the like, or None."""
    paren = PAREN_CREDIT.search(text)
    if paren and text[: paren.start()].strip():
        return text[: paren.start()].strip(), paren.group(1).strip()
    parts = CREDIT_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    if len(parts) == 2 and parts[1].strip():
        return text, parts[1].strip()
    return text, None


def caption_unit(text: str) -> Unit:
    caption, credit = split_credit(text)
    return Unit("caption", caption, credit=credit)


def is_headline(ln: _Line, least: int = 3) -> bool:
    return (
        least <= ln.words <= 30
        and not ln.boiler
        and not ln.glued
        and not ln.credit
        and not ln.stop
        # A sentence, quoted or not ("“Nobody saw this coming.”"): a paragraph or a pull quote.
        and not ((t := ln.text.rstrip(_CLOSING_QUOTES)).endswith(".") and not t.endswith("..."))
        and len(ln.text) <= 250
        and "://" not in ln.text
        and not is_furniture(ln.text.lower())
        and not ln.text.startswith("www.")
        # A field's label ("Publish date:"), a link to elsewhere ("Standings »", "« Previous post").
        and not (ln.words <= 3 and _LABEL.match(ln.text))
        and not ln.text.endswith(_LINK_MARKS)
        and not ln.text.startswith(_BACK_MARKS)
        # A dateline whose date has no year ("Updated Nov 19, 6:55 AM").
        and not (_DATELINE.match(ln.text) and any(c.isdigit() for c in ln.text))
        and m.find_date(ln.text) is None
        and not m.find_byline(ln.text)
    )


_CLOSING_QUOTES = "\"'”’»"
_UPDATE = re.compile(
    r"\W*(?:last\s+)?(?:updated|modified|aktualisiert|geändert|mis à jour|actualizado|atualizado|aggiornato)\b",
    re.I,
)
_LINK_MARKS = ("»", "›", "→")
_BACK_MARKS = ("«", "‹", "←")
_DATELINE = re.compile(
    r"(?:last\s+)?(?:updated|posted|published|modified|aktualisiert|veröffentlicht|publicado|atualizado"
    r"|actualizado|publié|mis à jour|pubblicato|aggiornato)\b",
    re.I,
)
# A field's label on a line of its own ("Author:", "Publish date:"): a line between two labels
# is a field's value (a name), not a headline ("Author:", "Jo Lee", "Publish date:").
_LABEL = re.compile(r"^[^\W\d][^\d:]{0,24}:$")


def _labelled(lines: list[_Line], k: int) -> bool:
    return 0 <= k < len(lines) and lines[k].words <= 3 and bool(_LABEL.match(lines[k].text))


def read_header(
    lines: list[_Line],
    start: int,
    used: set[int],
    ref: dt.date | None,
    bare_names: bool = False,
    day_first: bool = False,
) -> tuple[list[Unit], dict]:
    """Return the units before the body (headline, standfirst, captions) and the metadata found there.

    With ``bare_names`` (page text read on its own, which has no author tags to fall back on), a
    name under the headline without "By" but with a date beside or under it is the byline.
    ``day_first``: the page writes 02/11/2023 for 2 November."""
    meta = empty_meta()
    lo = max(0, start - _HEADER_WINDOW)
    first = lines[0].text
    # Headline: a title-like line shortly before the body, preferably the one the page
    # title starts with or the one repeated (image alt text, breadcrumb).
    best, best_score = None, float("-inf")
    # A copied page opens with its <title> ("Headline - Site"): a later line that repeats it is
    # the headline however it looks (two words, a final full stop, a trademark glued to a word),
    # wherever it sits before the body.
    heads = page_title_heads(lines)
    # The heads' words, found once rather than again for each line compared with them.
    head_words = [set(_words(h)) for h in heads]
    marks: dict[str, bool] = {}  # each line is looked at under several candidates
    title_like: dict[int, bool] = {}  # ... and as one
    deks: set[str] | None = None  # standfirsts' texts, found when a long candidate is met
    # The body's first line competes too when a byline or dateline sits under it: the prose
    # measure may take a headline (a question, a long title) for the article's first paragraph.
    last = start + 1 if credited_opening(lines, start) else start
    for i in range(0 if heads else lo, last):
        ln = lines[i]
        titled = i > 0 and bool(heads) and _repeats_title(ln, heads, head_words)
        if titled:
            if ln.boiler or ln.furniture or ln.stop or len(ln.text) > 250:
                continue
        elif (
            i < lo
            or not _headline_at(lines, i, start, marks, title_like)
            or m.section_from_breadcrumb(ln.text)
            or (_labelled(lines, i - 1) and _labelled(lines, i + 1))
        ):
            continue
        score = min(ln.words, 12) / 4 - (start - i) * 0.05
        if titled:
            # However far from the body: the body found may start late (a results table, a
            # page whose prose comes after a long list) and a teaser sit closer to it.
            score += 100
        elif i > 0 and (first.startswith(ln.text) or ln.text in first):
            score += 3
        # Repeated as the page's title, an image's alt text, a breadcrumb; a line printed more
        # often than that is a menu's or a series' ("Part 3" on every card).  Text copied
        # without its <title> has no alt texts either: there a line printed twice is as likely
        # a menu entry printed in the desktop and the mobile menu ("Continue reading"), unless
        # the copies stand together.
        if (ln.dup == 2 or (ln.dup > 2 and ln.block == 1)) and (heads or _printed_twice(lines, i)):
            score += 2
        if ln.gap and ln.after_gap:
            score += 1
        if ln.lower_ratio > 0.6:
            score -= 1
        # A long line of two sentences is a summary ("Upset in the stronghold! The newcomer
        # wins..."), not a headline.
        if ln.words > 15 and _two_sentences(ln.text):
            score -= 2
        # A long line right under a shorter title-like one is the standfirst under its headline,
        # and so is its copy further down (the standfirst printed again over the body).
        if ln.words > 15:
            if deks is None:
                deks = _standfirsts(lines, lo, start, title_like)
            if ln.text in deks:
                score -= 2
        # A byline right under it, "By" and a name, marks a headline wherever it sits: teasers
        # of other stories between it and the body carry none.  Under a title-like line, it is
        # a subtitle over the byline.
        if (
            i + 1 < start
            and lines[i + 1].words <= 12
            and m.find_byline(lines[i + 1].text)
            and not (i > 0 and lines[i - 1].text != ln.text and _title_like(lines, i - 1, title_like))
        ):
            score += 3
        # A byline or dateline usually sits right under the headline (looked for only when it
        # would make this line the best so far).
        elif score + 1.5 > best_score and _credited(lines, i, start, marks, title_like):
            score += 1.5
        if score > best_score and (titled or not _not_headline(lines, i, start, title_like)):
            best, best_score = i, score
    units: list[Unit] = []
    if best is not None:
        head = lines[best].text
        meta["title"] = head
        units.append(Unit("headline", head))
        used.add(best)
        standfirst_done = False
        for i in range(best + 1, start):
            ln = lines[i]
            if ln.text == head:
                continue
            if ln.credit and not ln.boiler or (ln.credit and "©" in ln.text and ln.words <= 30):
                units.append(_caption_with_previous(lines, i, best, used, units))
                used.add(i)
                standfirst_done = True
                continue
            if (
                not standfirst_done
                and not (ln.boiler or ln.furniture or ln.stop or ln.glued)
                and ln.words >= 6
                and ln.stops >= 1
                # A standfirst is a sentence; a short line without a full stop is another
                # story's headline (a teaser between the headline and the body).  A line in
                # capitals is a label, left as it was.
                and (ln.terminal or ln.words >= 15 or ln.text.isupper())
                and m.find_date(ln.text) is None
                and not m.find_byline(ln.text)
                and (
                    i + 1 >= start
                    or not lines[i + 1].credit
                    or lines[i + 1].text.lower().startswith(("photo", "image", "credit"))
                )
            ):
                units.append(Unit("standfirst", ln.text))
                used.add(i)
                standfirst_done = True
    # Dates, bylines and breadcrumbs: search the header, nearest the top first; but the first
    # date under the headline (not an update's) is its dateline, and a date over the headline
    # may be the day's date in the site's top bar.
    dated = under = None
    for i in range(lo if best is None else max(0, min(lo, best - 10)), start):
        t = lines[i].text
        if not meta["section"] and (best is None or i >= best - 8 or not t[4:5].isupper()):
            sec = m.section_from_breadcrumb(t, meta["title"])
            if sec:
                meta["section"] = sec
        if not meta["byline"]:
            by = m.find_byline(t, lines[i + 1].text if i + 1 < len(lines) else None)
            if by and by != meta["title"]:
                meta["byline"] = by
        if len(t) <= 200 and not _signed(t):
            found = m.find_date(t, ref, day_first)
            if found and (dated is None or (found[1] and not dated[1])):
                dated = found
            if found and under is None and best is not None and best < i <= best + 8 and not _UPDATE.match(t):
                # A written date only: "today" may be a word of a subtitle or of a name.
                under = m.find_date(t, None, day_first)
    if dated is None:
        # None above the body: a dateline the body found begins with (the headline read as its
        # first paragraph, the date under it).
        for i in range(start, min(len(lines), start + 6)):
            if (
                lines[i].words <= 12
                and not _signed(lines[i].text)
                and (found := m.find_date(lines[i].text, None, day_first))
            ):
                dated = found
                break
    if bare_names and not meta["byline"] and best is not None:
        meta["byline"] = _name_over_date(lines, best, start)
    if under or dated:
        meta["published"] = (under or dated)[0]
    meta["outlet"] = m.outlet_from_title(first, meta["title"]) or "" if lines and best != 0 else ""
    return units, meta


def _headline_at(
    lines: list[_Line], i: int, start: int, seen: dict[str, bool], titled: dict[int, bool]
) -> bool:
    """A title-like line; of two words only with a byline or a date right under it ("About
    bugs", then "May 2, 2018"): alone, two words are a label or a menu entry, and two capitalised
    words over a date are the author's name ("Jo Lee", "May 2, 2018") or a link ("Next Post")."""
    ln = lines[i]
    if _title_like(lines, i, titled):
        return True
    return (
        ln.words == 2
        and ln.lower_ratio > 0
        and i + 1 < start
        and is_headline(ln, 2)
        and _credits(lines[i + 1].text, seen)
    )


def _name_over_date(lines: list[_Line], head: int, start: int) -> str:
    """The author's name printed without "By" under the headline (past a standfirst), the date
    beside it or on one of the two lines under it ("Jo Lee", "May 2, 2019"; "Jo Lee - May 2,
    2019"); "" when there is none.  One name only: "Jo Lee, Example News" may be a name and an
    outlet or two names, and empty is better than wrong."""
    for i in range(head + 1, min(start, head + 4)):
        ln = lines[i]
        if ln.words > 12 or ln.boiler or ln.furniture or ln.credit:
            continue
        name = m.cut_name(ln.text)
        dated = name != ln.text and m.find_date(ln.text) is not None
        dated = dated or any(
            k < len(lines) and lines[k].words <= 12 and m.find_date(lines[k].text) is not None
            for k in (i + 1, i + 2)
        )
        if dated and _one_name(name):
            return name
    return ""


def _signed(text: str) -> bool:
    """Whether the line signs an embedded post or a quote ("— Coastal Rail (@coastalrail) June
    2, 2023"): its date is the post's, not the page's."""
    return "(@" in text or bool(_SIGNATURE.match(text))


# A dash, a name, then its handle or the date after a comma ("— Jo Lee, March 2, 2020"); not a
# dateline after a dash ("- Nov. 18th 2019 8:54 am").
_SIGNATURE = re.compile(r"[—―–-]\s*[^\W\d]+(?:\s+[^\W\d]+)*\s*[(,]")


def _not_headline(lines: list[_Line], i: int, start: int, titled: dict[int, bool]) -> bool:
    """Whether title-like line ``i`` is shown by its neighbours to be something else (asked only
    of the best line so far: the tests are dearer than the score)."""
    ln = lines[i]
    return (
        # A headline stands over its byline: the line under one is the author's role ("General
        # Assignment Reporter"), and a name over a date is the byline itself.
        (i > 0 and lines[i - 1].words <= 12 and bool(m.find_byline(lines[i - 1].text, ln.text)))
        or _name_dated(lines, i, start)
        or _in_dated_list(lines, i, start, titled)
    )


def _in_dated_list(lines: list[_Line], i: int, start: int, titled: dict[int, bool]) -> bool:
    """Whether line ``i`` is one of a list of other stories' titles, each with its date or time
    ("Title", "31. Oktober 2023", "Title", "30. Oktober 2023"; or the time first): a date under
    a title makes a headline only when the shape does not repeat."""

    def dated(k: int) -> bool:
        ln = lines[k]
        return ln.words <= 6 and (m.find_date(ln.text) is not None or bool(CLOCK.search(ln.text)))

    for a in (i - 3, i - 2, i - 1, i):  # a window of four lines: title, date, title, date or date first
        if a < 0 or a + 3 >= start:
            continue
        titles = (a, a + 2) if (a - i) % 2 == 0 else (a + 1, a + 3)
        dates = (a + 1, a + 3) if (a - i) % 2 == 0 else (a, a + 2)
        if all(dated(k) for k in dates) and all(_title_like(lines, k, titled) for k in titles):
            return True
    return False


def _two_sentences(text: str) -> bool:
    """Whether a sentence ends inside ``text`` and another starts ("...bei Fulda! Aus dem..."); a
    point after a capital or a lone letter (an initial, "U.S.", "Dr.") ends none."""
    return any(m.group(2).isupper() for m in _SENTENCE_END.finditer(text))


_SENTENCE_END = re.compile(r"[^\W\d_][^\W\d_A-Z]([.!?])\s+(\w)")


def _printed_twice(lines: list[_Line], i: int) -> bool:
    """Whether line ``i``, of four words or more (not a button's label), is printed twice in a row."""
    return lines[i].words >= 4 and (
        (i > 0 and lines[i - 1].text == lines[i].text)
        or (i + 1 < len(lines) and lines[i + 1].text == lines[i].text)
    )


def _standfirsts(lines: list[_Line], lo: int, start: int, titled: dict[int, bool]) -> set[str]:
    """The texts of lines of more than 15 words right under a shorter title-like line, between
    ``lo`` and the body's ``start``."""
    return {
        lines[k].text
        for k in range(max(lo, 1), start)
        if lines[k].words > 15
        and 5 <= lines[k - 1].words < lines[k].words
        and _title_like(lines, k - 1, titled)
    }


def _name_dated(lines: list[_Line], i: int, start: int) -> bool:
    """Whether line ``i`` is an author's name printed without "By", a date on the line under it
    ("Christoph von Ritter", "24. April 2020")."""
    return (
        i + 1 < start
        and _one_name(lines[i].text)
        and lines[i + 1].words <= 12
        and m.find_date(lines[i + 1].text) is not None
    )


def _one_name(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= 4
        and not text.isupper()
        and all(w.replace(".", "").replace("-", "").replace("'", "").isalpha() for w in words)
        and all(
            w[:1].isupper() or (0 < k < len(words) - 1 and w in NAME_PARTICLES) for k, w in enumerate(words)
        )
    )


# The article begins within this many lines of a text's first line: the text is the article alone.
_OPENING = 4


def opening_title(lines: list[_Line], start: int, used: set[int], title: str) -> bool:
    """Whether the first line, a block of its own a few lines above the body, is the title of a
    text that holds the article alone ("Headline", blank line, paragraphs).  A page copy opens
    with its menu or its <title> far above the body; a title the header search found that repeats
    the first line ("Headline - Site" then "Headline") stays."""
    first = lines[0]
    if not 1 <= start <= _OPENING or 0 in used or not first.after_gap or len(lines) < 3:
        return False
    if title and title in first.text:
        return False
    return title_line(first)


def title_line(first: _Line) -> bool:
    """Whether a text's first line, a block of its own, reads as the title of the text under it."""
    text = first.text
    return (
        2 <= first.words <= 25
        and not (first.boiler or first.furniture or first.stop or first.glued or first.comments)
        # A long heading may hold an abbreviation the credit test reads as an agency's ("(EPA)").
        and not (first.credit and first.words < 6)
        and not text.endswith((",", ";", ":"))
        # A full stop ends a headline in title case ("... Why You Shouldn't Worry.") only.
        and not (text.endswith(".") and not text.endswith("...") and first.lower_ratio > 0.3)
        and "://" not in text
        and m.find_date(text) is None
        and not m.find_byline(text)
    )


def page_title_heads(lines: list[_Line]) -> list[str]:
    """The headline the text's first line shows when it is the page's <title> (a page copied
    with its head); [] when it is not one.  A first line printed three times or more is a menu
    entry (the desktop and the mobile menu), as in a page copied from the browser's window."""
    first = lines[0] if len(lines) > 1 else None
    if first is None or first.dup > 2 or first.boiler or first.furniture:
        return []
    # A short first line printed again, with no site part, is as likely the site's name over
    # its logo (a page copied from the window) as a <title>: it is no headline however placed.
    if first.dup == 2 and first.words <= 3 and not m.TITLE_SEP.search(first.text):
        return []
    return _title_heads(first.text)


def titled_opening(lines: list[_Line], start: int) -> bool:
    """Whether the body's first line repeats the page's <title>: the headline, even when it reads
    as a sentence ("How Can We Plan for the Future?")."""
    heads = page_title_heads(lines) if start > 0 else []
    ln = lines[start] if heads and start < len(lines) else None
    return (
        ln is not None
        and ln.block == 1
        and ln.words <= 30
        and not ln.text.endswith(".")
        and _repeats_title(ln, heads, [set(_words(h)) for h in heads])
    )


def credited_opening(lines: list[_Line], start: int) -> bool:
    """Whether the body's first line may be a headline: title-like, with a byline or dateline
    under it (a question, a title the prose measure took for a short paragraph)."""
    ln = lines[start] if start < len(lines) else None
    return (
        ln is not None
        and ln.block == 1
        and ln.words <= 20
        and is_headline(ln, 4)
        and _credited(lines, start, min(len(lines), start + 1 + _CREDIT_REACH), {}, {})
    )


def _title_heads(first: str) -> list[str]:
    """The headline a first line that reads as a page title shows: all of it, or with its site
    part cut ("Headline - Site", "Headline | Site | Topic | Topic"); [] when it is not a title."""
    parts = m.TITLE_SEP.split(first)
    heads = [first]
    if len(parts) > 1:
        heads = [" - ".join(parts[:-1]), parts[0]] if len(parts[-1].split()) <= 6 else heads
    return [
        h
        for h in dict.fromkeys(heads)
        if 2 <= len(_words(h)) <= 30 and not (h.endswith(".") and not h.endswith("..."))
    ]


def _words(text: str) -> list[str]:
    if text.isascii():
        # In ASCII text words_of finds WORD's words and casefold() is lower(); a line's words
        # are mostly cached already, from when its features were measured.
        return [w.lower() for w in words_of(text)]
    return WORD.findall(text.casefold())


def _repeats_title(ln: _Line, heads: list[str], head_words: list[set[str]]) -> bool:
    """``ln`` is the page title's headline, as written or with most of its words (``head_words``,
    the words of each of ``heads``)."""
    if ln.text in heads:
        return True
    a = set(_words(ln.text))
    return len(a) >= 3 and any(len(a & b) >= 0.8 * len(a | b) for b in head_words)


def _caption_with_previous(lines, i, head_idx, used, units) -> Unit:
    # "Photograph by X/Getty Images" on its own line credits the short line just before it.
    cap = caption_unit(lines[i].text)
    prev = i - 1
    if (
        cap.text == lines[i].text
        and prev > head_idx
        and prev not in used
        and not lines[prev].boiler
        and 2 <= lines[prev].words <= 40
        and cap.credit
    ):
        used.add(prev)
        return Unit("caption", lines[prev].text, credit=cap.credit)
    return cap


def _credits(text: str, seen: dict[str, bool], after: str | None = None) -> bool:
    """Whether the line names a byline or a date (remembered in ``seen``); ``after`` is the next
    line, the name under a "By" of its own."""
    found = seen.get(text)
    if found is None:
        # "by" opens a byline in any script ("by 山田事務所 ／ 2016.12.01"); the byline reader
        # wants a capitalised name.
        found = seen[text] = text[:3].casefold() == "by " or bool(m.find_byline(text) or m.find_date(text))
    return found or (
        after is not None
        and text.strip().lower().rstrip(":") in m.BY_ALONE
        and bool(m.find_byline(text, after))
    )


# How far under a headline its byline may sit, past a standfirst, labels and share buttons.
_CREDIT_REACH = 6


def _title_like(lines: list[_Line], k: int, titled: dict[int, bool]) -> bool:
    found = titled.get(k)
    if found is None:
        found = titled[k] = is_headline(lines[k])
    return found


def _credited(lines: list[_Line], i: int, start: int, seen: dict[str, bool], titled: dict[int, bool]) -> bool:
    """Whether a byline or dateline sits under line ``i``: one of the next two lines, or further
    down past a standfirst sentence, page furniture and labels of a word or two ("Share",
    "Next post"), with no other title-like line between (a site's tagline above the headline is
    not credited by the headline's byline)."""
    end = reach = min(start, i + 1 + _CREDIT_REACH)
    k = i + 1
    while k < end:
        ln = lines[k]
        after = lines[k + 1].text if k + 1 < len(lines) else None
        if ln.words <= 20 and _credits(ln.text, seen, after):
            return True
        # A bare name over a date credits the title nearest above it only.
        if end == reach and _name_dated(lines, k, start):
            return True
        if ln.boiler or ln.furniture or ln.words < 3 or (_labelled(lines, k - 1) and _labelled(lines, k + 1)):
            pass  # a label, a share button, a field's value: never title-like, looked past
        elif _title_like(lines, k, titled):
            # Another title-like line: only the line under it may still be this one's byline.
            end = min(end, i + 3)
        elif k > i + 1 and not ln.terminal:
            return False
        k += 1
    return False


def read_footer(
    lines: list[_Line], end: int, meta: dict, ref: dt.date | None, language: str, day_first: bool = False
) -> None:
    """Fill the outlet (a brand or copyright line), the date when the header had none (under the
    article) and the ``language`` (declared, or guessed by ``page_language``)."""
    brand = holder = None
    for ln in lines:
        if ln.words > 40:
            continue
        if brand is None and ("rivacy" in ln.text or "pp" in ln.text):
            brand = m.outlet_from_brand(ln.text)
        if holder is None and ("©" in ln.text or "opyright" in ln.text):
            low = ln.text.lower()
            if not any(h in low for h in PHOTO_CREDIT):
                holder = m.outlet_from_copyright(ln.text)
    if not meta["outlet"]:
        meta["outlet"] = brand or holder or ""
    if not meta["published"]:
        for ln in lines[end : end + 30]:
            if len(ln.text) <= 200:
                found = m.find_date(ln.text, ref, day_first)
                if found:
                    meta["published"] = found[0]
                    break
    meta["language"] = language
