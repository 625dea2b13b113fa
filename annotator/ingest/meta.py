"""Metadata found in page text: outlet, section (breadcrumbs) and bylines; dates are read by
``dates`` (re-exported here for the readers of page text)."""

from __future__ import annotations

import re
from functools import lru_cache

# The cleaner and the header reader ask for dates and names together, as ``meta.find_date``.
from .dates import find_date, iso_from_meta_value  # noqa: F401

# -- bylines -------------------------------------------------------------------------------------
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|da|van|von|der|la|le|al|bin))*"
# A name in a script without letter case (Japanese, Chinese, Korean) has no capital to start it.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_NAME = rf"[{_CJK}][{_CJK}・]*"
_BYLINE = re.compile(
    r"(?:^|\s)[Bb][Yy]:?\s+((?:"
    + _NAME
    + "|"
    + _CJK_NAME
    + r")(?:\s*,\s*(?:"
    + _NAME
    + "|"
    + _CJK_NAME
    + r"))*)"
)


_NAME_END = re.compile(
    r"\s+(?=(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|updated\b|published\b|posted\b)",
    re.I,
)


def cut_name(text: str) -> str:
    """Return ``text`` up to a date or time that follows a name ("Jo Tsidulko November 19, 2019")."""
    text = _NAME_END.split(text, maxsplit=1)[0]
    text = re.split(r"\s*(?:\d|\|)", text, maxsplit=1)[0]
    words = text.split()
    while words and words[-1].lower().rstrip(".,") in _MONTH_WORDS:
        words.pop()
    return " ".join(words).strip(" ,;-–")


_MONTH_WORDS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "updated",
    "published",
    "posted",
    "on",
}


# "By" on a line of its own, the name on the next, in the languages news is written in.  Only
# alone: inside a line "von", "por" or "di" are prepositions ("Die Zukunft von Berlin").
BY_ALONE = frozenset(
    "by|written by|words by|von|autor|autorin|por|par|auteur|di|door|от|автор|av|af|przez".split("|")
)


# "By" in other languages opening a line that holds a name and at most a date after it ("Par
# Henri Frasque", "Von Jo Lee | 2. Mai"); the name's words capitalised, so that a headline opening
# with a preposition ("Por qué votar") is not read as one.
_BY_OPENING = re.compile(
    r"^(?:[Vv]on|[Pp]ar|[Pp]or|[Dd]oor|[Dd]i|[Aa]v|[Aa]f|[Pp]rzez)\s+(" + _NAME + r")\s*(?=$|[|•·—–,\d-])"
)


@lru_cache(maxsize=4096)
def find_byline(line: str, next_line: str | None = None) -> str | None:
    """Return the author named by a byline line ("By Jane Doe | May 2"), or None.

    Cached: the header reader asks about each of its lines several times."""
    if len(line) > 160:
        return None
    if line.strip().lower().rstrip(":") in BY_ALONE and next_line:
        name = cut_name(next_line)
        if name and len(name.split()) <= 8 and name[:1].isupper():
            return name
        return None
    m = _BYLINE.search(line)
    if not m:
        m = _BY_OPENING.match(line)
        if m:
            name = cut_name(m.group(1))
            return name if 2 <= len(name.split()) <= 5 else None
        return None
    # "By" must open the line, follow a date or separator, or a word or two ("Story by"), not
    # sit inside a headline or a sentence ("Park Approved After Campaign By Residents").
    before = line[: m.start(1)].strip()
    if len(before.split()) > 3 and not re.search(r"\d|[|•·—–]", before):
        return None
    name = m.group(1).strip(" ,")
    name = cut_name(name)
    words = name.split()
    if not words or len(words) > 12:
        return None
    return name


# -- outlet ------------------------------------------------------------------------------------
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)|copyright\b))?\s*(?:(?P<y1>(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)[,.]?\s+)?"
    r"(?P<holder>[^\d©|]{2,80}?)\s*(?:[,.]?\s*(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)?"
    r"\s*(?:[.,;|](?=\s|$)|\ball rights\b|$)",
    re.I,
)
_BRAND = re.compile(
    r"(?:^|\s)(?:[Rr]ead\s+|[Tt]he\s+|[Dd]ownload\s+(?:the\s+)?)?(?P<b>[A-Z][\w&.'’-]*(?:\s[A-Z][\w&.'’-]*){0,2})"
    r"\s+(?:[Pp]rivacy [Pp]olicy|News [Aa]pp|[Mm]obile [Aa]pp)\b"
)
_NOT_BRAND = {
    "our",
    "your",
    "the",
    "this",
    "read",
    "view",
    "see",
    "privacy",
    "cookie",
    "cookies",
    "terms",
    "a",
    "download",
    "get",
    "about",
    "and",
    "or",
    "updated",
    "new",
    "policy",
    "copyright",
    "data",
    "notice",
    "use",
    "legal",
    "ad",
    "ads",
    "advertising",
    "accessibility",
    "site",
    "full",
    "california",
    "eu",
}
#: The separator between a page title's headline and its site name ("Headline | Site").
TITLE_SEP = re.compile(r"\s+(?:[-–—|:•·]|::)\s+")


_DOMAIN = re.compile(r"\w\.[a-z]{2,6}$", re.I)


def outlet_from_title(title_line: str, headline: str) -> str | None:
    """Return the site name of a ``<title>``-like line "Headline - Site", or None."""
    parts = TITLE_SEP.split(title_line)
    if len(parts) < 2:
        return None
    head, site = " - ".join(parts[:-1]), parts[-1].strip()
    if len(parts) > 3 and headline and headline.strip() == parts[0].strip():
        # "Headline | Site | Topic | Topic" or "Headline | Topic | Section | Site": which part
        # names the site is not known unless one is a domain name; empty is better than a topic.
        domains = [p.strip() for p in parts[1:] if _DOMAIN.search(p)]
        return domains[0] if len(domains) == 1 else None
    if headline and not (headline.startswith(head[:30]) or head.startswith(headline[:30])):
        if not (parts[0].strip() and headline.startswith(parts[-1][:30])):
            return None
        site = parts[0].strip()
    if 0 < len(site.split()) <= 5 and not site.endswith((".", "?", "!")):
        return site
    return None


def outlet_from_brand(line: str) -> str | None:
    """Return X from "Read X Privacy policy" or "X News App", or None."""
    m = _BRAND.search(line)
    if not m:
        return None
    brand = m.group("b").strip()
    if any(w.lower() in _NOT_BRAND for w in brand.split()):
        return None
    return brand


def outlet_from_copyright(line: str) -> str | None:
    """Return the holder of a copyright line ("© 2019 Cleveland.com. All rights reserved" → "Cleveland.com")."""
    if len(line) > 300:
        return None
    m = _COPYRIGHT.search(line)
    if not m:
        return None
    holder = m.group("holder").strip(' .,;:–-“”"')
    holder = re.sub(r"^by\s+", "", holder, flags=re.I)
    if not holder or holder.lower().startswith(("all rights", "reserved")) or len(holder.split()) > 8:
        return None
    if all(w.lower() in _NOT_BRAND for w in holder.split()):
        # A link to the page's terms ("Copyright Policy", "Copyright notice"), not a holder.
        return None
    if _COMPANY.search(holder) or _AGENCY.fullmatch(holder):
        # The company that owns the site ("Harbour Media Group Ltd", "Dow Jones & Company"),
        # named under most of its sites, or the news agency whose story the page carries: not
        # the publication's name, and empty beats wrong.
        return None
    return holder


_AGENCY = re.compile(
    r"(?:the\s+)?(?:associated press|ap|reuters|thomson reuters|afp|agence france-presse|dpa|ansa|efe|"
    r"press association|pa media|upi|united press international|bloomberg|xinhua|kyodo|tass|aap)",
    re.I,
)
_COMPANY = re.compile(
    r"\b(?:inc|llc|ltd|limited|gmbh|plc|corp|corporation|company|co|holdings?|group|media"
    r"|interactive|network|publishing|publications)\b",
    re.I,
)


# -- section -----------------------------------------------------------------------------------
_CRUMB_SEP = re.compile(r"\s*(?:>|›|»|/|\\|→|·|\|)\s*")


def section_from_breadcrumb(line: str, headline: str = "") -> str | None:
    """Return the last section of a breadcrumb line ("HomeRussia & FSU", "Home > News > World"), or None."""
    s = line.strip()
    if len(s) > 120 or not s.lower().startswith("home"):
        return None
    rest = s[4:]
    if rest[:1].isupper() and not rest[:1].isspace():
        crumbs = [rest]
    else:
        crumbs = [c for c in _CRUMB_SEP.split(rest) if c.strip()]
        if not crumbs or not _CRUMB_SEP.match(rest):
            return None
    crumbs = [c.strip() for c in crumbs if c.strip() and c.strip() != headline]
    if not crumbs:
        return None
    last = crumbs[-1]
    return last if len(last.split()) <= 6 else None
