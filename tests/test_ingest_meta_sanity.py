"""Metadata that does not look like its field is left empty: empty is better than wrong."""

import pytest

from annotator.ingest import read_document
from annotator.ingest.meta import outlet_from_copyright
from annotator.ingest.sanity import plausible_byline, plausible_outlet, tidy_byline

PARAS = (
    "<p>The council backed plans for a new park on Tuesday, after years of campaigning by residents "
    "who wanted green space near the river.</p><p>The park will cost 2 million euros and open in 2026, "
    "officials said on Wednesday after the vote.</p><p>Residents welcomed the plan, and said they would "
    "help plant the first trees in the spring.</p>"
)


def _html(head: str, top: str = "<h1>Council backs riverside park</h1>", foot: str = "") -> bytes:
    return (f"<html><head>{head}</head><body><article>{top}{PARAS}</article>{foot}</body></html>").encode()


def test_a_photographers_copyright_is_not_the_outlet():
    text = (
        "Council backs riverside park\n\n"
        + "\n\n".join(p.removeprefix("<p>") for p in PARAS.split("</p>") if p)
        + "\n\nPhoto © 2024 Jane Moreau\n"
    )
    [doc] = read_document(text.encode(), name="page.txt")
    assert doc.meta["outlet"] == ""


def test_a_furniture_word_is_not_the_outlet():
    [doc] = read_document(_html('<meta property="og:site_name" content="Hosted">'), format="html")
    assert doc.meta["outlet"] == ""


def test_a_page_title_that_is_only_the_site_name_is_not_the_headline():
    page = _html(
        '<title>Riverside Gazette</title><meta property="og:site_name" content="Riverside Gazette">', top=""
    )
    [doc] = read_document(page, format="html")
    assert doc.meta["outlet"] == "Riverside Gazette"
    assert doc.meta["title"] == ""
    assert not any(u.kind == "headline" and u.text == "Riverside Gazette" for u in doc.units)


@pytest.mark.parametrize(
    "value, ok",
    [
        ("Jane Moreau", True),
        ("Ana de la Cruz and Tom van Dijk", True),
        ("Reuters", True),
        ("AP", True),
        ("Jane Moreau, Li Wei", True),
        ("the mayor said on Tuesday", False),
        ("Residents who wanted green space", False),
        ("Updated 5 March 2024", False),
    ],
)
def test_a_byline_is_names_or_an_agency(value, ok):
    assert plausible_byline(value) is ok


@pytest.mark.parametrize(
    "value, ok",
    [("Riverside Gazette", True), ("Hosted", False), ("Photo: Jane Moreau", False), ("Getty Images", False)],
)
def test_an_outlet_is_a_name_not_a_credit_or_furniture(value, ok):
    assert plausible_outlet(value) is ok


@pytest.mark.parametrize(
    "author, site, byline",
    [
        # The site's address run into the credit.
        ("Jane Moreau, riversidegazette.com", "Riverside Gazette", "Jane Moreau"),
        # The outlet itself listed as a second author.
        ("Jane Moreau; Riverside Gazette", "Riverside Gazette Weekend", "Jane Moreau"),
        # The dateline's weekday and month run into the last name of a list.
        ("Jane Moreau; Li Wei Tuesday; March", "Riverside Gazette", "Jane Moreau; Li Wei"),
        # A month after a name may be a surname.
        ("Jo March", "Riverside Gazette", "Jo March"),
        # The author's degrees, and the outlet they write for, after the name.
        ("Dana Whitfield, MS, RD", "Riverside Gazette", "Dana Whitfield"),
        ("Dana Whitfield, Riverside Gazette Staff", "Riverside Gazette", "Dana Whitfield"),
        # A staff credit alone is the byline.
        ("Riverside Gazette Staff", "Riverside Gazette", "Riverside Gazette Staff"),
    ],
)
def test_a_byline_keeps_only_the_names_of_its_authors(author, site, byline):
    head = f'<meta name="author" content="{author}"><meta property="og:site_name" content="{site}">'
    # The page prints its authors (in an author box under the article).
    [doc] = read_document(_html(head, foot=f"<div>{author}</div>"), format="html")
    assert doc.meta["byline"] == byline


@pytest.mark.parametrize("account", ["Admin", "Gazetteadmin", "Administrator"])
def test_the_publishing_systems_default_account_is_no_byline(account):
    text = (
        f"Council backs riverside park\n\nBy {account}\n\n"
        + "\n\n".join(p.removeprefix("<p>") for p in PARAS.split("</p>") if p)
        + "\n"
    )
    [doc] = read_document(text.encode(), name="page.txt")
    assert doc.meta["byline"] == ""


def test_a_social_handle_run_into_a_name_is_cut():
    assert tidy_byline("Jane Moreau@RiversideGazette") == "Jane Moreau"
    assert tidy_byline("Jane Moreau, @janem") == "Jane Moreau"


def test_a_site_name_with_a_tagline_or_topics_is_the_name_alone():
    for site in ("Riverside Gazette | News from the river", "Riverside Gazette | Parks | Council | Weather"):
        [doc] = read_document(_html(f'<meta property="og:site_name" content="{site}">'), format="html")
        assert doc.meta["outlet"] == "Riverside Gazette"


@pytest.mark.parametrize(
    "line, holder",
    [
        ("© Copyright Riverside Gazette 2024", "Riverside Gazette"),
        ("Copyright Policy", None),
        ("Copyright notice", None),
        ("© 2024 Riverside Gazette. All rights reserved", "Riverside Gazette"),
        # The owning company is named under each of its sites: no outlet rather than the owner.
        ("© 2024 Riverbank Media Group Ltd. All rights reserved", None),
        ("Copyright © 2024 Gazette Holdings, Inc.", None),
        ("© 2024 The Riverside Publishing Company", None),
        # The agency whose story the page carries.
        ("© 2024 Associated Press. All rights reserved. This material may not be published.", None),
    ],
)
def test_the_copyright_holder_is_a_name_not_a_link_to_the_terms(line, holder):
    assert outlet_from_copyright(line) == holder


def test_a_subtitle_of_the_page_title_is_not_the_outlet():
    # No site name anywhere; the title's part after the dash is the story's subtitle, which
    # the title reader takes for the site's name.
    page = _html(
        "<title>Riverside park (2 years) - green space near the river. Reviews</title>",
        top="<h1>Riverside park - green space near the river for 2 years</h1>",
    )
    [doc] = read_document(page, format="html")
    assert doc.meta["outlet"] == ""


@pytest.mark.parametrize(
    "head",
    [
        # A social handle is all the page declares.
        '<meta name="twitter:site" content="@RiversideGazetteOnline">',
        # Only the page's address names the site.
        '<link rel="canonical" href="https://riversidegazette.com/news/park">',
    ],
)
def test_the_outlet_is_the_name_in_the_title_not_a_handle_or_an_address(head):
    page = _html(f"<title>Council backs riverside park - Riverside Gazette</title>{head}")
    [doc] = read_document(page, format="html")
    assert doc.meta["outlet"] == "Riverside Gazette"


def test_a_section_in_the_title_is_not_taken_for_the_outlet_over_the_address():
    page = _html(
        '<title>Council backs riverside park - City News</title><link rel="canonical" href="https://riversidegazette.com/a">'
    )
    [doc] = read_document(page, format="html")
    assert doc.meta["outlet"] != "City News"


def test_an_author_the_page_does_not_print_is_no_byline():
    # A publishing system's account, named only in the page's JSON-LD.
    ld = '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", "author": {"@type": "Person", "name": "Kim Sato"}}</script>'
    [doc] = read_document(_html(ld), format="html")
    assert doc.meta["byline"] == ""
    [doc] = read_document(
        _html(ld, top="<h1>Council backs riverside park</h1><p>Kim Sato</p>"), format="html"
    )
    assert doc.meta["byline"] == "Kim Sato"


def test_the_publisher_named_as_a_second_author_but_not_printed_is_dropped():
    head = '<meta name="author" content="Harbour Press Group; Kim Sato">'
    [doc] = read_document(
        _html(head, top="<h1>Council backs riverside park</h1><p>Kim Sato</p>"), format="html"
    )
    assert doc.meta["byline"] == "Kim Sato"


def test_the_sites_own_name_beats_the_company_that_publishes_it():
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "Council backs riverside park", '
        '"publisher": {"@type": "Organization", "name": "Riverbank Media Partners"}}</script>'
    )
    [doc] = read_document(
        _html(f'<meta property="og:site_name" content="Riverside Gazette">{ld}'), format="html"
    )
    assert doc.meta["outlet"] == "Riverside Gazette"


@pytest.mark.parametrize(
    ("site", "byline", "kept"),
    [
        # The firm's own blog, in a script without spaces.
        ("特許業務法人山田法律事務所", "山田法律事務所", ""),
        ("Dogs By Nature", "Nature", ""),
        ("Harbour Gazette", "Jane Okafor", "Jane Okafor"),
    ],
)
def test_a_site_credited_as_its_own_author_is_no_byline(site, byline, kept):
    head = f'<title>Council backs riverside park</title><meta property="og:site_name" content="{site}">'
    [doc] = read_document(_html(head, top=f"<h1>Council backs riverside park</h1><p>by {byline}</p>"))
    assert doc.meta["outlet"] == site
    assert doc.meta["byline"] == kept


def test_a_section_field_that_holds_the_headline_names_no_section():
    head = '<meta property="article:section" content="Council Backs Riverside Park">'
    [doc] = read_document(_html(head), format="html")
    assert doc.meta["title"] == "Council backs riverside park"
    assert doc.meta["section"] == ""
    [doc] = read_document(_html('<meta property="article:section" content="Local news">'), format="html")
    assert doc.meta["section"] == "Local news"
