"""``annotator export`` and ``annotator import-annotations``: datasets out, annotations back in."""

import sys

import click

from .. import datasets, export
from .. import projects as project_service
from .common import db_option, expected_failures, open_db


def _parse_split(value: str | None):
    if value in (None, "", "none"):
        return None
    try:
        parts = tuple(int(part) for part in value.split(","))
    except ValueError as e:
        raise click.BadParameter("give three whole numbers, like 80,10,10, or 'none'") from e
    if len(parts) != 3 or any(p < 0 for p in parts) or sum(parts) == 0:
        raise click.BadParameter("give three non-negative whole numbers, like 80,10,10")
    return parts


@click.command("export")
@db_option
@click.option("--project", "project_name", required=True, help="Project to export.")
@click.option(
    "--view", type=click.Choice(export.VIEWS), required=True, help="gold, all (every annotation) or spans."
)
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Directory to write into."
)
@click.option(
    "--split", default="80,10,10", show_default=True, help="train,dev,test percentages by article, or 'none'."
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the split assignment.")
@click.option(
    "--only",
    type=click.Choice(datasets.ONLY),
    default="all",
    show_default=True,
    help="gold/spans: only adjudicated or only unanimous decisions.",
)
@click.option(
    "--min-annotators",
    default=1,
    show_default=True,
    type=int,
    help="Only paragraphs with this many annotations.",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["jsonl", "parquet", "brat"]),
    default="jsonl",
    show_default=True,
    help="parquet: the same records and splits as typed Arrow columns; "
    "brat: gold labels as BRAT standoff (.txt/.ann per article, as in PolNeAR).",
)
@expected_failures
def export_(db_path, project_name, view, out_dir, split, seed, only, min_annotators, format_):
    """Write a project's labels as JSONL (or Parquet), split by article, with manifest.json and a README dataset card."""
    if format_ == "brat":
        if view != "gold":
            raise click.ClickException("--format brat writes gold labels: use --view gold")
        with open_db(db_path) as db:
            project = project_service.get_project_by_name(db, project_name)
            count = datasets.export_brat(db, project, out_dir=out_dir)
        click.echo(f"{out_dir.rstrip('/')}: {count} articles as BRAT .txt/.ann pairs, with annotation.conf")
        return
    try:
        ratios = _parse_split(split)
    except click.BadParameter as e:
        raise click.ClickException(f"--split: {e.message}") from e
    with open_db(db_path) as db:
        project = project_service.get_project_by_name(db, project_name)
        manifest = datasets.export_dataset(
            db,
            project,
            view=view,
            out_dir=out_dir,
            split=ratios,
            seed=seed,
            only=only,
            min_annotators=min_annotators,
            format=format_,
        )
    for info in manifest["files"]:
        click.echo(f"{out_dir.rstrip('/')}/{info['path']}: {info['records']} records")
    click.echo(f"{out_dir.rstrip('/')}/manifest.json, {out_dir.rstrip('/')}/README.md")


@click.command("import-annotations")
@db_option
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--project", "project_name", required=True, help="Project whose paragraphs the file labels.")
@expected_failures
def import_annotations(db_path, file, project_name):
    """Read annotations from an 'all' export (JSONL) back into a project: every line, or none."""
    with open_db(db_path) as db:
        project = project_service.get_project_by_name(db, project_name)
        if file == "-":
            counts = datasets.import_annotations(db, project, sys.stdin.buffer)
        else:
            with open(file, "rb") as fp:
                counts = datasets.import_annotations(db, project, fp)
    click.echo(
        f"{counts['added']} annotations added, {counts['updated']} updated, {counts['unchanged']} unchanged."
    )


COMMANDS = [export_, import_annotations]
