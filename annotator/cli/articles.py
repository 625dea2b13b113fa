"""Articles in: ``extract`` shows what ingest makes of a file, ``import`` stores it."""

import json
import sys

import click

from .. import importing, ingest
from .. import projects as project_service
from .common import db_option, expected_failures, open_db

FORMATS = ["auto", "text", "html", "jsonl"]


def _read_input(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    with open(path, "rb") as fp:
        return fp.read(), path


@click.command()
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--format", "format_", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--dropped", is_flag=True, help="Also print what was dropped as boilerplate.")
@expected_failures
def extract(file, format_, dropped):
    """Print what FILE would import as, with no database: a meta line, then one line per unit."""
    data, name = _read_input(file)
    try:
        docs = ingest.read_document(data, name=name, format=format_)
    except ingest.IngestError as e:
        place = f"{name}, line {e.line}" if e.line else name
        raise click.ClickException(f"{place}: {e}") from e
    out = sys.stdout
    for doc in docs:
        meta_keys = ("title", "outlet", "published", "section", "byline", "url", "language")
        meta = {key: doc.meta[key] for key in meta_keys if doc.meta.get(key)}
        out.write(json.dumps({"meta": meta}, ensure_ascii=False) + "\n")
        for unit in doc.units:
            record = {"kind": unit.kind, "text": unit.text}
            if unit.credit:
                record["credit"] = unit.credit
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if dropped:
            for text in doc.dropped:
                out.write(json.dumps({"dropped": text}, ensure_ascii=False) + "\n")


@click.command("import")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--project", "project_name", required=True, help="Project to import into.")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--max-bytes", default=20_000_000, show_default=True, type=int, help="Largest file accepted.")
@expected_failures
def import_(db_path, paths, project_name, format_, max_bytes):
    """Import articles from files, directories (recursively) or - (stdin) into a project."""
    with open_db(db_path) as db:
        project = project_service.get_project_by_name(db, project_name)
        report = importing.ImportReport()
        inputs = []
        for path in paths:
            inputs.extend(["-"] if path == "-" else map(str, importing.iter_input_files([path])))
        with click.progressbar(inputs, label="Importing", file=sys.stderr, show_pos=True) as bar:
            for path in bar:
                try:
                    data, name = _read_input(path)
                except OSError as e:
                    report.files += 1
                    report.failed.append({"file": path, "line": None, "reason": f"{path}: {e.strerror or e}"})
                    continue
                importing.import_bytes(db, project, data, source_name=name, format=format_, max_bytes=max_bytes, report=report)
    click.echo(
        f"{report.files} files: {len(report.added)} articles added, {len(report.duplicates)} duplicates skipped, "
        f"{len(report.changed)} changed versions not imported, {len(report.failed)} files failed."
    )
    for item in report.changed:
        click.echo(f"changed: {item['file']}: {item['reason']}")
    for item in report.failed:
        click.echo(f"failed: {item['reason']}")
    if report.failed:
        sys.exit(1)


COMMANDS = [extract, import_]
