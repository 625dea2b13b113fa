"""Unit-level behaviour of the scraped-text cleaner and the metadata parsers."""

import datetime as dt

import pytest

from annotator.ingest import meta
from annotator.ingest.header import split_credit
from annotator.ingest.language import guess_language
from annotator.ingest.lines import _rejoin
from annotator.ingest.text import clean_text


@pytest.mark.parametrize(
    "block, expected",
    [
        (
            [
                "Shares of construction goods giant",
                "Home Depot",
                "are dropping after the company cut its guidance.",
            ],
            [
                "Shares of construction goods giant Home Depot are dropping after the company cut its guidance."
            ],
        ),
        (
            ["Apple", "announced on Monday that it would open a new store in the city."],
            ["Apple announced on Monday that it would open a new store in the city."],
        ),
        (
            ["The figures were first reported by", "Reuters.", "Shares fell 3% on the news, analysts said."],
            ["The figures were first reported by Reuters.", "Shares fell 3% on the news, analysts said."],
        ),
        (["Home", "news", "sport"], ["Home", "news", "sport"]),
        (["Apple Watch", "iPad", "iPhone"], ["Apple Watch", "iPad", "iPhone"]),
    ],
)
def test_rejoin_lines_broken_by_inline_elements(block, expected):
    assert _rejoin(block) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Russian Foreign Minister Sergey Lavrov ©  Ministry of Foreign Affairs",
            ("Russian Foreign Minister Sergey Lavrov", "Ministry of Foreign Affairs"),
        ),
        (
            "Keeper's cottage. (Photo: Lena Morgan/Island Press)",
            ("Keeper's cottage.", "Lena Morgan/Island Press"),
        ),
        (
            "Photograph: Tim Robberts/Getty Images",
            ("Photograph: Tim Robberts/Getty Images", "Tim Robberts/Getty Images"),
        ),
        ("The lamp room at dusk. Credit: Lena Morgan", ("The lamp room at dusk.", "Lena Morgan")),
        ("A plain caption", ("A plain caption", None)),
    ],
)
def test_split_credit(text, expected):
    assert split_credit(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("30 Jan, 2024 13:45", "2024-01-30T13:45"),
        ("January 30, 2024", "2024-01-30"),
        ("2024-01-30", "2024-01-30"),
        ("Nov 18, 2019 at 9:24 pm ET", "2019-11-18T21:24"),
        ("Monday, November 18, 2019, 04:05 pm PT", "2019-11-18T16:05"),
        ("Updated 14:02, 12 October 2022", "2022-10-12T14:02"),
        ("Fri 21 Apr 2023 07.40 BST", "2023-04-21T07:40"),
        ("11/20/2019 01:14 PM", "2019-11-20T13:14"),
        ("31.12.2023", "2023-12-31"),
    ],
)
def test_find_date(text, expected):
    assert meta.find_date(text)[0] == expected


def test_relative_dates_need_a_reference():
    assert meta.find_date("Posted 2 hours ago") is None
    assert meta.find_date("Posted 2 hours ago", dt.datetime(2024, 1, 30, 13, 45))[0] == "2024-01-30T11:45"
    assert meta.find_date("3 days ago", dt.date(2024, 1, 30))[0] == "2024-01-27"
    assert meta.find_date("yesterday", dt.date(2024, 1, 30))[0] == "2024-01-29"


@pytest.mark.parametrize(
    "line, nxt, expected",
    [
        ("By Jane Doe", None, "Jane Doe"),
        ("By Mike Wuerthele and Malcolm Owen", None, "Mike Wuerthele and Malcolm Owen"),
        ("By HNN Staff | November 18, 2019 at 2:26 PM HST", None, "HNN Staff"),
        ("Monday November 18, 2019 7:45 am PST by Joe Rossignol", None, "Joe Rossignol"),
        ("by", "Bryan DeArdo", "Bryan DeArdo"),
        ("By", "Joseph Tsidulko November 19, 2019, 07:47 PM EST", "Joseph Tsidulko"),
        ("Stand by me as the crowd goes wild tonight", None, None),
    ],
)
def test_find_byline(line, nxt, expected):
    assert meta.find_byline(line, nxt) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("HomeRussia & FSU", "Russia & FSU"),
        ("Home > News > World", "World"),
        ("Home / Business / Markets", "Markets"),
        ("Homework help for parents", None),
    ],
)
def test_section_from_breadcrumb(line, expected):
    assert meta.section_from_breadcrumb(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("© 2019 Cleveland.com. All rights reserved (About Us).", "Cleveland.com"),
        ("Copyright 2019 Hawaii News Now. All rights reserved.", "Hawaii News Now"),
        ("© 2023 The Harbour Gazette. All rights reserved.", "The Harbour Gazette"),
    ],
)
def test_outlet_from_copyright(line, expected):
    assert meta.outlet_from_copyright(line) == expected


def test_outlet_from_brand_lines():
    assert (
        meta.outlet_from_brand("This website uses cookies. Read RT Privacy policy to find out more.") == "RT"
    )
    assert meta.outlet_from_brand("Read our Privacy Policy") is None
    assert meta.outlet_from_brand("Cookie Policy Privacy Policy") is None


def test_guess_language_needs_enough_words():
    assert guess_language("Hello") == ""


def test_guess_language_knows_vietnamese():
    # Its dates are day first (2/11/2023 is 2 November): the language decides how they are read.
    text = "Ông cho biết các doanh nghiệp đã được hỗ trợ và những người lao động có thu nhập thấp sẽ không phải nộp thuế trong năm này."
    assert guess_language(text) == "vi"


def test_clean_text_of_empty_and_blank_input():
    assert clean_text("")[1] == []
    assert clean_text("\n \n\t\n")[1] == []
