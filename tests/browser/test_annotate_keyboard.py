"""Label the two worked-example paragraphs by keyboard alone; the stored labels must equal the reference."""

import pytest

from tests.browser.annotate_helpers import Keys, hand_over, kbd_project, reference, stored  # noqa: F401

KEYSTROKES = {}


def open_paragraph(page, live_server, project, paragraph_id):
    page.goto(f"{live_server}/projects/{project['id']}/paragraphs/{paragraph_id}")
    page.wait_for_selector("#task.js")
    page.wait_for_selector("#para-text:focus")


def wait_next(page, pid):
    try:
        page.wait_for_selector(f'#task:not([data-paragraph="{pid}"])')
    except Exception:
        problems = page.locator(".ferr").all_text_contents()
        raise AssertionError(f"not saved: {page.locator('#status').text_content()} {problems}") from None


def test_first_worked_paragraph_by_keyboard(login, live_server, live_db, kbd_project):
    ref = reference()[0]
    page = login("annotator1")
    pid = hand_over(live_db, kbd_project, "annotator1", "Speaking at a roundtable")
    open_paragraph(page, live_server, kbd_project, pid)
    k = Keys(page)
    k.find("st"); k("c")                                     # cue "stated": starts a1
    k("ArrowLeft", "s")                                       # source "Lavrov"
    k("ArrowRight", "ArrowRight", "Shift+End", "Shift+ArrowLeft", "t")   # content "that ... transfers"
    k("Control+Shift+ArrowRight", "l")                         # claim: the content minus "that" -> a1
    k.find("“"); k("Shift+ArrowRight", "Shift+ArrowRight", "Shift+ArrowRight", "f")  # framing span
    k("Home"); k.find("Tu", extend=True); k("p")             # supplement
    k("Enter", "1", "g", "1", "1", "1", "2", "2")            # a1: form, role, interest, record, type, quote, stance
    k("Enter", "1", "2", "1", "1")                           # c1: CFS, S2, event_action, certain_true
    k.type(ref["labels"]["claims"][0]["decontextualized"]); k("Enter")
    k("Enter", "x", "s", "Enter")                            # frames (primary: the first chosen)
    k("Enter", "5", "2")                                     # framing span: technique, voice
    k("d"); k.type("Western governments"); k("Enter", "3", "2")   # stance
    k("n"); k.type(ref["labels"]["notes"])
    k("Control+Enter")
    wait_next(page, pid)
    saved = stored(live_db, pid, "annotator1")
    KEYSTROKES["paragraph 1"] = (k.count, k.count - k.typed)
    print(f"\nworked paragraph 1: {k.count} keystrokes, {k.count - k.typed} without typed free text")
    assert saved is not None
    assert saved["labels"] == ref["labels"]
    assert saved["seconds"] > 0


def test_second_worked_paragraph_by_keyboard(login, live_server, live_db, kbd_project):
    ref = reference()[1]
    page = login("annotator1")
    pid = hand_over(live_db, kbd_project, "annotator1", "Last week, speaking at a UN")
    open_paragraph(page, live_server, kbd_project, pid)
    k = Keys(page)
    k.find("re"); k("c")                                     # a1 cue "reiterated"
    k("ArrowLeft", "s")                                       # source "Lavrov"
    k("ArrowRight", "ArrowRight", "e")                        # embedded source "Moscow’s"
    k("ArrowRight", "Shift+E")                                # embedded cue "claims"
    k("ArrowLeft"); k.find("mar", extend=True); k("t")       # content "Moscow’s claims ... market"
    k("Control+Shift+ArrowRight", "Control+Shift+ArrowRight", "Control+Shift+ArrowRight", "l")  # claim c1
    k("Escape", "f")                                          # framing span "Kiev"
    k("Home"); k.find("mee", extend=True); k("p")            # supplement of a1
    k.find("exp"); k("Shift+ArrowRight", "c")                # a2 cue "expressed disbelief"
    k("ArrowRight", "Shift+End", "Shift+ArrowLeft", "t")     # a2 content
    k("Control+Shift+ArrowRight", "l")                        # claim c2 -> a2
    k.find("Lav"); k("s")                                     # a2 source "Lavrov"
    k("Home"); k.find("mee", extend=True); k("p")            # a2 supplement
    k("Enter", "1", "g", "1", "1", "2", "3", "2")            # a2 attributes
    k("Enter", "1", "g", "1", "1", "1", "3", "2")            # a1 attributes
    k("Enter", "1", "2", "1", "1")                           # c1
    k.type(ref["labels"]["claims"][0]["decontextualized"]); k("Enter")
    k("Enter", "3", "2", "7", "4")                           # c2
    k.type(ref["labels"]["claims"][1]["decontextualized"]); k("Enter")
    k("Enter", "r", "s", "x", "Enter")                       # frames
    k("Enter", "3", "1"); k.type("Kyiv"); k("Enter")         # framing span: contested naming, outlet, alternative
    k("d"); k.type("Ukrainian government"); k("Enter", "3", "1")
    k("d"); k.type("Western governments"); k("Enter", "3", "2")
    k("n"); k.type(ref["labels"]["notes"])
    k("Control+Enter")
    wait_next(page, pid)
    saved = stored(live_db, pid, "annotator1")
    KEYSTROKES["paragraph 2"] = (k.count, k.count - k.typed)
    print(f"\nworked paragraph 2: {k.count} keystrokes, {k.count - k.typed} without typed free text")
    assert saved is not None
    assert saved["labels"] == ref["labels"]
