"""The publication date of an HTML page, chosen from what its parsed tree says.

htmldate (through trafilatura) reads the page's machine-readable dates in a sound order (URL,
meta tags, JSON-LD, date-like elements) and prefers the published over the modified date.  Two
things it cannot know are settled here, on the tree already parsed (the page is not read again):

- *Which day readers saw.*  A timestamp in UTC ("2023-11-09T02:11Z") falls on the next day for a
  page published in the evening west of Greenwich.  When the page also writes the same moment with
  its own UTC offset ("2023-11-08T21:11-05:00"), that local day is the date.  A date shown only as
  text is not taken over a UTC timestamp: the dates people record for such pages follow either.
- *A page without machine-readable dates.*  htmldate then guesses from any date in the page, often
  one of a teaser list.  The date printed next to the headline (a dateline, the first post of a
  thread) is the article's own; it wins over such a guess.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from lxml import etree

from . import dates as m
from .meta import TITLE_SEP
from .script import fold as _fold

# Meta tags (name, property or itemprop, lower-cased) that carry the publication time.
_PUBLISHED_META = frozenset(
    {
        "article:published_time",
        "article:published",
        "og:published_time",
        "og:article:published_time",
        "og:release_date",
        "datepublished",
        "datecreated",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "published_time",
        "date",
        "dc.date",
        "dc.date.issued",
        "dc.date.created",
        "dcterms.date",
        "dcterms.issued",
        "dcterms.created",
        "sailthru.date",
        "parsely-pub-date",
        "cxenseparse:publishtime",
        "originalpublicationdate",
        "article.published",
        "pdate",
    }
)
# Names some pages give the last change rather than the first publication: read last.
_VAGUE_META = frozenset({"date", "dc.date", "dcterms.date", "pdate"})
# JSON-LD types whose datePublished is the page's own (not a breadcrumb, video or organisation).
_ARTICLE_TYPES = ("article", "posting", "report", "webpage", "newsarticle")
# A machine timestamp with its UTC offset: 2023-11-08T21:11:03-05:00, ...+0100, ...Z.
_STAMP = re.compile(
    r"((?:19|20)\d\d)-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::\d\d(?:\.\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?(?!\d)"
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|\.html?|$)")
_COMPACT = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
# How much text around the headline is searched for the date printed with it.
_AFTER_CHARS = 400
_BEFORE_CHARS = 160
_DATELINE_CHARS = 120
# A label that makes the date after it a revision's, not the publication's.
_UPDATED = re.compile(
    r"(?:updated?|modified|edited|aktualisiert|geändert|mis à jour|modifié|actualizado|atualizado)\b"
    r"[^\d]{0,24}$",
    re.I,
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "option"})


def publication_date(tree: etree._Element, find: Callable[[], str], title: str, url: str | None) -> str:
    """Return the page's publication date ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"), or "".

    ``find`` returns htmldate's date for the page ("" when it finds none): called only when it
    is needed (not when the date printed with the headline settles it), as htmldate's search
    costs about as much as all the rest of the page's metadata. ``title`` is the headline
    trafilatura read, ``url`` the page's address if known.
    """
    stamps, structured = _machine_stamps(tree)
    if url and _URL_DATE.search(urlsplit(url).path):
        structured = True
    shown, shown_stamp = _date_by_headline(tree, title) or (None, None)
    if shown_stamp:
        # The <time> under the headline is the article's own, whatever its markup says.
        stamps.append(shown_stamp)
    if not structured:
        # Nothing machine-readable: htmldate guessed from the page's text, where a teaser's
        # date counts as much as the article's own; the one printed with the headline wins.
        return shown or find()
    found = find()
    if not found:
        return shown or ""
    # The same moment written in UTC and with the publisher's own offset: the local day.
    in_utc = {utc for local, utc in stamps if utc == local and local[:10] == found[:10]}
    for local, utc in stamps:
        if utc in in_utc and local != utc:
            return local
    for local, _utc in stamps:
        if local[:10] == found[:10]:
            return local if len(local) > len(found) else found
    return found


def _machine_stamps(tree) -> tuple[list[tuple[str, str | None]], bool]:
    """Return the publication timestamps the page declares, each as ``(local, utc)`` where
    ``local`` is the wall-clock time as written and ``utc`` the same moment in UTC (None when no
    offset is given), and whether the page declares any publication date at all."""
    values: list[str] = []
    vague: list[str] = []
    # One walk over the few tags that carry dates (each XPath would walk the page again).
    for el in tree.iter("meta", "time", "script"):
        if el.tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            if key in _PUBLISHED_META and el.get("content"):
                (vague if key in _VAGUE_META else values).append(el.get("content"))
        elif el.tag == "time":
            stamp = el.get("datetime")
            label = (el.get("itemprop") or "") + " " + (el.get("class") or "")
            if stamp and (el.get("pubdate") is not None or "ublish" in label):
                values.append(stamp)
        elif (el.get("type") or "").strip().lower().startswith("application/ld+json"):
            values.extend(_ld_published(el.text or ""))
    values += vague
    structured = False
    stamps = []
    for v in values:
        if m.iso_from_meta_value(v) or _COMPACT.fullmatch(v.strip()) or m.find_date(v):
            structured = True
        stamp = _stamp(v)
        if stamp:
            stamps.append(stamp)
    return stamps, structured


def _ld_published(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    out, stack = [], [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            kind = item.get("@type")
            kind = " ".join(kind) if isinstance(kind, list) else str(kind or "")
            date = item.get("datePublished") or item.get("dateCreated")
            if isinstance(date, str) and any(t in kind.lower() for t in _ARTICLE_TYPES):
                out.append(date)
            if "@graph" in item:
                stack.append(item["@graph"])
    return out


def _stamp(value: str) -> tuple[str, str | None] | None:
    s = _STAMP.search(value or "")
    if not s:
        return None
    y, mo, d, h, mi, zone = s.groups()
    try:
        local = dt.datetime(int(y), int(mo), int(d), int(h), int(mi))
    except ValueError:
        return None
    text = local.strftime("%Y-%m-%dT%H:%M")
    if not zone:
        return text, None
    if zone == "Z":
        return text, text
    sign = -1 if zone[0] == "-" else 1
    zone = zone[1:].replace(":", "")
    offset = dt.timedelta(hours=int(zone[:2]), minutes=int(zone[2:]))
    return text, (local - sign * offset).strftime("%Y-%m-%dT%H:%M")


def _date_by_headline(tree, title: str):
    """Return ``(date, stamp)`` for the date printed just after the headline (else just before
    it), read from a ``<time datetime>`` (``stamp`` its ``(local, utc)`` moment) or the text
    (``stamp`` None); None when there is none."""
    head = _headline_element(tree, title)
    if head is None:
        return None
    after = _dates_near(_following(head), _AFTER_CHARS)
    if after:
        return after
    return _dates_near(_preceding(head), _BEFORE_CHARS, backwards=True)


_DIGIT = re.compile(r"\d")


def _headline_element(tree, title: str):
    """The heading that shows ``title``: the same words, one holding the other (a title with
    its site or section, a heading with a kicker), or most words in common."""
    want = _fold(title or "")
    if len(want) < 8:
        return None
    parts = TITLE_SEP.split(title)
    heads = {want, _fold(" - ".join(parts[:-1]))} if len(parts) > 1 else {want}
    want_words = set(want.split())
    best, best_score = None, 0.6
    for n, el in enumerate(tree.iter("h1", "h2")):
        if n >= 40:
            break
        got = _fold(el.text_content())
        if len(got) < 6:
            continue
        if got in heads:
            return el
        shorter = min(got, want, key=len)
        long_enough = len(shorter) >= 20 or (len(shorter) >= 15 and len(shorter.split()) >= 3)
        longer = max(got, want, key=len)
        if long_enough and (longer.startswith(shorter) or f" {shorter} " in f" {longer} "):
            score = 0.9
        else:
            words = set(got.split())
            score = len(words & want_words) / len(words | want_words)
        if score > best_score:
            best, best_score = el, score
    return best


def _following(el):
    """Elements after ``el`` in document order, with the text each holds (its own and tail)."""
    tail = el.tail
    if tail and tail.strip():
        yield None, tail
    while el is not None:
        for sib in el.itersiblings():
            yield from _walk(sib)
        el = el.getparent()


def _walk(el):
    if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
        if el.tail:
            yield None, el.tail
        return
    yield el, el.text or ""
    for child in el:
        yield from _walk(child)
    if el.tail:
        yield None, el.tail


def _preceding(el):
    """Elements before ``el``, nearest first (each subtree's text in reading order)."""
    while el is not None:
        for sib in el.itersiblings(preceding=True):
            parts = list(_walk(sib))
            yield from reversed(parts)
        el = el.getparent()


def _dates_near(items, budget: int, backwards: bool = False):
    """The first date among ``items`` within ``budget`` characters of text, skipping one
    labelled as an update ("Updated: ...")."""
    seen = 0
    previous = ""
    for el, text in items:
        if el is not None and el.tag == "time" and el.get("datetime"):
            stamp = _stamp(el.get("datetime"))
            iso = stamp[0] if stamp else m.iso_from_meta_value(el.get("datetime"))
            label = ((el.get("class") or "") + " " + (el.get("itemprop") or "")).lower()
            if iso and not ("modif" in label or "update" in label or _updated(previous)):
                return iso, stamp
        text = " ".join(text.split())
        if not text:
            continue
        # A dateline is a short line of its own; a date inside prose is something the story tells.
        found = m.find_date(text) if len(text) <= _DATELINE_CHARS else None
        if found:
            label = _DIGIT.split(text, maxsplit=1)[0]
            if backwards or not _updated((previous + " " + label)[-60:]):
                return found[0], None
        previous = text
        seen += len(text)
        if seen > budget:
            break
    return None


def _updated(text: str) -> bool:
    return bool(_UPDATED.search(text))
