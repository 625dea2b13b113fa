"""Ingest on any engine: WARC archives to the JSONL ``annotator import`` takes, file by file.

``warc_file_records(path)`` is a plain function from a path to JSONL lines, so any engine that maps
a function over files can run it (a process pool, Dask, Spark, Ray); ``dask_warc_to_jsonl`` is the
recipe for Dask (the ``dask`` extra). Each line holds an article's metadata and its ``units`` as
the extraction made them, so importing the lines stores exactly what ``annotator import`` makes
of the archives themselves, without extracting again on the database's machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .models import META_KEYS, Document
from .warc import iter_pages, try_page


def import_record(doc: Document) -> dict:
    """Return the JSONL record ``annotator import`` reads back into ``doc``'s metadata and units."""
    record = {key: doc.meta[key] for key in META_KEYS if doc.meta.get(key)}
    record |= {
        key: value for key, value in doc.meta.items() if key not in META_KEYS and value not in ("", None)
    }
    record["units"] = [
        {"kind": u.kind, "text": u.text, **({"credit": u.credit} if u.credit else {})} for u in doc.units
    ]
    return record


def warc_file_records(path: str | Path, *, max_bytes: int = 20_000_000) -> list[str]:
    """Return the JSONL lines (no newline) of the articles in one WARC archive, in record order."""
    lines = []
    with open(path, "rb") as fh:
        for page in iter_pages(fh, max_bytes=max_bytes):
            _page, doc, _reason = try_page(page)
            if doc is not None:
                lines.append(json.dumps(import_record(doc), ensure_ascii=False))
    return lines


def dask_warc_to_jsonl(
    paths: Iterable[str | Path], out_dir: str | Path, *, scheduler: str | None = None
) -> list[str]:
    """Extract WARC archives with ``dask.bag``, one task per archive, into ``out_dir/<n>.jsonl``.

    ``scheduler`` is Dask's (``"processes"`` for the local multiprocessing one; ``None`` is
    Dask's default, or a distributed client when one is set up). Returns the files written,
    in the order of ``paths`` (sorted), ready for ``annotator import out_dir/``.
    """
    import dask.bag

    files = sorted(str(p) for p in paths)
    if not files:
        return []
    bag = dask.bag.from_sequence(files, npartitions=len(files)).map(warc_file_records).flatten()
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    # Zero-padded names: `annotator import DIR` reads files by name, so in the archives' order.
    width = len(str(len(files)))
    written = bag.to_textfiles(
        str(Path(out_dir) / "*.jsonl"),
        name_function=lambda n: str(n).zfill(width),
        last_endline=True,
        scheduler=scheduler,
    )
    kept = []
    for name in written:
        # An archive without articles leaves an empty file, which the importer would call a failure.
        if Path(name).read_bytes().strip():
            kept.append(name)
        else:
            Path(name).unlink()
    return kept
