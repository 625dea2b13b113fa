"""The annotate page's model comes from the project's scheme: on a second scheme, marked spans become that
scheme's items (a claim with a verdict, without a decontextualized text) and the page offers its values."""

import json
from pathlib import Path

import pytest

from annotator import projects as project_service
from annotator import store
from tests.annotate_fixtures import add_article, hand_over
from tests.browser.annotate_helpers import Find, Keys
from tests.conftest import USERS

SECOND = Path(__file__).resolve().parents[1] / "data" / "newsverdict-2.toml"
TEXT = "The spokesman said the talks failed."


@pytest.fixture(scope="session")
def second_paragraph(live_db):
    db = store.connect(live_db)
    try:
        project = project_service.create_project(
            db, "second-scheme", scheme=str(SECOND), overlap=2, extended="all"
        )
        for name, role in USERS.items():
            project_service.add_member(db, project, name, role=role)
        project = project_service.get_project(db, project["id"])
        [pid] = add_article(db, project, [TEXT])
        hand_over(db, project, "annotator1", pid)
        return project, pid
    finally:
        db.close()


def test_marked_spans_become_the_second_schemes_items(login, live_server, second_paragraph):
    project, pid = second_paragraph
    page = login("annotator1")
    page.goto(f"{live_server}/projects/{project['id']}/paragraphs/{pid}")
    page.wait_for_selector("#task.js")
    page.wait_for_selector("#para-text:focus")
    k = Keys(page)
    k("ArrowRight", "ArrowRight", "c")  # cue "said"
    k("ArrowLeft", "Shift+ArrowLeft", "s")  # source "The spokesman"
    k(Find("tal"), "Shift+ArrowRight", "l")  # claim "talks failed"
    doc = json.loads(page.evaluate("window.Annotate.app.model.json()"))
    att = doc["attributions"][0]
    assert (att["id"], att["cue"]["text"], [s["text"] for s in att["sources"]]) == (
        "a1",
        "said",
        ["The spokesman"],
    )
    [claim] = doc["claims"]
    assert claim["id"] == "c1" and claim["span"]["text"] == "talks failed"
    assert claim["attribution_id"] is None  # no content holds it: the outlet's voice
    assert "verdict" in claim and "decontextualized" not in claim
    roles = page.evaluate("window.Annotate.app.model.spans().map((s) => [s.role, s.owner])")
    assert roles == [["source", "a1"], ["cue", "a1"], ["claim", "c1"]]
    panel = page.locator("#task").inner_text()
    assert "Verdict" in panel and "Refuted" in panel
