"""Logging in and out, admin user pages, error pages, CSRF (sessions and throttling: test_sessions.py)."""

import pytest

from annotator import create_app, store
from annotator.store import users as user_store
from tests.conftest import password_of


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="password"' in response.data
    assert b"sign-up" in response.data


def test_login_redirects_home_and_logout_ends_session(client, auth):
    response = auth.login("annotator1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("admin", "wrong-password", b"wrong user name or password"),
        ("nobody", "whatever-password", b"wrong user name or password"),
    ],
)
def test_login_refuses_bad_credentials(auth, name, password, message):
    response = auth.login(name, password)
    assert response.status_code == 403
    assert message in response.data


def test_login_next_stays_on_this_site(client, auth):
    response = client.post(
        "/login?next=//evil.example/",
        data={"name": "admin", "password": password_of("admin"), "next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login", data={"name": "admin", "password": password_of("admin"), "next": "/admin/users"}
    )
    assert response.headers["Location"] == "/admin/users"


def test_session_cookie_is_httponly_and_lax(client, auth):
    response = auth.login("admin")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_deactivated_user_cannot_log_in_and_loses_open_session(client_as, admin_client, auth):
    annotator = client_as("annotator2")
    assert annotator.get("/").status_code == 200
    admin_client.post("/admin/users/annotator2/active", data={})
    assert annotator.get("/").status_code == 302
    response = auth.login("annotator2")
    assert response.status_code == 403
    assert b"wrong user name or password" in response.data


def test_admin_adds_user_with_generated_password_shown_once(admin_client, auth, db):
    response = admin_client.post("/admin/users", data={"name": "carol", "role": "reviewer", "password": ""})
    assert response.status_code == 200
    assert b"New password for <strong>carol</strong>" in response.data
    html = response.data.decode()
    password = html.split('class="secret">')[1].split("</code>")[0]
    assert auth.login("carol", password).status_code == 302
    assert user_store.get_user_by_name(db, "carol")["role"] == "reviewer"
    assert b'class="secret"' not in admin_client.get("/admin/users").data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "bad name!", "role": "annotator", "password": ""}, b"letters, digits"),
        ({"name": "admin", "role": "annotator", "password": ""}, b"already exists"),
        ({"name": "dave", "role": "annotator", "password": "short"}, b"at least 8"),
        ({"name": "dave", "role": "annotator", "password": "password"}, b"too easy to guess"),
        ({"name": "dave", "role": "annotator", "password": "12345678"}, b"too easy to guess"),
        ({"name": "dave", "role": "annotator", "password": "        "}, b"too easy to guess"),
    ],
)
def test_admin_add_user_errors_change_nothing(admin_client, db, data, message):
    before = len(user_store.list_users(db))
    response = admin_client.post("/admin/users", data=data)
    assert response.status_code in (400, 409)
    assert message in response.data
    assert len(user_store.list_users(db)) == before


def test_admin_changes_role_and_resets_password(admin_client, auth, db):
    admin_client.post("/admin/users/annotator1/role", data={"role": "reviewer"})
    assert user_store.get_user_by_name(db, "annotator1")["role"] == "reviewer"
    response = admin_client.post("/admin/users/annotator1/password", data={"password": "a-new-password"})
    assert response.status_code == 200
    assert auth.login("annotator1", "a-new-password").status_code == 302


def test_admin_cannot_demote_or_deactivate_self(admin_client, db):
    assert admin_client.post("/admin/users/admin/role", data={"role": "annotator"}).status_code == 403
    assert admin_client.post("/admin/users/admin/active", data={}).status_code == 403
    assert user_store.get_user_by_name(db, "admin")["role"] == "admin"


def test_wrong_role_gets_a_403_page_and_htmx_fragment(annotator_client):
    response = annotator_client.get("/admin/users")
    assert response.status_code == 403
    assert b"<html" in response.data
    response = annotator_client.get("/admin/users", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert b"<html" not in response.data
    assert response.headers["HX-Retarget"] == "#flash"


def test_unknown_page_is_a_404_page(admin_client):
    response = admin_client.get("/no/such/page")
    assert response.status_code == 404
    assert b"404" in response.data


def test_server_error_shows_no_traceback_and_is_logged(db_path, caplog):
    app = create_app({"TESTING": False, "DB": db_path, "SECRET_KEY": "x", "PROPAGATE_EXCEPTIONS": False})
    store.connect(db_path).close()

    def boom():
        raise RuntimeError("secret internals")

    from annotator.web.access import public

    app.view_functions["home.healthz"] = public(boom)
    response = app.test_client().get("/healthz")
    assert response.status_code == 500
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data
    assert "secret internals" in caplog.text


def test_post_without_csrf_token_is_refused(db_path):
    app = create_app({"TESTING": True, "DB": db_path, "SECRET_KEY": "x"})  # CSRF on
    db = store.connect(db_path)
    from annotator import accounts

    accounts.create_user(db, "admin", role="admin", password=password_of("admin"))
    client = app.test_client()
    response = client.post("/login", data={"name": "admin", "password": password_of("admin")})
    assert response.status_code == 400
    assert "user_id" not in (client.get_cookie("session").value if client.get_cookie("session") else "")
    # With the token from the form, the same login works.
    page = client.get("/login").data.decode()
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"name": "admin", "password": password_of("admin"), "csrf_token": token}
    )
    assert response.status_code == 302
    # A logged-in POST without the header or field is refused too.
    assert client.post("/admin/users", data={"name": "eve", "role": "admin"}).status_code == 400
    assert user_store.find_user_by_name(db, "eve") is None
    # Logging in starts a new session, hence a new token; htmx sends it from <body hx-headers>.
    page = client.get("/admin/users").data.decode()
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    response = client.post(
        "/admin/users",
        data={"name": "eve", "role": "annotator", "password": ""},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    db.close()


def test_secret_key_is_generated_once_with_mode_0600(tmp_path):
    import os
    import stat

    db_path = tmp_path / "a.db"
    first = create_app({"DB": str(db_path)}).config["SECRET_KEY"]
    second = create_app({"DB": str(db_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    mode = stat.S_IMODE(os.stat(tmp_path / "a.db.secret").st_mode)
    assert mode == 0o600
