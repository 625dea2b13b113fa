"""A reviewer moves the decision's spans in place: drags over the text, presses the annotate page's keys."""

import re

import pytest
from playwright.sync_api import expect

from annotator import review, store
from tests.browser.conftest import disagreement_project
from tests.review_data import LAVROV_STATED, SAMPLES, stated_b

A, B = "annotator1", "annotator2"
TEXT = SAMPLES[0]["text"]

# where the characters [start, end) of the decision's paragraph are drawn: the first's left edge and the
# last's right edge, at mid-height
RECT = """([start, end]) => {
  const root = document.getElementById("gold-text");
  function point(cp, last) {
    for (const seg of root.querySelectorAll(".seg")) {
      const a = Number(seg.dataset.start), b = Number(seg.dataset.end);
      if (cp < a || cp >= b) continue;
      const walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
      const node = walker.nextNode();
      const r = document.createRange();
      r.setStart(node, cp - a);
      r.setEnd(node, cp - a + 1);
      const box = r.getClientRects()[0];
      return { x: last ? box.right - 1 : box.left + 1, y: box.top + box.height / 2 };
    }
  }
  return [point(start, false), point(end - 1, true)];
}"""


@pytest.fixture(scope="module")
def paragraph(live_db):
    return disagreement_project(live_db, "review-spans", "stated", LAVROV_STATED, stated_b())


def drag(page, text: str, after: str = ""):
    """Select ``text`` (the first after ``after``) in the decision's paragraph with the mouse."""
    start = TEXT.index(text, TEXT.index(after) if after else 0)
    page.locator("#gold-text").scroll_into_view_if_needed()
    first, last = page.evaluate(RECT, [start, start + len(text)])
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    page.mouse.move((first["x"] + last["x"]) / 2, last["y"], steps=4)
    page.mouse.move(last["x"], last["y"], steps=4)
    page.mouse.up()
    return start


def test_reviewer_moves_a_claim_boundary_and_a_source_then_saves(login, live_server, live_db, paragraph):
    project, pid = paragraph
    page = login("reviewer")
    page.goto(f"{live_server}/projects/{project['id']}/review/{pid}")
    page.locator(f"input[name='attribution:0'][value='{A}']").check()
    expect(page.locator("#labels_json")).to_have_value(re.compile('"cue_stance": "neutral"'))
    assert page.locator(".span-tools").is_visible()

    # the claim ends after "certain countries": drag over its new extent, press l (the annotate page's key)
    claim = "Russia has been in contact with “certain countries”"
    start = drag(page, claim)
    page.keyboard.press("l")
    expect(page.locator("#labels_json")).to_have_value(
        re.compile(rf'"span": {{\s*"start": {start},\s*"end": {start + len(claim)},')
    )
    expect(page.locator(".span-status")).to_contain_text("Claim 1: claim moved to “Russia has been")
    # drawn in the claim's colour and line, and no further
    claimed = page.locator("#gold-text .seg.r-claim").all_inner_texts()
    assert "".join(claimed) == claim

    # the source: "Moscow" instead of "Lavrov" (a test of the key, not of the right answer)
    moscow = drag(page, "Moscow", after="missions in")
    page.keyboard.press("s")
    expect(page.locator("#labels_json")).to_have_value(
        re.compile(rf'"sources": \[\s*{{\s*"start": {moscow},\s*"end": {moscow + 6},')
    )
    assert page.locator("#gold-text .seg.r-source").all_inner_texts() == ["Moscow"]

    page.get_by_role("button", name="Save decision from the choices").click()
    page.wait_for_load_state()
    assert "Decision saved (version 1)." in page.content()

    db = store.connect(live_db)
    decision = review.review_item(db, project, pid)["decision"]
    db.close()
    gold = decision["labels"]
    assert gold["claims"][0]["span"] == {"start": start, "end": start + len(claim), "text": claim}
    assert gold["attributions"][0]["sources"] == [{"start": moscow, "end": moscow + 6, "text": "Moscow"}]
    assert gold["attributions"][0]["cue"] == LAVROV_STATED["attributions"][0]["cue"]  # untouched
    assert gold["claims"][0]["attribution_id"] == gold["attributions"][0]["id"]
    taken = {t["path"]: t["edited"] for t in decision["taken"]}
    assert taken["claims[0]"] and taken["attributions[0]"]


def test_reviewer_moves_a_framing_span_with_the_keys_and_can_undo(login, live_server, live_db, paragraph):
    project, pid = paragraph
    page = login("reviewer")
    page.goto(f"{live_server}/projects/{project['id']}/review/{pid}")
    words = "certain countries"
    start = TEXT.index(words)
    framing = page.locator("#gold-text .seg.r-framing")
    assert "".join(framing.all_inner_texts()) == "“certain countries”"  # both annotators' span, quotes in

    # the mouse takes "certain", Shift+Right grows it by a word (the annotate page's keys), f moves the span
    drag(page, "certain")
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator(".span-status")).to_have_text(f"Selected “{words}”.")
    page.keyboard.press("f")
    expect(page.locator("#labels_json")).to_have_value(
        re.compile(rf'"framing_spans": \[\s*{{\s*"start": {start},\s*"end": {start + len(words)},')
    )
    expect(framing).to_have_text([words])

    # undo brings the annotators' span back; then move it again with the keys alone and save
    page.get_by_role("button", name="Undo the moved spans (1)").click()
    expect(framing).to_have_text(["“certain countries”"])
    expect(page.locator("#labels_json")).to_have_value(re.compile(r'"text": "“certain countries”"'))
    page.locator("#gold-text").focus()
    page.keyboard.press("Home")
    expect(page.locator(".span-status")).to_have_text("Selected “Speaking”.")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("f")
    expect(framing).to_have_text(["Speaking at"])
    expect(page.locator("#gold-text")).to_be_focused()  # redrawn, and the keys go on working there

    page.get_by_role("button", name="Save decision from the choices").click()
    page.wait_for_load_state()
    assert re.search(r"Decision saved \(version \d+\)\.", page.content())
    db = store.connect(live_db)
    gold = review.review_item(db, project, pid)["decision"]["labels"]
    db.close()
    assert gold["framing"]["framing_spans"] == [
        {
            "start": 0,
            "end": 11,
            "text": "Speaking at",
            "technique": "Obfuscation-Vagueness-Confusion",
            "voice": "source",
        }
    ]
