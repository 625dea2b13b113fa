"""Write an export as Parquet: the JSONL export's records and splits, as typed Arrow columns.

The Arrow schema is built from ``records.RECORD_SPECS``, the same declaration the JSONL records
and the dataset card's features come from: labels become nested structs and lists, offsets
``int64``. Records are streamed into row groups of ``row_group_rows`` per split, so memory is
bounded by one row group per split whatever the size of the export. As with JSONL, each file is
written under a temporary name and renamed into place only when every file is complete, with
``manifest.json`` (the same manifest, its files ``.parquet``) last.

pyarrow is imported on first use: the JSONL export and the web server never load it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Invalid
from . import card
from .counts import count_labels, record_article_id
from .records import RECORD_SPECS, VIEWS
from .splits import SPLITS, check_ratios, split_for
from .writer import MANIFEST, README, _fsync_dir, _manifest, _remove_orphaned_temps, _write_tmp

ROW_GROUP_ROWS = 20_000


def _pyarrow():
    """Return (pyarrow, pyarrow.parquet); pyarrow is the optional ``parquet`` extra."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as e:
        raise Invalid("Parquet output needs pyarrow: pip install 'annotator[parquet]'", field="format") from e
    return pyarrow, pyarrow.parquet


_LEAF = {"int64": "int64", "float64": "float64", "string": "string", "bool": "bool_"}


def arrow_type(spec: Any):
    """Return the Arrow type of a record spec (a dtype name, a struct dict, or a one-element list)."""
    pa, _pq = _pyarrow()
    if isinstance(spec, str):
        return getattr(pa, _LEAF[spec])()
    if isinstance(spec, list):
        return pa.list_(arrow_type(spec[0]))
    return pa.struct([pa.field(key, arrow_type(value)) for key, value in spec.items()])


def arrow_schema(view: str):
    """Return the Arrow schema of a view's records."""
    pa, _pq = _pyarrow()
    if view not in VIEWS:
        raise ValueError(f"unknown export view {view!r}; expected one of {', '.join(VIEWS)}")
    return pa.schema([pa.field(key, arrow_type(value)) for key, value in RECORD_SPECS[view].items()])


class _Part:
    """One Parquet file being written to its temporary name, a row group at a time."""

    def __init__(self, out_dir: Path, name: str, split: str | None, schema, row_group_rows: int):
        _pa, pq = _pyarrow()
        self.name, self.split, self.schema = name, split, schema
        self.final = out_dir / name
        self.tmp = out_dir / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        self.writer = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        self.row_group_rows = row_group_rows
        self.rows: list[Mapping] = []
        self.records = 0
        self.articles = 0
        self.last_article: str | None = None
        self.labels: dict[str, int] = {}
        self.sha = ""
        self.bytes = 0

    def add(self, record: Mapping, article_id: str, view: str) -> None:
        self.rows.append(record)
        self.records += 1
        if article_id != self.last_article:
            self.articles += 1
            self.last_article = article_id
        count_labels(view, record, self.labels)
        if len(self.rows) >= self.row_group_rows:
            self.flush()

    def flush(self) -> None:
        pa, _pq = _pyarrow()
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def finish(self, fsync: bool) -> None:
        self.flush()
        self.writer.close()
        sha = hashlib.sha256()
        with open(self.tmp, "rb") as fh:
            while block := fh.read(1 << 20):
                sha.update(block)
                self.bytes += len(block)
            if fsync:
                os.fsync(fh.fileno())
        self.sha = sha.hexdigest()

    def abort(self) -> None:
        try:
            self.writer.close()
        except Exception:  # noqa: BLE001 - the temporary goes whatever state the writer was in
            pass
        self.tmp.unlink(missing_ok=True)

    def describe(self) -> dict:
        return {
            "path": self.name,
            "split": self.split,
            "records": self.records,
            "articles": self.articles,
            "bytes": self.bytes,
            "sha256": self.sha,
        }


def write_parquet(
    out_dir: str | os.PathLike,
    view: str,
    records: Iterable[Mapping],
    *,
    split: Sequence[float] | None = (80, 10, 10),
    seed: int = 0,
    params: Mapping | None = None,
    scheme: Mapping | None = None,
    agreement_summary: Mapping | None = None,
    label_definitions: Mapping | None = None,
    row_group_rows: int = ROW_GROUP_ROWS,
    fsync: bool = True,
) -> dict:
    """Stream record dicts (``records.records``) into ``out_dir`` as Parquet; return the manifest.

    With ``split``, ``train.parquet``, ``dev.parquet`` and ``test.parquet`` by
    ``split_for(article_id, seed, split)`` (the JSONL export's splits); with ``split=None``,
    ``<view>.parquet``. Raises whatever ``records`` raises, after removing every temporary file.
    """
    schema = arrow_schema(view)
    ratios = check_ratios(split) if split is not None else None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _remove_orphaned_temps(out)
    parts: dict[str | None, _Part] = {}
    extra: list[tuple[Path, Path]] = []
    try:
        names = {None: f"{view}.parquet"} if ratios is None else {s: f"{s}.parquet" for s in SPLITS}
        for key, name in names.items():
            parts[key] = _Part(out, name, key, schema, row_group_rows)
        part = parts.get(None)
        last_article = None
        for record in records:
            article_id = record_article_id(record)
            if ratios is not None and article_id != last_article:
                part = parts[split_for(article_id, seed, ratios)]
                last_article = article_id
            part.add(record, article_id, view)  # type: ignore[union-attr]
        for p in parts.values():
            p.finish(fsync)
        manifest = _manifest(view, parts.values(), ratios, seed, params, scheme, agreement_summary)
        manifest["format"] = "parquet"
        extra.append(_write_tmp(out, README, card.render(manifest, label_definitions), fsync))
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        extra.append(_write_tmp(out, MANIFEST, text, fsync))
    except BaseException:
        for p in parts.values():
            p.abort()
        for tmp, _final in extra:
            tmp.unlink(missing_ok=True)
        raise
    (out / MANIFEST).unlink(missing_ok=True)
    for p in parts.values():
        os.replace(p.tmp, p.final)
    for tmp, final in extra:
        os.replace(tmp, final)
    if fsync:
        _fsync_dir(out)
    return manifest


def write_parquet_file(
    fh, view: str, records: Iterable[Mapping], *, row_group_rows: int = ROW_GROUP_ROWS
) -> int:
    """Write ``records`` as one Parquet file to the binary file ``fh``; return the record count."""
    pa, pq = _pyarrow()
    schema = arrow_schema(view)
    count, rows = 0, []
    with pq.ParquetWriter(fh, schema, compression="zstd") as writer:
        for record in records:
            rows.append(record)
            count += 1
            if len(rows) >= row_group_rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows or not count:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return count
