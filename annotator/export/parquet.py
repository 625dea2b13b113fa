"""Write an export as Parquet: the JSONL export's records and splits, as typed Arrow columns.

The Arrow schema is built from the project scheme's record spec (``spec.record_spec``), the same
declaration the JSONL records and the dataset card's features come from: labels become nested
structs and lists, offsets ``int64``. The records arrive as the JSONL export makes them (the one
encoder's ``EncodedBatch``es of lines), and Arrow's own JSON reader parses a block
of those lines into a row group with the schema given: the bytes are the JSONL export's, so the
two formats cannot drift apart, and no Python object is made per value. Each split holds one
block of at most ``block_bytes`` at a time, so memory stays flat whatever the size of the export.
As with JSONL, each file is written under a temporary name and renamed into place only when every
file is complete, ``manifest.json`` (the same manifest, its files ``.parquet``) last.

pyarrow (the ``parquet`` extra) is imported on first use: the JSONL export and the server never load it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Invalid
from ..scheme import Scheme
from . import card
from .encode import EncodedBatch
from .spec import VIEWS, record_spec
from .splits import SPLITS, check_ratios, split_for
from .stored import fold_counts
from .writer import MANIFEST, README, fsync_dir, manifest_of, remove_orphaned_temps, write_tmp

BLOCK_BYTES = 1 << 20  # JSON text parsed at a time (about 900 `all` records)
ROW_GROUP_ROWS = 50_000
GROUP_BYTES = 8 << 20  # Arrow bytes that close a row group before it has ROW_GROUP_ROWS rows
_LEAF = {"int64": "int64", "float64": "float64", "string": "string", "bool": "bool_"}


def _pyarrow():
    """Return pyarrow with its json and parquet modules loaded; it is the optional ``parquet`` extra."""
    try:
        import pyarrow
        import pyarrow.json
        import pyarrow.parquet
    except ImportError as e:
        raise Invalid("Parquet output needs pyarrow: pip install 'annotator[parquet]'", field="format") from e
    return pyarrow


def arrow_type(spec: Any):
    """Return the Arrow type of a record spec (a dtype name, a struct dict, or a one-element list)."""
    pa = _pyarrow()
    if isinstance(spec, str):
        return getattr(pa, _LEAF[spec])()
    if isinstance(spec, list):
        return pa.list_(arrow_type(spec[0]))
    return pa.struct([pa.field(key, arrow_type(value)) for key, value in spec.items()])


def arrow_schema(view: str, scheme: Scheme | None = None):
    """Return the Arrow schema of a view's records under ``scheme`` (default: newsattr-1)."""
    pa = _pyarrow()
    if view not in VIEWS:
        raise ValueError(f"unknown export view {view!r}; expected one of {', '.join(VIEWS)}")
    return pa.schema([pa.field(key, arrow_type(value)) for key, value in record_spec(view, scheme).items()])


class RowGroups:
    """A Parquet file written from JSONL lines.

    Lines are parsed a block of ``block_bytes`` at a time (the JSON text is what costs memory:
    Arrow's columns of it are several times smaller), and the parsed blocks are written as one
    row group once they hold ``row_group_rows`` rows or ``GROUP_BYTES`` of Arrow data, so readers
    get row groups of a useful size while memory stays bounded. Parsing and writing run in a
    thread of their own, in order, while the caller makes the next lines: Arrow releases the GIL,
    so a second core does that work. At most ``_IN_FLIGHT`` blocks wait; an error in the thread
    is raised in the caller at its next block or at ``close``.
    """

    _IN_FLIGHT = 4

    def __init__(
        self, where, schema, *, block_bytes: int = BLOCK_BYTES, row_group_rows: int = ROW_GROUP_ROWS
    ):
        from concurrent.futures import ThreadPoolExecutor

        pa = _pyarrow()
        self.schema = schema
        self.writer = pa.parquet.ParquetWriter(where, schema, compression="zstd")
        self.options = pa.json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
        self.block_bytes = block_bytes
        self.row_group_rows = row_group_rows
        self.lines: list[bytes] = []
        self.buffered = 0
        self.rows = 0  # rows sent to the thread for the row group being made
        self.futures: deque = deque()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet")
        # Touched only by the worker thread:
        self.tables: list = []
        self.table_bytes = 0

    def add(self, line: bytes) -> None:
        self.lines.append(line)
        self.buffered += len(line)
        if self.buffered >= self.block_bytes:
            self.parse()

    def add_many(self, lines: list[bytes]) -> None:
        self.lines += lines
        self.buffered += sum(map(len, lines))
        if self.buffered >= self.block_bytes:
            self.parse()

    def parse(self) -> None:
        """Send the lines held to be parsed into the next row group, and the group to be written when full."""
        while self.lines:
            # A row group never straddles the size asked for: send only the lines that fit.
            take = self.lines[: self.row_group_rows - self.rows]
            del self.lines[: len(take)]
            data = b"".join(take)
            self.rows += data.count(b"\n")
            self._submit(self._parse_block, data)
            if self.rows >= self.row_group_rows:
                self._submit(self._write_group)
                self.rows = 0
        self.buffered = 0

    def _submit(self, job, *args) -> None:
        self.futures.append(self.worker.submit(job, *args))
        while len(self.futures) > self._IN_FLIGHT:
            self.futures.popleft().result()

    def _parse_block(self, data: bytes) -> None:
        pa = _pyarrow()
        table = pa.json.read_json(
            io.BytesIO(data),
            read_options=pa.json.ReadOptions(block_size=len(data) + 1, use_threads=False),
            parse_options=self.options,
        )
        self.tables.append(table.select(self.schema.names).cast(self.schema))
        self.table_bytes += table.nbytes
        if self.table_bytes >= GROUP_BYTES:
            self._write_group()

    def _write_group(self) -> None:
        if self.tables:
            pa = _pyarrow()
            table = pa.concat_tables(self.tables)
            self.tables, self.table_bytes = [], 0
            self.writer.write_table(table, row_group_size=max(table.num_rows, 1))

    def close(self) -> None:
        """Write what is left and the file's footer; raise the thread's error, if any."""
        try:
            self.parse()
            self._submit(self._write_group)
            while self.futures:
                self.futures.popleft().result()
        finally:
            self.worker.shutdown(wait=True, cancel_futures=True)
        self.writer.close()

    def abort(self) -> None:
        self.lines = []
        self.worker.shutdown(wait=True, cancel_futures=True)
        self.futures.clear()
        try:
            self.writer.close()
        except Exception:  # noqa: BLE001 - the caller removes the file whatever state it is in
            pass


class _Part:
    """One Parquet file being written to its temporary name, with the manifest's figures of it."""

    def __init__(self, out_dir: Path, name: str, split: str | None, schema, **sizes):
        self.name, self.split = name, split
        self.final = out_dir / name
        self.tmp = out_dir / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        self.groups = RowGroups(self.tmp, schema, **sizes)
        self.records = self.articles = self.bytes = 0
        self.last_article: str | None = None
        self.labels: dict[str, int] = {}
        self.pending: dict[str, int] = {}
        self.sha = ""

    def _article(self, article_id: str) -> None:
        if article_id != self.last_article:
            self.articles += 1
            self.last_article = article_id

    def add(self, batch: EncodedBatch) -> None:
        """Add one article's encoded records, counting their labels as the JSONL writer does."""
        self._article(batch.article_id)
        self.groups.add_many(batch.lines)
        self.records += len(batch.lines)
        for name, n in batch.counts.items():
            self.labels[name] = self.labels.get(name, 0) + n
        for text, n in batch.count_texts.items():
            self.pending[text] = self.pending.get(text, 0) + n

    def finish(self, fsync: bool) -> None:
        self.groups.close()
        fold_counts(self.pending, self.labels)
        self.pending.clear()
        sha = hashlib.sha256()
        with open(self.tmp, "rb") as fh:
            while block := fh.read(1 << 20):
                sha.update(block)
                self.bytes += len(block)
            if fsync:
                os.fsync(fh.fileno())
        self.sha = sha.hexdigest()

    def abort(self) -> None:
        self.groups.abort()
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
    batches: Iterable[EncodedBatch],
    *,
    split: Sequence[float] | None = (80, 10, 10),
    seed: int = 0,
    params: Mapping | None = None,
    scheme: Mapping | None = None,
    agreement_summary: Mapping | None = None,
    label_definitions: Mapping | None = None,
    label_scheme: Scheme | None = None,
    block_bytes: int = BLOCK_BYTES,
    row_group_rows: int = ROW_GROUP_ROWS,
    fsync: bool = True,
) -> dict:
    """Stream ``batches`` (what ``write_export`` takes) into ``out_dir`` as Parquet; return the manifest.

    With ``split``, ``train.parquet``, ``dev.parquet`` and ``test.parquet`` by
    ``split_for(article_id, seed, split)`` (the JSONL export's splits); with ``split=None``,
    ``<view>.parquet``. Raises whatever ``records`` raises, after removing every temporary file.
    """
    schema = arrow_schema(view, label_scheme)
    ratios = check_ratios(split) if split is not None else None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    remove_orphaned_temps(out)
    parts: dict[str | None, _Part] = {}
    extra: list[tuple[Path, Path]] = []
    try:
        names = {None: f"{view}.parquet"} if ratios is None else {s: f"{s}.parquet" for s in SPLITS}
        for key, name in names.items():
            parts[key] = _Part(out, name, key, schema, block_bytes=block_bytes, row_group_rows=row_group_rows)
        part = parts.get(None)
        last_article = None
        for batch in batches:
            if ratios is not None and batch.article_id != last_article:
                part = parts[split_for(batch.article_id, seed, ratios)]
                last_article = batch.article_id
            part.add(batch)  # type: ignore[union-attr]
        for p in parts.values():
            p.finish(fsync)
        manifest = manifest_of(
            view, parts.values(), ratios, seed, params, scheme, agreement_summary, label_scheme
        )
        manifest["format"] = "parquet"
        extra.append(write_tmp(out, README, card.render(manifest, label_definitions, label_scheme), fsync))
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        extra.append(write_tmp(out, MANIFEST, text, fsync))
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
        fsync_dir(out)
    return manifest


def write_parquet_file(
    fh,
    view: str,
    lines: Iterable[str | bytes],
    *,
    scheme: Scheme | None = None,
    block_bytes: int = BLOCK_BYTES,
) -> int:
    """Write JSONL ``lines`` of a view (as ``iter_jsonl`` yields them) as one Parquet file to ``fh``."""
    groups = RowGroups(fh, arrow_schema(view, scheme), block_bytes=block_bytes)
    count = 0
    try:
        for line in lines:
            data = line.encode("utf-8") if isinstance(line, str) else line
            groups.add(data)
            count += data.count(b"\n")
        groups.close()
    except BaseException:
        groups.abort()
        raise
    return count
