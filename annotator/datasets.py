"""Datasets out and annotations back in: the store streams rows, ``export`` (pure) shapes and writes them."""

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import sqlite_utils

from . import agreement, export, review, store
from .errors import Invalid, NotFound
from .scheme import load_scheme, normalize, validate
from .store import datasets as rows_store
from .store import events, users

ONLY = ("all", "adjudicated", "unanimous")
FORMATS = ("jsonl", "parquet")
DOWNLOAD_RATIOS = (80, 10, 10)  # a download's splits are the CLI's default ones


def _scheme_for(project: dict):
    return load_scheme(project["scheme"], extended=project["settings"].extended or None)


def _rows(db, project: dict, view: str, *, only: str, min_annotators: int) -> Iterator[dict]:
    if view == "all":
        return rows_store.iter_annotation_rows(db, project["id"], min_annotators=min_annotators)
    source = None if only == "all" else only
    return rows_store.iter_decision_rows(db, project["id"], source=source, min_annotators=min_annotators)


def _check(view: str, only: str, min_annotators: int) -> None:
    if view not in export.VIEWS:
        raise Invalid(f"unknown view {view!r}: choose one of {', '.join(export.VIEWS)}", field="view")
    if only not in ONLY:
        raise Invalid(f"unknown filter {only!r}: choose one of {', '.join(ONLY)}", field="only")
    if view == "all" and only != "all":
        raise Invalid("--only applies to the gold and spans views", field="only")
    if min_annotators < 1:
        raise Invalid("the minimum number of annotators is at least 1", field="min_annotators")


def _with_agreement(rows: Iterable[dict], summary: dict, scheme=None) -> Iterator[dict]:
    """Pass ``rows`` (sorted by paragraph) through, filling ``summary`` with their agreement once they are spent.

    One pass over the exported labels: for an ``all`` export that keeps only paragraphs with three
    or more annotators, whose summary the cached per-block counts cannot give.
    """
    accumulator = agreement.FieldAccumulator(scheme)
    current, group = None, {}
    for row in rows:
        if row["paragraph_id"] != current:
            if len(group) >= 2:
                # No paragraph_id: the summary needs the fields, not an entry per paragraph.
                accumulator.add({"annotations": group})
            current, group = row["paragraph_id"], {}
        group[row["annotator"]] = row["labels"]
        yield row
    if len(group) >= 2:
        accumulator.add({"annotations": group})
    report = accumulator.report()
    summary.update({"fields": report["fields"], "annotators": report["annotators"]})


def label_definitions(scheme) -> dict:
    """Return {field path: help text} and value definitions, for the dataset card."""
    definitions = {}
    for field in scheme.fields:
        if not scheme.enabled(field.path):
            continue
        definitions[field.path] = field.help or ""
        for choice in scheme.choices(field.path) if getattr(field, "values", None) else []:
            definitions[f"{field.path} = {choice[0]}"] = choice[3] or ""
    return definitions


def export_dataset(
    db: sqlite_utils.Database,
    project: dict,
    *,
    view: str,
    out_dir: str | Path,
    split: tuple[int, int, int] | None = (80, 10, 10),
    seed: int = 0,
    only: str = "all",
    min_annotators: int = 1,
    actor: dict | None = None,
    format: str = "jsonl",
) -> dict:
    """Write the project's ``view`` to ``out_dir`` (atomically, in constant memory); return the manifest.

    ``format`` is ``jsonl`` or ``parquet``: the same records and splits either way.
    """
    _check(view, only, min_annotators)
    if format not in FORMATS:
        raise Invalid(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}", field="format")
    scheme = _scheme_for(project)
    params = {
        "project": project["name"],
        "view": view,
        "only": only,
        "min_annotators": min_annotators,
        "split": list(split) if split else None,
        "seed": seed,
    }
    # With at least three annotators required, the all view's summary covers fewer paragraphs than
    # the cached per-block counts do: it comes from the exported labels themselves.
    cached_summary = view != "all" or min_annotators <= 2
    summary: dict = {}
    counting = None
    try:
        # One snapshot: the records, their label counts and the agreement summary describe the same data.
        with store.read(db):
            if cached_summary:
                counting = review.ExportSummary(db, project["id"], scheme=scheme)
            # The same serialised records for both formats: Parquet parses the JSONL lines.
            records = _encoded_records(
                db,
                project,
                view,
                scheme,
                only=only,
                min_annotators=min_annotators,
                summary=None if cached_summary else summary,
            )
            if counting is not None:
                records = _then(records, lambda: summary.update(counting.finish()))
            writer = export.write_parquet if format == "parquet" else export.write_export
            manifest = writer(
                out_dir,
                view,
                records,
                split=split,
                seed=seed,
                params=params,
                scheme={"name": scheme.name, "version": scheme.version, "extended": sorted(scheme.extended)},
                # Filled once the last record is out; write_export reads it only then.
                agreement_summary=summary,
                label_definitions=label_definitions(scheme),
                label_scheme=scheme,
            )
    finally:
        if counting is not None:
            counting.close()
            counting.keep()  # blocks counted here are right even when the export failed
    events.log_event(
        db,
        "export",
        user_id=actor["id"] if actor else None,
        project_id=project["id"],
        view=view,
        out=str(out_dir),
        format=format,
    )
    return manifest


def _encoded_records(db, project, view, scheme, *, only: str, min_annotators: int, summary: dict | None):
    """The view's records serialised; ``summary`` given, the agreement of the exported labels goes there."""
    if view == "all" and summary is None:
        # The large view: stored export forms spliced into lines, an article at a time.
        paragraphs, annotations, annotators = rows_store.open_annotation_export(
            db, project["id"], export_format=export.labels_format(scheme), min_annotators=min_annotators
        )
        return export.encode_stored_all(paragraphs, annotations, annotators, scheme=scheme)
    rows = _rows(db, project, view, only=only, min_annotators=min_annotators)
    if summary is not None:
        rows = _with_agreement(rows, summary, scheme)
    return export.encode_records(view, rows, scheme=scheme)


def _then(items: Iterable, finish) -> Iterator:
    yield from items
    finish()


def import_annotations(
    db: sqlite_utils.Database, project: dict, lines: Iterable[str | bytes], *, actor: dict | None = None
) -> dict:
    """Read an ``all`` export back into ``project``: every line or none.

    Raises ``Invalid`` naming the line and field of the first problem: a malformed record,
    an unknown paragraph or user, text that differs from the stored paragraph, labels the
    project's scheme rejects.
    """
    scheme = _scheme_for(project)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    try:
        with store.write(db):
            for line_no, record in enumerate(export.read_all_export(lines, scheme), start=1):
                _import_record(db, project, scheme, record, line_no, counts)
    except export.ExportFormatError as e:
        raise Invalid(str(e)) from e
    if counts["added"] or counts["updated"]:
        # Imported annotations join the review queue, and unanimous ones become gold, as if saved by hand.
        review.refresh(db, project)
    events.log_event(
        db, "import-annotations", user_id=actor["id"] if actor else None, project_id=project["id"], **counts
    )
    return counts


def _import_record(db, project, scheme, record: dict, line_no: int, counts: dict) -> None:
    where = f"line {line_no}"
    article_uid, _, position = record["paragraph_id"].rpartition("#p")
    if not position.isdigit():
        raise Invalid(
            f"{where}, field paragraph_id: {record['paragraph_id']!r} is not <article_id>#p<position>"
        )
    paragraph = rows_store.find_paragraph_for_export_id(db, project["id"], article_uid, int(position))
    if paragraph is None:
        raise Invalid(
            f"{where}, field paragraph_id: no paragraph {record['paragraph_id']!r} in project {project['name']!r}"
        )
    if paragraph["text"] != record["text"]:
        raise Invalid(f"{where}, field text: differs from the stored text of {record['paragraph_id']}")
    try:
        user_id = users.get_user_by_name(db, record["annotator"])["id"]
    except NotFound as e:
        raise Invalid(f"{where}, field annotator: {e.message}; add the user first") from e
    labels = _strip_absent(record["labels"], scheme)
    errors = validate(labels, paragraph["text"], scheme)
    if errors:
        first = errors[0]
        raise Invalid(f"{where}, field labels.{first.path}: {first.message}")
    outcome = rows_store.upsert_imported_annotation(
        db,
        project_id=project["id"],
        paragraph_id=paragraph["id"],
        user_id=user_id,
        labels=labels,
        scheme_version=str(scheme.version),
        seconds=float(record.get("seconds") or 0),
        export=export.stored_labels(labels, scheme),
    )
    counts[outcome] += 1


def _strip_absent(labels: dict, scheme) -> dict:
    """Undo the export's padding (every key present, null when absent) so the scheme sees the labels as saved.

    Dropping every null and letting ``normalize`` fill in the enabled fields again gives back
    exactly what ``normalize`` makes of the labels that were exported.
    """
    return normalize(_drop_nulls(labels), scheme)


def _drop_nulls(value):
    if isinstance(value, dict):
        return {key: _drop_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_drop_nulls(item) for item in value]
    return value


def check_download(*, view: str, only: str, min_annotators: int, split: str) -> None:
    """Raise ``Invalid`` for bad download parameters, before anything is streamed."""
    _check(view, only, min_annotators)
    if split not in ("all", *export.SPLITS):
        raise Invalid(f"unknown split {split!r}", field="split")


def iter_download_split(
    db: sqlite_utils.Database,
    project: dict,
    *,
    view: str,
    only: str = "all",
    min_annotators: int = 1,
    split: str = "all",
    seed: int = 0,
) -> Iterator[str]:
    """Yield one split of the view as JSONL (lines, or an article's lines at once), for a streamed download."""
    check_download(view=view, only=only, min_annotators=min_annotators, split=split)
    scheme = _scheme_for(project)
    if view == "all":
        return _download_all(db, project, scheme, min_annotators=min_annotators, split=split, seed=seed)
    rows = _rows(db, project, view, only=only, min_annotators=min_annotators)
    return export.iter_jsonl(_in_split(export.encode_records(view, rows, scheme=scheme), split, seed))


def _in_split(batches: Iterable, split: str, seed: int) -> Iterator:
    for batch in batches:
        if split == "all" or export.split_for(batch.article_id, seed, DOWNLOAD_RATIOS) == split:
            yield batch


def write_download_parquet(
    db: sqlite_utils.Database,
    project: dict,
    fh,
    *,
    view: str,
    only: str = "all",
    min_annotators: int = 1,
    split: str = "all",
    seed: int = 0,
) -> int:
    """Write one split of the view as a Parquet file to ``fh`` (the download's lines); return the record count."""
    lines = iter_download_split(
        db, project, view=view, only=only, min_annotators=min_annotators, split=split, seed=seed
    )
    with store.read(db):
        return export.write_parquet_file(fh, view, lines, scheme=_scheme_for(project))


def _download_all(db, project, scheme, *, min_annotators: int, split: str, seed: int) -> Iterator[bytes]:
    # The same stored forms as export_dataset, in one snapshot, one article's lines per chunk.
    with store.read(db):
        batches = _encoded_records(
            db, project, "all", scheme, only="all", min_annotators=min_annotators, summary=None
        )
        yield from export.iter_jsonl(_in_split(batches, split, seed))


def export_brat(
    db: sqlite_utils.Database, project: dict, *, out_dir: str | Path, actor: dict | None = None
) -> int:
    """Write the gold labels as BRAT standoff, one ``.txt``/``.ann`` pair per article; return the article count."""
    scheme = _scheme_for(project)
    rows = rows_store.iter_paragraphs_with_gold(db, project["id"])

    def articles():
        for article_id, group in itertools.groupby(rows, key=lambda row: row["article_id"]):
            units = list(group)
            yield article_id, units, {u["paragraph_id"]: u["labels"] for u in units if u["labels"]}

    count = export.write_brat(out_dir, articles(), scheme)
    events.log_event(
        db,
        "export",
        user_id=actor["id"] if actor else None,
        project_id=project["id"],
        view="brat",
        out=str(out_dir),
    )
    return count


def refresh_stored_forms(db: sqlite_utils.Database, project: dict, *, batch: int = 1000) -> int:
    """Remake the export forms kept beside the project's annotations that were saved under another
    export format (an older annotator, or another scheme); return how many were remade.

    Exports encode such rows one by one, ten times slower than splicing their stored forms, until
    each is saved again; ``annotator migrate`` runs this once instead. Short write transactions, a
    batch at a time, so annotators saving meanwhile are not held up.
    """
    import json

    scheme = _scheme_for(project)
    wanted = export.labels_format(scheme)
    after, remade = 0, 0
    while True:
        with store.write(db):
            rows = rows_store.stale_export_forms(db, project["id"], wanted, after=after, limit=batch)
            if not rows:
                return remade
            forms = []
            for annotation_id, text in rows:
                stored = export.stored_labels(json.loads(text), scheme)
                # A document the export cannot shape keeps no forms: the export meets it row by row.
                forms.append((*stored, annotation_id) if stored else (None, None, None, annotation_id))
                remade += stored is not None
            rows_store.set_export_forms(db, forms)
        after = rows[-1][0]
