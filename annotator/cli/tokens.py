"""``annotator tokens``: API tokens for scripts, made from the command line (the root of trust)."""

import click

from .. import tokens as token_service
from .common import db_option, expected_failures, open_db

user_option = click.option("--user", "user_name", required=True, help="Whose token: a user name.")


@click.group()
def tokens():
    """Add, list and revoke a user's API tokens (for the JSON API under /api/v1/)."""


@tokens.command("add")
@db_option
@click.argument("name")
@user_option
@expected_failures
def add(db_path, name, user_name):
    """Make a token NAME for a user and print it once: it is stored hashed and cannot be shown again."""
    with open_db(db_path) as db:
        user = token_service.user_by_name(db, user_name)
        _token, secret = token_service.create_token(db, owner=user, name=name)
    click.echo(
        f"Token {name!r} for {user['name']} ({user['role']}); copy it now, it is not shown again:", err=True
    )
    click.echo(secret)


@tokens.command("list")
@db_option
@user_option
@expected_failures
def list_(db_path, user_name):
    """List a user's working tokens: name, first characters, when made and last used."""
    with open_db(db_path) as db:
        user = token_service.user_by_name(db, user_name)
        rows = token_service.list_tokens(db, owner=user)
    if not rows:
        click.echo(f"{user['name']} has no tokens.")
    for token in rows:
        used = (token["last_used_at"] or "never used")[:19].replace("T", " ")
        made = token["created_at"][:19].replace("T", " ")
        click.echo(f"{token['name']:<24} {token['prefix']}…  made {made}  last used {used}")


@tokens.command("revoke")
@db_option
@click.argument("name")
@user_option
@expected_failures
def revoke(db_path, name, user_name):
    """Revoke a user's token NAME: requests with it are refused from now on."""
    with open_db(db_path) as db:
        user = token_service.user_by_name(db, user_name)
        token_service.revoke_token(db, owner=user, name=name)
    click.echo(f"Revoked {name!r} of {user['name']}.")


COMMANDS = [tokens]
