"""Each input format, detection from content, and each kind of bad input."""

import codecs
import json
from pathlib import Path

import pytest

from annotator.ingest import Document, IngestError, Unit, read_document
from annotator.ingest.detect import detect_format

ARTICLE = """Home
News

Town votes to keep its last cinema open

By Ada Byrne

January 30, 2024

The town council voted on Monday to buy the last cinema on the high street, which had been due to close at the end of the month.

The purchase will cost 1.2 million pounds and will be paid for from the council's reserves over three years.

"It is the heart of the street," said councillor Ruth Ames.

© 2024 The Weekly Post
"""

HTML = """<!doctype html><html lang="en"><head><title>Town votes to keep its last cinema open - The Weekly Post</title>
<meta property="og:site_name" content="The Weekly Post"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Town votes to keep its last cinema open</h1>
<p>The town council voted on Monday to buy the last cinema on the high street, which had been due to close at the end of the month.</p>
<p>The purchase will cost 1.2 million pounds and will be paid for from the council's reserves over three years.</p>
<p>"It is the heart of the street," said councillor Ruth Ames, who led the campaign to save the building.</p>
</article><footer>© 2024 The Weekly Post</footer></body></html>"""


def test_text_document():
    [doc] = read_document(ARTICLE.encode())
    assert isinstance(doc, Document)
    assert doc.source_format == "text"
    assert doc.units[0] == Unit("headline", "Town votes to keep its last cinema open")
    assert [u.kind for u in doc.units].count("body") == 3
    assert doc.meta["byline"] == "Ada Byrne"
    assert doc.meta["published"] == "2024-01-30"
    assert doc.meta["outlet"] == "The Weekly Post"
    assert doc.line is None
    assert "Home" in [d.text for d in doc.dropped]


def test_html_document():
    [doc] = read_document(HTML.encode(), name="page.bin")
    assert doc.source_format == "html"
    assert doc.meta["title"] == "Town votes to keep its last cinema open"
    assert doc.meta["outlet"] == "The Weekly Post"
    assert doc.meta["language"] == "en"
    body = [u.text for u in doc.units if u.kind == "body"]
    assert body[0].startswith("The town council voted on Monday")
    assert len(body) == 3


def test_html_detected_even_with_txt_name():
    assert read_document(HTML.encode(), name="saved.txt")[0].source_format == "html"


def test_jsonl_records_each_become_a_document():
    lines = [
        {
            "url": "https://example.org/a",
            "outlet": "Example",
            "title": "First",
            "published": "2024-01-30T13:45:00Z",
            "paragraphs": ["  One.  ", "Two, exactly as given."],
            "topic": "cinema",
        },
        {"url": "https://example.org/b", "text": "First paragraph.\n\nSecond\nparagraph."},
        {"html": HTML, "outlet": "Given outlet"},
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    docs = read_document(data, name="crawl.jsonl")
    assert [d.line for d in docs] == [1, 2, 3]
    assert all(d.source_format == "jsonl" for d in docs)
    first = docs[0]
    assert first.units == [
        Unit("headline", "First"),
        Unit("body", "  One.  "),
        Unit("body", "Two, exactly as given."),
    ]
    assert first.meta["topic"] == "cinema"
    assert first.meta["published"] == "2024-01-30T13:45"
    assert first.meta["url"] == "https://example.org/a"
    assert [u.text for u in docs[1].units] == ["First paragraph.", "Second paragraph."]
    assert docs[2].meta["outlet"] == "Given outlet"
    assert any(u.text.startswith("The town council voted") for u in docs[2].units)


def test_jsonl_detected_from_content():
    data = json.dumps({"text": "A paragraph of text."}).encode()
    assert read_document(data, name="articles.txt")[0].source_format == "jsonl"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("<div><p>One</p><p>Two</p><a href='#'>x</a><br><span>y</span></div>", "html"),
        ('{"text": "x"}\n{"text": "y"}\n', "jsonl"),
        ("Plain words on a line.\n\nAnother line.", "text"),
        ("Talk about <b>bold</b> claims in a sentence.", "text"),
    ],
)
def test_detect_format(text, expected):
    assert detect_format(text) == expected


def test_utf8_bom_stripped():
    [doc] = read_document(codecs.BOM_UTF8 + ARTICLE.encode())
    assert not any(u.text.startswith("\ufeff") for u in doc.units)


def test_legacy_charset_detected():
    text = ARTICLE.replace("Ruth Ames", "Renée Müller-Lüdenscheidt") + "\nÉté à Noël, déjà vu: café crème.\n"
    [doc] = read_document(text.encode("cp1252"))
    assert any("Renée Müller-Lüdenscheidt" in u.text for u in doc.units)


def test_explicit_format_overrides_detection():
    [doc] = read_document(ARTICLE.encode(), format="text", name="x.html")
    assert doc.source_format == "text"


# -- bad inputs ---------------------------------------------------------------------------------


def _error(data, **kw) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_document(data, **kw)
    return info.value


def test_invalid_json_names_its_line():
    data = b'{"text": "fine"}\n\n{"text": "broken" "x": 1}\n{"text": "never read"}\n'
    e = _error(data)
    assert e.line == 3
    assert str(e) == "invalid JSON: Expecting ',' delimiter at column 19"


def test_jsonl_record_without_text():
    e = _error(b'{"text": "ok"}\n{"url": "https://example.org", "text": ""}\n')
    assert e.line == 2
    assert e.field == "text"
    assert str(e).startswith("no text")


def test_jsonl_bad_paragraphs():
    e = _error(b'{"paragraphs": "not a list"}\n')
    assert (e.line, e.field) == (1, "paragraphs")


def test_jsonl_not_an_object():
    e = _error(b'{"text": "a"}\n[1, 2]\n', format="jsonl")
    assert e.line == 2


@pytest.mark.parametrize("data", [b"", b"   \n\n\t ", "\ufeff".encode()])
def test_empty_text(data):
    e = _error(data)
    assert str(e) == "no text"
    assert e.line is None


def test_undecodable_bytes():
    e = _error(bytes(range(256)) * 4)
    assert str(e) == "undecodable bytes (not UTF-8 and no charset detected)"


def test_nothing_left_after_cleaning():
    e = _error(b"Home\nNews\nSport\nWeather\nSign in\nSubscribe\n")
    assert str(e) == "nothing left after cleaning"


def test_jsonl_html_with_nothing_left_names_line():
    rec = json.dumps({"html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"})
    e = _error(('{"text": "fine"}\n' + rec + "\n").encode())
    assert e.line == 2
    assert str(e) == "nothing left after cleaning"


def test_over_size_limit():
    e = _error(b"x" * 25_100_000)
    assert str(e) == "file over the size limit (25.1 MB > 20 MB)"


def test_custom_size_limit():
    e = _error(ARTICLE.encode(), max_bytes=100)
    assert "over the size limit" in str(e)


def test_unknown_format_name():
    e = _error(ARTICLE.encode(), format="pdf")
    assert str(e).startswith("unknown format 'pdf'")


@pytest.mark.parametrize(
    "magic, what", [(b"%PDF-1.7\n", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\x89PNG\r\n", "PNG")]
)
def test_undetectable_binary_format(magic, what):
    e = _error(magic + bytes(200))
    assert str(e).startswith("unknown format")
    assert what in str(e)


def test_error_is_a_value_error():
    assert issubclass(IngestError, ValueError)


def test_short_html_item_falls_back_to_trafilatura_without_gluing_lines():
    page = (
        b"<html><head><title>Short note</title></head><body><div><span>Breaking: the bridge is closed</span>"
        b"<br><span>Police ask drivers to avoid the area until further notice tonight</span></div></body></html>"
    )
    [doc] = read_document(page)
    body = [u.text for u in doc.units if u.kind == "body"]
    assert body == [
        "Breaking: the bridge is closed Police ask drivers to avoid the area until further notice tonight"
    ]
    assert doc.meta["title"] == "Short note"


@pytest.mark.parametrize(
    "text, body",
    [
        (
            "Council backs new park\n\nThe council backed plans for a new park on Tuesday.\n\nIt will open in 2026.\n",
            ["The council backed plans for a new park on Tuesday.", "It will open in 2026."],
        ),
        (
            "Council backs new park\nThe council backed plans for a new park on Tuesday, after years of campaigning.\n"
            "The park will cost 2 million euros and open in 2026, officials said on Wednesday.\nResidents welcomed it.\n",
            [
                "The council backed plans for a new park on Tuesday, after years of campaigning.",
                "The park will cost 2 million euros and open in 2026, officials said on Wednesday.",
                "Residents welcomed it.",
            ],
        ),
        (
            "The council backed plans for a new park on the old rail yard on Tuesday, after a long campaign.",
            [
                "The council backed plans for a new park on the old rail yard on Tuesday, after a long campaign."
            ],
        ),
    ],
    ids=["blank-lines", "single-newlines", "one-paragraph"],
)
def test_plain_article_text_is_kept_whole(text, body):
    [doc] = read_document(text.encode())
    assert [u.text for u in doc.units if u.kind == "body"] == body


@pytest.mark.parametrize(
    "text, lang",
    [
        (
            "Der Stadtrat hat am Dienstag den Bau eines neuen Parks auf dem alten Bahngelände beschlossen, "
            "sagte die Bürgermeisterin. Die Anwohner hatten sich seit Jahren dafür eingesetzt.",
            "de",
        ),
        (
            "Le conseil municipal a approuvé mardi la création d’un nouveau parc sur l’ancienne friche, "
            "a déclaré la maire. Les habitants réclamaient ce projet depuis des années.",
            "fr",
        ),
        (ARTICLE, "en"),
    ],
)
def test_language_guessed_from_text(text, lang):
    assert read_document(text.encode())[0].meta["language"] == lang


def test_jsonl_raw_is_the_line_as_received():
    line = '{"text": "Één paragraaf.",   "url": "https://example.org/x"}'
    [doc] = read_document((line + "\n").encode())
    assert doc.raw == line.encode()


@pytest.mark.parametrize(
    "page",
    [
        b"<p>The council backed plans for a new park on Tuesday, after years of campaigning by residents.</p>",
        b'<form id="page"><div><h1>Park approved</h1><p>The council backed plans for a new park on Tuesday, after years'
        b" of campaigning by residents.</p></div></form>",
    ],
    ids=["fragment", "page-in-a-form"],
)
def test_html_fragments_and_whole_page_forms(page):
    [doc] = read_document(page, format="html")
    assert [u.text for u in doc.units if u.kind == "body"] == [
        "The council backed plans for a new park on Tuesday, after years of campaigning by residents."
    ]


# The HTML path parses a page the way trafilatura's load_html does, less a scan it can skip: the
# tree trafilatura extracts from must be the one it would build itself, or the extraction drifts.
@pytest.mark.parametrize(
    "page",
    [
        HTML,
        HTML.replace(
            "<!doctype html>", '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://x/y.dtd">'
        ),
        HTML.replace("<!doctype html>", "<!DOCTYPE html/>\n"),
        HTML.replace('<html lang="en">', '<html lang="en"/>\n'),
        HTML.replace("voted", "vo\x0bted\x00"),
        HTML.replace("voted", "vo\ufffeted"),
        HTML.replace("voted", "vo\ud800ted"),
        "<p>A lone paragraph</p>",
        "<div><p>One</p><p>Two</p></div>",
        "",
        "   ",
        *[p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parent.glob("data/**/*.html"))],
    ],
)
def test_html_pages_parse_as_trafilatura_parses_them(page):
    from lxml import etree
    from trafilatura.utils import load_html

    from annotator.ingest.html import _load_html

    ours, theirs = _load_html(page), load_html(page)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours, encoding="unicode") == etree.tostring(theirs, encoding="unicode")
