"""Server-side sessions that end, and logins that slow guessers without locking owners out."""

import pytest

from annotator import accounts, create_app, store
from annotator.store import users as user_store
from tests.conftest import password_of


def _copy_cookie(app, client):
    """A second client carrying the same session cookie, as a thief with a copied cookie would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_logout_ends_the_session_for_a_copied_cookie(app, client_as, project):
    owner = client_as("annotator1")
    thief = _copy_cookie(app, owner)
    assert _signed_in(thief)
    owner.post("/logout")
    assert not _signed_in(thief)
    assert thief.get(f"/projects/{project['id']}/annotate").status_code in (302, 401)


def test_cookie_carries_a_token_only_never_the_password_hash(app, client_as, db):
    client = client_as("annotator1")
    value = client.get_cookie("session").value
    contents = app.session_interface.get_signing_serializer(app).loads(value)
    assert set(contents) <= {"sid", "csrf_token", "_flashes"}
    password_hash = user_store.get_user_by_name(db, "annotator1")["password_hash"]
    for start in range(0, len(password_hash) - 8):
        assert password_hash[start : start + 8] not in value
    # The database keeps only the token's hash.
    token = contents["sid"]
    assert db.execute("select count(*) from sessions where token_hash = ?", [token]).fetchone()[0] == 0


def test_own_password_change_keeps_this_session_and_ends_the_others(app, client_as):
    here = client_as("annotator1")
    elsewhere = client_as("annotator1")
    response = here.post(
        "/account/password",
        data={
            "current": password_of("annotator1"),
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(elsewhere)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/users/annotator1/password", {"password": "a fresh admin-set pass"}),
        ("/admin/users/annotator1/active", {}),
        ("/admin/users/annotator1/role", {"role": "reviewer"}),
    ],
    ids=["password reset", "deactivation", "role change"],
)
def test_admin_changes_end_every_session_of_the_user(client_as, admin_client, url, data):
    first, second = client_as("annotator1"), client_as("annotator1")
    bystander = client_as("annotator2")
    assert admin_client.post(url, data=data).status_code in (200, 302)
    assert not _signed_in(first) and not _signed_in(second)
    assert _signed_in(bystander) and _signed_in(admin_client)


def test_setting_the_same_role_ends_nothing(client_as, admin_client):
    client = client_as("annotator1")
    admin_client.post("/admin/users/annotator1/role", data={"role": "annotator"})
    assert _signed_in(client)


def test_user_sees_their_sessions_and_ends_another(client_as, db):
    laptop = client_as("annotator1")
    phone = client_as("annotator1")
    other_user = client_as("annotator2")
    page = laptop.get("/account/sessions")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.data.count(b"data-session=") == 2
    assert b"this session" in page.data
    user_id = user_store.get_user_by_name(db, "annotator1")["id"]
    ids = [row[0] for row in db.execute("select id from sessions where user_id = ? order by id", [user_id])]
    # Another user's session cannot be ended from here.
    theirs = db.execute(
        "select id from sessions where user_id = ?", [user_store.get_user_by_name(db, "annotator2")["id"]]
    ).fetchone()[0]
    assert laptop.post(f"/account/sessions/{theirs}/end").status_code == 404
    assert _signed_in(other_user)
    response = laptop.post(f"/account/sessions/{ids[1]}/end")
    assert response.status_code == 302
    assert not _signed_in(phone)
    assert _signed_in(laptop)


def test_end_all_other_sessions(client_as):
    keep, *others = [client_as("reviewer") for _ in range(3)]
    assert keep.post("/account/sessions/end-others").status_code == 302
    assert _signed_in(keep)
    assert not any(_signed_in(c) for c in others)


def test_session_lookup_is_one_indexed_query(app, client_as, db):
    client = client_as("annotator1")
    statements = []
    from annotator.web import db as web_db

    client.get("/healthz")  # the thread's connection now exists
    for conn_entry in getattr(web_db._local, "connections", {}).values():
        conn_entry[1].conn.set_trace_callback(statements.append)
    client.get("/")
    for conn_entry in getattr(web_db._local, "connections", {}).values():
        conn_entry[1].conn.set_trace_callback(None)
    session_reads = [s for s in statements if "sessions" in s]
    assert len(session_reads) == 1, session_reads
    plan = db.execute("explain query plan " + session_reads[0].split(";")[0]).fetchall()
    assert any("sessions" in row[3] and "USING INDEX" in row[3] for row in plan), plan


# Logins ------------------------------------------------------------------------------------------


def _login(client, name, password):
    return client.post("/login", data={"name": name, "password": password})


def _fail(client, db, name, times):
    """``times`` wrong passwords, each judged: a try within the backoff is refused unjudged, so
    the backoff is waited out (cleared) between them, all but the last."""
    for i in range(times):
        assert _login(client, name, "guess-guess-guess").status_code == 403
        if i < times - 1:
            db.execute("update users set locked_until = null where name = ?", [name])
            db.conn.commit()


def test_guessing_slows_the_account_but_cannot_lock_its_owner_out(app, db):
    owner = app.test_client()
    assert _login(owner, "annotator2", password_of("annotator2")).status_code == 302
    owner.post("/logout")
    attacker = app.test_client()
    _fail(attacker, db, "annotator2", 10)  # the last wait is 2 ** 5 = 32 s
    # The attacker now waits out a backoff even with the right password ...
    assert _login(attacker, "annotator2", password_of("annotator2")).status_code == 403
    # ... but the owner, from a browser where they logged in before, gets in at once.
    assert _login(owner, "annotator2", password_of("annotator2")).status_code == 302
    assert user_store.get_user_by_name(db, "annotator2")["failed_logins"] == 0


def test_the_backoff_doubles_up_to_its_cap_and_then_lets_a_try_through(app, db):
    app.config["LOGIN_MAX_DELAY_SECONDS"] = 4
    client = app.test_client()
    waits = []
    for _ in range(9):
        _login(client, "annotator1", "wrong wrong wrong")
        user = user_store.get_user_by_name(db, "annotator1")
        if user["locked_until"]:
            waits.append(user["locked_until"])
        # Let the backoff pass, so each guess is judged.
        db.execute("update users set locked_until = null where name = 'annotator1'")
        db.conn.commit()
    assert user_store.get_user_by_name(db, "annotator1")["failed_logins"] == 9
    assert len(waits) == 5  # from the fifth failure on
    assert _login(client, "annotator1", password_of("annotator1")).status_code == 302


def test_every_failed_login_gets_the_same_message(app, db, admin_client):
    accounts.create_user(db, "gone", role="annotator", password=password_of("gone"))
    admin_client.post("/admin/users/gone/active", data={})
    client = app.test_client()
    _fail(client, db, "annotator1", 10)  # the last wait is 2 ** 5 = 32 s
    bodies = {
        "unknown name": _login(client, "nobody-at-all", "whatever whatever"),
        "wrong password": _login(client, "reviewer", "wrong wrong wrong"),
        "slowed account": _login(client, "annotator1", password_of("annotator1")),
        "deactivated": _login(client, "gone", password_of("gone")),
    }
    assert {r.status_code for r in bodies.values()} == {403}
    messages = {name: r.data.split(b'role="alert">')[1].split(b"<")[0] for name, r in bodies.items()}
    assert len(set(messages.values())) == 1, messages
    assert b"locked" not in messages["slowed account"]


def _row_count(db) -> int:
    tables = [r[0] for r in db.execute("select name from sqlite_master where type = 'table'")]
    return sum(db.execute(f"select count(*) from [{t}]").fetchone()[0] for t in tables)


def test_unknown_names_add_no_rows(app, db):
    client = app.test_client()
    before = _row_count(db)
    for i in range(15):
        assert _login(client, f"no-such-user-{i}", "whatever whatever").status_code == 403
    assert _row_count(db) == before


def test_an_overlong_password_is_refused_before_it_is_hashed(app, monkeypatch):
    calls = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", lambda h, p: calls.append(len(p)) or real(h, p))
    client = app.test_client()
    response = _login(client, "admin", "x" * 100_000)
    assert response.status_code in (403, 413)
    assert calls == []
    assert _login(client, "admin", password_of("admin")).status_code == 302
    assert calls == [len(password_of("admin"))]


def test_one_address_is_limited_and_others_are_not(db_path):
    app = create_app(
        {
            "TESTING": True,
            "DB": db_path,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "t",
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    db = store.connect(db_path)
    accounts.create_user(db, "admin", role="admin", password=password_of("admin"))
    db.close()
    client = app.test_client()
    for _ in range(3):
        assert _login(client, "admin", "wrong wrong wrong").status_code == 403
    response = _login(client, "admin", password_of("admin"))
    assert response.status_code == 429
    assert b"wait a minute" in response.data
    other = app.test_client()
    response = other.post(
        "/login",
        data={"name": "admin", "password": password_of("admin")},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert response.status_code == 302


def test_admin_sees_a_slowed_account_and_can_clear_it(app, client_as, db):
    client = app.test_client()
    _fail(client, db, "annotator2", 10)
    admin = client_as("admin")
    assert b"slowed until" in admin.get("/admin/users").data
    admin.post("/admin/users/annotator2/unlock")
    user = user_store.get_user_by_name(db, "annotator2")
    assert user["locked_until"] is None and user["failed_logins"] == 0
    assert _login(client, "annotator2", password_of("annotator2")).status_code == 302


def test_admins_can_reset_any_password_but_a_typed_one_must_pass_the_policy(admin_client, db):
    before = user_store.get_user_by_name(db, "annotator1")["password_hash"]
    response = admin_client.post("/admin/users/annotator1/password", data={"password": "password1"})
    assert response.status_code == 400
    assert b"too easy to guess" in response.data
    assert user_store.get_user_by_name(db, "annotator1")["password_hash"] == before
    response = admin_client.post("/admin/users/annotator1/password", data={"password": ""})
    assert response.status_code == 200
    generated = response.get_data(as_text=True).split('class="secret">')[1].split("</code>")[0]
    accounts.check_new_password(generated)  # what the admin is given passes the policy itself
    assert user_store.get_user_by_name(db, "annotator1")["password_hash"] != before
