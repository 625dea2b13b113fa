"""Small things a new user trips over: the icon, their own account, the add-user form, password managers."""

import re


def test_the_icon_is_there(client):
    assert client.get("/favicon.ico").status_code == 301
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    icon.close()
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)


def test_an_admin_is_not_offered_to_deactivate_their_own_account(admin_client):
    html = admin_client.get("/admin/users").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-user="([^"]+)">(.*?)</tr>', html, re.S))
    assert "Deactivate" not in rows["admin"] and "(you)" in rows["admin"]
    assert "Deactivate" in rows["reviewer"]


def test_the_add_user_form_is_empty_after_adding(admin_client):
    response = admin_client.post(
        "/admin/users", data={"name": "newcomer", "role": "annotator", "password": ""}
    )
    html = response.get_data(as_text=True)
    assert "newcomer" in html  # in the table and the message
    field = re.search(r'<input[^>]*id="name"[^>]*>', html).group(0)
    assert 'value="newcomer"' not in field


def test_password_fields_tell_password_managers_what_they_are(client, admin_client):
    login = client.get("/login").get_data(as_text=True)
    assert re.search(
        r'name="password"[^>]*autocomplete="current-password"|autocomplete="current-password"[^>]*name="password"',
        login,
    )
    assert 'autocomplete="username"' in login
    users = admin_client.get("/admin/users").get_data(as_text=True)
    assert 'autocomplete="new-password"' in users
    own = admin_client.get("/account/password").get_data(as_text=True)
    assert own.count('autocomplete="new-password"') == 2 and 'autocomplete="current-password"' in own
