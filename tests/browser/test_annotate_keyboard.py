"""Label the two worked-example paragraphs by keyboard alone; the stored labels must equal the reference."""

import json
from pathlib import Path

from tests.browser import annotate_helpers as helpers
from tests.browser.annotate_helpers import Find, Keys, Type, hand_over, reference, stored

kbd_project = helpers.kbd_project

KEYSTROKES = {}
RECORD = Path(__file__).resolve().parents[2] / "bench" / "out" / "annotate_keystrokes.json"


def record(name: str, keys: Keys) -> None:
    """Print the keystroke count and keep it in bench/out/ (gitignored) for the report."""
    KEYSTROKES[name] = {
        "keystrokes": keys.count,
        "typed_characters": keys.typed,
        "without_typed_text": keys.count - keys.typed,
    }
    print(
        f"\n{name}: {keys.count} keystrokes, {keys.count - keys.typed} without {keys.typed} typed characters"
    )
    RECORD.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    RECORD.write_text(json.dumps({**previous, **KEYSTROKES}, indent=2))


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
    k(Find("st"), "c")  # cue "stated": starts a1
    k("ArrowLeft", "s")  # source "Lavrov"
    k("ArrowRight", "ArrowRight", "Shift+End", "Shift+ArrowLeft", "t")  # content "that ... transfers"
    k("Control+Shift+ArrowRight", "l")  # claim: the content minus "that" -> a1
    k(Find("“"), "Shift+ArrowRight", "Shift+ArrowRight", "Shift+ArrowRight", "f")  # framing span
    k("Home", Find("Tu", extend=True), "p")  # supplement
    k("Enter", "1", "g", "1", "1", "1", "2", "2")  # a1: form, role, interest, record, type, quote, stance
    k("Enter", "1", "2", "1", "1")  # c1: CFS, S2, event_action, certain_true
    k(Type(ref["labels"]["claims"][0]["decontextualized"]), "Enter")
    k("Enter", "x", "s", "Enter", "x")  # frames, then the primary frame, named explicitly
    k("Enter", "5", "2")  # framing span: technique, voice
    k("d", Type("Western governments"), "Enter", "3", "2")  # stance
    k("n", Type(ref["labels"]["notes"]))
    k("Control+Enter")
    wait_next(page, pid)
    saved = stored(live_db, pid, "annotator1")
    record("worked paragraph 1", k)
    assert saved is not None
    assert saved["labels"] == ref["labels"]
    assert saved["seconds"] > 0


def test_second_worked_paragraph_by_keyboard(login, live_server, live_db, kbd_project):
    ref = reference()[1]
    page = login("annotator1")
    pid = hand_over(live_db, kbd_project, "annotator1", "Last week, speaking at a UN")
    open_paragraph(page, live_server, kbd_project, pid)
    k = Keys(page)
    k(Find("re"), "c")  # a1 cue "reiterated"
    k("ArrowLeft", "s")  # source "Lavrov"
    k("ArrowRight", "ArrowRight", "e")  # embedded source "Moscow’s"
    k("ArrowRight", "Shift+E")  # embedded cue "claims"
    k("ArrowLeft", Find("mar", extend=True), "t")  # content "Moscow’s claims ... market"
    k("Control+Shift+ArrowRight", "Control+Shift+ArrowRight", "Control+Shift+ArrowRight", "l")  # claim c1
    k("Escape", "f")  # framing span "Kiev"
    k("Home", Find("mee", extend=True), "p")  # supplement of a1
    k(Find("exp"), "Shift+ArrowRight", "c")  # a2 cue "expressed disbelief"
    k("ArrowRight", "Shift+End", "Shift+ArrowLeft", "t")  # a2 content
    k("Control+Shift+ArrowRight", "l")  # claim c2 -> a2
    k(Find("Lav"), "s")  # a2 source "Lavrov"
    k("Home", Find("mee", extend=True), "p")  # a2 supplement
    k("Enter", "1", "g", "1", "1", "2", "3", "2")  # a2 attributes
    k("Enter", "1", "g", "1", "1", "1", "3", "2")  # a1 attributes
    k("Enter", "1", "2", "1", "1")  # c1
    k(Type(ref["labels"]["claims"][0]["decontextualized"]), "Enter")
    k("Enter", "3", "2", "7", "4")  # c2
    k(Type(ref["labels"]["claims"][1]["decontextualized"]), "Enter")
    k("Enter", "r", "s", "x", "Enter", "r")  # frames, then the primary frame, named explicitly
    k("Enter", "3", "1", Type("Kyiv"), "Enter")  # framing span: contested naming, outlet, alternative
    k("d", Type("Ukrainian government"), "Enter", "3", "1")
    k("d", Type("Western governments"), "Enter", "3", "2")
    k("n", Type(ref["labels"]["notes"]))
    k("Control+Enter")
    wait_next(page, pid)
    saved = stored(live_db, pid, "annotator1")
    record("worked paragraph 2", k)
    assert saved is not None
    assert saved["labels"] == ref["labels"]
