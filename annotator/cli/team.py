"""``annotator stats``: a project's progress on the terminal or as JSON."""

import json

import click

from .. import projects as project_service
from .. import team
from .common import db_option, expected_failures, open_db


@click.command("stats")
@db_option
@click.option("--project", "project_name", required=True, help="Project name.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@expected_failures
def stats(db_path, project_name, as_json):
    """Show a project's progress: paragraphs by annotations done, decided, and each annotator."""
    with open_db(db_path) as db:
        project = project_service.get_project_by_name(db, project_name)
        figures = team.progress(db, project)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    k, total = figures["overlap"], figures["paragraphs"]
    paused = "  (paused)" if figures["paused"] else ""
    click.echo(f"{figures['project']}: {total} paragraphs to label, overlap {k}{paused}")
    for row in figures["by_annotations"]:
        share = row["paragraphs"] / total if total else 0
        bar = "#" * round(30 * share)
        click.echo(f"  {row['annotations']} annotations  {row['paragraphs']:>8}  {share:6.1%}  {bar}")
    click.echo(
        f"  decided        {figures['decided']:>8}  ({figures['unanimous']} unanimous, "
        f"{figures['adjudicated']} adjudicated); {figures['leased']} leased now"
    )
    if figures["annotators"]:
        click.echo(f"  {'annotator':<20} {'today':>6} {'done':>7} {'skipped':>8} {'median s':>9}")
        for a in figures["annotators"]:
            median = "-" if a["median_seconds"] is None else f"{a['median_seconds']:.1f}"
            click.echo(f"  {a['name']:<20} {a['done_today']:>6} {a['done']:>7} {a['skipped']:>8} {median:>9}")


COMMANDS = [stats]
