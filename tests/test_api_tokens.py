"""Tokens made and revoked on the account page and with `annotator tokens`, and used on the API."""

import re

from annotator.cli import cli

from .api_helpers import bearer


def test_the_account_page_makes_a_token_shown_once_and_revokes_it(app, client_as):
    page = client_as("annotator1")
    assert b"API tokens" in page.get("/account/password").data
    made = page.post("/account/tokens", data={"name": "laptop"})
    assert made.status_code == 201
    secret = re.search(rb'value="(ann_[^"]+)"', made.data).group(1).decode()
    listing = page.get("/account/tokens").data
    assert b"laptop" in listing and secret.encode() not in listing  # shown once, never again
    api = app.test_client()
    assert api.get("/api/v1/projects", headers=bearer(secret)).status_code == 200
    assert b"never" not in page.get("/account/tokens").data  # last use recorded
    taken = page.post("/account/tokens", data={"name": "laptop"})
    assert taken.status_code == 409 and b"already have a token" in taken.data
    assert page.post("/account/tokens", data={"name": "bad name!"}).status_code == 400
    assert page.post("/account/tokens/laptop/revoke").status_code == 302
    assert api.get("/api/v1/projects", headers=bearer(secret)).status_code == 401
    assert b"You have no tokens" in page.get("/account/tokens").data


def test_one_user_cannot_revoke_anothers_token(client_as):
    client_as("annotator1").post("/account/tokens", data={"name": "mine"})
    other = client_as("annotator2")
    assert other.post("/account/tokens/mine/revoke").status_code == 404
    assert b"mine" in client_as("annotator1").get("/account/tokens").data


def test_tokens_on_the_command_line(app, runner):
    added = runner.invoke(cli, ["tokens", "add", "nightly", "--user", "reviewer"])
    assert added.exit_code == 0, added.output
    secret = added.stdout.strip()
    assert secret.startswith("ann_") and len(secret) > 40
    api = app.test_client()
    assert api.get("/api/v1/projects", headers=bearer(secret)).status_code == 200
    listed = runner.invoke(cli, ["tokens", "list", "--user", "reviewer"])
    assert "nightly" in listed.output and secret not in listed.output and "never used" not in listed.output
    again = runner.invoke(cli, ["tokens", "add", "nightly", "--user", "reviewer"])
    assert again.exit_code == 1 and "already have a token" in again.output
    assert runner.invoke(cli, ["tokens", "add", "x", "--user", "nobody"]).exit_code == 1
    revoked = runner.invoke(cli, ["tokens", "revoke", "nightly", "--user", "reviewer"])
    assert revoked.exit_code == 0
    assert api.get("/api/v1/projects", headers=bearer(secret)).status_code == 401
    assert runner.invoke(cli, ["tokens", "revoke", "nightly", "--user", "reviewer"]).exit_code == 1
    assert "no tokens" in runner.invoke(cli, ["tokens", "list", "--user", "reviewer"]).output
