"""Extract an article from HTML: trafilatura parses the page, reads its metadata and extracts its
body with the page's structure; the text cleaner reads the same page rendered to lines, and the
two readings are merged (``merge.merge_units``); the metadata is read in ``pagemeta.py``.

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

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

try:  # the library's page repair, reused by ``_load_html``
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, HTML_PARSER, is_dubious_html
except ImportError:  # a trafilatura that moved them: ``_load_html`` is the library call alone
    DOCTYPE_TAG = FAULTY_HTML = HTML_PARSER = is_dubious_html = None

from .header import split_credit
from .merge import BODY_KINDS, merge_units
from .merge import key as fold_key
from .models import Dropped, Unit
from .pagemeta import clean_value as _clean
from .pagemeta import headline_units, read_page_meta, without_byline_line
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
    tree = _load_html(html)
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

    heading, shown_lines = read_page_meta(tree, meta, url, lang, text_meta, rendered)
    units, credit = without_byline_line(units, meta["byline"], meta["published"])
    if credit:
        dropped.append(Dropped(credit, "byline line (the byline and date are in the metadata)"))

    # A teaser's title is a link; a line of the article is not.
    held = {
        fold_key(u.text): u.kind for i, u in enumerate(extracted) if u.kind in BODY_KINDS and i not in linked
    }
    shown = shown_lines if shown_lines is not None else rendered
    return meta, headline_units(units, meta, text_meta.get("title") or "", shown, held, heading), dropped


def _load_html(html: str):
    """trafilatura's ``load_html(html)``, less its search of the whole page for the characters
    XML forbids when the page has none (nearly every page): a regex over each character, a third
    of the parse's time, where this test takes a third of the regex's.  Any other page, or any
    step off the common path, goes to the library call itself.  ``tests`` hold the two equal.
    """
    page = html
    if DOCTYPE_TAG is None:
        return load_html(page)
    try:
        raw = html.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return load_html(page)
    if len(raw.translate(None, _XML_FORBIDDEN)) != len(raw) or "\ufffe" in html or "\uffff" in html:
        return load_html(page)
    beginning = html[:50].lower()
    if is_dubious_html(beginning):
        return load_html(page)
    # The rest of the library's repair (trafilatura.utils.repair_faulty_html).
    if "doctype" in beginning:
        firstline, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html = FAULTY_HTML.sub(r"\1>", html, count=1)
            break
    try:
        tree = lxml.html.fromstring(html, parser=HTML_PARSER)
    except Exception:  # noqa: BLE001 - the library's fallbacks decide
        return load_html(page)
    return tree if len(tree) else load_html(page)


# What trafilatura's INVALID_XML_CHARS matches below U+FFFE: the C0 controls but tab, LF and CR.
_XML_FORBIDDEN = bytes(c for c in range(32) if c not in (9, 10, 13))


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
    # A page has a few times more breaks than texts: the loop's common case is kept cheap.
    for x in out:
        if x.__class__ is int:
            if x > pending:
                pending = x
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
    if doc is None or doc.body is None or not _has_prose(doc.body):
        # The fast pass found next to nothing (a slideshow whose slides it left out): the
        # library's fallback extractors may find more.
        again = trafilatura.bare_extraction(tree, options=_extractor(url, fast=False))
        if again is not None and again.body is not None and _has_prose(again.body):
            doc = again
    if doc is None or doc.body is None:
        return [], set(), set()
    comments = set()
    if doc.commentsbody is not None:
        comments = {fold_key(_element_text(el)) for el in doc.commentsbody.iter("p")}
    units: list[Unit] = []
    # Per unit: the list it is an item of (its outermost one), and its link and text lengths.
    lists: list = []
    links: list[tuple[int, int]] = []
    body = doc.body
    grids = table_texts(body, _TEXT_TAGS, lambda el: _clean(_element_text(el)))
    # Most pages quote nothing: then no element needs its ancestors looked up.
    quoting = (
        next(body.iter("quote"), None) is not None or next(body.iterancestors("quote"), None) is not None
    )
    # lxml filters by tag in C: the walks below build no Python object for other elements.
    for el in body.iter(*_TEXT_TAGS):
        tag = el.tag
        children = len(el)
        # Nested text elements (a <p> inside a <quote>) are emitted once, by the innermost.
        if children and next(el.iterdescendants(*_TEXT_TAGS), None) is not None:
            continue
        if grids and tag == "cell":
            # A table of short cells is one paragraph, a row a line (its first cell stands for it).
            grid = grids.get(el)
            if grid is not None:
                if grid:
                    units.append(Unit("body", grid))
                    lists.append(None)
                    links.append((0, len(grid)))
                continue
        if children:
            text = _clean(_element_text(el))
            # A teaser card's title is a link; an article's paragraph is mostly not.
            link_chars = sum(len(_clean(_element_text(r))) for r in el.iter("ref")) if text else 0
        else:
            # No child element (most paragraphs): its text is its own, and it holds no link.
            text = _clean(el.text)
            link_chars = 0
        if text:
            inside_quote = quoting and next(el.iterancestors("quote"), None) is not None
            units.append(Unit("quote" if inside_quote else _TEXT_TAGS[tag], text))
            lists.append(_outermost_list(el) if tag == "item" and not inside_quote else None)
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
# The same with the library's fallback extractors, for a page the fast pass finds no prose in.
_OPTIONS_FULL = copy.copy(_OPTIONS)
_OPTIONS_FULL.fast = False


def _has_prose(body) -> bool:
    """Whether an extracted body holds a paragraph of prose (150 characters or more) or enough
    short ones (400 characters: a results table, a page of short lines)."""
    total = 0
    for el in body.iter("p"):
        n = len(_element_text(el))
        if n >= 150:
            return True
        total += n
    return total >= 400


def _extractor(url: str | None, fast: bool = True) -> Extractor:
    base = _OPTIONS if fast else _OPTIONS_FULL
    if not url:
        return base
    # trafilatura copies the options it changes, so the shared ones serve every page.
    options = copy.copy(base)
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
