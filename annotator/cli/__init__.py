"""The ``annotator`` command line: a click group whose commands live in modules by concept."""

import click

from .. import __version__
from . import accounts, agreement, articles, database, datasets, projects, suggestions, team, tokens


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotator")
def cli():
    """Label news paragraphs for attribution, claims, sourcing and framing; export datasets.

    Every command takes --db PATH (default: $ANNOTATOR_DB, else ./annotator.db).
    """


for module in (database, accounts, projects, articles, datasets, team, agreement, suggestions, tokens):
    for command in module.COMMANDS:
        cli.add_command(command)
