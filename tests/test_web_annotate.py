"""The annotate blueprint through HTTP: validation per field, versions, drafts, blindness, plain forms."""

import json

import pytest

from annotator.store import annotations as annotation_store
from tests.annotate_fixtures import add_article, hand_over, post_labels, user, worked


@pytest.fixture
def ann(client_as):
    return client_as("annotator1")


def test_worked_example_is_valid_and_stored_as_sent(db, project, ann):
    ids, records = worked(db, project)
    for pid, rec in zip(ids, records, strict=True):
        response = post_labels(ann, project, pid, rec["labels"], seconds=42)
        assert response.status_code == 200, response.json
        assert response.json["version"] == 1
        saved = annotation_store.find_annotation(db, pid, user(db, "annotator1")["id"])
        assert saved["labels"] == rec["labels"]
        assert saved["seconds"] == 42


def _attr(labels):
    return labels["attributions"][0]


def _fs(labels):
    return labels["framing"]["framing_spans"][0]


# (name, change to the first worked paragraph's labels, path of the expected error, its code)
INVALID = [
    ("unknown kind", lambda d: d.update(kind="essay"), "kind", "value"),
    ("kind missing", lambda d: d.pop("kind"), "kind", "required"),
    ("cue text differs", lambda d: _attr(d)["cue"].update(text="said"), "attributions[0].cue", "span"),
    (
        "span outside the text",
        lambda d: _attr(d)["sources"][0].update(start=400, end=406),
        "attributions[0].sources[0]",
        "span",
    ),
    (
        "span with trailing space",
        lambda d: _attr(d)["cue"].update(end=115, text="stated "),
        "attributions[0].cue",
        "span",
    ),
    ("no content", lambda d: _attr(d).update(contents=[]), "attributions[0].contents", "required"),
    ("cue missing", lambda d: _attr(d).update(cue=None), "attributions[0].cue", "required"),
    (
        "source interest missing with sources",
        lambda d: _attr(d).update(source_interest=None),
        "attributions[0].source_interest",
        "required",
    ),
    (
        "unknown source form",
        lambda d: _attr(d).update(source_form="celebrity"),
        "attributions[0].source_form",
        "value",
    ),
    (
        "claim refers to no attribution",
        lambda d: d["claims"][0].update(attribution_id="a9"),
        "claims[0].attribution_id",
        "ref",
    ),
    (
        "sourcing strength above S4",
        lambda d: d["claims"][0].update(sourcing_strength=5),
        "claims[0].sourcing_strength",
        "value",
    ),
    (
        "sourcing strength as text",
        lambda d: d["claims"][0].update(sourcing_strength="2"),
        "claims[0].sourcing_strength",
        "type",
    ),
    (
        "checkworthiness missing",
        lambda d: d["claims"][0].update(checkworthiness=None),
        "claims[0].checkworthiness",
        "required",
    ),
    ("bad claim id", lambda d: d["claims"][0].update(id="claim1"), "claims[0].id", "value"),
    (
        "duplicate attribution id",
        lambda d: d["attributions"].append(dict(_attr(d))),
        "attributions[1].id",
        "duplicate",
    ),
    (
        "primary frame not chosen",
        lambda d: d["framing"].update(primary_frame="Economic"),
        "framing.primary_frame",
        "value",
    ),
    (
        "frames without a primary",
        lambda d: d["framing"].update(primary_frame=None),
        "framing.primary_frame",
        "required",
    ),
    ("unknown frame", lambda d: d["framing"]["frames"].append("Sports"), "framing.frames[2]", "value"),
    (
        "contested naming without alternative",
        lambda d: _fs(d).update(technique="Contested_Naming"),
        "framing.framing_spans[0].alternative",
        "required",
    ),
    (
        "alternative without contested naming",
        lambda d: _fs(d).update(alternative="Kyiv"),
        "framing.framing_spans[0].alternative",
        "not_allowed",
    ),
    ("voice missing", lambda d: _fs(d).update(voice=None), "framing.framing_spans[0].voice", "required"),
    (
        "stance out of range",
        lambda d: d["framing"]["stance"][0].update(conveyed=-3),
        "framing.stance[0].conveyed",
        "value",
    ),
    (
        "stance target twice",
        lambda d: d["framing"]["stance"].append(dict(d["framing"]["stance"][0])),
        "framing.stance[1].target",
        "duplicate",
    ),
    ("unknown field", lambda d: d.update(sentiment="bad"), "sentiment", "unknown"),
    ("span lacks its text", lambda d: _attr(d)["cue"].pop("text"), "attributions[0].cue", "span"),
]


@pytest.mark.parametrize("name, change, path, code", INVALID, ids=[i[0] for i in INVALID])
def test_each_rule_answers_400_with_the_field(db, project, ann, name, change, path, code):
    ids, records = worked(db, project)
    labels = records[0]["labels"]
    change(labels)
    response = post_labels(ann, project, ids[0], labels)
    assert response.status_code == 400
    errors = {(e["path"], e["code"]) for e in response.json["errors"]}
    assert (path, code) in errors, response.json["errors"]
    assert annotation_store.find_annotation(db, ids[0], user(db, "annotator1")["id"]) is None


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", ""])
def test_labels_that_are_not_a_json_object(db, project, ann, raw):
    ids, _ = worked(db, project)
    response = post_labels(ann, project, ids[0], raw)
    assert response.status_code == 400
    assert response.json["errors"][0]["path"] == "labels"


def test_extended_field_off_in_the_project_is_refused(db, ann):
    from annotator import projects as project_service

    plain = project_service.create_project(db, "core-only", overlap=2)
    project_service.add_member(db, plain, "annotator1", role="annotator")
    ids, records = worked(db, plain)
    response = post_labels(ann, plain, ids[0], records[0]["labels"])
    assert response.status_code == 400
    codes = {e["code"] for e in response.json["errors"]}
    assert codes == {"disabled"}
    assert any(e["path"] == "attributions[0].source_role" for e in response.json["errors"])


def test_stale_save_gets_409_and_overwrite_works(db, project, ann):
    ids, records = worked(db, project)
    labels = records[0]["labels"]
    assert post_labels(ann, project, ids[0], labels, seconds=10).json["version"] == 1
    # A second tab, opened before that save, still holds version 0.
    other = dict(labels, notes="from the other tab")
    stale = post_labels(ann, project, ids[0], other, version=0, seconds=5)
    assert stale.status_code == 409
    assert stale.json["current"] == 1
    # The page offers to overwrite: it saves again against the version it was told about.
    again = post_labels(ann, project, ids[0], other, version=stale.json["current"], seconds=5)
    assert again.status_code == 200 and again.json["version"] == 2
    uid = user(db, "annotator1")["id"]
    saved = annotation_store.find_annotation(db, ids[0], uid)
    assert saved["labels"]["notes"] == "from the other tab"
    assert saved["seconds"] == 15
    revisions = annotation_store.list_revisions(db, ids[0], uid)
    assert [r["version"] for r in revisions] == [1, 2]
    assert revisions[0]["labels"] == labels
    assert [r["seconds"] for r in revisions] == [10, 5]


def test_stale_save_from_an_htmx_request_without_json_renders_an_error(db, project, ann):
    ids, records = worked(db, project)
    post_labels(ann, project, ids[0], records[0]["labels"])
    response = ann.post(
        f"/projects/{project['id']}/paragraphs/{ids[0]}/annotation",
        data={"labels": json.dumps(records[0]["labels"]), "version": "0"},
    )
    assert response.status_code == 409


def test_draft_is_kept_restored_and_dropped_by_a_save(db, project, ann):
    ids, records = worked(db, project)
    url = f"/projects/{project['id']}/paragraphs/{ids[0]}"
    draft = dict(records[0]["labels"], notes="half done")
    response = ann.post(url + "/draft", data={"labels": json.dumps(draft), "version": "0"})
    assert response.status_code == 200 and response.json["lease"] is True
    page = ann.get(url)
    assert page.status_code == 200
    data = _task_data(page)
    assert data["labels"]["notes"] == "half done"
    assert b"unsaved draft" in page.data
    assert post_labels(ann, project, ids[0], records[0]["labels"]).status_code == 200
    assert annotation_store.find_draft(db, ids[0], user(db, "annotator1")["id"]) is None
    assert _task_data(ann.get(url))["labels"]["notes"] == records[0]["labels"]["notes"]


def test_discarding_a_draft(db, project, ann):
    ids, records = worked(db, project)
    url = f"/projects/{project['id']}/paragraphs/{ids[0]}"
    ann.post(url + "/draft", data={"labels": json.dumps({"kind": "other"}), "version": "0"})
    assert ann.post(url + "/draft/discard").status_code == 303
    assert _task_data(ann.get(url))["labels"]["kind"] == "body"


def _task_data(response, name="task-data") -> dict:
    html = response.get_data(as_text=True)
    tag = f'<script type="application/json" id="{name}"'
    start = html.index(">", html.index(tag)) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_page_holds_text_scheme_and_empty_labels_with_the_kind_preset(db, project, ann):
    ids, records = worked(db, project)
    page = ann.get(f"/projects/{project['id']}/paragraphs/{ids[0]}")
    data = _task_data(page)
    assert data["text"] == records[0]["text"]
    assert data["version"] == 0
    assert data["labels"]["kind"] == "body" and data["labels"]["attributions"] == []
    scheme = _task_data(page, "scheme-data")
    assert {r["key"] for r in scheme["span_roles"]} >= {"s", "c", "t", "l", "f"}
    # The page is sent what its script reads, not the guidelines (which have their own page).
    assert set(scheme) == {"name", "version", "fields", "span_roles", "sourcing_scale"}
    html = page.get_data(as_text=True)
    assert 'id="keys-help"' in html and "Done <b>0</b>" in html


def test_a_fragment_leaves_out_the_scheme_the_page_already_holds(db, project, ann):
    ids, _ = worked(db, project)
    url = f"/projects/{project['id']}/paragraphs/{ids[0]}"
    page = ann.get(url).get_data(as_text=True)
    tag = page.split('id="scheme-data" data-tag="')[1].split('"')[0]
    full = ann.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    lean = ann.get(url, headers={"HX-Request": "true", "X-Scheme": tag}).get_data(as_text=True)
    assert 'id="scheme-data"' in full and 'id="keys-help"' in full
    assert 'id="scheme-data"' not in lean and 'id="keys-help"' not in lean
    assert 'id="task-data"' in lean
    assert len(lean) < len(full) / 2
    stale = ann.get(url, headers={"HX-Request": "true", "X-Scheme": "another"}).get_data(as_text=True)
    assert 'id="scheme-data"' in stale


def test_annotators_never_see_each_others_labels(db, project, client_as):
    ids, records = worked(db, project, "annotator1")
    hand_over(db, project, "annotator2", ids[0])
    one, two = client_as("annotator1"), client_as("annotator2")
    secret = dict(records[0]["labels"], notes="SECRET-NOTE-OF-ONE")
    assert post_labels(one, project, ids[0], secret).status_code == 200
    page = two.get(f"/projects/{project['id']}/paragraphs/{ids[0]}")
    assert page.status_code == 200
    assert b"SECRET-NOTE-OF-ONE" not in page.data
    assert _task_data(page)["version"] == 0
    # annotator2 was never given the second paragraph: not theirs to open or save.
    assert two.get(f"/projects/{project['id']}/paragraphs/{ids[1]}").status_code == 403
    assert post_labels(two, project, ids[1], records[1]["labels"]).status_code == 403
    assert two.get(f"/projects/{project['id']}/my-work").data.count(b"SECRET") == 0


def test_non_members_are_refused(db, project, client_as):
    from annotator import accounts

    accounts.create_user(db, "outsider", role="annotator", password="password-of-outsider")
    ids, _ = worked(db, project)
    outsider = client_as("outsider")
    assert outsider.get(f"/projects/{project['id']}/annotate").status_code == 403
    assert outsider.get(f"/projects/{project['id']}/paragraphs/{ids[0]}").status_code == 403


def test_plain_form_without_javascript_saves_choice_fields_and_redirects(db, project, ann):
    ids = add_article(db, project, ["The minister said nothing.", "Second."])
    start = ann.get(f"/projects/{project['id']}/annotate")
    assert start.status_code == 303 and start.headers["Location"].endswith(f"/paragraphs/{ids[0]}")
    page = ann.get(start.headers["Location"])
    assert b'name="kind"' in page.data and b'name="frames"' in page.data
    response = ann.post(
        f"/projects/{project['id']}/paragraphs/{ids[0]}/annotation",
        data={
            "kind": "body",
            "frames": ["Political", "Economic"],
            "primary_frame": "Political",
            "notes": "plain",
            "version": "0",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/projects/{project['id']}/annotate")
    saved = annotation_store.find_annotation(db, ids[0], user(db, "annotator1")["id"])
    assert saved["labels"]["framing"]["frames"] == ["Political", "Economic"]
    assert saved["labels"]["framing"]["primary_frame"] == "Political"
    assert saved["labels"]["notes"] == "plain"
    # A plain form with an error shows the page again with the message beside the form.
    bad = ann.post(
        f"/projects/{project['id']}/paragraphs/{ids[0]}/annotation",
        data={"kind": "body", "frames": ["Political"], "primary_frame": "", "version": "1"},
    )
    assert bad.status_code == 400
    assert b"Primary frame is required" in bad.data


def test_save_and_next_answers_with_the_next_paragraph_fragment(db, project, ann):
    ids = add_article(db, project, ["First paragraph.", "Second paragraph."])
    assert ann.get(f"/projects/{project['id']}/annotate").status_code == 303
    response = post_labels(ann, project, ids[0], {"kind": "body"}, next_=True, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b"<html" not in response.data
    assert response.headers["X-Push-Url"] == f"/projects/{project['id']}/paragraphs/{ids[1]}"
    assert _task_data(response)["paragraph_id"] == ids[1]
    # Then nothing is left: the done fragment.
    last = post_labels(ann, project, ids[1], {"kind": "body"}, next_=True, headers={"HX-Request": "true"})
    assert b"No paragraph is waiting for you" in last.data
    assert b"Done <b>2</b>" in last.data


def test_skip_with_a_reason_moves_on(db, project, ann):
    ids = add_article(db, project, ["Subscribe now!", "Real text."])
    ann.get(f"/projects/{project['id']}/annotate")
    response = ann.post(f"/projects/{project['id']}/paragraphs/{ids[0]}/skip", data={"reason": "not_news"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/paragraphs/{ids[1]}")
    from annotator import queue

    assert (
        queue.find_assignment(db, paragraph_id=ids[0], annotator=user(db, "annotator1"))["state"] == "skipped"
    )
    assert (
        ann.post(f"/projects/{project['id']}/paragraphs/{ids[1]}/skip", data={"reason": "boring"}).status_code
        == 400
    )


def test_flag_is_listed_for_admins_only_and_can_be_resolved(db, project, ann, admin_client, reviewer_client):
    ids = add_article(db, project, ["Share this on Facebook Twitter", "Real text."])
    hand_over(db, project, "annotator1", ids[0])
    url = f"/projects/{project['id']}/paragraphs/{ids[0]}/flag"
    assert ann.post(url, data={"reason": "extraction_error", "note": "menu text"}).status_code == 303
    assert ann.post(url, data={"reason": "nonsense"}).status_code == 400
    assert b"You flagged this paragraph" in ann.get(f"/projects/{project['id']}/paragraphs/{ids[0]}").data
    listing = admin_client.get(f"/projects/{project['id']}/flags")
    assert (
        listing.status_code == 200
        and b"menu text" in listing.data
        and b"Share this on Facebook" in listing.data
    )
    assert reviewer_client.get(f"/projects/{project['id']}/flags").status_code == 403
    flag_id = annotation_store.list_open_flags(db, project["id"])[0]["id"]
    assert admin_client.post(f"/projects/{project['id']}/flags/{flag_id}/resolve").status_code == 303
    assert annotation_store.list_open_flags(db, project["id"]) == []


def test_previous_goes_back_through_your_own_paragraphs(db, project, ann):
    ids = add_article(db, project, ["One.", "Two.", "Three."])
    base = f"/projects/{project['id']}"
    for pid in ids[:2]:
        assert ann.get(f"{base}/annotate").headers["Location"].endswith(f"/paragraphs/{pid}")
        assert post_labels(ann, project, pid, {"kind": "body", "notes": f"note {pid}"}).status_code == 200
    response = ann.get(f"{base}/previous?before={ids[2]}")
    assert response.headers["Location"].endswith(f"/paragraphs/{ids[1]}")
    response = ann.get(f"{base}/previous?before={ids[1]}")
    assert response.headers["Location"].endswith(f"/paragraphs/{ids[0]}")
    # Editing a previous paragraph: it opens with its saved labels and version, and saves as version 2.
    data = _task_data(ann.get(f"{base}/paragraphs/{ids[0]}"))
    assert data["labels"]["notes"] == f"note {ids[0]}" and data["version"] == 1
    assert (
        post_labels(ann, project, ids[0], {"kind": "body", "notes": "edited"}, version=1).json["version"] == 2
    )
    history = ann.get(f"{base}/my-work")
    assert history.status_code == 200 and b"One." in history.data


def test_hostile_article_text_is_escaped(db, project, ann):
    hostile = (
        'Click <a href="javascript:alert(1)">here</a> <script>alert("x")</script> '
        "<img src=x onerror=alert(2)> done."
    )
    ids = add_article(
        db, project, [hostile, "<b>next</b>"], title="<script>alert(3)</script>", outlet="<i>O</i>"
    )
    hand_over(db, project, "annotator1", ids[0])
    page = ann.get(f"/projects/{project['id']}/paragraphs/{ids[0]}").get_data(as_text=True)
    for raw in ("<script>alert", "<img src=x", '<a href="javascript:', "<b>next</b>", "<i>O</i>"):
        assert raw not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;b&gt;next&lt;/b&gt;" in page
    assert _task_data(ann.get(f"/projects/{project['id']}/paragraphs/{ids[0]}"))["text"] == hostile


def test_guidelines_render_from_the_scheme(db, project, ann):
    page = ann.get(f"/projects/{project['id']}/guidelines").get_data(as_text=True)
    for text in (
        "S0",
        "S4",
        "corroborated or primary",
        "interested-party cap",
        "complementizer",
        "Lavrov stated that Russia",
        "Worked example",
        'id="f-claims-sourcing_strength"',
    ):
        assert text in page


def test_start_with_no_work_renders_the_done_page(project, ann):
    page = ann.get(f"/projects/{project['id']}/annotate")
    assert page.status_code == 200 and b"No paragraph is waiting for you" in page.data


def test_csrf_token_is_required_when_protection_is_on(app, db, project, ann):
    ids, records = worked(db, project)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = post_labels(ann, project, ids[0], records[0]["labels"])
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert annotation_store.find_annotation(db, ids[0], user(db, "annotator1")["id"]) is None


def test_stance_targets_named_in_the_article_are_offered(db, project, ann):
    ids, records = worked(db, project)
    assert post_labels(ann, project, ids[0], records[0]["labels"]).status_code == 200
    page = ann.get(f"/projects/{project['id']}/paragraphs/{ids[1]}").get_data(as_text=True)
    datalist = page[page.index('<datalist id="stance-targets">') :]
    assert '<option value="Western governments">' in datalist[: datalist.index("</datalist>")]


def test_save_and_next_leases_the_next_and_keeps_the_save_when_paused(db, project, ann):
    from annotator import queue, team

    ids = add_article(db, project, ["First paragraph.", "Second paragraph.", "Third paragraph."])
    ann.get(f"/projects/{project['id']}/annotate")
    me = user(db, "annotator1")
    post_labels(ann, project, ids[0], {"kind": "body"}, next_=True, headers={"HX-Request": "true"})
    assert queue.find_assignment(db, paragraph_id=ids[0], annotator=me)["state"] == "done"
    assert queue.find_assignment(db, paragraph_id=ids[1], annotator=me)["state"] == "leased"
    # Paused by an administrator meanwhile: the save still lands, nothing new is leased, the page says why.
    team.set_paused(db, project, True)
    response = post_labels(ann, project, ids[1], {"kind": "body"}, next_=True, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"paused" in response.data
    assert queue.find_assignment(db, paragraph_id=ids[1], annotator=me)["state"] == "done"
    assert queue.find_assignment(db, paragraph_id=ids[2], annotator=me) is None
    assert annotation_store.find_annotation(db, ids[1], me["id"])["version"] == 1
