"""Clean text (a title, a blank line, the paragraphs) keeps its title as the headline."""

import pytest

from annotator.ingest import read_document

PARAS = [
    "The council backed plans for a new park on Tuesday, after years of campaigning by residents.",
    "The park will cost 2 million euros and open in 2026, officials said on Wednesday.",
    "Residents welcomed the plan, and said they would help plant the first trees.",
]


@pytest.mark.parametrize(
    "title",
    [
        "Council backs new park",
        "Will the new park open on time?",
        "Park plan approved!",
        "Council Approves Park After Long Campaign By Residents Of The Riverside District",
    ],
)
def test_title_line_is_the_headline_and_not_a_paragraph(title):
    text = title + "\n\n" + "\n\n".join(PARAS) + "\n"
    [doc] = read_document(text.encode(), name="article.txt")
    assert doc.units[0].kind == "headline" and doc.units[0].text == title
    assert doc.meta["title"] == title
    assert [u.text for u in doc.units if u.kind == "body"] == PARAS


def test_a_first_paragraph_is_not_taken_for_a_title():
    text = "\n\n".join(PARAS) + "\n"
    [doc] = read_document(text.encode(), name="article.txt")
    assert [u.text for u in doc.units if u.kind == "body"] == PARAS


def test_cookie_consent_and_donation_appeals_are_not_body_however_long():
    consent = (
        "We use cookies and other tracking technologies to improve your browsing experience on our site, "
        "show personalised content and targeted ads, analyse site traffic, and understand where our "
        "audience comes from. By choosing I Accept, you consent to our use of cookies and other tracking "
        "technologies for these purposes, which you may change at any time in the settings."
    )
    appeal = (
        "Reporting like this takes time and money. If you value what we do, please donate today so that "
        "our journalism stays free for every reader in the region, now and in the years ahead."
    )
    text = "\n\n".join([consent, "Council backs new park", PARAS[0], appeal, PARAS[1], PARAS[2]]) + "\n"
    [doc] = read_document(text.encode(), name="page.txt")
    assert [u.text for u in doc.units if u.kind == "body"] == PARAS
