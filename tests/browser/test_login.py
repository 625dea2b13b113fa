"""Each role logs in, sees its own navigation, and logs out."""

import pytest

from annotator import accounts

NAV = {
    "annotator1": {"show": [], "hide": ["Users", "Audit log"]},
    "reviewer": {"show": [], "hide": ["Users", "Audit log"]},
    "admin": {"show": ["Users", "Audit log"], "hide": []},
}


@pytest.mark.parametrize("name", list(NAV))
def test_role_logs_in_sees_its_navigation_and_logs_out(login, live_server, name):
    page = login(name)
    nav = page.locator("header nav")
    for label in NAV[name]["show"]:
        assert nav.get_by_role("link", name=label).count() == 1
    for label in NAV[name]["hide"]:
        assert nav.get_by_role("link", name=label).count() == 0
    assert page.locator(".who").inner_text().startswith(name)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/login")
    assert "You are logged out." in page.content()
    page.goto(f"{live_server}/admin/users")
    assert "/login" in page.url


def test_wrong_password_shows_an_error(page, live_server):
    page.goto(f"{live_server}/login")
    page.fill("input[name=name]", "admin")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").inner_text() == accounts.LOGIN_FAILED


def test_annotator_gets_a_403_page_on_admin_pages(login, live_server):
    page = login("annotator1")
    response = page.goto(f"{live_server}/admin/users")
    assert response.status == 403
    assert "Not allowed" in page.content()
