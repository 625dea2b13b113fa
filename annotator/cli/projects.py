"""``annotator projects``: create and list projects."""

import click

from .. import projects as project_service
from .common import db_option, expected_failures, open_db


@click.group()
def projects():
    """Create projects, list them, manage their members."""


@projects.command("add")
@db_option
@click.argument("name")
@click.option(
    "--scheme", default="newsattr-1", show_default=True, help="Label scheme: a shipped name or a TOML file."
)
@click.option("--overlap", default=1, show_default=True, type=int, help="Annotations wanted per paragraph.")
@click.option(
    "--kinds",
    default=",".join(project_service.DEFAULT_KINDS),
    show_default=True,
    help="Comma-separated paragraph kinds to label.",
)
@click.option("--order", type=click.Choice(project_service.ORDERS), default="article", show_default=True)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the shuffled order.")
@click.option(
    "--extended", default="", help="Extended scheme fields to turn on: comma-separated paths, or 'all'."
)
@expected_failures
def add(db_path, name, scheme, overlap, kinds, order, seed, extended):
    """Create a project NAME."""
    extended_value = (
        "all" if extended.strip() == "all" else [e.strip() for e in extended.split(",") if e.strip()]
    )
    with open_db(db_path) as db:
        project = project_service.create_project(
            db,
            name,
            scheme=scheme,
            overlap=overlap,
            kinds=[k.strip() for k in kinds.split(",") if k.strip()],
            order=order,
            seed=seed,
            extended=extended_value,
        )
    click.echo(
        f"Created project {project['name']!r} (scheme {project['scheme']}, overlap {project['overlap']})."
    )


@projects.command("list")
@db_option
@expected_failures
def list_(db_path):
    """List projects with their article and paragraph counts."""
    with open_db(db_path) as db:
        rows = project_service.list_projects(db)
    for p in rows:
        paused = " (paused)" if p["paused"] else ""
        click.echo(
            f"{p['name']:<24} {p['scheme']:<12} overlap {p['overlap']}  "
            f"{p['n_articles']} articles, {p['n_paragraphs']} paragraphs to label{paused}"
        )


@projects.command("add-member")
@db_option
@click.argument("project")
@click.argument("user")
@click.option("--role", type=click.Choice(["annotator", "reviewer", "admin"]), help="Role in this project.")
@expected_failures
def add_member(db_path, project, user, role):
    """Add USER to PROJECT (with their account role unless --role)."""
    with open_db(db_path) as db:
        p = project_service.get_project_by_name(db, project)
        project_service.add_member(db, p, user, role=role)
    click.echo(f"{user} is a member of {project}.")


@projects.command("remove-member")
@db_option
@click.argument("project")
@click.argument("user")
@expected_failures
def remove_member(db_path, project, user):
    """Remove USER from PROJECT; their saved work is kept."""
    with open_db(db_path) as db:
        p = project_service.get_project_by_name(db, project)
        project_service.remove_member(db, p, user)
    click.echo(f"{user} is no longer a member of {project}.")


COMMANDS = [projects]
