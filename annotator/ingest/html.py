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

import re

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from .header import split_credit
from .merge import key as fold_key
from .merge import merge_units
from .models import Unit
from .published import publication_date
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
    try:
        rendered, captions, quotes = render(tree)
    except RecursionError:
        # Pathologically deep markup: leave the page to trafilatura's extractor.
        rendered, captions, quotes = "", set(), set()
    text_meta, cleaned, dropped = clean_text(rendered, reference_date=reference_date)
    cleaned = [_retag(u, captions, quotes) for u in cleaned]
    extracted, linked, comments = _trafilatura_units(tree, url)
    # An image's alt text is not on the page and is left out; block quotes keep their kind.
    extracted = [_retag(u, set(), quotes) for u in extracted]
    units = merge_units(extracted, linked, comments, cleaned, [d.text for d in dropped])
    # A line the cleaner dropped that the merge kept (a list item, an embedded post) is not dropped.
    kept = {fold_key(u.text) for u in units}
    dropped = [d for d in dropped if fold_key(d.text) not in kept]

    # Visible dates and the published_time meta tag are read here, so htmldate need not dig.
    doc = extract_metadata(tree, url, extensive=False)
    meta["title"] = _clean(doc.title)
    meta["outlet"] = _clean(doc.sitename)
    meta["byline"] = _clean(doc.author)
    meta["url"] = _clean(doc.url) or (url or "")
    meta["language"] = _clean(getattr(doc, "language", None)) or _html_lang(tree)
    cats = [c for c in (doc.categories or []) if c and c.strip()]
    meta["section"] = _clean(cats[0]) if cats else ""
    meta["published"] = publication_date(tree, _clean(doc.date), meta["title"], meta["url"])
    _prefer_text_meta(meta, text_meta)

    return meta, _headline(units, meta, text_meta.get("title") or "", rendered), dropped


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _prefer_text_meta(meta: dict, found: dict) -> None:
    """Fill and tidy trafilatura's metadata with what the page's text shows."""
    if "://" in meta["outlet"] or meta["outlet"].startswith("www."):
        meta["outlet"] = found.get("outlet") or ""
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


_TITLE_SUFFIX = re.compile(r"^\s+[-–—|:•·]\s+\S.{0,60}$")


def _headline(units: list[Unit], meta: dict, found: str, rendered: str) -> list[Unit]:
    """Return ``units`` whose headline is the page's title when the page shows it, else the one found in its text."""
    title = meta["title"]
    if not title:
        meta["title"] = found
        return units
    if found == title:
        return units
    shown = title in {" ".join(line.split()) for line in rendered.splitlines()}
    rest = [u for u in units if u.kind != "headline" and not (shown and u.text == title)]
    if shown or not found:
        return [Unit("headline", title), *rest]
    # The page shows another headline than its metadata (og:title written for sharing): when
    # they are about the same thing, the one readers see is both unit and title.
    a, b = set(_fold(title).split()), set(_fold(found).split())
    if len(a & b) >= 0.25 * len(a | b):
        meta["title"] = found
        return units
    return [Unit("headline", title), *rest]


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
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower()
    if not tag or tag in _SKIP or el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
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
    if el.text:
        out.append(el.text.replace("\n", " "))
    for child in el:
        _render(child, out, captions, quotes)
        if child.tail:
            out.append(child.tail.replace("\n", " "))
    if brk:
        out.append(brk)


def _trafilatura_units(tree, url: str | None) -> tuple[list[Unit], set[int], set[str]]:
    """Return trafilatura's body as units, the indices of the units that are mostly link text,
    and the folded text of the paragraphs in the reader comments."""
    # bare_extraction copies the tree it is given, so the parse is shared and the tree unchanged.
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        fast=True,
        include_comments=True,
        include_images=True,
        include_tables=True,
        include_formatting=False,
        include_links=True,
    )
    if doc is None or doc.body is None:
        return [], set(), set()
    comments = set()
    if doc.commentsbody is not None:
        comments = {fold_key(_element_text(el)) for el in doc.commentsbody.iter("p")}
    units: list[Unit] = []
    linked: set[int] = set()
    for el in doc.body.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        kind = _TEXT_TAGS.get(tag)
        if kind is None:
            continue
        # Nested text elements (a <p> inside a <quote>) are emitted once, by the innermost.
        if any(isinstance(c.tag, str) and c.tag in _TEXT_TAGS for c in el.iterdescendants()):
            continue
        text = _clean(_element_text(el))
        if text:
            inside_quote = any(a.tag == "quote" for a in el.iterancestors())
            # A teaser card's title is a link; an article's paragraph is mostly not.
            link_chars = sum(len(_clean(_element_text(r))) for r in el.iter("ref"))
            if link_chars >= 0.5 * len(text):
                linked.add(len(units))
            units.append(Unit("quote" if inside_quote else kind, text))
    return units, linked, comments


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
