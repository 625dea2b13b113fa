"""Every page, for every role, at phone (390 px), tablet (768 px) and laptop (1366 px) widths: no sideways
scrolling of the page, one <h1>, and no serious or critical axe-core violation (WCAG 2.1 AA rules)."""

from pathlib import Path

import axe_playwright_python
import pytest

from annotator import annotation, queue, review, store, team
from annotator import projects as project_service
from annotator.store import users
from tests.browser.conftest import sign_in
from tests.conftest import USERS
from tests.review_data import LAVROV_STATED, SAMPLES, annotate, import_sample, stated_b

# axe-core as the axe-playwright-python wheel ships it (MPL-2.0); the page is checked with its rules.
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WIDTHS = (390, 768, 1366)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def site(live_db):
    """A project with a paragraph in review, a flag, a skipped paragraph: every page has something to show."""
    db = store.connect(live_db)
    try:
        project = project_service.find_project_by_name(db, "every-page")
        if project is None:
            project = project_service.create_project(db, "every-page", overlap=2, extended="all")
            for name, role in USERS.items():
                project_service.add_member(db, project, name, role=role)
            ids = import_sample(db, project)
            annotate(db, ids["stated"], "annotator1", LAVROV_STATED)
            annotate(db, ids["stated"], "annotator2", stated_b())
            review.refresh(db, project)
            project = team.update_settings(db, project, feedback=True)  # the feedback page is on
            me = users.get_user_by_name(db, "annotator1")
            # A flag is raised on a paragraph the annotator was given.
            given = queue.next_paragraph(db, project, actor=me)
            annotation.flag(db, project, actor=me, paragraph_id=given["id"], reason="bad_split", note="n")
        pid = db.execute(
            "select id from paragraphs where project_id = ? and text = ?", [project["id"], SAMPLES[0]["text"]]
        ).fetchone()[0]
        article = db.execute("select article_id from paragraphs where id = ?", [pid]).fetchone()[0]
        others = [
            r[0]
            for r in db.execute(
                "select id from paragraphs where project_id = ? and id != ? order by id", [project["id"], pid]
            )
        ]
        # Each signed-in user has a paragraph of their own to open on the annotate page.
        mine = {}
        for name, other in zip(("annotator1", "reviewer", "admin"), others, strict=False):
            queue.renew(db, project, actor=users.get_user_by_name(db, name), paragraph_id=other)
            mine[name] = other
        return {"project": project["id"], "paragraph": pid, "article": article, "mine": mine}
    finally:
        db.close()


def pages(site, role):
    p, pid, art = site["project"], site["paragraph"], site["article"]
    common = [
        "/",
        "/account/password",
        f"/projects/{p}/guidelines",
        f"/projects/{p}/my-work",
        f"/projects/{p}/feedback",
        f"/projects/{p}/paragraphs/{site['mine'][role]}",
    ]
    reviewer = [
        f"/projects/{p}/agreement",
        f"/projects/{p}/review",
        f"/projects/{p}/review/{pid}",
        f"/projects/{p}/review/unanimous",
        f"/projects/{p}/progress",
    ]
    admin = [
        "/admin/users",
        "/admin/events",
        f"/articles/{art}",
        f"/articles/{art}/units/{pid}/split",
        f"/projects/{p}/articles",
        f"/projects/{p}/export",
        f"/projects/{p}/flags",
        f"/projects/{p}/import",
        f"/projects/{p}/settings",
        f"/projects/{p}/working",
        "/projects/new",
    ]
    return common + (reviewer if role in ("reviewer", "admin") else []) + (admin if role == "admin" else [])


def audit(page, with_axe):
    """What a user of the page at this width would run into."""
    found = page.evaluate(
        """() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        h1: document.querySelectorAll('h1').length,
        wide: Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right >
            document.documentElement.clientWidth + 1 && !(e.parentElement && e.parentElement.closest('.scroll-x, dialog:not([open])'))).slice(0, 3)
            .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)),
    })"""
    )
    if with_axe:
        if not page.evaluate("!!window.axe"):
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        found["violations"] = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    return found


@pytest.mark.parametrize("role", ["anonymous", "annotator1", "reviewer", "admin"])
def test_every_page_fits_every_width_and_passes_axe(browser, live_server, site, role):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    missing = []  # the icon and every script, sheet and image a page asks for are there
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    problems = []
    try:
        if role == "anonymous":
            urls = ["/login"]
        else:
            sign_in(page, live_server, role)
            urls = pages(site, role)
        for url in urls:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(live_server + url)
                page.wait_for_load_state("load")
                if "/paragraphs/" in url:
                    page.wait_for_selector("#task.js")
                found = audit(page, with_axe=width in (390, 1366))
                if found["overflow"] > 0:
                    problems.append(
                        f"{url} @{width}: page scrolls sideways by {found['overflow']} px {found['wide']}"
                    )
                if found["h1"] != 1:
                    problems.append(f"{url} @{width}: {found['h1']} <h1> elements")
                for v in found.get("violations", []):
                    problems.append(f"{url} @{width}: {v}")
    finally:
        context.close()
    assert not errors, errors
    assert not missing, missing
    assert not problems, "\n".join(dict.fromkeys(problems))


CONTRAST = """([selector, background]) => {
    const lum = (rgb) => { const c = rgb.match(/\\d+/g).slice(0, 3).map(Number).map((v) => v / 255)
        .map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    return Array.from(document.querySelectorAll(selector)).map((n) => { const s = getComputedStyle(n);
        return { cls: n.className, style: s.borderBottomStyle + ' ' + s.borderBottomWidth + ' ' + s.textDecorationStyle,
                 ratio: ratio(s.borderBottomColor, background), badge: n.textContent.trim() }; });
}"""


def test_span_marks_stand_out_by_contrast_line_style_and_letter(browser, live_server, site):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = sign_in(context.new_page(), live_server, "reviewer")
    page.goto(f"{live_server}/projects/{site['project']}/paragraphs/{site['mine']['reviewer']}")
    page.wait_for_selector("#task.js")
    # Against white, the selection's yellow and an item's highlight: every role's line at least 3:1.
    for background in ("rgb(255, 255, 255)", "rgb(255, 229, 138)", "rgb(227, 236, 251)"):
        marks = page.evaluate(CONTRAST, [".legend .swatch", background])
        assert len(marks) >= 5
        assert all(m["ratio"] >= 3 for m in marks), [(m["cls"], round(m["ratio"], 2)) for m in marks]
    # Told apart by more than hue: each role has its own letter, and its own line (style, width, decoration).
    assert len({m["badge"] for m in marks}) == len(marks)
    assert len({m["style"] for m in marks}) == len(marks), [m["style"] for m in marks]
    page.goto(f"{live_server}/projects/{site['project']}/review/{site['paragraph']}")
    roles = page.evaluate(
        CONTRAST,
        [
            ".legend .seg.r-source, .legend .seg.r-cue:not(.partial), .legend .seg.r-content",
            "rgb(255, 255, 255)",
        ],
    )
    assert len(roles) == 3 and all(m["ratio"] >= 3 for m in roles), roles
    assert len({m["style"] for m in roles}) == 3
    context.close()


def test_the_annotate_dialogs_pass_axe_and_fit_a_phone(browser, live_server, site):
    context = browser.new_context(viewport={"width": 390, "height": 800}, bypass_csp=True)
    page = sign_in(context.new_page(), live_server, "annotator1")
    page.goto(f"{live_server}/projects/{site['project']}/paragraphs/{site['mine']['annotator1']}")
    page.wait_for_selector("#para-text:focus")
    problems = []
    for key, dialog in (("?", "#keys-help"), ("!", "#flag-dialog"), ("Shift+K", "#skip-dialog")):
        page.keyboard.press(key)
        page.locator(dialog).wait_for(state="visible")
        found = audit(page, with_axe=True)
        box = page.locator(dialog).bounding_box()
        if box["x"] < 0 or box["x"] + box["width"] > 390:
            problems.append(f"{dialog} is wider than the screen: {box}")
        problems += [f"{dialog}: {v}" for v in found["violations"]]
        page.keyboard.press("Escape")
        page.locator(dialog).wait_for(state="hidden")
    context.close()
    assert not problems, "\n".join(problems)


def test_home_pages_say_what_there_is_to_do(browser, live_server, site):
    for name in ("annotator1", "reviewer", "admin"):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = sign_in(context.new_page(), live_server, name)
        row = page.locator("tr", has_text="every-page")
        cells = row.locator("td").all_inner_texts()
        assert cells[3].strip().isdigit() and int(cells[3]) > 0, (name, cells)
        assert " done · " in cells[4] and "open to you" in cells[4], (name, cells)
        context.close()


def test_admin_users_page_small_things(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = sign_in(context.new_page(), live_server, "admin")
    page.goto(f"{live_server}/admin/users")
    assert page.locator("tr[data-user=admin] button", has_text="Deactivate").count() == 0
    assert page.locator("tr[data-user=reviewer] button", has_text="Deactivate").count() == 1
    page.fill("#name", "browser-newcomer")
    page.get_by_role("button", name="Add user").click()
    page.wait_for_selector("tr[data-user=browser-newcomer]")
    assert page.input_value("#name") == ""
    assert page.get_attribute("#password", "autocomplete") == "new-password"
    context.close()
