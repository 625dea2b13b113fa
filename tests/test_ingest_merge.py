"""How trafilatura's structured body and the text cleaner's verdict are merged for HTML pages."""

from annotator.ingest import read_document
from annotator.ingest.merge import key, merge_units
from annotator.ingest.models import Unit

P1 = "The council approved the budget on Tuesday after a debate that lasted most of the evening."
P2 = "Spending on roads rises by a tenth, while the library keeps the hours it had last year."
P3 = "The mayor said the vote showed the town could agree on what mattered most to residents."
TEASERS = [
    "Bridge repairs close the coast road",
    "Drivers face a long detour for a week.",
    "New bus line reaches the hospital",
    "The route starts at the station in May.",
]


def body(*texts):
    return [Unit("body", t) for t in texts]


def texts(units):
    return [u.text for u in units]


def test_teaser_run_after_the_article_is_trimmed_when_its_titles_are_links():
    extracted = body(P1, P2, P3, *TEASERS)
    linked = {3, 5}  # the teaser titles
    cleaned = [Unit("headline", "Budget approved"), *body(P1, P2, P3)]
    merged = merge_units(extracted, linked, set(), cleaned, TEASERS)
    assert texts(merged) == ["Budget approved", P1, P2, P3]


def test_a_run_of_story_titles_after_the_article_is_trimmed():
    titles = [Unit("subheading", t) for t in TEASERS[::2]]
    merged = merge_units([*body(P1, P2), *titles], set(), set(), body(P1, P2), [u.text for u in titles])
    assert texts(merged) == [P1, P2]


def test_a_list_inside_the_article_stays_though_the_cleaner_dropped_it():
    items = ["Claim: the bridge will close for a month.", "Rating: false.", "1. Flour", "2. Butter"]
    extracted = body(P1, *items, P2)
    merged = merge_units(extracted, set(), set(), body(P1, P2), items)
    assert texts(merged) == [P1, *items, P2]


def test_a_closing_list_without_links_stays():
    steps = ["Step one", "Heat the oven to 200 degrees.", "Step two", "Bake for twenty minutes."]
    merged = merge_units(body(P1, P2, *steps), set(), set(), body(P1, P2), steps)
    assert texts(merged) == [P1, P2, *steps]


def test_prose_trafilatura_skipped_between_two_paragraphs_is_put_back_in_order():
    merged = merge_units(body(P1, P3), set(), set(), body(P1, P2, P3), [])
    assert texts(merged) == [P1, P2, P3]


def test_prose_running_on_past_trafilatura_stops_at_the_comments():
    more = [P2 + " " + str(i) * 120 for i in range(3)]
    comment = "Great article, thanks for writing about the library hours, they matter to us."
    cleaned = body(P1, *more, comment)
    merged = merge_units(body(P1), set(), {key(comment)}, cleaned, [])
    assert texts(merged)[:4] == [P1, *more]
    merged = merge_units(body(P1), set(), set(), body(P1, *more[:2]), [])
    assert texts(merged) == [P1], "two short paragraphs after the end are not enough to extend it"


def test_nothing_found_by_the_cleaner_leaves_trafilaturas_body_without_its_link_lines():
    merged = merge_units(body(P1, "Home"), {1}, set(), [], ["Home"])
    assert texts(merged) == [P1]
    assert merge_units(body("Home"), set(), set(), [], ["Home"]) == []


def test_offset_timestamp_gives_the_local_publication_date():
    page = (
        '<html><head><meta property="article:published_time" content="2024-01-10T02:15:00Z">'
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2024-01-09T21:15:00-05:00"}</script></head><body><article>'
        f"<h1>Budget approved</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article></body></html>"
    )
    [doc] = read_document(page.encode(), format="html")
    assert doc.meta["published"] == "2024-01-09T21:15"


def test_a_paragraph_trafilatura_cut_at_a_link_comes_out_whole():
    # Text written straight into a container between <br> tags, with a link in it: trafilatura
    # (links kept) cuts it at the link and glues the link to the next word.
    whole = "Just months after the last harbour survey was published, the town has a plan of its own."
    cut = body("Just months after the last", "harbour surveywas published, the town has a plan of its own.")
    merged = merge_units([*body(P1), *cut, *body(P2)], {1}, set(), body(P1, whole, P2), [])
    assert texts(merged) == [P1, whole, P2]
    # Pieces that spell no paragraph of the cleaner's stay as trafilatura cut them.
    merged = merge_units([*body(P1), *cut, *body(P2)], set(), set(), body(P1, P2), [])
    assert texts(merged) == [P1, *texts(cut), P2]


def test_the_first_line_of_an_article_under_a_shown_title_is_not_taken_for_the_headline():
    page = (
        "<html><head><title>Harbour plan goes to a vote</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
        "<div class='crumbs'><a href='/'>Home</a> » <a href='/town'>Town</a></div>"
        "<main><article><h1>Harbour plan goes to a vote</h1>"
        "<div class='share'><a href='/s'>Share</a> <a href='/t'>Tweet</a></div><div class='entry-content'>"
        "<p>Three questions the town must answer before the dredgers arrive</p>"
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p></div></article></main>"
        "<footer>© 2024 Town News</footer></body></html>"
    )
    [doc] = read_document(page.encode(), format="html")
    assert [(u.kind, u.text) for u in doc.units] == [
        ("headline", "Harbour plan goes to a vote"),
        ("body", "Three questions the town must answer before the dredgers arrive"),
        *[("body", p) for p in (P1, P2, P3)],
    ]


def test_the_byline_line_inside_the_article_container_is_metadata_not_body():
    page = (
        "<html><head><title>Harbour plan goes to a vote</title></head><body><article>"
        "<h1>Harbour plan goes to a vote</h1><p>by Jo Lee Monday, November 18, 2019</p>"
        f"<p>{P1}</p><p>By Friday Jo Lee had read the plan twice.</p><p>{P2}</p></article></body></html>"
    )
    [doc] = read_document(page.encode(), format="html")
    assert doc.meta["byline"] == "Jo Lee"
    assert [u.text for u in doc.units if u.kind == "body"] == [
        P1,
        "By Friday Jo Lee had read the plan twice.",
        P2,
    ]
    # Left out, not lost: the article page can restore it.
    assert "by Jo Lee Monday, November 18, 2019" in [d.text for d in doc.dropped]


def test_a_dated_credit_line_in_any_script_is_metadata_not_body():
    page = (
        '<html><head><title>Harbour plan goes to a vote</title><meta property="article:published_time"'
        ' content="2016-12-01T09:00:00+09:00"></head><body><article><h1>Harbour plan goes to a vote</h1>'
        f"<p>by 山田特許事務所 ／ 2016.12.01</p><p>{P1}</p><p>{P2}</p><p>{P3}</p></article></body></html>"
    )
    [doc] = read_document(page.encode(), format="html")
    assert doc.meta["published"].startswith("2016-12-01")
    assert [u.text for u in doc.units if u.kind == "body"] == [P1, P2, P3]
    assert "by 山田特許事務所 ／ 2016.12.01" in [d.text for d in doc.dropped]


def test_a_short_line_without_a_full_stop_is_not_put_back_between_paragraphs():
    # Between two paragraphs both readings hold, the cleaner let through a byline and an image's
    # alt text: trafilatura left them out rightly; a skipped paragraph still goes back.
    cleaned = body(P1, "Elliot Brown Town Daily", "Soccer ball on grass", P2, P3)
    merged = merge_units(body(P1, P3), set(), set(), cleaned, [])
    assert texts(merged) == [P1, P2, P3]


def test_a_list_the_cleaner_ran_into_one_line_is_not_put_back_beside_trafilaturas_items():
    items = ["Bottled water", "baby carrier", "healthy snack bars", "camera"]
    cleaned = [*body(P1), Unit("subheading", " ".join(items)), *body(P2)]
    merged = merge_units(body(P1, *items, P2), set(), set(), cleaned, [])
    assert texts(merged) == [P1, *items, P2]


def test_a_paragraph_trafilatura_holds_in_pieces_is_not_put_back_beside_them():
    # The cleaner reads a sentence without its full stop whole; trafilatura cut it at its link and
    # lost the link text, so the pieces spell it only nearly: the words are there, once.
    whole = "Just months after the last harbour survey was published the town drew up a plan of its own for the quay"
    pieces = ["Just months after the last", "was published the town drew up a plan of its own for the quay"]
    merged = merge_units(body(P1, *pieces, P2), {1}, set(), body(P1, whole, P2), [])
    assert texts(merged) == [P1, *pieces, P2]
    # A paragraph that only shares a few words with the units around it is still put back.
    other = "The harbour master said the survey was published late because the boats were out for a month"
    merged = merge_units(body(P1, *pieces, P2), {1}, set(), body(P1, other, P2), [])
    assert texts(merged) == [P1, other, *pieces, P2]


def test_a_table_row_the_cleaner_reads_as_one_line_is_not_added_beside_its_cells():
    # A cell repeated down the table ("4") must count each time it appears.
    page = (
        "<html><head><title>Harbour catch</title></head><body><article><h1>Harbour catch</h1>"
        f"<p>{P1}</p><table><tr><th>Boat</th><th>Crew</th><th>Catch</th></tr>"
        "<tr><td>Gull</td><td>4</td><td>12 crates of cod, 3 of hake.</td></tr>"
        "<tr><td>Tern</td><td>4</td><td>9 crates of cod, 5 of hake.</td></tr>"
        "<tr><td>Puffin</td><td>3</td><td>No catch recorded.</td></tr></table>"
        f"<p>{P2}</p><p>{P3}</p></article></body></html>"
    )
    [doc] = read_document(page.encode(), format="html")
    shown = [u.text for u in doc.units if u.kind == "body"]
    # The table is one paragraph, a row a line; neither its rows nor its cells are added beside it.
    assert shown == [
        P1,
        "Boat Crew Catch\nGull 4 12 crates of cod, 3 of hake.\nTern 4 9 crates of cod, 5 of hake.\n"
        "Puffin 3 No catch recorded.",
        P2,
        P3,
    ]


def test_an_opening_paragraph_trafilatura_skipped_after_its_body_began_is_put_back():
    # trafilatura's body opens with a kicker and a caption, then skips the first paragraph (text
    # written straight into a container); the cleaner holds it before the paragraphs both keep.
    extracted = [*body("Review", "The harbour at dawn"), *body(P2, P3)]
    merged = merge_units(extracted, set(), set(), body(P1, P2, P3), [])
    assert texts(merged) == ["Review", "The harbour at dawn", P1, P2, P3]
    # When trafilatura's body starts with the paragraphs both keep, what the cleaner has
    # before them stays out: where the article begins is trafilatura's call.
    merged = merge_units(body(P2, P3), set(), set(), body(P1, P2, P3), [])
    assert texts(merged) == [P2, P3]


RELATED = ["Night market returns to the quay", "Ferry fares rise in spring", "Harbour wall repaired at last"]
FEATURES = ["Double wall", "Keeps warm for an hour", "Auto shut-off", "Limescale filter", "1.7 litres"]


def test_a_linked_list_after_the_article_is_trimmed_though_it_is_one_unit():
    # A related-stories list comes out of trafilatura as one unit, a line a title: the cleaner
    # dropped each line, and the run of a label and that list is furniture.
    extracted = [*body(P1, P2, "More news"), Unit("body", "\n".join(RELATED))]
    merged = merge_units(extracted, {3}, set(), body(P1, P2), ["More news", *RELATED])
    assert texts(merged) == [P1, P2]


def test_a_closing_product_box_is_weighed_by_its_lines_not_by_its_units():
    # A product box: its name and "Buy now" are links, its feature list (one unit of five lines)
    # is not.  Counted in units, two of three are links; counted in lines, two of seven.
    box = [Unit("body", "Kettle X200 (white)"), Unit("body", "\n".join(FEATURES)), Unit("body", "Buy now")]
    dropped = ["Kettle X200 (white)", *FEATURES, "Buy now"]
    merged = merge_units([*body(P1, P2), *box], {2, 4}, set(), body(P1, P2), dropped)
    assert texts(merged) == [P1, P2, *(u.text for u in box)]


def test_an_html_list_is_one_unit_a_line_an_item_as_in_scraped_text():
    items = ["Flour, 200 g", "Butter, 100 g", "Two eggs"]
    page = (
        "<html><head><title>Shortbread</title></head><body><article><h1>Shortbread</h1>"
        f"<p>{P1}</p><ul>{''.join(f'<li>{i}</li>' for i in items)}</ul><p>{P2}</p></article></body></html>"
    )
    text = f"Shortbread\n\n{P1}\n\n" + "\n".join(items) + f"\n\n{P2}\n"
    html_units = read_document(page.encode(), format="html")[0].units
    text_units = read_document(text.encode(), format="text")[0].units
    for units in (html_units, text_units):
        assert [u.text for u in units if u.kind == "body"] == [P1, "\n".join(items), P2]


def test_the_items_of_a_kept_list_are_not_also_offered_as_dropped_lines():
    items = ["Flour, 200 g", "Butter, 100 g", "Two eggs"]
    page = (
        "<html><head><title>Shortbread</title></head><body><article><h1>Shortbread</h1>"
        f"<p>{P1}</p><ul>{''.join(f'<li>{i}</li>' for i in items)}</ul><p>{P2}</p></article></body></html>"
    )
    doc = read_document(page.encode(), format="html")[0]
    assert "\n".join(items) in [u.text for u in doc.units]
    assert not set(items) & {d.text for d in doc.dropped}


def test_a_closing_run_of_links_the_page_text_joins_otherwise_is_trimmed_with_its_heading():
    # trafilatura gives each advertiser as "Name Town" (a link); the page's text has the name and
    # the town on lines of their own, which the cleaner dropped: no line of the run is found among
    # the dropped ones, but each is links, after the article's last paragraph.
    ads = ["Harbour Bakery Ltd Northport", "Quay Motors Ltd Eastbay", "Pier Cafe Ltd Northport"]
    extracted = [*body(P1, P2, P3), Unit("subheading", "FIND THE RIGHT ONE"), *body(*ads)]
    dropped = ["FIND THE RIGHT ONE", "Harbour Bakery Ltd", "Northport", "Quay Motors Ltd", "Eastbay"]
    merged = merge_units(extracted, {4, 5, 6}, set(), body(P1, P2, P3), dropped)
    assert texts(merged) == [P1, P2, P3]
    # A closing paragraph that is a link but the cleaner's body stays.
    merged = merge_units([*body(P1, P2, P3)], {2}, set(), body(P1, P2, P3), [])
    assert texts(merged) == [P1, P2, P3]
