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


def test_one_vocabulary_of_paragraph_kinds(db, project, client_as):
    from tests.annotate_fixtures import add_article, hand_over

    pid, _ = add_article(
        db, project, ["“We will not back down,” she said.", "“Nor will we.”"], kinds=["quote", "quote"]
    )
    hand_over(db, project, "annotator1", pid)
    page = client_as("annotator1").get(f"/projects/{project['id']}/paragraphs/{pid}").get_data(as_text=True)
    # The curated kind is named as the label's value, and presets it.
    assert re.search(r"<h1[^>]*>Label ¶1 <span[^>]*>\(Quote only\)</span></h1>", page)
    assert '"kind":"quote_only"' in page.replace(" ", "")
    article = db.execute("select article_id from paragraphs where id = ?", [pid]).fetchone()[0]
    curation = client_as("admin").get(f"/articles/{article}").get_data(as_text=True)
    # The unit is leased, so locked: its kind is shown by name rather than offered in a select.
    assert re.search(
        r'<tr id="unit-1" data-kind="quote" class="locked">\s*<td></td>\s*<td>1</td>\s*<td>\s*Quote only',
        curation,
    )
    # An open unit offers every kind by the same names.
    assert re.search(r'<option value="quote" selected>Quote only</option>', curation)
    settings = client_as("admin").get(f"/projects/{project['id']}/settings").get_data(as_text=True)
    assert "Quote only" in settings and "Subheading" in settings
