"""A reviewer leaves out an attribution whose claim they keep: the page asks what the claim is linked to."""

import re

import pytest
from playwright.sync_api import expect

from annotator import projects as project_service
from annotator import review, store
from tests.browser.conftest import disagreement_project
from tests.conftest import USERS
from tests.review_data import LAVROV_REITERATED, SAMPLES, annotate, import_sample, reiterated_b

# annotator1 marked both attributions of the paragraph; annotator2 missed the second one, and made its
# claim the outlet's own voice
A, B = "annotator1", "annotator2"


@pytest.fixture(scope="module")
def paragraph(live_db):
    return disagreement_project(live_db, "review-links", "reiterated", LAVROV_REITERATED, reiterated_b())


def test_leaving_out_a_claims_attribution_prompts_and_never_unlinks_silently(
    login, live_server, live_db, paragraph
):
    project, pid = paragraph
    page = login("reviewer")
    page.goto(f"{live_server}/projects/{project['id']}/review/{pid}")
    # the second attribution: marked by annotator1 only, shown as such, kept by default (one of two is half)
    row = page.locator("#row-attribution-1")
    assert "marked by annotator1 (1 of 2)" in row.inner_text()
    assert page.locator(f"input[name='attribution:1'][value='{A}']").is_checked()

    # take annotator1's claim 2 (linked to that attribution), then leave the attribution out
    page.locator(f"input[name='claim:1'][value='{A}']").check()
    page.locator("input[name='attribution:1'][value='']").check()
    prompt = page.locator(".link-prompt")
    prompt.wait_for()
    assert "Claim 2 (annotator1's) is linked to attribution 2" in prompt.inner_text()
    assert page.get_by_label("Keep attribution 2 (annotator1's version)").count() == 1
    assert page.get_by_label("No attribution: the outlet's own voice").count() == 1

    # saving anyway is refused, naming the broken link, and the prompt is still there
    page.get_by_role("button", name="Save decision from the choices").click()
    page.wait_for_load_state()
    assert "The decision was not saved" in page.content()
    assert page.locator(".link-prompt").count() == 1
    db = store.connect(live_db)
    assert review.review_item(db, project, pid)["decision"] is None
    db.close()

    # the reviewer answers: the claim is the outlet's own voice
    page.get_by_label("No attribution: the outlet's own voice").check()
    # Web-first assertions, not wait_for_function: a string predicate is evaluated with eval(), which
    # the page's Content-Security-Policy refuses whenever the first check is false and polling starts.
    expect(page.locator(".link-prompt input[value=own]")).to_be_checked()
    expect(page.locator(".broken-link.unanswered")).to_have_count(0)
    expect(page.locator("#labels_json")).not_to_have_value(re.compile("left out"))
    page.get_by_role("button", name="Save decision from the choices").click()
    page.wait_for_load_state()
    assert "Decision saved (version 1)." in page.content()

    db = store.connect(live_db)
    decision = review.review_item(db, project, pid)["decision"]
    db.close()
    gold = decision["labels"]
    assert len(gold["attributions"]) == 1
    assert gold["claims"][1]["attribution_id"] is None
    assert decision["compared"] == [A, B]
    taken = {t["path"]: t["annotators"] for t in decision["taken"]}
    assert taken["attributions[0]"] == [A, B]


def test_an_item_without_a_default_stays_highlighted_until_chosen(login, live_server, live_db):
    # three annotators; only one marked the second attribution: no default, highlighted until chosen
    db = store.connect(live_db)
    project = project_service.find_project_by_name(db, "review-undecided")
    if project is None:
        project = project_service.create_project(db, "review-undecided", overlap=3, extended="all")
        for name, role in USERS.items():
            project_service.add_member(db, project, name, role=role)
        ids = import_sample(db, project)
        annotate(db, ids["reiterated"], A, LAVROV_REITERATED)
        annotate(db, ids["reiterated"], B, reiterated_b())
        annotate(db, ids["reiterated"], "admin", reiterated_b())
        review.refresh(db, project)
    pid = db.execute(
        "select id from paragraphs where project_id = ? and text = ?", [project["id"], SAMPLES[1]["text"]]
    ).fetchone()[0]
    db.close()
    page = login("reviewer")
    page.goto(f"{live_server}/projects/{project['id']}/review/{pid}")
    row = page.locator("#row-attribution-1")
    assert "take it or leave it out" in row.inner_text()
    highlighted = "getComputedStyle(document.querySelector('#row-attribution-1 > th')).backgroundColor"
    before = page.evaluate(highlighted)
    assert page.locator("#row-attribution-1 input.pick:checked").count() == 0
    page.locator("input[name='attribution:1'][value='']").check()
    assert page.evaluate(highlighted) != before
