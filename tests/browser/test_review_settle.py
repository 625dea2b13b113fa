"""A reviewer settles a disagreement in the browser: one annotator's attribution, the other's frames, a note."""

import re

import pytest
from playwright.sync_api import expect

from annotator import review, store
from tests.browser.conftest import disagreement_project
from tests.review_data import LAVROV_STATED, stated_b

# annotator1 comes first, so the page's defaults (ties go to the first annotator) are annotator1's;
# the reviewer has to choose annotator2's attribution.
A, B = "annotator2", "annotator1"


@pytest.fixture(scope="module")
def disagreement(live_db):
    # annotator2 (A) gave the neutral cue and two frames, annotator1 (B) a distancing cue and one frame
    return disagreement_project(live_db, "review-browser", "stated", stated_b(), LAVROV_STATED)


def test_reviewer_settles_a_disagreement(login, live_server, live_db, disagreement):
    project, pid = disagreement
    page = login("reviewer")
    page.goto(f"{live_server}/projects/{project['id']}/review")
    page.locator(f"a[href$='/review/{pid}']").click()
    page.wait_for_url(f"**/review/{pid}")
    assert page.locator(".side-by-side").get_by_text("merged").count() == 1
    assert page.locator("tr.differ").count() >= 2

    # annotator A's attribution, annotator B's frames; each choice updates the JSON preview (htmx)
    page.locator(f"input[name='attribution:0'][value='{A}']").check()
    # Web-first assertions: a wait_for_function string would need eval(), which the page's CSP refuses.
    labels = page.locator("#labels_json")
    expect(labels).to_have_value(re.compile('"cue_stance": "neutral"'))
    page.locator(f"input[name='field:framing.frames'][value='{B}']").check()
    page.locator(f"input[name='field:framing.primary_frame'][value='{B}']").check()
    expect(labels).not_to_have_value(re.compile("Crime_and_punishment"))
    expect(labels).to_have_value(re.compile("neutral"))
    page.fill("#note", "Lavrov's 'stated' is neutral (A); the paragraph is about security (B).")
    page.get_by_role("button", name="Save decision from the choices").click()
    page.wait_for_load_state()
    assert "Decision saved (version 1)." in page.content()

    db = store.connect(live_db)
    decision = review.review_item(db, project, pid)["decision"]
    db.close()
    gold = decision["labels"]
    assert (
        decision["source"] == "adjudicated"
        and decision["reviewer"] == "reviewer"
        and decision["version"] == 1
    )
    assert decision["note"] == "Lavrov's 'stated' is neutral (A); the paragraph is about security (B)."
    assert gold["attributions"][0]["cue_stance"] == "neutral"
    assert gold["framing"]["frames"] == ["Security_and_defense"]
    assert gold["framing"]["primary_frame"] == "Security_and_defense"
    assert gold["claims"][0]["attribution_id"] == gold["attributions"][0]["id"]
    assert decision["annotators"] == []  # neither annotator gave exactly this


def test_annotator_gets_403_on_review_pages(login, live_server, disagreement):
    project, pid = disagreement
    page = login("annotator1")
    for url in (f"/projects/{project['id']}/review", f"/projects/{project['id']}/review/{pid}",
                f"/projects/{project['id']}/agreement", f"/projects/{project['id']}/review/unanimous"):  # fmt: skip
        response = page.goto(f"{live_server}{url}")
        assert response.status == 403, url
        assert "Lavrov" not in page.content()
