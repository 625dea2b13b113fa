"""The headline of scraped page text: the line that repeats the page's title, not a teaser near
the body.  Each page here is invented; each came out with another story's headline before."""

from pathlib import Path

from annotator.ingest import read_document
from annotator.ingest.meta import outlet_from_title

PARAS = [
    "The harbour board voted on Tuesday evening to close the old ferry pier for repairs that "
    "engineers say are long overdue, after a survey found cracks in three of its pillars.",
    "Ferries will use the freight quay until the work is finished, which the board expects to "
    "take most of the winter, and timetables will change from the first of next month.",
    "Residents who rely on the early crossing asked the board to keep the first sailing, and a "
    "spokeswoman said the operator was looking at whether that could be done safely.",
]
TEASER = "Lighthouse keeper retires after forty years on the rock"


def _read(lines: list[str]):
    text = "\n".join(lines + [""] + [p + "\n" for p in PARAS] + ["Most read", "Storm closes coastal road"])
    [doc] = read_document(text.encode(), name="page.txt")
    return doc


def test_a_two_word_headline_that_repeats_the_page_title_beats_a_teaser():
    doc = _read(
        [
            "Pier closes | Coastline Courier",
            "Home",
            "News",
            "Sport",
            "",
            "Pier closes",
            "",
            "Share",
            "",
            TEASER,
        ]
        + ["", "By Ada Quill", "March 5, 2022"]
    )
    assert doc.meta["title"] == "Pier closes"
    assert [u.text for u in doc.units if u.kind == "headline"] == ["Pier closes"]
    assert doc.meta["outlet"] == "Coastline Courier"


def test_the_title_line_is_found_however_far_a_long_menu_puts_it_from_the_body():
    head = "Harbour board closes ferry pier for winter repairs"
    menu = [f"Section {i}" for i in range(70)]
    doc = _read([f"{head} - Coastline Courier", "Home", "", head, "", *menu, "", TEASER, "", "By Ada Quill"])
    assert doc.meta["title"] == head


def test_a_title_with_a_list_of_topics_gives_no_outlet_rather_than_a_topic():
    head = "Harbour board closes ferry pier"
    doc = _read([f"{head} | Coastline | Ferries | Harbours | Weather", "Home", "", head, "", "By Ada Quill"])
    assert doc.meta["title"] == head
    assert doc.meta["outlet"] == ""


def test_the_site_part_of_a_title_is_its_domain_name_when_topics_follow_the_headline():
    head = "Harbour board closes ferry pier"
    assert (
        outlet_from_title(f"{head} | Ferries | Harbours | coastline-courier.com", head)
        == "coastline-courier.com"
    )
    assert outlet_from_title(f"{head} | Coastline | Ferries | Harbours | Weather", head) is None
    assert outlet_from_title(f"{head} - Local news - Coastline Courier", head) == "Coastline Courier"


def test_another_storys_headline_between_headline_and_body_is_not_the_standfirst():
    head = "Harbour board closes ferry pier for winter repairs"
    doc = _read(
        [f"{head} - Coastline Courier", "Home", "", head, "", "Share", "", TEASER, "", "By Ada Quill"]
    )
    assert doc.meta["title"] == head
    assert [u.text for u in doc.units if u.kind == "standfirst"] == []


def test_a_standfirst_that_is_a_sentence_is_kept():
    head = "Harbour board closes ferry pier for winter repairs"
    standfirst = "Engineers found cracks in three pillars, and the ferries will move to the freight quay."
    doc = _read([f"{head} - Coastline Courier", "Home", "", head, "", standfirst, "", "By Ada Quill"])
    assert [u.text for u in doc.units if u.kind == "standfirst"] == [standfirst]


def _clean(head: str, paras: list[str]):
    text = head + "\n\n" + "\n\n".join(paras) + "\n"
    [doc] = read_document(text.encode(), name="article.txt")
    return doc


def test_the_first_line_of_a_clean_article_is_its_headline_not_the_short_paragraph_under_it():
    # The short opening line under the title reads more like a headline than the title does.
    doc = _clean("Ferry pier shuts", ["Repairs Start Monday On Three Cracked Pillars", *PARAS])
    assert doc.meta["title"] == "Ferry pier shuts"
    assert [u.kind for u in doc.units[:2]] == ["headline", "body"]
    assert doc.units[1].text == "Repairs Start Monday On Three Cracked Pillars"


def test_a_clean_articles_title_in_title_case_may_end_with_a_full_stop():
    doc = _clean("Pier Closes For Winter. Why Commuters Need Not Worry.", PARAS)
    assert doc.meta["title"] == "Pier Closes For Winter. Why Commuters Need Not Worry."
    assert doc.units[0].kind == "headline"


def test_a_clean_article_opening_with_a_sentence_has_no_headline_made_of_it():
    doc = _clean("The board met on Tuesday.", PARAS)
    assert doc.meta["title"] != "The board met on Tuesday."


def test_a_sites_tagline_above_the_headline_is_not_it_when_the_byline_sits_under_a_standfirst():
    doc = _read(
        ["Home", "News", "Sport", "", "Reporting, Analysis and Opinion for the Whole of the Coast"]
        + ["Harbour Board Shuts Ferry Pier For The Winter"]
        + ["Engineers found cracks in three pillars and the crossing moves to the freight quay."]
        + ["By", "Ada Quill March 5, 2022"]
    )
    assert doc.meta["title"] == "Harbour Board Shuts Ferry Pier For The Winter"


def test_the_headline_is_the_title_whose_dateline_sits_under_the_previous_and_next_links():
    doc = _read(["Home", "News", "", "The Coastline Journal", "Ferry pier closes for the winter"])
    assert doc.meta["title"] != "Ferry pier closes for the winter"  # no dateline: nothing to tell them apart
    doc = _read(
        ["Home", "News", "", "The Coastline Journal", "Ferry pier closes for the winter"]
        + ["Previous Post", "Next Post", "March 5, 2022 | by Ada Quill"]
    )
    assert doc.meta["title"] == "Ferry pier closes for the winter"


def test_a_two_word_headline_with_its_dateline_under_it_is_the_headline():
    doc = _read(["Home", "News", "Sport", "", "Pier closes", "March 5, 2022"])
    assert doc.meta["title"] == "Pier closes"


def test_two_capitalised_words_over_a_date_are_a_name_not_the_headline():
    doc = _read(["Home", "News", "", TEASER, "", "Ada Quill", "March 5, 2022"])
    assert doc.meta["title"] != "Ada Quill"


def _page(head: str, top: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<html><head>{head}</head><body><main><article>{top}{body}</article></main></body></html>".encode()
    )


def test_a_sharing_title_readers_never_see_gives_way_to_the_pages_heading():
    head = '<title>Why your ferry will be late this winter</title><meta property="og:title" content="Why your ferry will be late this winter">'
    [doc] = read_document(
        _page(head, "<h1>Harbour board shuts old ferry pier for repairs</h1>"), format="html"
    )
    assert doc.meta["title"] == "Harbour board shuts old ferry pier for repairs"


def test_a_title_that_is_the_heading_and_a_section_name_is_the_heading():
    head = '<meta property="og:title" content="Harbour board shuts old ferry pier - Coast News">'
    top = "<h1>Harbour board shuts old ferry pier</h1>"
    [doc] = read_document(_page(head, top), format="html")
    assert doc.meta["title"] == "Harbour board shuts old ferry pier"


def test_a_name_under_the_headline_with_the_date_under_it_is_the_byline():
    doc = _read(["Home", "News", "", "Harbour board shuts the old ferry pier", "Ada Quill", "March 5, 2022"])
    assert doc.meta["byline"] == "Ada Quill"
    doc = _read(
        ["Home", "News", "", "Harbour board shuts the old ferry pier", "Ada Quill - March 5, 2022 at 9:10 am"]
    )
    assert doc.meta["byline"] == "Ada Quill"


def test_a_name_and_something_after_a_comma_over_the_date_is_no_byline():
    # Two names, or a name and the outlet: which, the page does not say.
    doc = _read(
        [
            "Home",
            "",
            "Harbour board shuts the old ferry pier",
            "Ada Quill, Coastline Courier",
            "March 5, 2022",
        ]
    )
    assert doc.meta["byline"] == ""


SLOGAN = "We protect your brand. Looking for a trademark attorney? Harbour Patent Office, Tokyo"


def test_a_title_printed_twice_over_its_by_line_at_the_top_of_the_body_is_the_headline():
    # The body found opens with the title (printed twice) and its "by" line; the site's slogan
    # far above is not the headline, and the "by" line is no paragraph.
    title = "Is modding a product a trademark offence?"
    lines = ["MENU", SLOGAN, "HOME", "Services", "Blog", "HOME >", "Blog >", title, title]
    [doc] = read_document(
        "\n\n".join([*lines, "by ハーバー特許事務所 ／ 2016.12.01", *PARAS]).encode(), name="page.txt"
    )
    assert doc.meta["title"] == title
    assert [u.kind for u in doc.units[:2]] == ["headline", "body"]
    assert all("2016.12.01" not in u.text for u in doc.units)


def test_a_by_line_in_any_script_credits_the_title_over_it():
    title = "Harbour board shuts old pier"
    lines = ["Your harbour news, every morning since 1901, from the whole coastline", "Home", "News", title]
    [doc] = read_document(
        "\n\n".join([*lines, "by 港湾新聞社 ／ 2022.03.05", *PARAS]).encode(), name="page.txt"
    )
    assert doc.meta["title"] == title


# Page text copied from a browser starts without the page's <title>: the headline is found by
# what sits around it, and the lines around it must not be taken for it.


def test_a_name_between_two_field_labels_is_the_byline_not_the_headline():
    doc = _read(
        ["Home", "News", "", "Pier closes for the winter", "", "Author:", "", "Harbour Desk Staff"]
        + ["", "Publish date:", "", "Oct 4, 2018", ""]
    )
    assert doc.meta["title"] == "Pier closes for the winter"
    assert doc.meta["byline"] == "Harbour Desk Staff"


def test_a_dateline_without_a_year_is_not_the_headline():
    doc = _read(
        [
            "Home",
            "News",
            "",
            "Pier closes for the winter",
            "",
            "Updated Nov 19, 6:55 AM; Posted Nov 19, 6:51 AM",
        ]
    )
    assert doc.meta["title"] == "Pier closes for the winter"


def test_a_back_link_and_a_lone_by_word_in_german():
    doc = _read(
        ["Zurück zur Übersicht", "", "Von", "", "Anna Schmidt", "", "publiziert am 25. September 2018", ""]
        + ["Die elektronische Fährkarte (eFK) – ein langer Weg", ""]
    )
    assert doc.meta["title"] == "Die elektronische Fährkarte (eFK) – ein langer Weg"
    assert doc.meta["byline"] == "Anna Schmidt"
    assert doc.meta["published"] == "2018-09-25"


def test_an_agency_acronym_credits_a_picture_only_where_a_credit_stands():
    from annotator.ingest.lines import split_lines

    lines = {
        ln.text: ln.credit
        for ln in split_lines(
            "EPA rolls back a rule on river pollution\n\nProtesters outside the ministry. EPA-EFE/Jo Lee\n\n"
            "Crowds at the harbour wall. AFP\n\nThe electronic record (ePA) is late\n"
        )
    }
    assert lines == {
        "EPA rolls back a rule on river pollution": False,
        "Protesters outside the ministry. EPA-EFE/Jo Lee": True,
        "Crowds at the harbour wall. AFP": True,
        "The electronic record (ePA) is late": False,
    }


def test_a_table_header_printed_over_each_table_is_not_the_headline():
    # A clean article whose four tables each open with the same header line (words made up, the
    # layout of a sports statistics page): printed inside its table's block each time, the line
    # is a series' label, not the title repeated as a heading or an image's alt text.
    data = (Path(__file__).parent / "data" / "headline" / "clean_stats_tables.txt").read_bytes()
    [doc] = read_document(data, name="article.txt")
    assert doc.meta["title"] == "Kugivu’ defensive snap counts, stats, and notes: Week 11"
