"""The README stays true: every command is documented, and it opens with the two commands."""

from pathlib import Path

import click
import pytest

from annotator.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def _paths(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _paths(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name))


@pytest.mark.parametrize("command", list(_paths(cli)))
def test_every_command_is_in_the_readme(command):
    assert f"annotator {command}" in README


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```")[1].split()
    assert first_block == ["make", "run", "make", "test"]
