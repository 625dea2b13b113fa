"""Commands that create, upgrade, back up and serve the database."""

import sqlite3
import sys
from pathlib import Path

import click

from .. import datasets, projects, store
from .. import demo as demo_data
from .common import db_option, expected_failures, open_db


@click.command()
@db_option
@expected_failures
def init(db_path):
    """Create the database (or bring it up to date); safe to run twice."""
    existed = Path(db_path).exists()
    with open_db(db_path, create=True) as db:
        version = store.current_version(db)
    click.echo(f"{'Database up to date' if existed else 'Created database'}: {db_path} (schema {version})")


@click.command()
@db_option
@expected_failures
def migrate(db_path):
    """Apply the schema migrations this database lacks; safe to run twice."""
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run 'annotator init' first")
    db = store.connect(db_path, migrate=False)
    try:
        applied = store.migrate(db)
        version = store.current_version(db)
        # Annotations saved under an older export format get theirs remade, so exports splice them.
        remade = sum(datasets.refresh_stored_forms(db, p) for p in projects.list_projects(db))
    finally:
        db.close()
    click.echo(
        f"Applied {', '.join(applied)}; schema {version}." if applied else f"Up to date (schema {version})."
    )
    if remade:
        click.echo(f"Remade the stored export forms of {remade} annotations.")


def _serve(db_path: str, host: str, port: int, threads: int, workers: int) -> None:
    from .. import create_app, serving

    app = create_app({"DB": db_path})
    how = f"{workers} worker processes x {threads} threads" if workers > 1 else f"{threads} threads"
    click.echo(f"Serving annotator on http://{host}:{port}/ ({how}); Ctrl+C stops it.")
    serving.serve(app, host=host, port=port, workers=workers, threads=threads)


serve_options = [
    click.option(
        "--host",
        default="127.0.0.1",
        show_default=True,
        envvar="ANNOTATOR_HOST",
        help="Address to listen on.",
    ),
    click.option("--port", default=5000, show_default=True, type=int, envvar="ANNOTATOR_PORT", help="Port."),
    click.option(
        "--workers",
        default=1,
        show_default=True,
        type=click.IntRange(1, 64),
        envvar="ANNOTATOR_WORKERS",
        help="Server processes (Linux, macOS): one per CPU core for a team annotating at once.",
    ),
    click.option(
        "--threads",
        default=4,
        show_default=True,
        type=click.IntRange(1, 256),
        envvar="ANNOTATOR_THREADS",
        help="Threads per server process.",
    ),
]


def with_serve_options(command):
    for option in reversed(serve_options):
        command = option(command)
    return command


@click.command()
@db_option
@with_serve_options
@expected_failures
def serve(db_path, host, port, workers, threads):
    """Serve the web app with waitress, a production WSGI server (see annotator/serving.py)."""
    with open_db(db_path):
        pass
    _serve(db_path, host, port, threads, workers)


@click.command()
@db_option
@with_serve_options
@click.option("--no-serve", is_flag=True, help="Only create the demo database, do not serve.")
@expected_failures
def demo(db_path, host, port, workers, threads, no_serve):
    """Create a demo database (sample articles, demo users) if there is none, then serve."""
    if Path(db_path).exists():
        click.echo(f"Using the existing database {db_path}; its passwords are unchanged.")
        click.echo("(Lost them? 'annotator users passwd NAME' sets a new one.)")
    else:
        with open_db(db_path, create=True) as db:
            created = demo_data.create_demo(db)
        click.echo(f"Created {db_path} with the demo project {created['project']!r}.")
        click.echo("Demo logins (shown only this once):")
        for name, role, password in created["users"]:
            click.echo(f"  {role:<10} {name:<12} {password}")
    click.echo(f"Open http://{host}:{port}/ in a browser.")
    if not no_serve:
        _serve(db_path, host, port, threads, workers)


@click.command()
@db_option
@click.argument("dest", type=click.Path(dir_okay=False))
@expected_failures
def backup(db_path, dest):
    """Copy the database to DEST with SQLite's online backup API; safe while the server writes."""
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}")
    if Path(dest).exists():
        raise click.ClickException(f"{dest} exists: choose a new file name")
    source = sqlite3.connect(db_path, timeout=10)
    target = sqlite3.connect(dest)
    try:
        # One step: a consistent snapshot under a read lock, which in WAL mode never blocks writers.
        source.backup(target)
        ok = target.execute("pragma integrity_check").fetchone()[0]
    finally:
        target.close()
        source.close()
    if ok != "ok":
        Path(dest).unlink(missing_ok=True)
        raise click.ClickException(f"the copy failed its integrity check: {ok}")
    click.echo(
        f"Backed up {db_path} to {dest} ({Path(dest).stat().st_size:,} bytes, integrity ok).", file=sys.stdout
    )


COMMANDS = [init, migrate, serve, demo, backup]
