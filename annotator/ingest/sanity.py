"""Last checks on a document's metadata: a value that does not look like what its field holds is
emptied, because an empty field is better than a wrong one (it is filled in by hand; a wrong one
is trusted and exported).

- outlet: a site or publisher name, not a photographer's credit ("Photo: Jane Doe"), a word
  of page furniture ("Hosted", "Sponsored") nor a phrase of the headline.
- byline: names or an agency, not a phrase from a sentence; a part that is the outlet or a
  site's address ("Jo Smith, Example.com"), a CMS account ("admin"), a handle ("@jo") or a date
  word run in from the dateline ("Jo Smith Monday; November") is cut from it.
- title: not the bare site name.
"""

from __future__ import annotations

import re

from .models import Unit
from .script import SPACELESS as _SPACELESS
from .script import fold as _fold

# Words that label page furniture and so turn up where a name was looked for.
_NOT_OUTLET = frozenset(
    "hosted sponsored powered advertisement advertising home menu search login subscribe share "
    "photo photos image images video news article articles latest more".split()
)
#: Words of a picture credit: a copyright line holding one names a photographer, not the outlet.
PHOTO_CREDIT = ("photo", "image", "pictur", "credit", "illustrat", "getty", "shutterstock")
# Lower-case words inside a family name ("Ana de la Cruz", "Christoph von Ritter").
NAME_PARTICLES = frozenset(
    "de da do dos das del della di du la le van von der den ter bin binti ibn al el".split()
)
# ... and those a list of names may hold too ("Ana de la Cruz and Tom van Dijk").
_NAME_PARTICLES = NAME_PARTICLES | {"and", "y", "e", "et", "und"}
_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*")


def plausible_outlet(value: str) -> bool:
    words = _WORD.findall(value)
    if not words or len(words) > 8:
        return False
    low = value.lower()
    if len(words) == 1 and words[0].lower() in _NOT_OUTLET:
        return False
    return not any(h in low for h in PHOTO_CREDIT)


def plausible_byline(value: str) -> bool:
    """Names (capitalised words, with particles, joined by commas or "and") or an agency."""
    if any(map(str.isdigit, value)) or value.rstrip().endswith(("?", "!")):
        return False
    names = [n for n in _NAMES_SEP.split(value) if n.strip()]
    if not names or len(names) > 8:
        return False
    for name in names:
        words = _WORD.findall(name)
        if not words or len(words) > 5:
            return False
        lower = [w for w in words if w[:1].islower() and w.lower() not in _NAME_PARTICLES]
        if lower:
            return False
    return True


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Alone, a month is a dateline's; after a name it may be a surname (Jo March), so it stays there.
_WEEKDAYS_MONTHS = _WEEKDAYS | frozenset(
    "january february march april may june july august september october november december".split()
)
# Accounts a publishing system creates, credited when nobody filled in an author.
_ACCOUNT = re.compile(r"^\w{0,12}admin(?:istrator)?\w{0,3}$|^(?:webmaster|root|guest|user\d*)$", re.I)
# "example.com", or as trafilatura normalises it, "Example Com".
_SITE_ADDRESS = re.compile(r"\w(?:\.(?:com|org|net|co|info|news|[a-z]{2})|\s(?:com|org|net))$", re.I)
_OUTLET_PARTS = re.compile(r"\s+[|–—•·]\s+|\s+-\s+")
# Degrees and licences printed after an author's name.
_CREDENTIALS = frozenset(
    "ms msc ma ba bs bsc mba mph phd md do rd rdn ld ldn rn bsn msn np dnp pharmd psyd lcsw jd esq "
    "cpa cfa cfp cpt cscs cde dds dvm mfa facp".split()
)
BYLINE_SEP = re.compile(r"\s*(;|,|&|\band\b)\s*")


def tidy_outlet(value: str) -> str:
    """The name of "Site | tagline" or "Site | Topic | Topic": its first part."""
    parts = _OUTLET_PARTS.split(value.strip())
    return parts[0].strip() if len(parts) > 1 and parts[0].strip() else value.strip()


def tidy_byline(value: str, outlet: str = "") -> str:
    """``value`` without the parts that name no author (see the module's docstring)."""
    pieces = BYLINE_SEP.split(value.strip())
    names, seps = pieces[0::2], pieces[1::2]
    out_fold = f" {_fold(outlet)} " if outlet else ""
    kept: list[str] = []
    for name in names:
        name = name.split("@", 1)[0].strip() if not name.startswith("@") else ""
        words = name.split()
        while len(words) > 1 and words[-1].lower().strip(".,") in _WEEKDAYS:
            words.pop()
        name = " ".join(words)
        low = name.lower()
        if (
            not name
            or low in _WEEKDAYS_MONTHS
            or _ACCOUNT.match(name)
            or _SITE_ADDRESS.search(name)
            or (out_fold and f" {_fold(name)} " in out_fold)
        ):
            continue
        if kept and (low.replace(".", "") in _CREDENTIALS or (out_fold and out_fold in f" {_fold(name)} ")):
            # After a name: the author's degrees ("Jo Lee, MS, RD") or the outlet they write for
            # ("Jo Lee, Example Staff"), not another author.
            continue
        kept.append(name)
    if len(kept) == len(names) and all(a == b.strip() for a, b in zip(kept, names, strict=True)):
        return value
    sep = "; " if ";" in seps else ", "
    return sep.join(kept)


_NAMES_SEP = re.compile(r"\s*(?:[,;&/]|\band\b)\s*")


def _part_of_headline(outlet: str, title: str) -> bool:
    """A subtitle taken for the site name (a title "Diet plan - lose 10 kg fast" split at its
    dash when the page shows "Diet plan - lose 10 kilos in 14 days"): three words or more, half
    of them the headline's.  A site's name is rarely half of its headlines."""
    words = _fold(outlet).split()
    if len(words) < 3:
        return False  # most names, and the headline need not be read
    head = set(_fold(title).split())
    shared = sum(w in head for w in words)
    return shared >= 2 and shared >= 0.5 * len(words)


def check_meta(meta: dict, units: list[Unit]) -> list[Unit]:
    """Empty implausible outlet, byline and title values in ``meta``; return ``units`` without a
    headline that is only the site name."""
    if meta.get("outlet"):
        meta["outlet"] = tidy_outlet(meta["outlet"])
    if meta.get("outlet") and not plausible_outlet(meta["outlet"]):
        meta["outlet"] = ""
    if meta.get("outlet") and _part_of_headline(meta["outlet"], meta.get("title") or ""):
        meta["outlet"] = ""
    if meta.get("byline"):
        meta["byline"] = tidy_byline(meta["byline"], meta.get("outlet") or "")
    if meta.get("byline") and not plausible_byline(meta["byline"]):
        meta["byline"] = ""
    outlet = _fold(meta.get("outlet") or "")
    # "Dogs By Nature" is a site name, not a byline naming Nature; and a site, or the firm that
    # owns it, credited as its own author names nobody ("by Lighthouse Patent Office" on the
    # office's own blog).  Words compare whole; a script without spaces compares as written.
    byline = _fold(meta.get("byline") or "")
    if (
        outlet
        and byline
        and (f" {byline} " in f" {outlet} " or (_SPACELESS.search(byline) and byline in outlet))
    ):
        meta["byline"] = ""
    if meta.get("section") and _fold(meta["section"]) == _fold(meta.get("title") or ""):
        meta["section"] = ""  # a page's "section" field that holds its headline names no section
    if outlet and _fold(meta.get("title") or "") == outlet:
        meta["title"] = ""
        return [u for u in units if not (u.kind == "headline" and _fold(u.text) == outlet)]
    return units
