"""Full-text search: the Articles page and the review queue find articles and paragraphs by their words."""

import json

import pytest

from annotator import importing, review
from tests.review_data import LAVROV_STATED, annotate, import_sample, stated_b

A, B = "annotator1", "annotator2"


@pytest.fixture(autouse=True, params=["collect", "walk"])
def plan(request, monkeypatch):
    """Every test runs with both plans: rare words collect their paragraphs, common ones walk the listing."""
    if request.param == "walk":
        monkeypatch.setattr("annotator.store.search.COLLECT_UP_TO", -1)
    return request.param


def _import(db, project, articles):
    lines = "\n".join(json.dumps(a) for a in articles).encode()
    report = importing.import_bytes(db, project, lines, source_name="a.jsonl", format="jsonl")
    assert len(report.added) == len(articles), report


def _titles(client, project, q, **extra):
    response = client.get(f"/projects/{project['id']}/articles", query_string={"q": q, **extra})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _article(n, title, text, outlet="Daily Example"):
    return {"url": f"https://example.org/{n}", "title": title, "outlet": outlet, "paragraphs": [text]}


def test_articles_page_finds_words_in_titles_outlets_and_paragraphs(admin_client, db, project):
    _import(
        db,
        project,
        [
            _article(1, "Harbour strike ends", "Dock workers voted to return on Monday."),
            _article(
                2,
                "Budget talks stall",
                "The finance minister said the café tax stays.",
                outlet="Weekly Ledger",
            ),
            _article(3, "Rain delays harvest", "Farmers in the valley said the wheat was late."),
        ],
    )
    page = _titles(admin_client, project, "harbour")
    assert "Harbour strike ends" in page and "Budget talks stall" not in page
    page = _titles(admin_client, project, "wheat")  # a word of the text, not the title
    assert "Rain delays harvest" in page and "Harbour strike ends" not in page
    page = _titles(admin_client, project, "ledger")  # the outlet
    assert "Budget talks stall" in page and "Rain delays harvest" not in page
    page = _titles(admin_client, project, "cafe")  # diacritics fold
    assert "Budget talks stall" in page
    page = _titles(admin_client, project, "said")
    assert (
        "Budget talks stall" in page and "Rain delays harvest" in page and "Harbour strike ends" not in page
    )
    assert "No article matches" in _titles(admin_client, project, "volcano")


def test_search_input_is_never_a_syntax_error(admin_client, db, project):
    _import(db, project, [_article(1, "Quotes and stars", 'He said "AND" (or NOT) * near: 5.')])
    for q in [
        '"',
        "AND",
        "NOT (",
        "*",
        "near:",
        "a OR",
        "^x",
        "'; drop table articles; --",
        "\ud7ff",
        "a\x00b",
        '""',
    ]:
        page = _titles(admin_client, project, q)
        assert "Search titles" in page
    assert "Quotes and stars" in _titles(admin_client, project, '"AND"')


def test_search_pages_keep_the_query(admin_client, db, project, monkeypatch):
    monkeypatch.setattr("annotator.curation.PER_PAGE", 2)
    _import(
        db, project, [_article(n, f"Storm report {n}", f"The storm number {n} passed.") for n in range(5)]
    )
    _import(db, project, [_article(9, "Calm seas", "Nothing happened at all.")])
    first = _titles(admin_client, project, "storm")
    assert first.count("Storm report") == 2 and "page 1<" in first
    assert "q=storm" in first.split('rel="next"')[0].rsplit("href=", 1)[1]
    last = _titles(admin_client, project, "storm", page=3)
    assert "Storm report 4" in last and "Calm seas" not in last


def test_edited_text_is_searched_as_it_now_reads(admin_client, db, project):
    _import(db, project, [_article(1, "Old words", "The original sentence stays here.")])
    pid = db.execute("select id from paragraphs where text like 'The original%'").fetchone()[0]
    with db.conn:
        db.execute("update paragraphs set text = 'A rewritten sentence.' where id = ?", [pid])
        db.execute("update paragraphs set n_taken = n_taken + 1 where id = ?", [pid])
    assert "Old words" not in _titles(admin_client, project, "original")
    assert "Old words" in _titles(admin_client, project, "rewritten")
    with db.conn:
        db.execute("delete from articles")
    assert "No article matches" in _titles(admin_client, project, "rewritten")


def test_review_queue_search_finds_paragraphs_by_their_text(reviewer_client, db, project):
    ids = import_sample(db, project)

    annotate(db, ids["stated"], A, LAVROV_STATED)
    text = db.execute("select text from paragraphs where id = ?", [ids["stated"]]).fetchone()[0]
    annotate(db, ids["stated"], B, stated_b())
    for pid in (ids["stated"], *ids["others"][:3]):
        review.annotation_saved(db, project, paragraph_id=pid)
    word = next(w for w in text.split() if w.isalpha() and len(w) > 6)
    url = f"/projects/{project['id']}/review"
    hit = reviewer_client.get(url, query_string={"state": "open", "q": word}).get_data(as_text=True)
    assert f"/review/{ids['stated']}" in hit
    miss = reviewer_client.get(url, query_string={"state": "open", "q": "zzzqqq"}).get_data(as_text=True)
    assert "No paragraph in this queue matches" in miss
    fragment = reviewer_client.get(url, query_string={"q": word}, headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).startswith('<section id="queue">')
    assert 'value="' + word + '"' in fragment.get_data(as_text=True)
