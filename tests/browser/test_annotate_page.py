"""The annotate page in a browser: drafts, hostile text, the key overlay, skip, previous, conflicts, offsets."""

import json

import pytest
from playwright.sync_api import expect

from annotator import store
from tests.annotate_fixtures import add_article
from tests.browser import annotate_helpers as helpers
from tests.browser.annotate_helpers import stored
from tests.browser.conftest import sign_in

kbd_project = helpers.kbd_project

HOSTILE = (
    'Click <a href="javascript:alert(1)">here</a> then <script>alert("x")</script> '
    "and <img src=x onerror=alert(2)> end."
)
MIXED = "Die Ärztin 👩‍⚕️ sagte: «Привет, мир» 🚀 — 東京 heute."


def _article(live_db, project, texts, **kw):
    db = store.connect(live_db)
    try:
        return add_article(db, project, texts, **kw)
    finally:
        db.close()


def _hand(live_db, project, name, pid):
    from tests.annotate_fixtures import hand_over as give

    db = store.connect(live_db)
    try:
        give(db, project, name, pid)
    finally:
        db.close()


def _open(page, live_server, project, pid):
    page.goto(f"{live_server}/projects/{project['id']}/paragraphs/{pid}")
    page.wait_for_selector("#task.js")
    page.wait_for_selector("#para-text:focus")


def _selection(page):
    return page.evaluate(
        "[Number(document.getElementById('para-text').dataset.selStart),"
        " Number(document.getElementById('para-text').dataset.selEnd)]"
    )


def test_draft_survives_a_reload(login, live_server, live_db, kbd_project):
    [pid] = _article(live_db, kbd_project, ["The spokesman said the talks failed."])
    _hand(live_db, kbd_project, "annotator2", pid)
    page = login("annotator2")
    _open(page, live_server, kbd_project, pid)
    for key in ("ArrowRight", "ArrowRight", "c", "ArrowLeft", "Shift+ArrowLeft", "s"):
        page.keyboard.press(key)
    page.wait_for_selector("#status:has-text('Draft saved')")
    page.reload()
    page.wait_for_selector("#task.js")
    assert page.locator("#draft-notice").is_visible()
    assert page.locator(".chip.u-cue").first.text_content().startswith("Csaid")
    assert "The spokesman" in page.locator(".chip.u-source").first.text_content()
    # The restored draft is the page's state, ready to be finished and saved.
    doc = json.loads(page.evaluate("window.Annotate.app.model.json()"))
    assert doc["attributions"][0]["cue"] == {"start": 14, "end": 18, "text": "said"}
    assert doc["attributions"][0]["sources"] == [{"start": 0, "end": 13, "text": "The spokesman"}]
    assert stored(live_db, pid, "annotator2") is None


def test_hostile_article_text_stays_inert(login, live_server, live_db, kbd_project):
    ids = _article(live_db, kbd_project, [HOSTILE, "<b>after</b>"], title="<script>alert(3)</script>")
    _hand(live_db, kbd_project, "reviewer", ids[0])
    page = login("reviewer")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(page, live_server, kbd_project, ids[0])
    assert page.locator("#para-text").text_content() == HOSTILE
    # Highlights are rebuilt from offsets: mark a span over the markup and the text is still text.
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("l")
    assert page.locator("#para-text").text_content() == HOSTILE
    counts = page.evaluate("""[
        document.querySelectorAll('#task script:not([type="application/json"])').length,
        document.querySelectorAll('#task img').length,
        document.querySelectorAll('a[href^="javascript:"]').length,
        document.querySelectorAll('#task b').length ? document.querySelector('#task .ctxp b') !== null : false,
    ]""")
    assert counts == [0, 0, 0, False]
    assert page.locator("h2.headline").text_content() == "<script>alert(3)</script>"
    page.wait_for_timeout(200)
    assert dialogs == []


def test_question_mark_lists_every_key(login, live_server, live_db, kbd_project):
    [pid] = _article(live_db, kbd_project, ["Nothing to see here."])
    _hand(live_db, kbd_project, "admin", pid)
    page = login("admin")
    _open(page, live_server, kbd_project, pid)
    page.keyboard.press("?")
    overlay = page.locator("#keys-help")
    overlay.wait_for(state="visible")
    text = overlay.text_content()
    for expected in (
        "Source",
        "Cue",
        "Content",
        "Claim",
        "Framing span",
        "Supplement",
        "Embedded cue",
        "S0",
        "S4",
        "Security and defense",
        "Ctrl",
        "save and open the next paragraph",
    ):
        assert expected in text
    page.keyboard.press("Escape")
    overlay.wait_for(state="hidden")


def test_skip_with_a_reason_by_keyboard(login, live_server, live_db, kbd_project):
    ids = _article(live_db, kbd_project, ["Read more", "Second unit of the skipped article."])
    _hand(live_db, kbd_project, "annotator2", ids[0])
    page = login("annotator2")
    _open(page, live_server, kbd_project, ids[0])
    page.keyboard.press("Shift+K")
    page.locator("#skip-dialog").wait_for(state="visible")
    page.keyboard.press("2")  # not news
    page.wait_for_selector(f'#task:not([data-paragraph="{ids[0]}"])')
    db = store.connect(live_db)
    try:
        row = db.execute(
            "select state, skip_reason from assignments a join users u on u.id = a.user_id "
            "where a.paragraph_id = ? and u.name = 'annotator2'",
            [ids[0]],
        ).fetchone()
    finally:
        db.close()
    assert tuple(row) == ("skipped", "not_news")
    # The next paragraph came as a fragment: its Skip button opens the same dialog, by mouse.
    following = int(page.locator("#task").get_attribute("data-paragraph"))
    page.get_by_role("button", name="Skip…").click()
    page.locator("#skip-dialog").wait_for(state="visible")
    page.locator("#skip-dialog").get_by_role("button", name="Unclear").click()
    page.wait_for_selector(f'#task:not([data-paragraph="{following}"])')
    db = store.connect(live_db)
    try:
        row = db.execute(
            "select state, skip_reason from assignments a join users u on u.id = a.user_id "
            "where a.paragraph_id = ? and u.name = 'annotator2'",
            [following],
        ).fetchone()
    finally:
        db.close()
    assert tuple(row) == ("skipped", "unclear")


def test_previous_opens_your_last_paragraph_with_its_labels(login, live_server, live_db, kbd_project):
    ids = _article(live_db, kbd_project, ["First one here.", "Second one here."])
    _hand(live_db, kbd_project, "admin", ids[0])
    page = login("admin")
    _open(page, live_server, kbd_project, ids[0])
    page.keyboard.press("n")
    page.keyboard.type("first note")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f'#task:not([data-paragraph="{ids[0]}"])')
    page.wait_for_selector("#para-text:focus")
    # The next paragraph came without the scheme (the page had it): the key overlay still opens.
    page.keyboard.press("?")
    page.locator("#keys-help").wait_for(state="visible")
    assert page.locator("#keys-help").count() == 1
    page.keyboard.press("Escape")
    page.locator("#keys-help").wait_for(state="hidden")
    page.wait_for_selector("#para-text:focus")
    page.keyboard.press("<")
    page.wait_for_selector(f'#task[data-paragraph="{ids[0]}"]')
    assert page.url.endswith(f"/paragraphs/{ids[0]}")
    assert page.locator("textarea[data-path=notes]").input_value() == "first note"


@pytest.mark.parametrize("choice", ["o", "r"], ids=["overwrite", "reload"])
def test_stale_save_offers_reload_or_overwrite(browser, live_server, live_db, kbd_project, choice):
    [pid] = _article(live_db, kbd_project, [f"Two tabs, one paragraph ({choice})."])
    _hand(live_db, kbd_project, "reviewer", pid)
    context = browser.new_context()
    try:
        first = sign_in(context.new_page(), live_server, "reviewer")
        second = context.new_page()
        for tab in (first, second):
            _open(tab, live_server, kbd_project, pid)
        first.keyboard.press("n")
        first.keyboard.type("from the first tab")
        first.keyboard.press("Control+s")
        first.wait_for_selector("#status:has-text('Saved (version')")
        second.keyboard.press("n")
        second.keyboard.type("from the second tab")
        second.keyboard.press("Control+s")
        second.locator("#conflict-dialog").wait_for(state="visible")
        second.keyboard.press(choice)
        if choice == "o":
            second.wait_for_selector("#status:has-text('Saved (version 2)')")
        else:  # reload: the saved labels replace the page's, and the page edits version 1 from now on
            expect(second.locator("textarea[data-path=notes]")).to_have_value("from the first tab")
            assert json.loads(second.evaluate("JSON.stringify(window.Annotate.app.version)")) == 1
    finally:
        context.close()
    saved = stored(live_db, pid, "reviewer")
    if choice == "o":
        assert saved["version"] == 2 and saved["labels"]["notes"] == "from the second tab"
    else:
        assert saved["version"] == 1 and saved["labels"]["notes"] == "from the first tab"


def test_offsets_are_code_points_with_emoji_and_non_latin_text(login, live_server, live_db, kbd_project):
    [pid] = _article(live_db, kbd_project, [MIXED])
    _hand(live_db, kbd_project, "annotator1", pid)
    page = login("annotator1")
    _open(page, live_server, kbd_project, pid)
    # An emoji sequence (woman, ZWJ, staff of Aesculapius, variation selector) is one word to the keys.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    emoji = MIXED.index("👩")
    assert _selection(page) == [emoji, emoji + len("👩‍⚕️")]
    # Keyboard: find the Cyrillic word, extend over the closing guillemet.
    page.keyboard.press("/")
    page.keyboard.type("При")
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    start = MIXED.index("Привет")
    end = MIXED.index("»") + 1
    assert _selection(page) == [start, end]
    page.keyboard.press("l")
    # Mouse: select "東京" after the emoji through the DOM (UTF-16 offsets), as a drag would.
    page.evaluate("""() => {
        const root = document.getElementById('para-text');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode())) {
            const i = node.data.indexOf('東京');
            if (i >= 0) { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 2);
                const s = getSelection(); s.removeAllRanges(); s.addRange(r); break; }
        }
        root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    tokyo = MIXED.index("東京")
    assert _selection(page) == [tokyo, tokyo + 2]
    page.keyboard.press("f")
    doc = json.loads(page.evaluate("window.Annotate.app.model.json()"))
    assert doc["claims"][0]["span"] == {"start": start, "end": end, "text": "Привет, мир»"}
    assert doc["framing"]["framing_spans"][0]["start"] == tokyo
    # Fill the required fields by keys and save: the server checks every offset against its text.
    for key in (
        "Enter",
        "1",
        "1",  # framing span: technique, voice
        "Enter",
        "3",
        "0",
        "7",
        "6",  # claim: NFS, S0, other claim, uncommitted
        "Escape",
        "Control+s",
    ):
        page.keyboard.press(key)
    page.wait_for_selector("#status:has-text('Saved (version')")
    labels = stored(live_db, pid, "annotator1")["labels"]
    assert labels["claims"][0]["span"] == {"start": start, "end": end, "text": MIXED[start:end]}
    fs = labels["framing"]["framing_spans"][0]
    assert (fs["start"], fs["end"], fs["text"]) == (tokyo, tokyo + 2, "東京")


def test_grab_resize_and_remove_spans_by_keyboard(login, live_server, live_db, kbd_project):
    [pid] = _article(live_db, kbd_project, ["Officials in Kyiv said on Monday that the bridge was closed."])
    _hand(live_db, kbd_project, "annotator2", pid)
    page = login("annotator2")
    _open(page, live_server, kbd_project, pid)
    keys = [
        "Shift+ArrowRight",
        "Shift+ArrowRight",
        "s",  # source "Officials in Kyiv"
        "g",
        "Shift+ArrowLeft",
        "Shift+ArrowLeft",
        "Enter",  # resize to "Officials"
        "ArrowRight",
        "ArrowRight",
        "ArrowRight",
        "c",  # cue "said"
        "ArrowRight",
        "x",
    ]  # "on" has no span: nothing removed
    for key in keys:
        page.keyboard.press(key)
    doc = json.loads(page.evaluate("window.Annotate.app.model.json()"))
    assert doc["attributions"][0]["sources"] == [{"start": 0, "end": 9, "text": "Officials"}]
    assert doc["attributions"][0]["cue"]["text"] == "said"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("x")  # removes the cue under the selection
    doc = json.loads(page.evaluate("window.Annotate.app.model.json()"))
    assert doc["attributions"][0]["cue"] is None


def _select_between(page, first, first_offset, second, second_offset):
    """Select from inside one word to inside another through the DOM (UTF-16 offsets), then release the mouse."""
    page.evaluate(
        """([a, i, b, j]) => {
        const root = document.getElementById('para-text');
        const find = (needle) => { const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT); let n;
            while ((n = w.nextNode())) { const k = n.data.indexOf(needle); if (k >= 0) return [n, k]; } };
        const [n1, k1] = find(a); const [n2, k2] = find(b);
        const r = document.createRange(); r.setStart(n1, k1 + i); r.setEnd(n2, k2 + j);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r);
        root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""",
        [first, first_offset, second, second_offset],
    )


def test_mouse_selection_snaps_to_words_and_a_legend_click_marks(login, live_server, live_db, kbd_project):
    text = "Officials in Kyiv said on Monday that the bridge was closed."
    [pid] = _article(live_db, kbd_project, [text])
    _hand(live_db, kbd_project, "reviewer", pid)
    page = login("reviewer")
    _open(page, live_server, kbd_project, pid)
    _select_between(page, "ficials", 2, "Kyiv", 2)  # from inside "Officials" to inside "Kyiv"
    assert _selection(page) == [0, len("Officials in Kyiv")]
    page.locator("button.legendbtn[data-role=source]").click()
    doc = json.loads(page.evaluate("window.Annotate.app.model.json()"))
    assert doc["attributions"][0]["sources"] == [{"start": 0, "end": 17, "text": "Officials in Kyiv"}]
    # With snapping off (w), a selection keeps its exact characters.
    page.keyboard.press("w")
    _select_between(page, "Monday", 1, "bridge", 3)
    start = text.index("Monday") + 1
    assert _selection(page) == [start, text.index("bridge") + 3]


def test_choice_fields_work_without_javascript(browser, live_server, live_db, kbd_project):
    ids = _article(live_db, kbd_project, ["Plain form paragraph.", "After the plain form."])
    _hand(live_db, kbd_project, "admin", ids[0])
    context = browser.new_context(java_script_enabled=False)
    try:
        page = sign_in(context.new_page(), live_server, "admin")
        page.goto(f"{live_server}/projects/{kbd_project['id']}/paragraphs/{ids[0]}")
        page.check("input[name=kind][value=quote_only]")
        page.check("input[name=frames][value=Political]")
        page.select_option("select[name=primary_frame]", "Political")
        page.fill("textarea[name=notes]", "no script here")
        page.click("form.plain button[type=submit]")
        page.wait_for_url(lambda url: "/paragraphs/" in url and not url.endswith(f"/paragraphs/{ids[0]}"))
    finally:
        context.close()
    labels = stored(live_db, ids[0], "admin")["labels"]
    assert labels["kind"] == "quote_only" and labels["framing"]["frames"] == ["Political"]
    assert labels["notes"] == "no script here"


def test_a_real_mouse_drag_selects_whole_words(login, live_server, live_db, kbd_project):
    text = "Officials in Kyiv said on Monday that the bridge was closed."
    [pid] = _article(live_db, kbd_project, [text])
    _hand(live_db, kbd_project, "annotator2", pid)
    page = login("annotator2")
    _open(page, live_server, kbd_project, pid)
    box = page.locator("#para-text").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 20, steps=5)
    page.mouse.up()
    start, end = _selection(page)
    assert start == 0 and 9 < end < len(text)
    assert text[end - 1].isalpha() and not text[end].isalpha()  # ends on a whole word


def test_flag_by_keyboard(login, live_server, live_db, kbd_project):
    [pid] = _article(live_db, kbd_project, ["Share on Facebook Share on Twitter Subscribe"])
    _hand(live_db, kbd_project, "annotator1", pid)
    page = login("annotator1")
    _open(page, live_server, kbd_project, pid)
    page.keyboard.press("!")
    page.locator("#flag-dialog").wait_for(state="visible")
    page.keyboard.press("1")  # extraction error
    page.keyboard.press("Enter")
    page.wait_for_selector("#status:has-text('Flagged')")
    assert not page.locator("#flag-dialog").is_visible()
    db = store.connect(live_db)
    try:
        reasons = [r[0] for r in db.execute("select reason from flags where paragraph_id = ?", [pid])]
    finally:
        db.close()
    assert reasons == ["extraction_error"]


def test_server_errors_show_beside_their_fields(login, live_server, live_db, kbd_project):
    [pid] = _article(live_db, kbd_project, ["Prices rose by 5 percent last year."])
    _hand(live_db, kbd_project, "annotator2", pid)
    page = login("annotator2")
    _open(page, live_server, kbd_project, pid)
    for key in ("Shift+End", "Shift+ArrowLeft", "l", "Control+s"):
        page.keyboard.press(key)
    field = page.locator('[data-path="claims[0].checkworthiness"]')
    field.locator(".ferr").wait_for()
    assert "Check-worthiness is required" in field.locator(".ferr").text_content()
    assert "has-error" in field.get_attribute("class")
    assert (
        "Sourcing strength is required"
        in page.locator('[data-path="claims[0].sourcing_strength"] .ferr').text_content()
    )
    assert stored(live_db, pid, "annotator2") is None
    # Fixing the fields by keys and saving clears the errors.
    for key in ("Enter", "1", "3", "Escape", "Control+s"):
        page.keyboard.press(key)
    page.wait_for_selector("#status:has-text('Saved (version 1)')")
    assert page.locator(".ferr").count() == 0


def test_a_core_only_project_labels_without_extended_fields(login, live_server, live_db):
    from annotator import projects as project_service

    db = store.connect(live_db)
    try:
        project = project_service.find_project_by_name(db, "core-only")
        if project is None:
            project = project_service.create_project(db, "core-only", overlap=2)
            project_service.add_member(db, project, "annotator1", role="annotator")
    finally:
        db.close()
    text = "The ministry said that exports fell."
    [pid] = _article(live_db, project, [text])
    _hand(live_db, project, "annotator1", pid)
    page = login("annotator1")
    _open(page, live_server, project, pid)
    assert page.locator("button.legendbtn[data-role=supplement]").count() == 0
    assert page.locator('[data-sec="stance"]').count() == 0
    for key in (
        "ArrowRight",
        "ArrowRight",
        "c",  # cue "said"
        "Shift+ArrowLeft",
        "Shift+ArrowLeft",
        "s",
    ):  # Shift+Left from one word grows leftwards
        page.keyboard.press(key)
    doc = json.loads(page.evaluate("window.Annotate.app.model.json()"))
    # Shift+Left from "said" grew the selection leftwards over "ministry" and "The".
    assert doc["attributions"][0]["sources"][0]["text"] == "The ministry said"
    page.keyboard.press("x")  # remove that wrong source again
    for key in (
        "Home",
        "Shift+ArrowRight",
        "s",  # source "The ministry"
        "End",  # the last word, "fell", not the full stop after it
        "Shift+Home",
        "Control+Shift+ArrowRight",
        "Control+Shift+ArrowRight",
        "Control+Shift+ArrowRight",
        "t",  # content "that exports fell"
        "Control+Shift+ArrowRight",
        "l",  # claim "exports fell"
        "Enter",
        "2",
        "3",  # c1 (the current item): UFS, S3
        "Enter",
        "2",
        "4",
        "1",
        "2",  # a1: named org, unknown interest, on record, neutral
        "Control+s",
    ):
        page.keyboard.press(key)
    page.wait_for_selector("#status:has-text('Saved (version 1)')")
    labels = stored(live_db, pid, "annotator1")["labels"]
    att = labels["attributions"][0]
    assert set(att) == {
        "id",
        "sources",
        "cue",
        "contents",
        "source_form",
        "source_interest",
        "record_status",
        "cue_stance",
    }
    assert att["contents"][0]["text"] == "that exports fell"
    assert (
        labels["claims"][0]["span"]["text"] == "exports fell"
        and labels["claims"][0]["attribution_id"] == "a1"
    )
    assert "stance" not in labels["framing"]
