"""``annotator agreement``: agreement per field, from the database or from an ``all`` export."""

import json

import click

from .. import projects as project_service
from .. import review
from ..errors import Invalid
from ..scheme import SchemeError, load_scheme
from .common import db_option, expected_failures, open_db


def _lines(fp, name: str):
    """Yield decoded lines; a line that is not UTF-8 fails naming its number."""
    for number, raw in enumerate(fp, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise Invalid(f"line {number}: not UTF-8 text") from None


def _value(res: dict) -> str:
    return "undefined" if res["value"] is None else f"{res['value']:.3f}"


@click.command("agreement")
@db_option
@click.option("--project", "project_name", metavar="P", help="Project whose annotations to measure.")
@click.option(
    "--from-jsonl",
    "jsonl",
    type=click.File("rb"),
    metavar="FILE",
    help="An 'all' export (one line per paragraph and annotator); '-' reads stdin. No database needed.",
)
@click.option(
    "--scheme",
    "scheme_name",
    metavar="NAME|FILE",
    help="With --from-jsonl: the scheme whose fields to compare (default: the one the records' schema names, "
    "when it is shipped).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"fields": {path: {statistic, value, n, reason, unit}}, "alignment": {...}, ...}.',
)
@expected_failures
def agreement(db_path, project_name, jsonl, scheme_name, as_json):
    """Agreement per field: Krippendorff's alpha, span F1, Cohen's kappa per annotator pair.

    Give --project P (from the database) or --from-jsonl FILE (from an 'all' export). Each figure names
    its statistic and its unit (what n counts): attributes of attributions, claims and framing spans are
    measured on items aligned across all annotators at once, one unit per aligned item; the items that
    aligned with nothing are counted. Undefined values are printed as undefined, with the reason, never
    as 0 or 1. The fields compared are those of the project's scheme, or of --scheme, or of the scheme
    the records' schema names.
    """
    if bool(project_name) == bool(jsonl):
        raise click.UsageError("give either --project or --from-jsonl")
    if scheme_name and not jsonl:
        raise click.UsageError("--scheme goes with --from-jsonl (a project has its own scheme)")
    if jsonl is not None:
        name = getattr(jsonl, "name", "-")
        name = "<stdin>" if name in ("-", "<stdin>") else name
        try:
            scheme = load_scheme(scheme_name, extended="all") if scheme_name else None
        except SchemeError as e:
            raise click.ClickException(f"--scheme: {e}") from e
        try:
            report = review.report_from_jsonl(_lines(jsonl, name), scheme)
        except Invalid as e:
            raise click.ClickException(f"{name}: {e.message}") from e
    else:
        with open_db(db_path) as db:
            project = project_service.get_project_by_name(db, project_name)
            report = review.agreement_report(db, project)
    summary = review.report_summary(report)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    click.echo(
        f"{summary['n_multi']} of {summary['n_paragraphs']} paragraphs with two or more annotators; "
        f"annotators: {', '.join(summary['annotators']) or 'none'}"
    )
    for prefix, counts in summary["alignment"].items():
        click.echo(
            f"{prefix}: {counts['items']} items in {counts['units']} units; "
            f"{counts['unaligned_items']} items aligned with no other annotator's"
        )
    width = max([len(path) for path in summary["fields"]] + [5])
    click.echo(f"{'field':<{width}}  {'statistic':<28} {'value':>9} {'n':>8}  unit (what n counts); reason")
    for path, res in summary["fields"].items():
        reason = f"; {res['reason']}" if res["reason"] else ""
        click.echo(
            f"{path:<{width}}  {res['statistic']:<28} {_value(res):>9} {res['n']:>8}  {res['unit']}{reason}"
        )


COMMANDS = [agreement]
