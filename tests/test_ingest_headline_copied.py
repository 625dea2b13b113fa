"""The headline of a page copied from the browser's window: no <title> line to go by, so the
headline is found by where it stands (over its byline or its date) and by what it is not (a menu
entry printed twice, the author's name or role, a standfirst, a list of other stories each with
its date).  Each page here is invented; each came out with a wrong headline before."""

from annotator.ingest import read_document
from annotator.ingest.meta import find_byline
from tests.test_ingest_headline import PARAS

HEAD = "Harbour board closes the old ferry pier for winter repairs"
STANDFIRST = "Engineers found cracks in three pillars of the pier and want it shut before the storms."
MENU = ["News", "Sport", "Weather", "Opinion", "Culture"]


def _read(lines: list[str]):
    text = "\n\n".join([*lines, *PARAS, "Most read", "Storm closes coastal road"])
    [doc] = read_document(text.encode(), name="page.txt")
    return doc


def test_a_byline_in_another_language_is_read_and_is_no_headline():
    assert find_byline("Par Henri Frasque") == "Henri Frasque"
    assert find_byline("Von Jo Lee | 2. Mai 2020") == "Jo Lee"
    assert find_byline("Door Jan de Vries") == "Jan de Vries"
    # Inside a line, or before words in lower case, these are prepositions.
    assert find_byline("Por qué votar") is None
    assert find_byline("Von Berlin nach Hamburg") is None
    doc = _read([*MENU, HEAD, STANDFIRST, "Par Henri Frasque", "Publié le 02/11/2023 à 15h57", "Partager"])
    assert doc.meta["title"] == HEAD
    assert doc.meta["byline"] == "Henri Frasque"


def test_the_line_under_a_byline_is_the_authors_role_not_the_headline():
    # The role is printed again in the author's box under the article, as a headline repeated
    # in the page is.
    role = "Senior Harbour Correspondent, Coastline"
    head = [
        "Harbour pier to shut | Coastline",
        "Skip to content",
        *MENU,
        HEAD,
        STANDFIRST,
        "By Ada Quill",
        role,
    ]
    text = "\n\n".join([*head, "02/11/2023 02:00pm GMT", *PARAS, "Ada Quill", role, "Most read"])
    [doc] = read_document(text.encode(), name="page.txt")
    assert doc.meta["title"] == HEAD


def test_a_name_over_a_date_is_the_byline_and_credits_the_headline_above_it():
    doc = _read([*MENU, HEAD, STANDFIRST, "Christoph von Ritter", "24. April 2020", "Lesen Sie auch"])
    assert doc.meta["title"] == HEAD


def test_a_menu_entry_that_opens_the_copy_is_no_page_title():
    # Printed three times (the desktop menu, the mobile menu, the breadcrumb): a menu entry.
    entry = "News & Analysis"
    doc = _read([entry, *MENU, entry, "Archive", entry, HEAD, "By", "NEWSROOM", "Oct 10, 2023", "Share"])
    assert doc.meta["title"] == HEAD
    # Printed twice with a few words (the logo's text and the footer's): the site's name.
    doc = _read(
        ["Coastline Courier", *MENU, "Coastline Courier", "Harbour", HEAD, STANDFIRST, "Ada Quill", "Share"]
    )
    assert doc.meta["title"] == HEAD


def test_a_menu_entry_printed_twice_far_apart_is_no_headline():
    more = "Continue reading the main story"
    doc = _read(
        [
            *MENU,
            more,
            "Supported by",
            more,
            HEAD,
            STANDFIRST,
            "Photo: Ada Quill",
            "By Jo Lee",
            "Aug. 16, 2020",
        ]
    )
    assert doc.meta["title"] == HEAD


def test_a_long_subtitle_under_the_headline_is_its_standfirst_even_printed_again():
    short = "What went right this week: the good news you should know about"
    sub = (
        "The harbour reopened its pier, the council found money for the ferry, and the lifeboat crew "
        "rescued two swimmers off the point in a storm"
    )
    doc = _read(
        [*MENU, short, sub, "Words by", "Ada Quill", "November 2, 2023", "Share:", sub, "This week's roundup"]
    )
    assert doc.meta["title"] == short


def test_other_stories_each_with_its_date_are_no_headline_however_near_the_body():
    teasers = []
    for k, title in enumerate(
        [
            "Lighthouse keeper retires after forty years on the rock",
            "Council finds money to keep the night ferry running",
            "Lifeboat crew rescues two swimmers off the point",
            "Fishing fleet returns early as the storm season starts",
        ]
    ):
        teasers += [title, f"{30 - k}. Oktober 2023"]
    doc = _read([*MENU, HEAD, "31. Oktober 2023", "Sport", *teasers])
    assert doc.meta["title"] == HEAD


def test_a_headline_over_its_byline_beats_teasers_nearer_the_body():
    teasers = [
        "Lighthouse keeper retires after forty years on the rock",
        "Council finds money to keep the night ferry running",
        "Lifeboat crew rescues two swimmers off the point",
    ]
    doc = _read(
        [*MENU, "Facebook", "Twitter", "Copy", HEAD, "By Ada Quill", "View author archive", *MENU]
        + ["Most Popular Today", *MENU, "Name(required)", "Comment(required)", "Submit"]
        + ["November 18, 2019 | 4:10pm", "More On:", "harbour", *teasers, "see also", teasers[0]]
    )
    assert doc.meta["title"] == HEAD
    assert doc.meta["byline"] == "Ada Quill"


def test_a_body_that_opens_with_the_page_titles_question_has_it_as_headline():
    # A page copied with its head: the <title> names the headline, which reads as a sentence.
    question = "Can the old ferry pier survive another winter?"
    doc = _read(
        [f"{question} - Coastline Courier", "Skip to content", *MENU, "Give a Gift", "Subscribe", question]
    )
    assert doc.meta["title"] == question
    assert [u.kind for u in doc.units[:2]] == ["headline", "body"]
    assert question not in [u.text for u in doc.units if u.kind == "body"]


def test_a_quoted_sentence_printed_twice_is_a_pull_quote_not_the_headline():
    quote = "“Nobody saw this coming.”"
    head = "Regulators warned plan after talks in Perth"
    caption = "Scientists at the university at the meeting on Monday. Photo: AP Photo/Sam Lee"
    doc = _read(
        [*MENU, head, STANDFIRST, "By Jo Lee", "April 17, 2022", caption, "Share", "Tweet", quote, quote]
    )
    assert doc.meta["title"] == head


def test_a_summary_of_two_sentences_is_no_headline_and_a_german_photo_credit_makes_a_caption():
    summary = (
        "Aufregung im Hafen! Aus dem Stand heraus hat der Hafenrat die alte Anlegestelle gesperrt, "
        "weil Gutachter Risse in den Pfeilern fanden ..."
    )
    head = "Die alte Anlegestelle schließt für den Winter"
    caption = "Die Fähren legen bald am Frachtkai an. ...Archivfoto: ON"
    share = ["Teilen", "Facebook", "Twitter", "E-Mail", "Drucken", "Merken"]
    doc = _read([*MENU, summary, *share, "KOMMENTAR", head, "Share", caption])
    assert doc.meta["title"] == head
    assert [(u.text, u.credit) for u in doc.units if u.kind == "caption"] == [
        ("Die Fähren legen bald am Frachtkai an. ...", "ON")
    ]


def test_photo_credits_in_other_languages_are_credits_and_a_heading_about_photos_is_not():
    from annotator.ingest.header import split_credit

    assert split_credit("Der Hafen im Winter. Foto: Jo Lee") == ("Der Hafen im Winter.", "Jo Lee")
    assert split_credit("Der Hafen im Winter. Bild: dpa") == ("Der Hafen im Winter.", "dpa")
    assert split_credit("Die Fotos: eine Auswahl") == ("Die Fotos: eine Auswahl", None)


def test_a_question_over_its_dateline_at_the_top_of_the_body_is_the_headline():
    # The prose measure starts the body at the question; the header above is the site's menu.
    question = "How Can We Plan for the Future of the Pier?"
    menu = ["The Print Edition", "Give a Gift", "Subscribe", "Ideas", "Popular", "Latest", "Sign In"]
    credit = [
        "August 23, 2020",
        "Ada Quill",
        "Harbour correspondent at the Courier",
        "Jo Lee / AP",
        "Link Copied",
    ]
    doc = _read([*menu, question, STANDFIRST, *credit])
    assert doc.meta["title"] == question
    assert doc.units[0].kind == "headline"
    assert question not in [u.text for u in doc.units[1:]]
