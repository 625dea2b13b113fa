"""``annotator users``: accounts from the command line, the root of trust."""

import sys

import click

from .. import accounts
from .common import db_option, expected_failures, open_db


@click.group()
def users():
    """Add users, list them, change roles and passwords."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("no password on standard input")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password")


@users.command("add")
@db_option
@click.argument("name")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True, help="The user's role.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input."
)
@expected_failures
def add(db_path, name, role, password_stdin):
    """Add a user NAME with a ROLE; prompts twice for the password unless --password-stdin."""
    password = _read_password(password_stdin)
    with open_db(db_path) as db:
        user = accounts.create_user(db, name, role=role, password=password)
    click.echo(f"Added {user['name']} ({user['role']}).")


@users.command("list")
@db_option
@expected_failures
def list_(db_path):
    """List users with their role and state."""
    with open_db(db_path) as db:
        rows = accounts.list_users(db)
    for user in rows:
        state = "active" if user["active"] else "deactivated"
        if user["locked"]:
            state += ", logins slowed until " + user["locked_until"][:19].replace("T", " ")
        click.echo(f"{user['name']:<24} {user['role']:<10} {state}")


@users.command("set-role")
@db_option
@click.argument("name")
@click.argument("role", type=click.Choice(accounts.ROLES))
@expected_failures
def set_role(db_path, name, role):
    """Give user NAME the ROLE."""
    with open_db(db_path) as db:
        accounts.set_role(db, name, role)
    click.echo(f"{name} is now {role}.")


@users.command("deactivate")
@db_option
@click.argument("name")
@click.option("--undo", is_flag=True, help="Reactivate the user instead.")
@expected_failures
def deactivate(db_path, name, undo):
    """Deactivate user NAME: they can no longer log in; their work is kept."""
    with open_db(db_path) as db:
        accounts.set_active(db, name, undo)
    click.echo(f"{name} is {'active again' if undo else 'deactivated'}.")


@users.command("passwd")
@db_option
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input."
)
@expected_failures
def passwd(db_path, name, password_stdin):
    """Set a new password for user NAME (this also unlocks the account)."""
    password = _read_password(password_stdin)
    with open_db(db_path) as db:
        accounts.set_password(db, name, password)
    click.echo(f"Password of {name} changed.")


COMMANDS = [users]
