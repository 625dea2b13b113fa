"""Browser tests: one live waitress server and one headless Chromium per session, driven by Playwright."""

import os
import threading

import pytest

from annotator import accounts, create_app, store
from annotator import projects as project_service
from tests.conftest import USERS, password_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_db(tmp_path_factory):
    """The live server's database: the test users and a project with the sample article."""
    path = str(tmp_path_factory.mktemp("live") / "live.db")
    db = store.connect(path)
    accounts.HASH_METHOD = "pbkdf2:sha256:1000"
    for name, role in USERS.items():
        accounts.create_user(db, name, role=role, password=password_of(name))
    db.close()
    return path


@pytest.fixture(scope="session")
def live_server(live_db):
    import waitress

    # Every browser logs in from 127.0.0.1, many times a minute: lift the per-address login limit.
    app = create_app(
        {
            "DB": live_db,
            "SECRET_KEY": "browser-tests",
            "TESTING": False,
            "LOGIN_RATE_LIMIT": "10000 per minute",
        }
    )
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: 'make test' installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in(page, live_server: str, name: str):
    """Sign ``page`` in as the named test user through the login form (with or without JavaScript)."""
    page.goto(f"{live_server}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password_of(name))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    return page


@pytest.fixture
def login(page, live_server):
    """Log ``page`` in as the named user and return the page."""
    return lambda name: sign_in(page, live_server, name)


def sample_project(live_db: str, name: str, *, overlap: int) -> dict:
    """The project ``name`` on the live server holding the sample article, every test user a member; made once."""
    from annotator import demo

    db = store.connect(live_db)
    try:
        project = project_service.find_project_by_name(db, name)
        if project is None:
            project = project_service.create_project(db, name, overlap=overlap, extended="all")
            for user, role in USERS.items():
                project_service.add_member(db, project, user, role=role)
            demo.import_samples(db, project)
        return project
    finally:
        db.close()


@pytest.fixture(scope="session")
def live_project(live_db):
    return sample_project(live_db, "live", overlap=2)


def disagreement_project(live_db: str, name: str, which: str, first: dict, second: dict) -> tuple[dict, int]:
    """The project ``name`` with the sample article, where annotator1 gave ``first`` and annotator2 ``second``
    to the paragraph ``which`` ("stated" or "reiterated"); return the project and that paragraph's id."""
    from annotator import review
    from tests.review_data import SAMPLES, annotate

    project = sample_project(live_db, name, overlap=2)
    text = SAMPLES[["stated", "reiterated"].index(which)]["text"]
    db = store.connect(live_db)
    try:
        pid = db.execute(
            "select id from paragraphs where project_id = ? and text = ?", [project["id"], text]
        ).fetchone()[0]
        if not db.execute("select 1 from annotations where paragraph_id = ?", [pid]).fetchone():
            annotate(db, pid, "annotator1", first)
            annotate(db, pid, "annotator2", second)
            review.refresh(db, project)
        return project, pid
    finally:
        db.close()
