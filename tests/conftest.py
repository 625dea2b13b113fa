"""Fixtures in the flaskr style: an app on a temporary database, clients logged in per role, a CLI runner."""

import os

import pytest
from click.testing import CliRunner

from annotator import accounts, create_app, store
from annotator import projects as project_service

# The Hugging Face loaders used by export tests must never reach for the network.
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROLES = ("annotator", "reviewer", "admin")
# One user per role, plus a second annotator for blindness and overlap tests.
USERS = {"admin": "admin", "reviewer": "reviewer", "annotator1": "annotator", "annotator2": "annotator"}


def password_of(name: str) -> str:
    return f"password-of-{name}"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    # scrypt takes ~50 ms by design; the suite creates hundreds of users.
    monkeypatch.setattr(accounts, "HASH_METHOD", "pbkdf2:sha256:1000")


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "annotator.db")


@pytest.fixture
def app(db_path):
    app = create_app({"TESTING": True, "DB": db_path, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test-secret"})
    db = store.connect(db_path)
    for name, role in USERS.items():
        accounts.create_user(db, name, role=role, password=password_of(name))
    db.close()
    return app


@pytest.fixture
def db(app):
    database = store.connect(app.config["DB"])
    yield database
    database.close()


@pytest.fixture
def project(db):
    """An empty project with every test user as a member (overlap 2, extended fields on)."""
    p = project_service.create_project(db, "test", overlap=2, extended="all")
    for name, role in USERS.items():
        project_service.add_member(db, p, name, role=role)
    return project_service.get_project(db, p["id"])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(db_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_DB", db_path)
    return CliRunner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, name="admin", password=None):
        return self._client.post("/login", data={"name": name, "password": password or password_of(name)})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def _client_as(app, name):
    client = app.test_client()
    response = AuthActions(client).login(name)
    assert response.status_code == 302, response.data
    return client


@pytest.fixture
def client_as(app):
    """Return a test client logged in as the named user."""
    return lambda name: _client_as(app, name)


@pytest.fixture
def admin_client(app):
    return _client_as(app, "admin")


@pytest.fixture
def reviewer_client(app):
    return _client_as(app, "reviewer")


@pytest.fixture
def annotator_client(app):
    return _client_as(app, "annotator1")
