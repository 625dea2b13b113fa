"""The metadata of an HTML page (headline, outlet, byline, section, date) from trafilatura's
reading of its tags and from what its text shows, and the headline unit that goes with them.
``html.extract_html`` calls ``read_page_meta`` once the page's text is read.
"""

from __future__ import annotations

import re
from html import unescape

from htmldate import find_date
from lxml import etree
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_catstags,
    extract_meta_json,
    extract_metainfo,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import set_date_params
from trafilatura.utils import line_processing
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from . import meta as m
from .models import Unit
from .published import publication_date
from .sanity import BYLINE_SEP
from .script import fold as _fold


def read_page_meta(
    tree, meta: dict, url: str | None, lang: str, text_meta: dict, rendered: str
) -> tuple[str, set[str] | None]:
    """Fill ``meta`` for a parsed page from its tags and from what its text shows (``text_meta``,
    the cleaner's reading of ``rendered``); return, for ``headline_units``, the page's first
    ``<h1>`` ("" when not read) and its visible lines (None when not read).

    The last reader of ``tree``: the author search prunes it."""
    doc, page_url = _page_metadata(tree, url)
    meta["title"] = clean_value(doc.title)
    meta["outlet"] = clean_value(doc.sitename)
    meta["byline"] = clean_value(doc.author)
    meta["url"] = clean_value(doc.url) or (url or "")
    meta["language"] = clean_value(getattr(doc, "language", None)) or lang
    cats = [c for c in (doc.categories or []) if c and c.strip()]
    meta["section"] = clean_value(cats[0]) if cats else ""
    meta["published"] = publication_date(tree, lambda: _htmldate(tree, page_url), meta["title"], meta["url"])
    handles = {_fold(h) for h in _HANDLE_META(tree)}
    declared = {_fold(a) for a in _AUTHOR_META(tree)}
    # The page's first <h1>, read (before the author search prunes the tree) only for a title
    # the page does not show, the one case ``_headline`` asks for it.
    heading, shown_lines = "", None
    if meta["title"] and meta["title"] != text_meta.get("title"):
        shown_lines = _shown_lines(rendered)
        if meta["title"] not in shown_lines:
            heading = next((t for e in tree.iter("h1") if (t := " ".join(e.text_content().split()))), "")
    page_title = " ".join((tree.findtext("head/title") or "").split())
    if not meta["byline"] and not text_meta.get("byline"):
        # Last reader of the tree: the author search prunes it.
        meta["byline"] = clean_value(_page_author(tree))
    _prefer_text_meta(meta, text_meta, handles, page_title)
    meta["byline"] = _printed_names(meta["byline"], rendered, declared)
    return heading, shown_lines


def _page_metadata(tree, url: str | None) -> tuple:
    """trafilatura's ``extract_metadata(tree, url, extensive=False)`` less what is not used here
    (tags, licence, host name) and less the author search (``_page_author``); with it, the
    page's address as read, for htmldate.

    Why not the library call: it copies the whole tree to look for an author and runs the tag and
    licence searches, a third of the metadata time, and that time counts against the HTML
    path's budget of 1.2x trafilatura's extraction alone (bench/bench_ingest.py).
    Visible dates and the published_time meta tag are read by the caller, so htmldate need not dig,
    and the caller runs htmldate (``_htmldate``) only when the date printed with the headline
    does not settle the date.
    """
    doc = examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None
    declared = doc.sitename
    try:
        doc = extract_meta_json(tree, doc)
    except Exception:  # noqa: BLE001 - the library guards its JSON-LD reader the same way
        pass
    if declared and "." not in declared and not declared.startswith("@") and not declared.islower():
        # The name the site gives itself in its meta tags, not its JSON-LD publisher, which is
        # often the company that owns it ("Example Media" for the site "Example"); a name in
        # lower case there is an identifier ("examplenews"), the publisher's is better.
        doc.sitename = declared
    if not doc.title:
        doc.title = extract_title(tree)
    if not doc.url:
        doc.url = extract_url(tree, url)
    page_url = doc.url  # as htmldate is given it, before the trim below
    if not doc.sitename:
        doc.sitename = extract_sitename(tree)
    if doc.sitename:
        doc.sitename = doc.sitename.lstrip("@")
        if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
            doc.sitename = doc.sitename.title()
    elif doc.url:
        found = META_URL.match(doc.url)
        if found:
            doc.sitename = found[1]
    if not doc.categories:
        doc.categories = _categories(tree)
    doc.clean_and_trim()
    return doc, page_url


def _categories(tree) -> list[str]:
    """trafilatura's ``extract_catstags("category", tree)``, without its XPath searches of the
    page when no link's address names a category (most pages): each of its searches looks for
    links whose address matches "/categor(y|ies|s)/", and each walks the whole page.  Then only
    its fallback, the section meta tags, can answer; it is the library's own, run as it runs it.
    """
    if _CATEGORY_LINK(tree):
        return extract_catstags("category", tree)
    found = (el.attrib["content"] for el in _SECTION_META(tree))
    return [r for r in dict.fromkeys(line_processing(x) for x in found if x) if r]


_CATEGORY_LINK = etree.XPath('boolean(//a[contains(@href, "/categor")])')
_SECTION_META = etree.XPath(
    './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'
)


def _htmldate(tree, url: str | None) -> str:
    """htmldate's date for the page, as trafilatura's metadata search asks for it."""
    params = set_date_params(False)
    params["url"] = url
    return clean_value(find_date(tree, **params))


def _page_author(tree) -> str:
    """The names in the page's author-like elements, when its meta tags name nobody: trafilatura's
    ``extract_author`` without its copy of the whole tree, so ``tree`` is pruned and must not be
    read after this.

    The caller asks only when the page prints no byline: it prefers the printed one to what this
    search gathers (on the shared pages the two agree, or the search glued dates to the names).
    """
    names = extract_metainfo(prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS), AUTHOR_XPATHS, len_limit=120)
    names = normalize_authors(None, names) if names else None
    return line_processing(unescape(names)) if names else ""


def without_byline_line(units: list[Unit], byline: str, published: str) -> tuple[list[Unit], str]:
    """``units`` less the line above the article that credits its author ("by Jo Lee Monday,
    November 18, 2019"), and that line ("" when there is none): trafilatura keeps it in the body
    when it sits inside the article's container; the metadata holds the byline and the date.

    The line names the page's byline, or opens with "by" and carries the publication date's
    year, month and day (names in any script: "by 山田事務所 ／ 2016.12.01").
    """
    name = _fold(byline)
    date = [int(x) for x in published[:10].split("-")] if _ISO_DATE.match(published) else []
    for i, u in enumerate(units):
        if u.kind not in ("body", "subheading"):
            continue
        if len(u.text) >= 200:
            break  # the article's prose has begun
        if len(u.text) > 160:
            continue
        found = m.find_byline(u.text) if name else None
        dated = (
            date
            and len(u.text) <= 100
            and u.text[:3].casefold() == "by "
            and set(date) <= {int(x) for x in _DIGITS.findall(u.text)}
        )
        if (found and _fold(found) == name) or dated:
            return units[:i] + units[i + 1 :], u.text
    return units, ""


_ISO_DATE = re.compile(r"(?:19|20)\d\d-\d\d-\d\d")
_DIGITS = re.compile(r"\d+")


_BARE_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)
_HANDLE_META = etree.XPath('/html/head/meta[@name="twitter:site" or @property="twitter:site"]/@content')
_AUTHOR_META = etree.XPath('/html/head/meta[@name="author"]/@content')


def _prefer_text_meta(meta: dict, found: dict, handles: set[str], page_title: str) -> None:
    """Fill and tidy trafilatura's metadata with what the page's text shows."""
    if "://" in meta["outlet"] or meta["outlet"].startswith("www."):
        meta["outlet"] = found.get("outlet") or ""
    elif _BARE_DOMAIN.match(meta["outlet"]) or _fold(meta["outlet"]) in handles:
        # An address ("example.com") or a social handle ("@ExampleOnline") stands for the site
        # where the page declares no name; the name it prints in its title ("Headline - Site")
        # or its text is the outlet.
        # The name must spell the address or handle ("HarbourDaily" for "harbourdaily.com"): a
        # title's last part may be a section ("Headline - Auto News").
        ident = _fold(meta["outlet"].rsplit(".", 1)[0] if "." in meta["outlet"] else meta["outlet"]).replace(
            " ", ""
        )
        for named in (m.outlet_from_title(page_title, "") if page_title else None, found.get("outlet")):
            name = _fold(named or "").replace(" ", "")
            if name and (name in ident or ident in name):
                meta["outlet"] = named
                break
    # trafilatura joins every author-like string it meets ("Troy Smith; Troy L Smith; Cleveland com");
    # the byline printed on the page, when it is one of them, is the cleaner value.
    if found.get("byline") and (not meta["byline"] or _fold(found["byline"]) in _fold(meta["byline"])):
        meta["byline"] = found["byline"]
    title, head = meta["title"], found.get("title") or ""
    if (
        title
        and head
        and title != head
        and title.startswith(head)
        and _TITLE_SUFFIX.match(title[len(head) :])
    ):
        meta["title"] = head
    elif title and meta["outlet"]:
        # "Headline - Site" where Site is the outlet: the headline alone.
        parts = _TITLE_PARTS.split(title)
        if len(parts) > 1 and _fold(parts[-1]) == _fold(meta["outlet"]):
            meta["title"] = title[: title.rfind(parts[-1])].rstrip(" -–—|:•·")
    for key, value in found.items():
        if not meta.get(key) and value:
            meta[key] = value


def _printed_names(byline: str, rendered: str, declared: set[str]) -> str:
    """``byline`` less the names the page does not print (``rendered``, its visible text) when
    it prints others ("Publisher; Jo Lee"), or, when it prints none, less those its author tag
    (``declared``, folded) does not name: a publishing system's account found only in the page's
    JSON-LD ("jo_admin"), a commenter.  The byline is what readers see; empty is better."""
    if not byline:
        return byline
    pieces = BYLINE_SEP.split(byline)
    names, seps = [n for n in pieces[0::2] if n.strip()], pieces[1::2]
    folded = None
    kept = []
    for name in names:
        if name not in rendered:
            if folded is None:
                folded = " ".join(rendered.split()).casefold()
            if " ".join(name.split()).casefold() not in folded:
                continue
        kept.append(name)
    if not kept:
        kept = [n for n in names if _fold(n) in declared]
    if len(kept) == len(names):
        return byline
    return ("; " if ";" in seps else ", ").join(kept)


_TITLE_PARTS = re.compile(r"\s+[-–—|:•·]\s+")
_TITLE_SUFFIX = re.compile(r"^\s+[-–—|:•·]\s+\S.{0,60}$")


def headline_units(
    units: list[Unit],
    meta: dict,
    found: str,
    shown_lines: set[str] | str,
    held: dict[str, str],
    heading: str = "",
) -> list[Unit]:
    """Return ``units`` whose headline is the page's title when the page shows it, else the one found in its text.

    ``shown_lines`` are the page's visible lines, whitespace collapsed (or its rendered text, to
    split when needed); ``held`` maps the keys of trafilatura's body units to their kinds;
    ``heading`` is the page's first ``<h1>`` ("" when not read)."""
    title = meta["title"]
    if not title:
        meta["title"] = found
        return units
    if found == title:
        return units
    if isinstance(shown_lines, str):
        shown_lines = _shown_lines(shown_lines)
    shown = title in shown_lines
    if (
        not shown
        and heading in shown_lines
        and (heading == found or (title.startswith(heading) and _TITLE_SUFFIX.match(title[len(heading) :])))
    ):
        # The title readers never see (written for sharing, or with a section after a dash)
        # gives way to the page's main heading when the text's headline is that heading, or the
        # title is that heading and a suffix.
        meta["title"] = title = heading
        if found == title:
            return units
        shown = True
    if shown:
        # The line the cleaner took for the headline is not it, the page shows its title: when
        # trafilatura holds that line inside the article, it stays there, with trafilatura's kind.
        kind = held.get(_fold(found)) if found else None
        rest = [
            Unit(kind, u.text) if kind and u.kind == "headline" and u.text == found else u
            for u in units
            if u.text != title and (u.kind != "headline" or (kind and u.text == found))
        ]
        return [Unit("headline", title), *rest]
    rest = [u for u in units if u.kind != "headline"]
    if not found:
        return [Unit("headline", title), *rest]
    # The page shows another headline than its metadata (og:title written for sharing): when
    # they are about the same thing, the one readers see is both unit and title.
    a, b = set(_fold(title).split()), set(_fold(found).split())
    if len(a & b) >= 0.25 * len(a | b):
        meta["title"] = found
        return units
    return [Unit("headline", title), *rest]


def _shown_lines(rendered: str) -> set[str]:
    return {" ".join(line.split()) for line in rendered.splitlines()}


def clean_value(value: str | None) -> str:
    """A metadata value with its whitespace collapsed ("" for None)."""
    return " ".join((value or "").split())
