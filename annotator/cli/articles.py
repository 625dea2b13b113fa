"""Articles in: ``extract`` shows what ingest makes of files, ``import`` stores them."""

import json
import os
import sys
from collections import Counter
from pathlib import Path

import click

from .. import crawls, importing
from .. import projects as project_service
from ..ingest import IngestError
from .common import db_option, expected_failures, open_db

FORMATS = ["auto", "text", "html", "jsonl"]
META_KEYS = ("title", "outlet", "published", "section", "byline", "url", "language")

format_option = click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="Input format; auto detects it from the content.",
)
jobs_option = click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Worker processes that read and clean files (HTML extraction is the slow part).",
)
max_bytes_option = click.option(
    "--max-bytes",
    default=importing.MAX_BYTES,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest file accepted; a larger one fails without being read.",
)


def _check_stdin_once(paths) -> None:
    if list(paths).count(importing.STDIN) > 1:
        raise click.UsageError("'-' (stdin) can be given only once")
    if importing.STDIN in paths and sys.stdin.isatty():
        click.echo("Reading an article from the terminal: end it with Ctrl-D.", err=True)


def _write_lines(out, records) -> None:
    out.write("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records))


def _extract_records(doc, *, name: str | None, dropped: bool):
    meta_line = {"meta": {key: doc.meta[key] for key in META_KEYS if doc.meta.get(key)}}
    if name is not None:
        meta_line["file"] = name
        if doc.line:
            meta_line["line"] = doc.line
    yield meta_line
    for unit in doc.units:
        record = {"kind": unit.kind, "text": unit.text}
        if unit.credit:
            record["credit"] = unit.credit
        yield record
    if dropped:
        for line in doc.dropped:
            yield {"dropped": line.text, "reason": line.reason}


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option
@max_bytes_option
@jobs_option
@click.option(
    "--dropped",
    is_flag=True,
    help='Also print what was dropped as boilerplate and why, as {"dropped": ..., "reason": ...} lines.',
)
@expected_failures
def extract(files, format_, max_bytes, jobs, dropped):
    """Print what FILES would import as, with no database.

    For each article: a {"meta": {...}} line, then one {"kind": ..., "text": ...} line per unit.
    FILES may be files, directories (read recursively) or - for stdin; with more than one
    file, each meta line also names its "file" (and "line" for JSONL). A file that fails is
    reported on stderr and the others go on; the exit code is then 1.

    A WARC archive (.warc, .warc.gz) gives one article per HTML response; each meta line names
    its "file" and "record", and stderr counts the records that were no article.
    """
    _check_stdin_once(files)
    several = (
        len(files) > 1
        or any(Path(f).is_dir() for f in files if f != importing.STDIN)
        or any(crawls.is_warc(f) for f in files)
    )
    out = sys.stdout
    failures = 0
    try:
        sources, archives = _split_archives(importing.iter_sources(files))
        for source in archives:
            try:
                _extract_archive(out, source, jobs=jobs, max_bytes=max_bytes, dropped=dropped)
            except IngestError as e:
                if not several:
                    raise click.ClickException(f"{source.name}: {e.reason}") from e
                failures += 1
                click.echo(f"Error: {source.name}: {e.reason}", err=True)
        for item in importing.iter_ingested(sources, format=format_, max_bytes=max_bytes, jobs=jobs):
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
                _write_lines(out, _extract_records(doc, name=name, dropped=dropped))
        out.flush()
    except BrokenPipeError:
        # `annotator extract big/ | head`: the reader has what it wanted.
        _silence_stdout()
        return
    if failures:
        raise click.ClickException(f"{failures} file{'' if failures == 1 else 's'} failed")


def _split_archives(sources) -> tuple[list, list]:
    """Separate WARC archives (read as streams, record by record) from the files read whole."""
    files, archives = [], []
    for source in sources:
        readable = source.path is not None and not source.problem
        (archives if readable and crawls.is_warc(source.name) else files).append(source)
    return files, archives


def _extract_archive(out, source, *, jobs: int, max_bytes: int, dropped: bool) -> None:
    counts: Counter = Counter()
    articles = 0
    for page, doc in crawls.iter_articles(source.path, counts=counts, jobs=jobs, max_bytes=max_bytes):
        records = list(_extract_records(doc, name=source.name, dropped=dropped))
        records[0]["record"] = page.record
        _write_lines(out, records)
        articles += 1
    click.echo(f"{source.name}: {articles} articles; {_passed_over(counts)}", err=True)


def _passed_over(counts: Counter) -> str:
    if not counts:
        return "every record was an article"
    reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    return f"{sum(counts.values())} records passed over ({reasons})"


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (as under a test runner)
        pass


def _progress_counts(report: importing.ImportReport):
    def show(_item):
        return (
            f"{len(report.added)} added, {len(report.duplicates)} duplicates, "
            f"{len(report.changed)} changed, {len(report.failed)} failed"
        )

    return show


@click.command("import")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--project", "project_name", required=True, help="Project to import into.")
@format_option
@max_bytes_option
@jobs_option
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON instead of the summary.")
@expected_failures
def import_(db_path, paths, project_name, format_, max_bytes, jobs, as_json):
    """Import articles from PATHS (files, directories read recursively, or - for stdin) into a project.

    Each file is one transaction: a file with any bad article (a JSONL line with invalid JSON,
    no text, undecodable bytes, nothing left after cleaning, over the size limit) imports
    nothing, and the other files go on. Re-importing an article adds nothing; a known URL with
    different text is reported as a changed version and not imported.

    A WARC archive (.warc, .warc.gz, e.g. a news crawl) gives one article per HTML response, its
    URL and crawl date from the record (the page's own date preferred); records that are no
    article (requests, images, redirects, pages without an article) are counted and passed over.
    Its articles are stored 200 to a transaction, read by --jobs worker processes.

    Exit code: 0 when every file was read (duplicates and changed versions included), 1 when
    any file failed, 130 when interrupted (the summary still lists what was done).
    """
    _check_stdin_once(paths)
    with open_db(db_path) as db:
        project = project_service.get_project_by_name(db, project_name)
        report = importing.ImportReport()
        interrupted = False
        sources, archives = _split_archives(importing.iter_sources(paths))
        with click.progressbar(
            importing.iter_ingested(sources, format=format_, max_bytes=max_bytes, jobs=jobs),
            length=len(sources),
            label="Importing",
            file=sys.stderr,
            show_pos=True,
            item_show_func=_progress_counts(report),
        ) as bar:
            try:
                for item in bar:
                    importing.store_ingested(db, project, item, report=report)
            except KeyboardInterrupt:
                # The file being read was rolled back whole; the ones before it are in.
                interrupted = True
        for source in archives:
            if interrupted:
                break
            interrupted = _import_archive(db, project, source, jobs=jobs, max_bytes=max_bytes, report=report)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.summary() + ".")
        for item in report.changed:
            where = f"{item['file']}, line {item['line']}" if item.get("line") else item["file"]
            click.echo(f"changed: {where}: {item['reason']}")
        for item in report.skipped:
            click.echo(f"skipped: {item['file']}: {item['reason']}")
        for item in report.failed:
            click.echo(f"failed: {item['message']}")
        for archive in report.archives:
            click.echo(
                f"{archive['file']}: {archive['articles']} articles; {_passed_over(Counter(archive['skipped']))}"
            )
    if interrupted:
        unread = len(sources) + len(archives) - report.files - len(report.skipped)
        click.echo(f"Interrupted: {unread} files not read.", err=True)
        sys.exit(130)
    if report.failed:
        sys.exit(1)


def _import_archive(db, project, source, *, jobs: int, max_bytes: int, report) -> bool:
    """Import one WARC archive with a progress bar over its bytes; return whether it was interrupted."""
    size = source.path.stat().st_size
    with click.progressbar(
        length=size,
        label=f"Importing {source.path.name}",
        file=sys.stderr,
        item_show_func=_progress_counts(report),
    ) as bar:
        done = [0]

        def progress(position: int) -> None:
            bar.update(position - done[0], position)
            done[0] = position

        try:
            crawls.import_warc(
                db,
                project,
                source.path,
                name=source.name,
                jobs=jobs,
                max_bytes=max_bytes,
                report=report,
                progress=progress,
            )
        except KeyboardInterrupt:
            # The batch being stored was rolled back whole; the ones before it are in.
            return True
    return False


COMMANDS = [extract, import_]
