"""What every command shares: the --db option and turning expected failures into one line."""

import contextlib
import functools
import sqlite3

import click

from .. import config, store
from ..errors import AnnotatorError

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=config.default_db_path,
    show_default="$ANNOTATOR_DB or ./annotator.db",
    help="SQLite database file.",
)


def expected_failures(command):
    """Print expected failures as one line and exit 1, without a traceback."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except AnnotatorError as e:
            raise click.ClickException(e.message) from e
        except sqlite3.DatabaseError as e:
            raise click.ClickException(f"database error: {e}") from e
        except OSError as e:
            raise click.ClickException(f"{e.filename or ''}: {e.strerror or e}".lstrip(": ")) from e

    return wrapped


@contextlib.contextmanager
def open_db(db_path: str, *, create: bool = False):
    """Open the database for one command; refuse to create one unless ``create``."""
    from pathlib import Path

    if not create and not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run 'annotator init' first, or pass --db")
    db = store.connect(db_path)
    try:
        yield db
    finally:
        db.close()
