"""Extract an article from HTML: trafilatura parses the page, reads its metadata and extracts its
body with the page's structure; the text cleaner reads the same page rendered to lines, and the
two readings are merged (``merge.merge_units``).

Why both: trafilatura decides on the DOM (content containers, link density) and keeps lists,
tables and quotes inside the article, which the line cleaner misjudges; the cleaner is better at
the edges (a run of teaser cards or a newsletter box trafilatura keeps after the article, the
article's prose trafilatura stops short of) and at the header (headline, standfirst, captions,
byline, date).  On the 54 shared pages the merge scores above either alone (bench/score_ingest.py).
The page is parsed once; trafilatura extracts from a copy of the parsed tree.
"""

from __future__ import annotations

import copy
import re
from html import unescape

import lxml.html
import trafilatura
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
from trafilatura.settings import Extractor, set_date_params
from trafilatura.utils import line_processing, load_html
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from . import meta as m
from .header import split_credit
from .merge import BODY_KINDS, merge_units
from .merge import key as fold_key
from .models import Dropped, Unit
from .published import publication_date
from .tables import table_texts
from .text import clean_text

# What a browser does not show, plus page regions that never hold an article's text.
_SKIP = frozenset(
    {
        "head",
        "title",
        "script",
        "style",
        "template",
        "noscript",
        "svg",
        "select",
        "iframe",
        "object",
        "canvas",
        "math",
        "datalist",
        "nav",
        "button",
        "aside",
        "footer",
        "option",
    }
)
_BLOCK = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "ol",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
        "caption",
        "video",
        "audio",
        "picture",
        "label",
    }
)
_PARA = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TEXT_TAGS = {"p": "body", "head": "subheading", "quote": "quote", "item": "body", "cell": "body"}


def extract_html(
    html: str, *, url: str | None = None, reference_date=None
) -> tuple[dict, list[Unit], list[str]]:
    """Return ``(meta, units, dropped)`` for an HTML page; units are empty when nothing was found."""
    meta = {
        "title": "",
        "outlet": "",
        "published": "",
        "section": "",
        "byline": "",
        "url": url or "",
        "language": "",
    }
    tree = load_html(html)
    if tree is None:
        # trafilatura refuses fragments such as a lone "<p>...</p>"; lxml parses them.
        try:
            tree = lxml.html.document_fromstring(html)
        except (etree.ParserError, ValueError):
            return meta, [], []
    lang = _html_lang(tree)
    try:
        rendered, captions, quotes = render(tree)
    except RecursionError:
        # Pathologically deep markup: leave the page to trafilatura's extractor.
        rendered, captions, quotes = "", set(), set()
    # The cleaner's language is only used when the page declares none (``lang``).
    text_meta, cleaned, dropped = clean_text(rendered, reference_date=reference_date, language=lang)
    cleaned = [_retag(u, captions, quotes) for u in cleaned]
    extracted, linked, comments = _trafilatura_units(tree, url)
    # An image's alt text is not on the page and is left out; block quotes keep their kind.
    extracted = [_retag(u, set(), quotes) for u in extracted]
    units = merge_units(extracted, linked, comments, cleaned, [d.text for d in dropped])
    # A line the cleaner dropped that the merge kept (a list item, an embedded post, a table row,
    # alone or as a line of its list or table) is not dropped.
    kept = {fold_key(u.text) for u in units} | {
        fold_key(line) for u in units if "\n" in u.text for line in u.text.split("\n")
    }
    dropped = [d for d in dropped if fold_key(d.text) not in kept]

    doc, page_url = _page_metadata(tree, url)
    meta["title"] = _clean(doc.title)
    meta["outlet"] = _clean(doc.sitename)
    meta["byline"] = _clean(doc.author)
    meta["url"] = _clean(doc.url) or (url or "")
    meta["language"] = _clean(getattr(doc, "language", None)) or lang
    cats = [c for c in (doc.categories or []) if c and c.strip()]
    meta["section"] = _clean(cats[0]) if cats else ""
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
        meta["byline"] = _clean(_page_author(tree))
    _prefer_text_meta(meta, text_meta, handles, page_title)
    meta["byline"] = _printed_names(meta["byline"], rendered, declared)
    units, credit = _without_byline_line(units, meta["byline"], meta["published"])
    if credit:
        dropped.append(Dropped(credit, "byline line (the byline and date are in the metadata)"))

    # A teaser's title is a link; a line of the article is not.
    held = {
        fold_key(u.text): u.kind for i, u in enumerate(extracted) if u.kind in BODY_KINDS and i not in linked
    }
    shown = shown_lines if shown_lines is not None else rendered
    return meta, _headline(units, meta, text_meta.get("title") or "", shown, held, heading), dropped


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
    return _clean(find_date(tree, **params))


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


def _without_byline_line(units: list[Unit], byline: str, published: str) -> tuple[list[Unit], str]:
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


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


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
        parts = re.split(r"\s+[-–—|:•·]\s+", title)
        if len(parts) > 1 and _fold(parts[-1]) == _fold(meta["outlet"]):
            meta["title"] = title[: title.rfind(parts[-1])].rstrip(" -–—|:•·")
    for key, value in found.items():
        if not meta.get(key) and value:
            meta[key] = value


_NAME_SEP = re.compile(r"\s*(;|,|&|\band\b)\s*")


def _printed_names(byline: str, rendered: str, declared: set[str]) -> str:
    """``byline`` less the names the page does not print (``rendered``, its visible text) when
    it prints others ("Publisher; Jo Lee"), or, when it prints none, less those its author tag
    (``declared``, folded) does not name: a publishing system's account found only in the page's
    JSON-LD ("jo_admin"), a commenter.  The byline is what readers see; empty is better."""
    if not byline:
        return byline
    pieces = _NAME_SEP.split(byline)
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


_TITLE_SUFFIX = re.compile(r"^\s+[-–—|:•·]\s+\S.{0,60}$")


def _headline(
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
        kind = held.get(fold_key(found)) if found else None
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


def _retag(unit: Unit, captions: set[str], quotes: set[str]) -> Unit:
    if unit.kind in ("body", "subheading") and unit.text in captions:
        text, credit = split_credit(unit.text)
        return Unit("caption", text, credit=credit)
    if unit.kind == "body" and unit.text in quotes:
        return Unit("quote", unit.text)
    return unit


def render(tree: etree._Element) -> tuple[str, set[str], set[str]]:
    """Return the visible text of a page (blank lines around paragraphs), its figure captions and block quotes."""
    out: list = []
    captions: set[str] = set()
    quotes: set[str] = set()
    body = tree.find(".//body")
    _render(body if body is not None else tree, out, captions, quotes)
    pieces: list[str] = []
    pending = 0
    for x in out:
        if isinstance(x, int):
            pending = max(pending, x)
            continue
        if pending:
            pieces.append("\n" * pending)
            pending = 0
        pieces.append(x)
    return "".join(pieces), captions, quotes


def _render(el, out: list, captions: set[str], quotes: set[str]) -> None:
    # Every element of the page passes here: each lxml property is read once (each read builds
    # a new Python object).
    tag = el.tag
    if not isinstance(tag, str):
        return
    tag = tag.lower()
    if tag in _SKIP or el.get("hidden") is not None:
        return
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return
    # A form is a sign-up or comment box, unless the whole page sits in one (ASP.NET).
    if tag == "form" and el.find(".//p") is None:
        return
    if tag == "br":
        out.append("\n")
        return
    brk = 2 if tag in _PARA else 1 if tag in _BLOCK else 0
    if tag in ("td", "th"):
        out.append(" ")
    if brk:
        out.append(brk)
    if tag in ("figcaption", "blockquote"):
        text = " ".join(" ".join(el.itertext()).split())
        if text:
            (captions if tag == "figcaption" else quotes).add(text)
    text = el.text
    if text:
        out.append(text.replace("\n", " "))
    for child in el:
        _render(child, out, captions, quotes)
        tail = child.tail
        if tail:
            out.append(tail.replace("\n", " "))
    if brk:
        out.append(brk)


def _trafilatura_units(tree, url: str | None) -> tuple[list[Unit], set[int], set[str]]:
    """Return trafilatura's body as units, the indices of the units that are mostly link text,
    and the folded text of the paragraphs in the reader comments."""
    # bare_extraction copies the tree it is given, so the parse is shared and the tree unchanged.
    doc = trafilatura.bare_extraction(tree, options=_extractor(url))
    if doc is None or doc.body is None:
        return [], set(), set()
    comments = set()
    if doc.commentsbody is not None:
        comments = {fold_key(_element_text(el)) for el in doc.commentsbody.iter("p")}
    units: list[Unit] = []
    # Per unit: the list it is an item of (its outermost one), and its link and text lengths.
    lists: list = []
    links: list[tuple[int, int]] = []
    grids = table_texts(doc.body, _TEXT_TAGS, lambda el: _clean(_element_text(el)))
    # lxml filters by tag in C: the walks below build no Python object for other elements.
    for el in doc.body.iter(*_TEXT_TAGS):
        kind = _TEXT_TAGS[el.tag]
        # Nested text elements (a <p> inside a <quote>) are emitted once, by the innermost.
        if next(el.iterdescendants(*_TEXT_TAGS), None) is not None:
            continue
        if grids and el.tag == "cell":
            # A table of short cells is one paragraph, a row a line (its first cell stands for it).
            grid = grids.get(el)
            if grid is not None:
                if grid:
                    units.append(Unit("body", grid))
                    lists.append(None)
                    links.append((0, len(grid)))
                continue
        text = _clean(_element_text(el))
        if text:
            inside_quote = next(el.iterancestors("quote"), None) is not None
            # A teaser card's title is a link; an article's paragraph is mostly not.
            link_chars = sum(len(_clean(_element_text(r))) for r in el.iter("ref"))
            units.append(Unit("quote" if inside_quote else kind, text))
            lists.append(_outermost_list(el) if el.tag == "item" and not inside_quote else None)
            links.append((link_chars, len(text)))
    units, links = _join_lists(units, lists, links)
    linked = {i for i, (link_chars, chars) in enumerate(links) if link_chars >= 0.5 * chars}
    return units, linked, comments


def _outermost_list(item):
    lists = list(item.iterancestors("list"))
    return lists[-1] if lists else None


def _join_lists(
    units: list[Unit], lists: list, links: list[tuple[int, int]]
) -> tuple[list[Unit], list[tuple[int, int]]]:
    """The items of one list as one paragraph, a line each, as the page shows them and as the
    text cleaner reads a list in scraped text (``blocks.join_blocks``)."""
    out: list[Unit] = []
    out_links: list[tuple[int, int]] = []
    previous = None
    for unit, group, (link_chars, chars) in zip(units, lists, links, strict=True):
        if group is not None and group is previous and out[-1].kind == unit.kind:
            out[-1] = Unit(unit.kind, out[-1].text + "\n" + unit.text)
            held_links, held_chars = out_links[-1]
            out_links[-1] = (held_links + link_chars, held_chars + chars)
        else:
            out.append(unit)
            out_links.append((link_chars, chars))
        previous = group
    return out, out_links


# Built once: trafilatura's Extractor reads its settings from a ConfigParser, which costs more
# than extracting a short page's body (bare_extraction builds one per call unless given one).
# "xml" returns the body as a tree without also rendering it and the comments to plain text.
_OPTIONS = Extractor(
    output_format="xml",
    fast=True,
    comments=True,
    images=True,
    tables=True,
    formatting=False,
    links=True,
    with_metadata=False,
)


def _extractor(url: str | None) -> Extractor:
    if not url:
        return _OPTIONS
    # trafilatura copies the options it changes, so the shared ones serve every page.
    options = copy.copy(_OPTIONS)
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8")
    return options


def _element_text(el) -> str:
    # trafilatura turns <br> into <lb/>: a line break, which must not glue the words around it.
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append(" ")
        parts.append(_element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _html_lang(tree) -> str:
    lang = tree.get("lang") or ""
    return lang.split("-")[0].lower() if lang else ""


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())
