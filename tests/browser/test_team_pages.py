"""The team pages in Chromium: progress with its chart, pausing, and an annotator meeting the paused page."""

from annotator import projects as project_service
from annotator import store, team
from tests.browser.conftest import sign_in


def test_progress_settings_and_pause(login, live_server, live_db, live_project, browser):
    page = login("admin")
    page.goto(f"{live_server}/projects/{live_project['id']}/progress")
    assert page.locator("#daily-chart rect").count() == team.CHART_DAYS
    assert page.locator("#by-annotations tbody tr").count() == live_project["overlap"] + 2
    page.goto(f"{live_server}/projects/{live_project['id']}/settings")
    try:
        page.click("#pause-state button[type=submit]")
        page.wait_for_selector("#pause-state .alert")
        assert "paused" in page.locator("#pause-state .alert").inner_text()
        context = browser.new_context()
        annotator = sign_in(context.new_page(), live_server, "annotator2")
        annotator.goto(f"{live_server}/projects/{live_project['id']}/annotate")
        assert "is paused" in annotator.locator("#task").inner_text()
        context.close()
        page.click("#pause-state button[type=submit]")
        page.wait_for_selector("#pause-state .alert", state="detached")
    finally:
        # The live project is shared by the other browser tests: never leave it paused.
        db = store.connect(live_db)
        team.set_paused(db, project_service.get_project(db, live_project["id"]), False)
        db.close()
