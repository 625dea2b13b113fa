"""Spans moved in place on the review page, through the Flask client: saved with the choices, checked whole."""

import json

import pytest

from annotator import review
from annotator.store import decisions
from tests.review_data import LAVROV_STATED, SAMPLES, annotate, import_sample, stated_b

A, B = "annotator1", "annotator2"
TEXT = SAMPLES[0]["text"]


def span(text: str, occurrence: str = "") -> str:
    """The form value of a moved span over ``text`` (code points, as the page's script sends it)."""
    start = TEXT.index(occurrence or text) + (occurrence.index(text) if occurrence else 0)
    return json.dumps({"start": start, "end": start + len(text), "text": text}, ensure_ascii=False)


@pytest.fixture
def pid(db, project):
    ids = import_sample(db, project)
    annotate(db, ids["stated"], A, LAVROV_STATED)
    annotate(db, ids["stated"], B, stated_b())
    review.refresh(db, project)
    return ids["stated"]


def test_moved_claim_and_source_are_saved_as_edited_gold(db, reviewer_client, project, pid):
    claim = "Russia has been in contact with “certain countries”"
    response = reviewer_client.post(
        f"/projects/{project['id']}/review/{pid}",
        data={"attribution:0": A, "version": "0", "action": "picks",
              "span:claim:0:claim": span(claim), "span:attribution:0:source": span("Lavrov")},  # where it was: no edit
    )  # fmt: skip
    assert response.status_code == 302
    decision = decisions.find_decision(db, pid)
    gold = decision["labels"]
    assert gold["claims"][0]["span"] == json.loads(span(claim))
    assert gold["claims"][0]["attribution_id"] == gold["attributions"][0]["id"]  # the link is kept
    assert gold["claims"][0]["checkworthiness"] == LAVROV_STATED["claims"][0]["checkworthiness"]
    taken = {t["path"]: t for t in decision["taken"]}
    assert taken["claims[0]"]["edited"] and not taken["attributions[0]"]["edited"]


def test_a_moved_source_replaces_the_first_source(db, reviewer_client, project, pid):
    response = reviewer_client.post(
        f"/projects/{project['id']}/review/{pid}",
        data={"attribution:0": A, "version": "0", "action": "picks",
              "span:attribution:0:source": span("Moscow", "in Moscow on Tuesday")},
    )  # fmt: skip
    assert response.status_code == 302
    gold = decisions.find_decision(db, pid)["labels"]
    start = TEXT.index("in Moscow on Tuesday") + 3
    assert gold["attributions"][0]["sources"] == [{"start": start, "end": start + 6, "text": "Moscow"}]


@pytest.mark.parametrize(
    ("role", "field", "text"),
    [("cue", "cue", "stated that"), ("content", "contents", "that Russia has been in contact")],
)
def test_a_moved_cue_or_content(db, reviewer_client, project, pid, role, field, text):
    response = reviewer_client.post(
        f"/projects/{project['id']}/review/{pid}",
        data={"version": "0", "action": "picks", f"span:attribution:0:{role}": span(text)},
    )
    assert response.status_code == 302
    moved = decisions.find_decision(db, pid)["labels"]["attributions"][0][field]
    assert moved == (json.loads(span(text)) if role == "cue" else [json.loads(span(text))])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # the text does not match the paragraph at those offsets (the scheme's own message)
        (json.dumps({"start": 120, "end": 126, "text": "Moscow"}), "does not match the paragraph at 120:126"),
        (json.dumps({"start": 120, "end": 9999, "text": "Russia"}), "is outside 0:"),
        (json.dumps({"start": 130, "end": 120, "text": ""}), "is outside 0:"),
        ("120:126", "a moved span must be a JSON object {start, end, text}"),
    ],
)
def test_a_bad_boundary_is_refused_and_nothing_is_saved(db, reviewer_client, project, pid, value, message):
    response = reviewer_client.post(
        f"/projects/{project['id']}/review/{pid}",
        data={"attribution:0": A, "version": "0", "action": "picks", "span:claim:0:claim": value},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The decision was not saved" in page and message in page.replace("&#39;", "'")
    assert decisions.find_decision(db, pid) is None


def test_a_span_key_naming_no_role_is_refused(db, reviewer_client, project, pid):
    response = reviewer_client.post(
        f"/projects/{project['id']}/review/{pid}",
        data={"version": "0", "action": "picks", "span:claim:0:source": span("Lavrov")},
    )
    assert response.status_code == 400 and "names no span that can be moved" in response.get_data(
        as_text=True
    )
    assert decisions.find_decision(db, pid) is None


def test_preview_draws_the_moved_span_and_keeps_it_for_the_save(reviewer_client, project, pid):
    claim = "Russia has been in contact with “certain countries”"
    response = reviewer_client.post(
        f"/projects/{project['id']}/review/{pid}/preview",
        data={"span:claim:0:claim": span(claim)},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    start, end = TEXT.index(claim), TEXT.index(claim) + len(claim)
    # the decision's paragraph is cut at the moved boundary (the framing span "certain countries" ends
    # there too), with the code-point offsets the script reads; past it, content only
    assert f'class="seg r-content r-claim" data-start="{start}" data-end="152"' in body
    assert f'class="seg r-content r-claim r-framing" data-start="152" data-end="{end}"' in body
    assert f'class="seg r-content" data-start="{end}"' in body
    assert 'name="span:claim:0:claim"' in body and '<option value="claim:0">Claim 1 (“Russia' in body


def test_without_javascript_the_tools_are_hidden_and_the_json_edit_stays(reviewer_client, project, pid):
    page = reviewer_client.get(f"/projects/{project['id']}/review/{pid}").get_data(as_text=True)
    assert '<div class="span-tools" hidden data-keys=' in page and 'id="labels_json"' in page
    # the keys are the scheme's span roles' keys, as on the annotate page
    assert '"l": ["claim", "claim", "claim"]' in page and '"s": ["source", "attribution", "source"]' in page
    assert "js/review-spans.js" in page and "js/annotate-text.js" in page


def test_a_moved_claim_whose_attribution_is_left_out_is_refused_with_the_link_message(
    db, reviewer_client, project, pid
):
    response = reviewer_client.post(
        f"/projects/{project['id']}/review/{pid}",
        data={"attribution:0": "", "version": "0", "action": "picks",
              "span:claim:0:claim": span("Russia has been in contact with “certain countries”")},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "claim 1 is linked to an attribution that was left out" in page
    assert decisions.find_decision(db, pid) is None
