"""The annotate page a team uses all day: undo and redo, the mouse as good as the keys, markers naming
their item, drafts that survive any reload, and time counted across every view of a paragraph."""

import json
import time

from playwright.sync_api import expect

from annotator import store
from tests.annotate_fixtures import add_article
from tests.annotate_fixtures import hand_over as give
from tests.browser import annotate_helpers as helpers
from tests.browser.annotate_helpers import Find, Keys, stored

kbd_project = helpers.kbd_project

TEXT = "Officials said the bridge closed, and police claimed the road was open."


def _paragraph(live_db, project, user, text=TEXT) -> int:
    db = store.connect(live_db)
    try:
        [pid] = add_article(db, project, [text])
        give(db, project, user, pid)
        return pid
    finally:
        db.close()


def _open(page, live_server, project, pid):
    page.goto(f"{live_server}/projects/{project['id']}/paragraphs/{pid}")
    page.wait_for_selector("#task.js")
    page.wait_for_selector("#para-text:focus")


def _doc(page) -> dict:
    return json.loads(page.evaluate("window.Annotate.app.model.json()"))


def _click_word(page, word):
    """A real mouse click in the middle of ``word`` in the paragraph."""
    box = page.evaluate(
        """(word) => {
        const root = document.getElementById('para-text');
        const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT); let n;
        while ((n = w.nextNode())) { const k = n.data.indexOf(word);
            if (k >= 0) { const r = document.createRange(); r.setStart(n, k); r.setEnd(n, k + word.length);
                const b = r.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; } }
    }""",
        word,
    )
    page.mouse.click(*box)


def _two_attributions(page):
    """a1 with the cue "said", a2 with the cue "claimed" (current)."""
    Keys(page)("ArrowRight", "c", Find("cla"), "c")
    assert [a["cue"]["text"] for a in _doc(page)["attributions"]] == ["said", "claimed"]


def test_undo_brings_back_a_deleted_attribution_and_redo_repeats(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "annotator1")
    page = login("annotator1")
    _open(page, live_server, kbd_project, pid)
    first = _doc(page)
    Keys(page)("ArrowRight", "c", "Home", "s")  # a1: cue "said", source "Officials"
    page.get_by_role("button", name="Remove a1 · said").click()
    assert _doc(page)["attributions"] == []
    expect(page.locator("#status")).to_contain_text("Ctrl+Z brings it back")
    page.keyboard.press("Control+z")
    att = _doc(page)["attributions"][0]
    assert (att["cue"]["text"], [s["text"] for s in att["sources"]]) == ("said", ["Officials"])
    page.keyboard.press("Control+Shift+Z")
    assert _doc(page)["attributions"] == []
    # The buttons do the same, back to the page's first state and no further.
    undo = page.locator("#undo-btn")
    for _ in range(3):
        undo.click()
    assert _doc(page) == first
    expect(undo).to_be_disabled()
    page.locator("#redo-btn").click()
    assert _doc(page)["attributions"][0]["cue"]["text"] == "said"
    # An undone state is the page's state: it is the draft the server keeps.
    page.wait_for_selector("#status:has-text('Draft saved')")


def test_typing_in_a_field_is_one_undo_step(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "annotator1")
    page = login("annotator1")
    _open(page, live_server, kbd_project, pid)
    page.keyboard.press("n")
    page.keyboard.type("a note")
    page.keyboard.press("Control+z")
    assert _doc(page)["notes"] in ("", None)
    assert page.locator("textarea[data-path=notes]").input_value() == ""


def test_clicking_an_earlier_attribution_makes_it_current(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "annotator2")
    page = login("annotator2")
    _open(page, live_server, kbd_project, pid)
    _two_attributions(page)
    # The card's title: a1 becomes current, and the next source goes to it.
    page.locator(".item[data-owner=a1] .ititle").click()
    expect(page.locator(".item[data-owner=a1] .ititle")).to_have_attribute("aria-pressed", "true")
    _click_word(page, "Officials")
    page.locator("button.legendbtn[data-role=source]").click()
    atts = _doc(page)["attributions"]
    assert [s["text"] for s in atts[0]["sources"]] == ["Officials"] and atts[1]["sources"] == []
    # A span in the text: clicking the cue "claimed" makes a2 current.
    _click_word(page, "claimed")
    expect(page.locator(".item[data-owner=a2]")).to_have_class("item current")
    _click_word(page, "police")
    page.locator("button.legendbtn[data-role=source]").click()
    assert [s["text"] for s in _doc(page)["attributions"][1]["sources"]] == ["police"]
    # A chip of a1: a1 is current again, and a click anywhere on a card does the same for a2.
    page.locator(".item[data-owner=a1] .chip.u-source .chiptext").click()
    expect(page.locator(".item[data-owner=a1]")).to_have_class("item current")
    page.locator(".item[data-owner=a2]").click(position={"x": 4, "y": 4})
    expect(page.locator(".item[data-owner=a2]")).to_have_class("item current")


def test_markers_name_their_item_and_pointing_at_an_item_lights_its_spans(
    login, live_server, live_db, kbd_project
):
    pid = _paragraph(live_db, kbd_project, "annotator2")
    page = login("annotator2")
    _open(page, live_server, kbd_project, pid)
    _two_attributions(page)
    Keys(page)(Find("pol"), "s", Find("the", extend=False), "Shift+End", "l")  # a2 source; a claim
    badges = page.eval_on_selector_all("#para-text .seg[data-badges]", "ns => ns.map(n => n.dataset.badges)")
    assert "a1·C" in badges and "a2·S" in badges and "a2·C" in badges and any("c1·" in b for b in badges)
    page.locator(".item[data-owner=a2]").hover()
    lit = page.eval_on_selector_all("#para-text .seg.lit", "ns => ns.map(n => n.textContent).join('|')")
    assert "police" in lit and "claimed" in lit and "said" not in lit
    page.locator(".item[data-owner=a1]").hover()
    lit = page.eval_on_selector_all("#para-text .seg.lit", "ns => ns.map(n => n.textContent).join('|')")
    assert lit == "said"


def test_the_same_cue_twice_selects_its_attribution(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "annotator2")
    page = login("annotator2")
    _open(page, live_server, kbd_project, pid)
    _two_attributions(page)
    Keys(page)("Home", "ArrowRight", "c")  # "said" again
    assert [a["cue"]["text"] for a in _doc(page)["attributions"]] == ["said", "claimed"]
    expect(page.locator("#status")).to_contain_text("a1 selected")
    Keys(page)("Home", "s")
    assert [s["text"] for s in _doc(page)["attributions"][0]["sources"]] == ["Officials"]


def test_a_reload_right_after_an_edit_restores_it(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "reviewer")
    page = login("reviewer")
    _open(page, live_server, kbd_project, pid)
    _two_attributions(page)
    page.locator(".item[data-owner=a1] .ititle").click()
    page.locator("#para-text").focus()
    Keys(page)("End", "t")  # a1 content "open", then at once:
    started = time.monotonic()
    page.reload()
    assert time.monotonic() - started < 5
    page.wait_for_selector("#task.js")
    atts = _doc(page)["attributions"]
    assert [c["text"] for c in atts[0]["contents"]] == ["open"]
    notice = page.locator("#draft-notice")
    expect(notice).to_be_visible()
    assert "T" not in notice.locator("time").text_content()  # "just now", not an ISO time
    assert notice.locator("time").get_attribute("datetime").endswith("Z")
    # Keys act on the attribution that was current (a1), not the newest one.
    Keys(page)("Home", "s")
    atts = _doc(page)["attributions"]
    assert [s["text"] for s in atts[0]["sources"]] == ["Officials"] and atts[1]["sources"] == []
    # The server has the restored draft too: another reload without this browser's copy still shows it.
    page.wait_for_selector("#status:has-text('Draft saved')")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_selector("#task.js")
    assert [s["text"] for s in _doc(page)["attributions"][0]["sources"]] == ["Officials"]


def test_a_draft_restored_from_the_server_keeps_the_current_attribution(
    login, live_server, live_db, kbd_project
):
    pid = _paragraph(live_db, kbd_project, "annotator1")
    page = login("annotator1")
    _open(page, live_server, kbd_project, pid)
    _two_attributions(page)
    page.wait_for_selector("#status:has-text('Draft saved')")
    page.locator(".item[data-owner=a1] .ititle").click()  # a1 current; nothing else changes
    page.reload()
    page.wait_for_selector("#task.js")
    expect(page.locator(".item[data-owner=a1]")).to_have_class("item current")
    Keys(page)("Home", "s")
    assert [s["text"] for s in _doc(page)["attributions"][0]["sources"]] == ["Officials"]


def test_time_counts_across_two_views_of_a_paragraph(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "annotator1")
    page = login("annotator1")
    for view in range(2):
        _open(page, live_server, kbd_project, pid)
        for _ in range(6):  # 1.2 s of work in each view
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(200)
        if view == 0:
            page.reload()  # no edit, no save: the view's time still counts
    page.keyboard.press("Control+s")
    page.wait_for_selector("#status:has-text('Saved (version 1)')")
    seconds = stored(live_db, pid, "annotator1")["seconds"]
    assert 2.4 <= seconds < 8, seconds
    assert round(seconds * 1000) == seconds * 1000  # whole milliseconds


def test_idle_time_over_a_minute_is_not_counted(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "annotator1")
    page = login("annotator1")
    page.clock.install()
    _open(page, live_server, kbd_project, pid)
    page.keyboard.press("ArrowRight")
    page.clock.fast_forward("10:00")  # ten minutes away from the keyboard
    page.keyboard.press("Control+s")
    page.wait_for_selector("#status:has-text('Saved (version 1)')")
    seconds = stored(live_db, pid, "annotator1")["seconds"]
    assert 60 <= seconds < 70, seconds


def test_flag_dialog_keys_move_focus_and_a_typed_note_is_not_dropped_silently(
    login, live_server, live_db, kbd_project
):
    pid = _paragraph(live_db, kbd_project, "annotator2", "Share on Facebook Share on Twitter Subscribe now.")
    page = login("annotator2")
    _open(page, live_server, kbd_project, pid)
    page.keyboard.press("!")
    page.locator("#flag-dialog").wait_for(state="visible")
    page.keyboard.press("2")
    assert page.evaluate("[document.activeElement.value, document.activeElement.checked]") == [
        "bad_split",
        True,
    ]
    page.keyboard.press("Tab")  # from the chosen reason on to the note
    page.keyboard.type("two paragraphs run together")
    page.keyboard.press("Escape")
    expect(page.locator("#flag-dialog")).to_be_visible()
    expect(page.locator("#flag-dialog .warn-note")).to_contain_text("not sent yet")
    page.keyboard.press("Enter")
    page.wait_for_selector("#status:has-text('Flagged')")
    db = store.connect(live_db)
    try:
        rows = [tuple(r) for r in db.execute("select reason, note from flags where paragraph_id = ?", [pid])]
    finally:
        db.close()
    assert rows == [("bad_split", "two paragraphs run together")]


def test_skip_says_what_it_did(login, live_server, live_db, kbd_project):
    db = store.connect(live_db)
    try:
        ids = add_article(db, kbd_project, ["Read more", "The next paragraph after the skipped one."])
        give(db, kbd_project, "annotator1", ids[0])
    finally:
        db.close()
    page = login("annotator1")
    _open(page, live_server, kbd_project, ids[0])
    page.keyboard.press("Shift+K")
    page.locator("#skip-dialog").wait_for(state="visible")
    page.keyboard.press("2")
    page.wait_for_selector(f'#task:not([data-paragraph="{ids[0]}"])')
    expect(page.locator("#status")).to_contain_text("Skipped the last paragraph (Not news text)")


def test_several_frames_need_an_explicit_primary_frame(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "annotator1")
    page = login("annotator1")
    _open(page, live_server, kbd_project, pid)
    Keys(page)("F", "s")
    assert _doc(page)["framing"]["primary_frame"] == "Security_and_defense"  # the only frame
    Keys(page)("t")
    assert _doc(page)["framing"]["primary_frame"] is None  # two frames: which one is for the annotator
    Keys(page)("Enter")
    expect(page.locator("[data-path='framing.primary_frame']")).to_be_focused()
    Keys(page)("t")
    assert _doc(page)["framing"]["primary_frame"] == "Political"


def test_a_mouse_drag_across_marked_spans_selects_whole_words(login, live_server, live_db, kbd_project):
    pid = _paragraph(live_db, kbd_project, "annotator1")
    page = login("annotator1")
    _open(page, live_server, kbd_project, pid)
    _two_attributions(page)

    def point(word, at):
        return page.evaluate(
            """([word, at]) => { const root = document.getElementById('para-text');
            const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT); let n;
            while ((n = w.nextNode())) { const k = n.data.indexOf(word);
                if (k >= 0) { const r = document.createRange(); r.setStart(n, k + at); r.setEnd(n, k + at + 1);
                    const b = r.getBoundingClientRect(); return [b.x + 1, b.y + b.height / 2]; } } }""",
            [word, at],
        )

    # From inside "Officials", over the cue "said" (lit as the mouse passes), to inside "bridge".
    page.mouse.move(*point("Officials", 2))
    page.mouse.down()
    for word in ("said", "the", "bridge"):
        page.mouse.move(*point(word, 1), steps=4)
    page.mouse.up()
    start, end = page.evaluate(
        "[Number(document.getElementById('para-text').dataset.selStart),"
        " Number(document.getElementById('para-text').dataset.selEnd)]"
    )
    assert TEXT[start:end] == "Officials said the bridge"
