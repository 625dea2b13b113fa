"""Suggestions: ``suggest`` shows what the built-in rules pre-mark, with no database."""

import json
import sys
from pathlib import Path

import click

from .. import importing
from .. import projects as project_service
from .. import suggestions as suggestion_service
from ..suggest import suggest_units
from .articles import (
    META_KEYS,
    _check_stdin_once,
    _silence_stdout,
    format_option,
    jobs_option,
    max_bytes_option,
)
from .common import db_option, expected_failures, open_db


def _suggest_records(doc, *, name: str | None, language: str | None):
    meta_line = {"meta": {key: doc.meta[key] for key in META_KEYS if doc.meta.get(key)}}
    if name is not None:
        meta_line["file"] = name
        if doc.line:
            meta_line["line"] = doc.line
    yield meta_line
    texts = [unit.text for unit in doc.units]
    for unit, attributions in zip(
        doc.units, suggest_units(texts, language or doc.meta.get("language")), strict=True
    ):
        yield {"kind": unit.kind, "text": unit.text, "attributions": attributions}


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option
@max_bytes_option
@jobs_option
@click.option(
    "--language",
    default=None,
    help="Lexicon to use (en); default: the article's language field, else guessed from its words.",
)
@expected_failures
def suggest(files, format_, max_bytes, jobs, language):
    """Print the attributions the built-in rules suggest for FILES, with no database.

    FILES are read like `annotator extract`. For each article: the {"meta": {...}} line, then
    one {"kind", "text", "attributions": [...]} line per unit, attributions in the label
    scheme's shape (sources, cue, contents and the attributes the text settles) with spans
    relative to the unit's text, in code points. A language without a lexicon gets no
    attributions. A file that fails is reported on stderr and the others go on (exit code 1).
    """
    _check_stdin_once(files)
    several = len(files) > 1 or any(Path(f).is_dir() for f in files if f != importing.STDIN)
    out = sys.stdout
    failures = 0
    try:
        for item in importing.iter_ingested(
            importing.iter_sources(files), format=format_, max_bytes=max_bytes, jobs=jobs
        ):
            if item.source.problem and item.source.skip:
                continue
            if item.docs is None:
                place = f"{item.source.name}, line {item.line}" if item.line else item.source.name
                if not several:
                    raise click.ClickException(f"{place}: {item.reason}")
                failures += 1
                click.echo(f"Error: {place}: {item.reason}", err=True)
                continue
            name = item.source.name if several else None
            for doc in item.docs:
                records = _suggest_records(doc, name=name, language=language)
                out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        out.flush()
    except BrokenPipeError:
        _silence_stdout()
        return
    if failures:
        raise click.ClickException(f"{failures} file{'' if failures == 1 else 's'} failed")


@click.command("import-suggestions")
@db_option
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--project", "project_name", required=True, help="Project whose paragraphs the lines name.")
@click.option(
    "--source", required=True, help="Name of the source (a model's name); replaces an earlier import of it."
)
@expected_failures
def import_suggestions(db_path, file, project_name, source):
    """Import a model's labels as suggestions from FILE (JSONL; - reads stdin).

    Each line: {"paragraph_id": "<article_id>#p<position>"} (as exported) or {"text_sha256": ...}
    (every paragraph with that text), and "labels" in the scheme's shape. Labels are checked
    against the project's scheme like a save, except that fields may be left empty for the
    annotator. All or nothing: any bad line (reported with its line and field) imports nothing.
    Lines that carry annotators' labels (an `all` export) are refused.
    """
    with open_db(db_path) as db:
        project = project_service.get_project_by_name(db, project_name)
        report = suggestion_service.import_suggestions(db, project, file, source=source)
    click.echo(f"Imported {report['paragraphs']} paragraph suggestions as source {report['source']!r}.")


@click.command("suggestion-source")
@db_option
@click.argument("source", required=False)
@click.option("--project", "project_name", required=True, help="The project.")
@click.option(
    "--share",
    type=click.IntRange(0, 100),
    default=None,
    help="Percentage of paragraphs shown suggestions (chosen by a hash of the text); default 100.",
)
@expected_failures
def suggestion_source(db_path, source, project_name, share):
    """Show or choose the suggestions a project's annotators see: none, rules, or an imported source.

    Without SOURCE, prints the current choice and the sources available.
    """
    with open_db(db_path) as db:
        project = project_service.get_project_by_name(db, project_name)
        if source is None and share is None:
            current = suggestion_service.setting(project)
            click.echo(f"{project['name']}: {current['source']} on {current['share']}% of paragraphs")
            for row in suggestion_service.sources(db, project):
                click.echo(f"  {row['source']}: {row['label']}")
            return
        current = suggestion_service.setting(project)
        updated = suggestion_service.set_setting(
            db,
            project,
            source=source or current["source"],
            share=current["share"] if share is None else share,
        )
    chosen = suggestion_service.setting(updated)
    click.echo(
        f"{project['name']} now shows {chosen['source']} suggestions on {chosen['share']}% of paragraphs."
    )


COMMANDS = [suggest, import_suggestions, suggestion_source]
