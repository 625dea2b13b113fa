"""The publication date of an HTML page: the one its readers saw, not a teaser's or UTC's.

Each page here is invented; each failure class came out wrong before the rule it tests.
"""

import datetime as dt

import pytest

from annotator.ingest import read_document
from annotator.ingest.meta import find_date

BODY = (
    "<p>The harbour board voted on Tuesday evening to close the old ferry pier for repairs that "
    "engineers say are long overdue, after a survey found cracks in three of its pillars.</p>"
    "<p>Ferries will use the freight quay until the work is finished, which the board expects "
    "to take most of the winter, and timetables will change from the first of next month.</p>"
    "<p>Residents who rely on the early crossing asked the board to keep the first sailing, "
    "and a spokeswoman said the operator was looking at whether that could be done safely.</p>"
)

TEASERS = (
    "<aside><h3>Most read</h3><ul>"
    "<li><small class='teaser-date'>14.01.2021 · Region</small><a href='/a'>Storm closes coastal road</a></li>"
    "<li><small class='teaser-date'>14.01.2021 · Region</small><a href='/b'>Council approves cycle lanes</a></li>"
    "<li><small class='teaser-date'>13.01.2021 · Culture</small><a href='/c'>Bakery celebrates fifty years</a></li>"
    "</ul></aside>"
)


def published(page: str) -> str:
    [doc] = read_document(page.encode(), format="html")
    return doc.meta["published"]


def test_the_same_moment_with_the_publishers_offset_gives_the_local_day():
    # The meta tag says 02:30 UTC on the 6th; the byline's <time> writes the same moment as
    # 21:30 on the 5th at UTC-5, which is the day the page showed its readers.
    page = (
        "<html><head><title>Pier closes for repairs</title>"
        '<meta property="article:published_time" content="2022-03-06T02:30:00+00:00"></head>'
        "<body><article><h1>Harbour board closes ferry pier for winter repairs</h1>"
        '<p class="byline">By Ada Quill · <time datetime="2022-03-05T21:30:00-05:00" '
        'itemprop="datePublished">March 5, 2022</time></p>'
        f"{BODY}</article></body></html>"
    )
    assert published(page)[:10] == "2022-03-05"


def test_a_utc_time_alone_is_not_moved_to_another_day():
    page = (
        "<html><head><title>Pier closes</title>"
        '<meta property="article:published_time" content="2022-03-06T02:30:00Z"></head>'
        "<body><article><h1>Harbour board closes ferry pier for winter repairs</h1>"
        f"{BODY}</article></body></html>"
    )
    assert published(page)[:10] == "2022-03-06"


def test_without_machine_dates_the_dateline_by_the_headline_beats_a_teasers_date():
    # No meta tag, no JSON-LD, no <time>, no date in the address: the teaser list's dates are
    # as good as the article's to a generic date finder; the one over the headline is the article's.
    page = (
        "<html><head><title>Harbour board closes ferry pier for winter repairs</title></head>"
        f"<body>{TEASERS}<div class='story'><p>16.01.2021 09:40 - Harbour - Local news</p>"
        "<h1>Harbour board closes ferry pier for winter repairs</h1>"
        f"{BODY}</div>{TEASERS}</body></html>"
    )
    assert published(page)[:10] == "2021-01-16"


def test_the_first_post_of_a_thread_dates_it_even_with_a_two_digit_year():
    page = (
        "<html><head><title>Ferry timetable app stopped working | Forum</title></head><body>"
        f"{TEASERS}<h2 class='title'>Ferry timetable app stopped working</h2>"
        "<div class='post'><span class='user'>islander</span><span>07.11.19</span><span>08:15</span>"
        "<div class='text'>Since the update the app shows no sailings at all when I am on mobile "
        "data, only on wifi. Has anyone found a way round this? I have reinstalled it twice.</div></div>"
        "<div class='post'><span class='user'>deckhand</span><span>09.11.19</span><span>10:02</span>"
        "<div class='text'>Same here. It came back after I allowed background data for it.</div></div>"
        "</body></html>"
    )
    assert published(page)[:10] == "2019-11-07"


def test_a_date_labelled_as_an_update_is_not_the_publication_date():
    page = (
        "<html><head><title>Harbour board closes ferry pier for winter repairs</title></head>"
        f"<body>{TEASERS}<div class='story'><h1>Harbour board closes ferry pier for winter repairs</h1>"
        "<p><span>Updated:</span> <span>18.01.2021</span></p><p>Published 16.01.2021</p>"
        f"{BODY}</div></body></html>"
    )
    assert published(page)[:10] == "2021-01-16"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("07.11.19 08:15", "2019-11-07T08:15"),
        ("am 07.11.19", "2019-11-07"),
        ("05.11.98", "1998-11-05"),
        ("Version 10.15.7", None),
        ("build 1.2.19", None),
        ("31.02.19", None),
        ("28.09.2019", "2019-09-28"),
    ],
)
def test_a_two_digit_year_is_read_only_in_a_zero_padded_day_month_date(text, iso):
    found = find_date(text)
    assert (found[0] if found else None) == iso


def test_a_dateline_in_german_under_the_headline_dates_the_page():
    page = (
        "<html><head><title>Hafenamt sperrt die alte Fähranlegestelle</title></head><body>"
        "<article><h1>Hafenamt sperrt die alte Fähranlegestelle</h1>"
        "<p class='meta'>veröffentlicht am 7. März 2018 von der Redaktion</p>"
        "<p>Das Hafenamt hat am Dienstagabend beschlossen, die alte Anlegestelle für Reparaturen zu "
        "schließen, nachdem Gutachter Risse in drei der Pfeiler gefunden hatten.</p>"
        "<p>Die Fähren legen bis zum Ende der Arbeiten am Frachtkai an; der Fahrplan ändert sich zum "
        "Ersten des kommenden Monats, und die frühe Überfahrt soll erhalten bleiben.</p>"
        "</article></body></html>"
    )
    assert published(page)[:10] == "2018-03-07"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("veröffentlicht am 7. März 2018", "2018-03-07"),
        ("Mittwoch, 2. Februar 2022 um 10:16 Uhr", "2022-02-02T10:16"),
        ("Publié le 1er janvier 2020 à 15h57", "2020-01-01T15:57"),
        ("12 de septiembre de 2019", "2019-09-12"),
        ("5 de março de 2024", "2024-03-05"),
        ("3 maggio 2021", "2021-05-03"),
        ("14 mei 2020", "2020-05-14"),
        ("8 Nov. 2023", "2023-11-08"),
        ("Sept. 9, 2019", "2019-09-09"),
        # "out" and "ago" are Portuguese and Spanish abbreviations, but English words first.
        ("10 out 2019", None),
        ("2 ago 2019", None),
    ],
)
def test_month_names_are_read_in_several_languages(text, iso):
    found = find_date(text)
    assert (found[0] if found else None) == iso


def test_the_time_under_the_headline_gives_the_local_day_of_a_utc_meta_tag():
    page = (
        "<html><head><title>Pier closes for repairs</title>"
        '<meta property="article:published_time" content="2022-03-06T02:30:00Z"></head>'
        "<body><article><h1>Harbour board closes ferry pier for winter repairs</h1>"
        '<p>By Ada Quill · <time datetime="2022-03-05T21:30:00-05:00">March 5, 2022</time></p>'
        f"{BODY}</article></body></html>"
    )
    assert published(page)[:10] == "2022-03-05"


def test_the_headline_is_found_when_the_sharing_title_words_it_differently():
    # The sharing title (og:title) and the heading on the page say the same in other words;
    # the dateline under the heading still beats the teasers' dates.
    page = (
        "<html><head><title>Ferry pier to close for winter repairs, harbour board says</title>"
        '<meta property="og:title" content="Ferry pier to close for winter repairs, harbour board says">'
        f"</head><body>{TEASERS}<div class='story'>"
        "<h1>Harbour board closes ferry pier for winter repairs</h1><p>16.01.2021 09:40</p>"
        f"{BODY}</div>{TEASERS}</body></html>"
    )
    assert published(page)[:10] == "2021-01-16"


def test_a_year_first_date_with_dots_or_slashes_is_read_and_a_version_number_is_not():
    from annotator.ingest.dates import find_date

    assert find_date("by 山田法律事務所 ／ 2021.03.15") == ("2021-03-15", False)
    assert find_date("投稿日 2021/03/15 09:30") == ("2021-03-15T09:30", True)
    assert find_date("firmware v2021.03.15") is None


PARAS_TEXT = {
    "en": (
        "The harbour board voted on Tuesday evening to close the old ferry pier for repairs that "
        "engineers say are long overdue, after a survey found cracks in three of its pillars."
    ),
    "fr": (
        "Le conseil du port a voté mardi soir la fermeture de la vieille jetée pour des travaux que "
        "les ingénieurs jugent urgents, après une étude qui a trouvé des fissures dans les piliers."
    ),
}


def _copied(lang: str, dateline: str, *more: str) -> str:
    text = "\n\n".join(["Accueil", "La jetée ferme pour l'hiver", dateline, *[PARAS_TEXT[lang]] * 3, *more])
    [doc] = read_document(text.encode(), name="page.txt")
    return doc.meta["published"]


def test_a_slashed_date_is_read_day_first_where_the_page_is_not_english():
    assert _copied("fr", "Publié le 02/11/2023 à 15h57").startswith("2023-11-02")
    # An English page keeps month first...
    assert _copied("en", "Published 02/11/2023 3:57 pm").startswith("2023-02-11")
    # ... unless its own dates are written day first (a day over 12 elsewhere on the page).
    assert _copied("en", "Published 02/11/2023 3:57 pm", "Comments", "Jo Lee 28/10/2023").startswith(
        "2023-11-02"
    )
    # And a French page whose dates are month first says so too.
    assert _copied("fr", "Publié le 02/11/2023", "Commentaires", "Jo Lee 10/28/2023").startswith("2023-02-11")
    assert find_date("02/11/2023", None, True) == ("2023-11-02", False)
    assert find_date("10/28/2023", None, True) == ("2023-10-28", False)


HEAD_TEXT = "Harbour board closes the old ferry pier for winter repairs"


def _text_page(*lines: str) -> dict:
    body = [
        PARAS_TEXT["en"],
        PARAS_TEXT["en"].replace("Tuesday", "Monday"),
        PARAS_TEXT["en"].replace("three", "four"),
    ]
    [doc] = read_document(
        "\n\n".join([*lines, *body]).encode(), name="page.txt", reference_date=dt.date(2024, 5, 1)
    )
    return doc.meta


def test_the_dateline_under_the_headline_beats_the_days_date_in_the_top_bar():
    meta = _text_page(
        "Thursday, November 9, 2023", "News", "Sport", HEAD_TEXT, "By Jo Lee", "Oct 10, 2023", "Share"
    )
    assert meta["title"] == HEAD_TEXT
    assert meta["published"] == "2023-10-10"


def test_under_the_headline_the_posted_date_beats_the_updated_one():
    meta = _text_page(
        "News", HEAD_TEXT, "By Jo Lee", "Updated: 18 Nov 2019 9:38 pm", "Posted: 18 Nov 2019 8:11 pm"
    )
    assert meta["published"] == "2019-11-18T20:11"


def test_today_is_a_date_alone_or_labelled_not_as_a_word_of_a_name():
    ref = dt.date(2024, 5, 1)
    assert find_date("Updated today", ref) == ("2024-05-01", False)
    assert find_date("Today, 10:15", ref) == ("2024-05-01", False)
    assert find_date("Florida Today", ref) is None
    assert find_date("Support our reporting: donate today", ref) is None
    meta = _text_page("News", HEAD_TEXT, "Ada Quill", "Coastline Today", "Published 2:16 AM EST Nov 20, 2019")
    assert meta["published"] == "2019-11-20T02:16"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("13. 1. 2020", "2020-01-13"),  # day and month with spaces after their points
        ("14. 01. 2020, 10:15", "2020-01-14T10:15"),
        ("th3Chris28.09.1913:39", "2019-09-28T13:39"),  # a forum's name, date and time glued
        ("28.09.2019 13:39", "2019-09-28T13:39"),
    ],
)
def test_dotted_dates_spaced_or_glued_to_a_time_are_read(text, iso):
    assert find_date(text) == (iso, "T" in iso)


def test_a_dateline_at_the_top_of_the_body_dates_a_page_whose_header_has_none():
    # The header (menus only) has no date; the line under the body's first paragraph does.
    def published(line: str) -> str:
        more = "Ferries will use the freight quay until the work is finished, which the board expects to take most of the winter."
        paras = [PARAS_TEXT["en"], line, PARAS_TEXT["en"].replace("three", "four"), more]
        [doc] = read_document("\n\n".join(["News", "Sport", "Weather", *paras]).encode(), name="page.txt")
        return doc.meta["published"]

    assert published("November 8, 2023 | 1:49 PM") == "2023-11-08T13:49"
    # An embedded post's signature dates the post, not the page.
    assert published("— Coastal Rail (@coastalrail) June 2, 2023") == ""
