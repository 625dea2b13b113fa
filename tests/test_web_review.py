"""Review pages through the Flask client: who may open them, what they show, and saving decisions."""

import copy
import html
import json
import re

import pytest

from annotator import projects as project_service
from annotator import review
from annotator.store import decisions, users
from tests.review_data import (
    LAVROV_REITERATED,
    LAVROV_STATED,
    annotate,
    import_sample,
    reiterated_b,
    stated_b,
)

A, B = "annotator1", "annotator2"


@pytest.fixture
def ids(db, project):
    ids = import_sample(db, project)
    annotate(db, ids["stated"], A, LAVROV_STATED)
    annotate(db, ids["stated"], B, stated_b())
    annotate(db, ids["reiterated"], A, LAVROV_REITERATED)
    annotate(db, ids["reiterated"], B, reiterated_b())
    annotate(db, ids["others"][0], A, LAVROV_STATED | {"attributions": [], "claims": []})
    annotate(db, ids["others"][0], B, LAVROV_STATED | {"attributions": [], "claims": []})
    review.refresh(db, project)
    return ids


def _routes(project_id, paragraph_id):
    base = f"/projects/{project_id}"
    return [
        ("GET", f"{base}/review"),
        ("GET", f"{base}/review?state=decided"),
        ("GET", f"{base}/review/unanimous"),
        ("POST", f"{base}/review/refresh"),
        ("GET", f"{base}/review/{paragraph_id}"),
        ("POST", f"{base}/review/{paragraph_id}"),
        ("POST", f"{base}/review/{paragraph_id}/preview"),
        ("GET", f"{base}/agreement"),
        ("POST", f"{base}/agreement"),
    ]


def test_annotators_get_403_on_every_review_page(app, project, ids, annotator_client):
    for method, url in _routes(project["id"], ids["stated"]):
        response = annotator_client.open(url, method=method, data={"note": "x", "attribution:0": A})
        assert response.status_code == 403, (method, url)
        assert b"Lavrov" not in response.data
    assert decisions.find_decision(app_db(app), ids["stated"]) is None


def app_db_of(client):
    return app_db(client.application)


def app_db(app):
    from annotator import store

    return store.connect(app.config["DB"])


def test_every_review_route_is_covered(app, project, ids):
    rules = {(m, r.rule) for r in app.url_map.iter_rules() if r.endpoint.startswith("review.") and r.endpoint != "review.feedback"
             for m in r.methods & {"GET", "POST"}}  # fmt: skip
    covered = {(m, re.sub(r"/\d+", "/<>", u.split("?")[0])) for m, u in _routes(1, 1)}
    assert {(m, re.sub(r"<[^>]+>", "<>", r)) for m, r in rules} == covered


def test_a_project_annotator_who_is_a_reviewer_elsewhere_gets_403(db, project, ids, client_as):
    project_service.add_member(db, project, "reviewer", role="annotator")
    client = client_as("reviewer")
    for method, url in _routes(project["id"], ids["stated"]):
        assert client.open(url, method=method).status_code == 403, (method, url)


def test_queue_lists_disagreements_first(reviewer_client, project, ids):
    page = reviewer_client.get(f"/projects/{project['id']}/review").get_data(as_text=True)
    assert page.count('class="meter"') == 2
    order = [i["paragraph_id"] for i in review.queue(app_db_of(reviewer_client), project)["items"]]
    assert page.index(f"/review/{order[0]}") < page.index(f"/review/{order[1]}")
    unanimous = reviewer_client.get(f"/projects/{project['id']}/review/unanimous").get_data(as_text=True)
    assert f"/review/{ids['others'][0]}" in unanimous
    fragment = reviewer_client.get(
        f"/projects/{project['id']}/review?state=unanimous", headers={"HX-Request": "true"}
    )
    assert b"<html" not in fragment.data and fragment.data.lstrip().startswith(b'<section id="queue">')


def test_item_page_shows_annotators_side_by_side(reviewer_client, project, ids):
    page = reviewer_client.get(f"/projects/{project['id']}/review/{ids['stated']}").get_data(as_text=True)
    assert A in page and B in page and "merged" in page
    assert "distancing" in page and "neutral" in page
    assert 'name="field:framing.frames"' in page and 'name="attribution:0"' in page
    assert "differs" in page


def test_article_text_is_escaped(db, reviewer_client, project, ids):
    pid = ids["others"][1]
    db.execute("update paragraphs set text = ? where id = ?", ["<script>alert(1)</script> said", pid])
    db.conn.commit()
    annotate(db, pid, A, {"kind": "body"})
    annotate(db, pid, B, {"kind": "other"})
    page = reviewer_client.get(f"/projects/{project['id']}/review/{pid}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_reviewer_saves_a_decision_from_choices(db, reviewer_client, project, ids):
    url = f"/projects/{project['id']}/review/{ids['stated']}"
    response = reviewer_client.post(
        url,
        data={"attribution:0": A, "field:framing.frames": B, "field:framing.primary_frame": B, "note": "settled",
              "version": "0", "action": "picks"},
    )  # fmt: skip
    assert response.status_code == 302
    decision = decisions.find_decision(db, ids["stated"])
    assert (
        decision["source"] == "adjudicated"
        and decision["reviewer"] == "reviewer"
        and decision["note"] == "settled"
    )
    assert decision["labels"]["framing"]["frames"] == ["Security_and_defense"]
    assert decision["labels"]["attributions"][0]["cue_stance"] == "neutral"
    # a stale form is refused with 409 and the page says so
    stale = reviewer_client.post(url, data={"version": "0", "action": "picks"})
    assert stale.status_code == 409 and b"meanwhile" in stale.data
    page = reviewer_client.get(url).get_data(as_text=True)
    assert "History" in page and "version 1" in page
    # the decided paragraph opens on its gold in the editor
    editor = re.search(r'<textarea id="labels_json"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert json.loads(html.unescape(editor))["framing"]["frames"] == ["Security_and_defense"]


def test_reviewer_saves_edited_json_and_sees_field_errors(db, reviewer_client, project, ids):
    url = f"/projects/{project['id']}/review/{ids['stated']}"
    bad = copy.deepcopy(LAVROV_STATED)
    bad["kind"] = "poem"
    response = reviewer_client.post(
        url, data={"labels_json": json.dumps(bad), "version": "0", "action": "json"}
    )
    assert response.status_code == 400
    assert b"<code>kind</code>" in response.data and b"poem" in response.data  # the typed JSON is kept
    response = reviewer_client.post(url, data={"labels_json": "{oops", "version": "0", "action": "json"})
    assert response.status_code == 400 and b"line 1, column 2" in response.data
    assert decisions.find_decision(db, ids["stated"]) is None
    response = reviewer_client.post(
        url, data={"labels_json": json.dumps(stated_b()), "version": "0", "action": "json"}
    )
    assert response.status_code == 302
    assert decisions.find_decision(db, ids["stated"])["annotators"] == [B]


def test_no_attribution_here(db, reviewer_client, project, ids):
    url = f"/projects/{project['id']}/review/{ids['reiterated']}"
    response = reviewer_client.post(url, data={"no_attribution": "1", "version": "0", "action": "picks"})
    assert response.status_code == 302
    assert decisions.find_decision(db, ids["reiterated"])["labels"]["attributions"] == []


def test_preview_returns_the_composed_json(reviewer_client, project, ids):
    url = f"/projects/{project['id']}/review/{ids['stated']}/preview"
    response = reviewer_client.post(url, data={"field:framing.frames": B}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="composed"') and "Security_and_defense" in body
    # B's frames with A's primary frame: the scheme says the primary frame must be one of the frames
    assert "primary_frame" in body


def test_csrf_is_required(app, project, ids, reviewer_client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = reviewer_client.post(
        f"/projects/{project['id']}/review/{ids['stated']}", data={"action": "picks"}
    )
    assert response.status_code == 400
    assert reviewer_client.post(f"/projects/{project['id']}/review/refresh").status_code == 400


def test_agreement_page_has_table_and_charts_with_thresholds(reviewer_client, project, ids):
    page = reviewer_client.get(f"/projects/{project['id']}/agreement").get_data(as_text=True)
    assert (
        "<svg" in page and page.count('class="threshold t1"') >= 2 and ">0.667<" in page and ">0.8<" in page
    )
    assert "claims.sourcing_strength" in page and "Per annotator pair" in page and "Per paragraph" in page
    assert f"{A} · {B}" in page
    assert reviewer_client.post(f"/projects/{project['id']}/agreement").status_code == 302


def test_agreement_page_names_the_statistic_and_unit_of_each_figure(reviewer_client, project, ids):
    page = html.unescape(reviewer_client.get(f"/projects/{project['id']}/agreement").get_data(as_text=True))
    row = re.search(r"<code>claims\.sourcing_strength</code>.*?</tr>", page, re.S).group(0)
    assert "krippendorff_alpha_ordinal" in row and "claim aligned across annotators by span" in row
    row = re.search(r"<code>kind</code>.*?</tr>", page, re.S).group(0)
    assert "paragraph with two or more values" in row
    # the alignment counts: every claim either aligned or counted as unaligned
    assert re.search(
        r"<code>claims</code>: \d+ items in \d+ units; <strong>\d+</strong> could not be aligned", page
    )
    # the pair table's legend: kappa over matched pairs
    legend = re.search(r'<dl class="legend statistics".*?</dl>', page, re.S).group(0)
    assert "cohen_kappa, over each claim pair matched by span" in legend


def test_feedback_page_shows_only_own_labels(db, project, ids, client_as):
    review.decide(
        db,
        project,
        paragraph_id=ids["stated"],
        actor=users.get_user_by_name(db, "admin"),
        labels=copy.deepcopy(LAVROV_STATED),
    )
    client = client_as(B)
    assert client.get(f"/projects/{project['id']}/feedback").status_code == 404
    project_service.projects.update_project(
        db, project["id"], settings={**project["settings"], "feedback": True}
    )
    page = client.get(f"/projects/{project['id']}/feedback").get_data(as_text=True)
    assert "differed on 1" in page and "Security_and_defense" in page and A not in page
    assert client_as(A).get(f"/projects/{project['id']}/feedback").status_code == 200
