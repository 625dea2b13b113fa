"""Extract an article from HTML with one trafilatura pass: paragraphs, subheadings, quotes, captions, metadata."""

from __future__ import annotations

import re

import trafilatura
from lxml import etree

from . import meta as m
from .models import Unit

# Machine-readable publication times, which trafilatura reduces to a date.
_PUBLISHED_TIME = re.compile(
    r"""(?:article:published_time|datePublished|"dateCreated"|itemprop=["']datePublished)["']?\s*"""
    r"""(?:content\s*=\s*|:\s*)["']((?:19|20)\d\d-\d\d-\d\d[T ]\d\d:\d\d)""", re.I)
_TEXT_TAGS = {"p": "body", "head": "subheading", "quote": "quote", "item": "body", "cell": "body"}


def extract_html(html: str, *, url: str | None = None) -> tuple[dict, list[Unit], list[str]]:
    """Return ``(meta, units, dropped)`` for an HTML page; units are empty when nothing was found."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_images=True,
        include_tables=True, include_formatting=False)
    meta = {"title": "", "outlet": "", "published": "", "section": "", "byline": "", "url": url or "",
            "language": ""}
    if doc is None:
        return meta, [], []
    meta["title"] = _clean(doc.title)
    meta["outlet"] = _clean(doc.sitename)
    meta["byline"] = _clean(doc.author)
    meta["url"] = _clean(doc.url) or (url or "")
    meta["language"] = _clean(doc.language)
    cats = [c for c in (doc.categories or []) if c and c.strip()]
    meta["section"] = _clean(cats[0]) if cats else ""
    published = _clean(doc.date)
    timed = _PUBLISHED_TIME.search(html[:200_000])
    if timed and published and timed.group(1)[:10] == published[:10]:
        published = m.iso_from_meta_value(timed.group(1))
    meta["published"] = published
    units: list[Unit] = []
    if meta["title"]:
        units.append(Unit("headline", meta["title"]))
    if doc.body is not None:
        units.extend(_walk(doc.body))
    return meta, units, []


def _walk(body: etree._Element) -> list[Unit]:
    units: list[Unit] = []
    for el in body.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "graphic":
            caption = _clean(el.get("title") or el.get("alt") or "")
            if caption:
                units.append(Unit("caption", caption))
            continue
        kind = _TEXT_TAGS.get(tag)
        if kind is None:
            continue
        # Nested text elements (a <p> inside a <quote>, an <item> inside a <cell>) are emitted once, by the outer one.
        if any(isinstance(a.tag, str) and a.tag in _TEXT_TAGS for a in el.iterancestors()):
            continue
        if tag in ("quote", "cell", "item") and any(
                isinstance(c.tag, str) and c.tag in _TEXT_TAGS for c in el.iterdescendants()):
            for child in el.iterdescendants():
                if isinstance(child.tag, str) and child.tag in ("p", "head", "item"):
                    text = _clean("".join(child.itertext()))
                    if text:
                        units.append(Unit(kind if tag == "quote" else "body", text))
            continue
        text = _clean("".join(el.itertext()))
        if text:
            units.append(Unit(kind, text))
    return units


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())
