"""Every route, every role: built from the app's URL map, so a new route without a rule fails here."""

import re

import pytest

from annotator import accounts
from annotator.web import access
from tests.conftest import password_of

VISITORS = [None, "annotator1", "reviewer", "admin"]
ROLE_OF = {None: None, "annotator1": "annotator", "reviewer": "reviewer", "admin": "admin"}
# Routes that end the session or otherwise change who is asking; checked for access only.
SKIP_EFFECTS = {"auth.logout", "auth.end_session", "auth.end_other_sessions"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            yield rule, method


def _url(rule):
    url = rule.rule
    for argument in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{argument}>", "1" if "id" in argument else "x", url)
    return url


def test_every_view_declares_an_access_rule(app):
    for endpoint, view in app.view_functions.items():
        assert hasattr(view, "required_role"), endpoint
    with pytest.raises(RuntimeError, match="without an access rule"):
        app.view_functions["new.view"] = lambda: "open"
        access.check_rules(app)
    del app.view_functions["new.view"]


def test_matrix(app, project, client_as):
    clients = {None: app.test_client(), **{name: client_as(name) for name in VISITORS if name}}
    checked = 0
    for rule, method in _routes(app):
        required = app.view_functions[rule.endpoint].required_role
        url = _url(rule)
        for visitor in VISITORS:
            if rule.endpoint in SKIP_EFFECTS and visitor:
                continue
            response = clients[visitor].open(url, method=method)
            where = f"{method} {url} as {visitor or 'anonymous'}"
            if rule.endpoint.startswith("api.") and required is not None:
                # The API takes no session cookie: without a token everyone is anonymous there.
                assert response.status_code == 401 and response.is_json, where
            elif required is None:
                assert response.status_code != 403, where
            elif visitor is None:
                assert response.status_code == 302 and "/login" in response.headers["Location"], where
            elif accounts.has_role({"role": ROLE_OF[visitor]}, required):
                assert response.status_code != 403, where
                assert response.status_code < 500, where
            else:
                assert response.status_code == 403, where
            checked += 1
    assert checked > 20


def test_api_matrix(app, project, db_path):
    """Every API route, with each role's token: the same rule as the pages, answered in JSON."""
    from .api_helpers import bearer, make_token

    client = app.test_client()
    headers = {None: {}, **{name: bearer(make_token(db_path, name)) for name in VISITORS if name}}
    checked = 0
    for rule, method in _routes(app):
        if not rule.endpoint.startswith("api."):
            continue
        required = app.view_functions[rule.endpoint].required_role
        url = _url(rule).replace("/1", f"/{project['id']}", 1)
        for visitor in VISITORS:
            response = client.open(url, method=method, headers=headers[visitor])
            where = f"{method} {url} as {visitor or 'anonymous'}"
            assert response.is_json or response.status_code == 200, where
            assert response.status_code < 500, where
            if required is None:
                assert response.status_code == 200, where
            elif visitor is None:
                assert response.status_code == 401, where
            elif accounts.has_role({"role": ROLE_OF[visitor]}, required):
                assert response.status_code not in (401, 403), where
            else:
                assert response.status_code == 403, where
            checked += 1
    assert checked >= 40


def _end_by_logout(app, db, client, admin):
    client.post("/logout")


def _end_from_another_session(app, db, client, admin):
    other = app.test_client()
    assert (
        other.post("/login", data={"name": "annotator1", "password": password_of("annotator1")}).status_code
        == 302
    )
    assert other.post("/account/sessions/end-others").status_code == 302


def _end_by_expiry(app, db, client, admin):
    db.execute("update sessions set expires_at = '2000-01-01T00:00:00.000000Z'")
    db.conn.commit()


ENDINGS = {
    "logout": _end_by_logout,
    "ended from another session": _end_from_another_session,
    "password reset": lambda app, db, client, admin: admin.post(
        "/admin/users/annotator1/password", data={"password": "reset by the admin now"}
    ),
    "deactivation": lambda app, db, client, admin: admin.post("/admin/users/annotator1/active", data={}),
    "role change": lambda app, db, client, admin: admin.post(
        "/admin/users/annotator1/role", data={"role": "reviewer"}
    ),
    "expiry": _end_by_expiry,
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_copied_cookie_of_an_ended_session_is_anonymous_on_every_route(app, db, project, client_as, ending):
    client = client_as("annotator1")
    admin = client_as("admin")
    stolen = app.test_client()
    stolen.set_cookie("session", client.get_cookie("session").value)
    ENDINGS[ending](app, db, client, admin)
    checked = 0
    for rule, method in _routes(app):
        if app.view_functions[rule.endpoint].required_role is None or rule.endpoint.startswith("api."):
            continue  # the API takes no cookie at all (test_api_matrix)
        for visitor in (client, stolen):
            response = visitor.open(_url(rule), method=method)
            where = f"{method} {_url(rule)} after {ending}"
            assert response.status_code == 302 and "/login" in response.headers["Location"], where
            checked += 1
    assert checked > 20
