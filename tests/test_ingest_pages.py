"""Synthetic pages of varied layouts (tests/data/ingest) give their expected bodies and metadata.

Each ``<name>.expected.json`` holds ``body`` (the texts of body, subheading and quote units, in
order) and optionally ``title``, ``byline``, ``published``, ``outlet``, ``section``,
``standfirst``, ``captions`` ([text, credit] pairs) and ``reference_date``.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from annotator.ingest import read_document

DATA = Path(__file__).resolve().parent / "data" / "ingest"
CASES = sorted(p for p in DATA.glob("*.expected.json"))
BODY_KINDS = {"body", "subheading", "quote"}


def _source(expected: Path) -> Path:
    stem = expected.name[: -len(".expected.json")]
    return next(p for p in DATA.iterdir() if p.name.startswith(stem + ".") and not p.name.endswith(".json"))


def _read(case: Path):
    expected = json.loads(case.read_text(encoding="utf-8"))
    ref = expected.get("reference_date")
    src = _source(case)
    doc = read_document(
        src.read_bytes(), name=src.name, reference_date=dt.datetime.fromisoformat(ref) if ref else None
    )[0]
    return doc, expected


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_page_body(case):
    doc, expected = _read(case)
    assert [u.text for u in doc.units if u.kind in BODY_KINDS] == expected["body"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_page_meta(case):
    doc, expected = _read(case)
    for key in ("title", "byline", "published", "outlet", "section"):
        if key in expected:
            assert doc.meta[key] == expected[key], key
    if "standfirst" in expected:
        assert [u.text for u in doc.units if u.kind == "standfirst"] == [expected["standfirst"]]
    if "captions" in expected:
        assert [[u.text, u.credit] for u in doc.units if u.kind == "caption"] == expected["captions"]
    assert doc.units[0].kind == "headline"


def test_there_are_enough_pages():
    assert len(CASES) >= 10


def test_relative_date_needs_reference():
    src = _source(DATA / "related_comments.expected.json")
    assert read_document(src.read_bytes())[0].meta["published"] == ""


# A slideshow: each slide's text is in a <caption>, and the only <p> on the page are the menu's
# promotions.  trafilatura's fast pass keeps the menu; its fallback extractors find the slides.
SLIDESHOW = (
    '<html><body><main class="pageHolder"><div id="topnavBlk" class="nav_block clr"><nav id="topnav" '
    'class="level2 contentwrapper"><div class="moreNav"><div class="subsecnav"><div class="flt brandSolution">'
    '<div class="flt BSChild"><p>How partners help in wealth creation</p></div><div class="flt BSChild">'
    '<p>Hunt for the brightest engineers in town</p></div><div class="flt BSChild"><p>Harbour Awareness '
    'Initiative</p></div></div></div></div></nav></div><div id="pageContent_s"><main class="clr customclr">'
    '<section itemtype="http://schema.org/ImageGallery" itemscope="itemscope" class="slideshowPackage" '
    'data-totalslides="5"><section itemtype="http://schema.org/ImageObject" itemprop="associatedMedia" '
    'itemscope="itemscope" class="flt slides" id="https://news.example/pier/slide-4" data-slideno="4" '
    'data-totalslides="5" data-title="A second quay"><caption>In a departure from the old plans, the harbour '
    "board gets a second quay instead of the pier, which the engineers said could not be saved. <em>Image "
    "credit: Harbour Board</em></caption></section></section></main></div></main></body></html>"
)


def test_a_page_whose_prose_the_fast_extraction_misses_is_read_with_the_librarys_fallback():
    [doc] = read_document(SLIDESHOW.encode(), format="html")
    body = [u.text for u in doc.units if u.kind == "body"]
    assert any(t.startswith("In a departure from the old plans") for t in body)
    assert not any("wealth creation" in t for t in body)
