"""In Chromium: an admin uploads two files, reads the summary, opens an article and fixes its units."""

import json
import uuid

import pytest
from playwright.sync_api import expect

from annotator import projects as project_service
from annotator import store
from tests.browser.conftest import sign_in


@pytest.fixture(scope="module")
def import_project(live_db):
    """A project of its own (named to sort last), so these articles never reach the queue other browser tests walk."""
    db = store.connect(live_db)
    try:
        project = project_service.find_project_by_name(
            db, "zz-browser-imports"
        ) or project_service.create_project(db, "zz-browser-imports")
    finally:
        db.close()
    return project


def _files(tmp_path):
    token = uuid.uuid4().hex[:8]  # the live database lives for the session: keep these articles new
    text = tmp_path / "story.txt"
    text.write_text(
        f"Ferry service {token} resumes\n\n"
        "The ferry service resumed on Friday after repairs to the pier, the operator said. Passengers welcomed it.\n\n"
        "Tickets bought for cancelled crossings will be refunded, the company added.\n",
        encoding="utf-8",
    )
    feed = tmp_path / "feed.jsonl"
    record = {
        "url": f"https://wire.example/{token}",
        "title": f"Wire story {token}",
        "paragraphs": ["One 😀 two.", "Three."],
    }
    feed.write_text(json.dumps(record, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps({**record, "url": record["url"] + "/ok"}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return token, text, feed, good


def test_upload_two_files_then_open_and_edit_the_article(login, live_server, import_project, tmp_path):
    token, text, feed, good = _files(tmp_path)
    page = login("admin")
    page.goto(f"{live_server}/projects/{import_project['id']}/import")
    page.set_input_files("input[name=files]", [str(text), str(feed)])
    page.click("#upload-form button[type=submit]")
    summary = page.locator("#import-result .summary")
    expect(summary).to_have_text(
        "2 files: 1 added, 0 skipped as duplicates, 0 changed versions not imported, 1 failed."
    )
    # htmx swapped the fragment in: still the same page, the form cleared for more.
    assert page.url.endswith("/import")
    assert page.locator("input[name=files]").evaluate("(el) => el.files.length") == 0
    expect(page.locator(".import-failed li")).to_have_text(
        "feed.jsonl, line 2: invalid JSON: Expecting property name enclosed in double quotes at column 2"
    )

    # The same files again: the good one is now a duplicate.
    page.set_input_files("input[name=files]", [str(text), str(good)])
    page.click("#upload-form button[type=submit]")
    expect(summary).to_have_text(
        "2 files: 1 added, 1 skipped as duplicates, 0 changed versions not imported, 0 failed."
    )

    page.click(f"#import-result .import-added a:has-text('Wire story {token}')")
    expect(page.locator("h1.article-title")).to_have_text(f"Wire story {token}")
    rows = page.locator("table.units tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#unit-2 .unit-text")).to_have_text("One 😀 two.")
    dropped = page.locator("details#dropped")
    expect(dropped.locator("summary")).to_have_text("Dropped as boilerplate (0)")
    assert dropped.get_attribute("open") is None

    # Split after the emoji: the caret sits in UTF-16 units, the server counts code points.
    page.click("#unit-2 a:has-text('Split')")
    textarea = page.locator("#split-text")
    textarea.evaluate(
        "(el) => { el.focus(); el.setSelectionRange(7, 7); }"
    )  # after "One 😀 ": 7 UTF-16 units
    textarea.press("Shift")  # a keyup fills the offset from the caret
    expect(page.locator("input#offset")).to_have_value("6")
    page.click(".split-form button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("Unit 2 is split in two.")
    expect(rows).to_have_count(4)
    expect(page.locator("#unit-2 .unit-text")).to_have_text("One 😀")
    expect(page.locator("#unit-3 .unit-text")).to_have_text("two.")

    # Merge back through htmx: the units table is swapped in place.
    page.click("#unit-2 button:has-text('Merge with next')")
    expect(rows).to_have_count(3)
    expect(page.locator("#unit-2 .unit-text")).to_have_text("One 😀 two.")
    page.select_option("#unit-3 select[name=kind]", "quote")
    page.click("#unit-3 button:has-text('Set')")
    expect(page.locator("#unit-3")).to_have_attribute("data-kind", "quote")
    page.click("#unit-3 button:has-text('Drop')")
    expect(rows).to_have_count(2)
    expect(dropped.locator("summary")).to_have_text("Dropped as boilerplate (1)")  # swapped out of band
    page.reload()
    expect(dropped.locator("summary")).to_have_text("Dropped as boilerplate (1)")
    dropped.locator("summary").click()
    expect(dropped.locator("li")).to_have_text("Three. (dropped by hand)")

    # Undo the drop: tick it and restore; it returns where it stood, still a quote.
    dropped.get_by_label("Three.").check()
    dropped.locator("button:has-text('Restore selected')").click()
    expect(rows).to_have_count(3)
    expect(page.locator("#unit-3")).to_have_attribute("data-kind", "quote")
    expect(page.locator("#unit-3 .unit-text")).to_have_text("Three.")
    expect(dropped.locator("summary")).to_have_text("Dropped as boilerplate (0)")

    # Two units dropped at once, then both restored at once.
    page.get_by_label("Choose unit 2").check()
    page.get_by_label("Choose unit 3").check()
    page.click("button:has-text('Drop selected')")
    expect(rows).to_have_count(1)
    expect(dropped.locator("summary")).to_have_text("Dropped as boilerplate (2)")
    dropped.locator("summary").click()
    for box in dropped.locator("input[type=checkbox]").all():
        box.check()
    dropped.locator("button:has-text('Restore selected')").click()
    expect(rows).to_have_count(3)
    expect(page.locator("#unit-3 .unit-text")).to_have_text("Three.")


def test_a_refused_edit_explains_itself(login, live_server, import_project, live_db):
    from annotator import importing
    from annotator.store import articles as article_store

    token = uuid.uuid4().hex[:8]
    record = {"title": f"Locked {token}", "paragraphs": ["Free paragraph.", "Someone is labelling this one."]}
    db = store.connect(live_db)
    try:
        project = import_project
        report = importing.import_bytes(
            db, project, (json.dumps(record) + "\n").encode(), source_name="locked.jsonl"
        )
        article_id = report.added[0]["article_id"]
        units = article_store.list_paragraphs(db, article_id)
        user = db.execute("select id from users where name = 'annotator1'").fetchone()[0]
        db["assignments"].insert(
            {
                "project_id": project["id"],
                "paragraph_id": units[2]["id"],
                "user_id": user,
                "state": "leased",
                "created_at": store.now(),
                "updated_at": store.now(),
            }
        )
    finally:
        db.close()
    page = login("admin")
    page.goto(f"{live_server}/articles/{article_id}")
    expect(page.locator("#unit-3")).to_contain_text("has 1 assignment")
    expect(page.locator("#unit-3 button")).to_have_count(0)
    page.click("#unit-2 button:has-text('Merge with next')")
    expect(page.locator("#flash [role=alert]")).to_contain_text(
        "cannot merge unit 2: unit 3 after it already has 1 assignment"
    )
    expect(page.locator("table.units tbody tr")).to_have_count(3)


def test_without_javascript_the_plain_forms_work(browser, live_server, import_project, tmp_path):
    token, text, _, good = _files(tmp_path)
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "admin")
        page.goto(f"{live_server}/projects/{import_project['id']}/import")
        page.set_input_files("input[name=files]", [str(text), str(good)])
        page.click("#upload-form button[type=submit]")
        expect(page.locator("#import-result .summary")).to_have_text(
            "2 files: 2 added, 0 skipped as duplicates, 0 changed versions not imported, 0 failed."
        )
        page.click(f"#import-result .import-added a:has-text('Ferry service {token} resumes')")
        rows = page.locator("table.units tbody tr")
        before = rows.count()
        page.click("#unit-2 button:has-text('Merge with next')")
        expect(page.locator("#flash")).to_contain_text("Units 2 and 3 are merged.")
        expect(rows).to_have_count(before - 1)
    finally:
        context.close()


def test_split_offsets_count_code_points_of_the_exact_text(login, live_server, import_project, live_db):
    from annotator import importing
    from annotator.store import articles as article_store

    token = uuid.uuid4().hex[:8]
    text = "Line one\r\nLine 😀 two <b>x</b> 'q' end."
    record = {"title": f"Split {token}", "paragraphs": [text]}
    db = store.connect(live_db)
    try:
        report = importing.import_bytes(
            db, import_project, (json.dumps(record) + "\n").encode(), source_name="split.jsonl"
        )
        article_id = report.added[0]["article_id"]
        unit = article_store.list_paragraphs(db, article_id)[1]
    finally:
        db.close()
    page = login("admin")
    page.goto(f"{live_server}/articles/{article_id}/units/{unit['id']}/split")
    area = page.locator("#split-text")
    expect(area).to_have_value(text.replace("\r\n", "\n"))
    area.evaluate("(el) => { el.focus(); el.setSelectionRange(9, 9); }")  # after the shown "\n"
    area.press("Shift")
    expect(page.locator("input#offset")).to_have_value("10")  # "\r" and "\n" are two code points
    area.evaluate("(el) => { el.focus(); el.setSelectionRange(16, 16); }")  # after "😀" (two UTF-16 units)
    area.press("Shift")
    expect(page.locator("input#offset")).to_have_value("16")
    page.click(".split-form button[type=submit]")
    expect(page.locator("#unit-2 .unit-text")).to_have_text("Line one\nLine 😀")
    expect(page.locator("#unit-3 .unit-text")).to_have_text("two <b>x</b> 'q' end.")
    db = store.connect(live_db)
    try:
        texts = [u["text"] for u in article_store.list_paragraphs(db, article_id)[1:]]
    finally:
        db.close()
    assert texts == ["Line one\r\nLine 😀", "two <b>x</b> 'q' end."]
