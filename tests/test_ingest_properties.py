"""Property tests: the text cleaner never crashes and only ever selects text from its input."""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.ingest import IngestError, furniture, read_document
from annotator.ingest.text import clean_text

WORDS = st.sampled_from(
    [
        "the",
        "minister",
        "said",
        "Read more",
        "Advertisement",
        "©",
        "Photo:",
        "Reuters",
        "By",
        "Jane",
        "Doe",
        "30 Jan, 2024 13:45",
        "Home",
        "Share",
        "comments",
        "“",
        "”",
        ".",
        "?",
        "HomeNews",
        "iPhone",
        "(AP)",
        "Getty Images",
        "Top stories",
        "2 hours ago",
        "cookies",
        "—",
        "\t",
        "  ",
    ]
)
LINE = st.lists(WORDS, min_size=0, max_size=25).map(" ".join)
PAGE = st.lists(st.one_of(LINE, st.just("")), min_size=0, max_size=60).map("\n".join)


def _norm(s: str) -> str:
    return " ".join(s.split())


def _check(text: str) -> None:
    meta, units, dropped = clean_text(text)
    flat = _norm(text)
    for unit in units:
        assert unit.text and unit.text == _norm(unit.text)
        assert unit.text in flat
        if unit.credit is not None:
            assert unit.credit in flat
    assert isinstance(meta, dict)
    for line in dropped:
        assert line.text in flat and line.reason


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cleaner_survives_any_text(text):
    _check(text)


@settings(max_examples=300, deadline=None)
@given(PAGE)
def test_cleaner_selects_only_input_text(page):
    _check(page)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable + "“”’©—…éü\u00a0\u2028", max_size=2000))
def test_read_document_fails_only_with_ingest_error(text):
    try:
        docs = read_document(text.encode("utf-8"), format="text")
    except IngestError:
        return
    flat = _norm(text)
    for unit in docs[0].units:
        # Lines of one block are joined with a line break, as the page broke them.
        assert _norm(unit.text) in flat


TAGS = st.sampled_from(
    [
        "p",
        "div",
        "span",
        "h1",
        "h2",
        "li",
        "ul",
        "figure",
        "figcaption",
        "blockquote",
        "nav",
        "br",
        "a",
        "script",
        "article",
        "footer",
        "table",
        "td",
    ]
)


@st.composite
def html_pages(draw):
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        parts.append(f"<{tag}>{draw(LINE)}</{tag}>" if tag != "br" else "<br>")
    return "<html><body>" + "".join(parts) + "</body></html>"


@settings(max_examples=100, deadline=None)
@given(html_pages())
def test_html_fails_only_with_ingest_error(page):
    try:
        read_document(page.encode("utf-8"), format="html")
    except IngestError:
        pass


# The furniture checks skip their regex when no alternative's fixed word is in the line (a speed-up);
# a new alternative without its word would silently never match.  Lines made from the regexes
# themselves show it: the shortcut must agree with the plain search on every one.
@pytest.mark.parametrize(
    ("pattern", "check"),
    [
        (furniture.APPEAL, furniture.is_appeal),
        (furniture.BOILER_IN, furniture.has_boiler_in),
        (furniture.EMBED, furniture.is_embed),
    ],
    ids=["appeal", "boiler_in", "embed"],
)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_furniture_shortcuts_agree_with_their_regexes(pattern, check, data):
    line = data.draw(st.from_regex(pattern)).lower()
    assert check(line) == (pattern.search(line) is not None)


_PHRASE_LISTS = {
    furniture.FURNITURE_PHRASE: furniture.FURNITURE,
    furniture.FURNITURE_WORD: furniture.FURNITURE_SHORT,
    furniture.CREDIT_HINT: furniture.CREDIT_HINTS,
    furniture.APPEAL_HINT: furniture._APPEAL_HINTS,
    furniture.BOILER_IN_HINT: furniture._BOILER_IN_HINTS,
    furniture.EMBED_HINT: furniture._EMBED_HINTS,
}
_ALL_PHRASES = sorted({p for phrases in _PHRASE_LISTS.values() for p in phrases})


# One automaton finds every list's phrases in one reading of the line: it must answer what a
# substring test per phrase answers, for phrases overlapping, nested, repeated and cut short.
@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_ALL_PHRASES),
            st.sampled_from(_ALL_PHRASES).map(lambda p: p[1:]),
            st.sampled_from(_ALL_PHRASES).map(lambda p: p[:-1]),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz ©@(/.:-", max_size=8),
        ),
        max_size=8,
    )
)
def test_one_reading_finds_what_a_substring_test_per_phrase_finds(pieces):
    low = "".join(pieces)
    found = furniture.phrases_in(low)
    for bit, phrases in _PHRASE_LISTS.items():
        assert bool(found & bit) == any(p in low for p in phrases), (bit, low)


# A line's count of capitalised words is read off its bytes in ASCII text (a speed-up): it must be
# the count of its words that start with a capital, as any other line counts them.
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZbYc .,-'1é\t"), max_size=60))
def test_capitalised_words_counted_as_the_words_are(line):
    from operator import itemgetter

    from annotator.ingest import script

    words, _spaceless, upper = script._split(line)
    assert upper == sum(map(str.isupper, map(itemgetter(0), words)))
