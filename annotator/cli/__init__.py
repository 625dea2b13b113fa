"""The ``annotator`` command line: a click group whose commands live in modules by concept."""

import sys

# sqlite-utils imports pandas and numpy whenever they are installed (the test extras put them in
# the same venv), only to map their column types. The server never hands it either, and the two
# cost about 80 MB in every process, so the long-running commands keep them out.
if sys.argv[1:2] in (["serve"], ["demo"], ["export"], ["import"], ["agreement"]):
    for _name in ("pandas", "numpy"):
        sys.modules.setdefault(_name, None)

import click  # noqa: E402

from .. import __version__  # noqa: E402
from . import accounts, agreement, articles, database, datasets, projects, suggestions, team


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotator")
def cli():
    """Label news paragraphs for attribution, claims, sourcing and framing; export datasets.

    Every command takes --db PATH (default: $ANNOTATOR_DB, else ./annotator.db).
    """


for module in (database, accounts, projects, articles, datasets, team, agreement, suggestions):
    for command in module.COMMANDS:
        cli.add_command(command)
