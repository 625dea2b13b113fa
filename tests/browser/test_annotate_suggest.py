"""Suggestions on the annotate page: accept all in two keys, accept one, edit it, reject others,
and the provenance of every saved item in the `all` export."""

import copy
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import projects as project_service
from annotator import store, suggestions
from annotator.cli import cli
from tests.browser.annotate_helpers import Keys, hand_over, reference, stored
from tests.browser.conftest import sample_project


@pytest.fixture(scope="session")
def suggest_project(live_db):
    """The sample article, with the worked example's labels imported as a model's suggestions."""
    project = sample_project(live_db, "suggest", overlap=4)
    db = store.connect(live_db)
    try:
        lines = [
            json.dumps({"text_sha256": hashlib.sha256(r["text"].encode()).hexdigest(), "labels": r["labels"]})
            for r in reference()
        ]
        suggestions.import_suggestions(db, project, lines, source="worked-example")
        return suggestions.set_setting(db, project, source="worked-example", share=100)
    finally:
        db.close()


def open_paragraph(page, live_server, project, paragraph_id):
    page.goto(f"{live_server}/projects/{project['id']}/paragraphs/{paragraph_id}")
    page.wait_for_selector("#task.js")
    page.wait_for_selector("#para-text:focus")
    page.wait_for_selector("#suggest-box .suggest-copy")


def without_origins(labels):
    out = copy.deepcopy(labels)
    for name in ("attributions", "claims"):
        for item in out.get(name) or []:
            item.pop("origin", None)
    return out


def export_all(live_db, tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--db",
            live_db,
            "--project",
            "suggest",
            "--view",
            "all",
            "--out",
            str(tmp_path / "all"),
            "--split",
            "none",
        ],
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in (tmp_path / "all" / "all.jsonl").read_text().splitlines()]


def test_right_suggestions_take_two_keys_and_are_saved_as_suggested(
    login, live_server, live_db, suggest_project, tmp_path
):
    ref = reference()[0]
    page = login("annotator1")
    pid = hand_over(live_db, suggest_project, "annotator1", "Speaking at a roundtable")
    open_paragraph(page, live_server, suggest_project, pid)
    box = page.locator("#suggest-box")
    assert "Suggestion 1 of 2" in box.inner_text()
    # Drawn apart: dashed, with the role's badge and the item's id, on a copy of the paragraph.
    cue = box.locator(".sg-cue")
    assert cue.inner_text().endswith("stated") and "C a1" in cue.locator(".sg-badge").inner_text()
    assert "dashed" in cue.evaluate("e => getComputedStyle(e).borderBottomStyle")
    assert page.locator("#para-text .seg[data-badges]").count() == 0  # nothing marked as the annotator's own
    k = Keys(page)
    k("Y", "Control+Enter")  # accept all, save and next
    page.wait_for_selector(f'#task:not([data-paragraph="{pid}"])')
    assert k.count <= 3
    saved = stored(live_db, pid, "annotator1")["labels"]
    assert without_origins(saved) == ref["labels"]
    assert [a["origin"] for a in saved["attributions"]] == ["suggested"]
    assert [c["origin"] for c in saved["claims"]] == ["suggested"]
    record = next(
        r
        for r in export_all(live_db, tmp_path)
        if r["annotator"] == "annotator1" and r["text"] == ref["text"]
    )
    assert record["labels"]["attributions"][0]["origin"] == "suggested"
    assert record["labels"]["claims"][0]["origin"] == "suggested"


def test_accept_edit_and_reject_suggestions(login, live_server, live_db, suggest_project, tmp_path):
    ref = reference()[1]
    page = login("annotator2")
    pid = hand_over(live_db, suggest_project, "annotator2", "Last week, speaking at a UN")
    open_paragraph(page, live_server, suggest_project, pid)
    box = page.locator("#suggest-box")
    assert "Suggestion 1 of 4" in box.inner_text()
    k = Keys(page)
    k("y")  # accept a1 ("reiterated")
    page.wait_for_selector("#para-text .seg[data-badges]")
    assert (
        "Suggestion 1 of 3" in box.inner_text()
        and "expressed disbelief" in box.locator(".sg-cue").inner_text()
    )
    k("N")  # reject a2
    assert "Suggestion 1 of 2" in box.inner_text() and box.locator(".sg-claim").count() == 1
    page.click("#suggest-box button[data-suggest=one]")  # accept c1 with the mouse
    page.wait_for_selector("#para-text:focus")
    k("N")  # reject c2 (it belongs to the rejected a2)
    assert "none left" in box.inner_text()
    # Edit the accepted attribution like any other: its cue stance, in the panel.
    page.focus('.stop[data-path="attributions[0].cue_stance"]')
    k("3")
    k("Control+s")
    page.wait_for_selector("#status:has-text('Saved (version')")
    saved = stored(live_db, pid, "annotator2")["labels"]
    assert [a["cue"]["text"] for a in saved["attributions"]] == ["reiterated"]
    assert saved["attributions"][0]["cue_stance"] != ref["labels"]["attributions"][0]["cue_stance"]
    assert [a["origin"] for a in saved["attributions"]] == ["suggested_edited"]
    assert [(c["origin"], c["attribution_id"]) for c in saved["claims"]] == [("suggested", "a1")]
    record = next(r for r in export_all(live_db, tmp_path) if r["annotator"] == "annotator2")
    assert [a["origin"] for a in record["labels"]["attributions"]] == ["suggested_edited"]
    assert [c["origin"] for c in record["labels"]["claims"]] == ["suggested"]


def test_no_suggestions_when_the_project_shows_none(login, live_server, live_db, suggest_project):
    db = store.connect(live_db)
    try:
        suggestions.set_setting(db, project_service.get_project(db, suggest_project["id"]), source="none")
        page = login("reviewer")
        pid = hand_over(live_db, suggest_project, "reviewer", "Speaking at a roundtable")
        page.goto(f"{live_server}/projects/{suggest_project['id']}/paragraphs/{pid}")
        page.wait_for_selector("#task.js")
        assert page.locator("#suggest-box").count() == 0
    finally:
        suggestions.set_setting(
            db, project_service.get_project(db, suggest_project["id"]), source="worked-example"
        )
        db.close()


def test_the_suggestion_box_fits_a_phone(browser, live_server, live_db, suggest_project):
    from tests.browser.conftest import sign_in

    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = sign_in(context.new_page(), live_server, "reviewer")
        pid = hand_over(live_db, suggest_project, "reviewer", "Last week, speaking at a UN")
        open_paragraph(page, live_server, suggest_project, pid)
        box = page.locator("#suggest-box")
        assert box.is_visible()
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        box.screenshot(path=str(Path(__file__).resolve().parents[2] / "bench" / "out" / "suggest-390.png"))
    finally:
        context.close()
