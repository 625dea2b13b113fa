"""Write an export directory: JSONL per split, ``manifest.json`` and a ``README.md`` card.

Crash safety: every file is streamed to a hidden temporary name in the target
directory; only when all of them are complete and fsynced are they renamed into
place, data files first and ``manifest.json`` last.  ``manifest.json`` is the
commit marker: an existing one is removed before the first rename, so a kill in
the short rename window leaves a directory without a manifest rather than a
manifest describing files that are not there.  An exception while streaming
removes the temporaries and leaves the directory as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import secrets
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..scheme import Scheme
from . import card
from .encode import EncodedBatch
from .spec import EXPORT_VERSION, VIEWS, hf_features, record_spec
from .splits import SPLITS, check_ratios, split_for
from .stored import fold_counts

MANIFEST = "manifest.json"
README = "README.md"
_FLUSH_BYTES = 1 << 18  # bytes joined per write and hash update: fewer calls, bounded memory
_PENDING_COUNTS = 4096  # distinct counts texts held before they are folded into the label counts
_IN_FLIGHT = 4  # joined blocks waiting for the writer thread: memory stays bounded


class _Sink:
    """Hash and write the parts' data in a thread, beside the thread that makes the records.

    sha256 and file writes release the GIL, so on a second core they cost the export nothing.
    At most ``_IN_FLIGHT`` blocks wait; an error in the thread is raised in the caller at its next
    ``put`` or at ``close``.
    """

    def __init__(self) -> None:
        self.queue: queue.Queue = queue.Queue(maxsize=_IN_FLIGHT)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="export-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            part, data = item
            if self.error is None:
                try:
                    part.sha.update(data)
                    part.fh.write(data)
                except BaseException as e:  # kept for the caller, who stops the export
                    self.error = e

    def put(self, part: _Part, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((part, data))

    def close(self) -> None:
        """Wait for every block to be written; raise the thread's error, if any."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


class _Part:
    """One output file being streamed to its temporary name."""

    def __init__(self, out_dir: Path, name: str, split: str | None, sink: _Sink):
        self.sink = sink
        self.name = name
        self.split = split
        self.final = out_dir / name
        self.tmp = out_dir / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        self.fh = open(self.tmp, "wb")  # noqa: SIM115 - closed in finish()/abort()
        self.sha = hashlib.sha256()
        self.buf: list[bytes] = []
        self.buffered = 0
        self.records = 0
        self.articles = 0
        self.bytes = 0
        self.last_article: str | None = None
        self.labels: dict[str, int] = {}
        # counts texts of stored records -> records, folded into ``labels`` when it grows and at the end
        self.pending: dict[str, int] = {}

    def add_batch(self, batch: EncodedBatch) -> None:
        lines = batch.lines
        self.buf += lines
        self.buffered += sum(map(len, lines))
        self.records += len(lines)
        if batch.article_id != self.last_article:
            self.articles += 1
            self.last_article = batch.article_id
        labels = self.labels
        for name, n in batch.counts.items():
            labels[name] = labels.get(name, 0) + n
        pending = self.pending
        get = pending.get
        for text, n in batch.count_texts.items():
            pending[text] = get(text, 0) + n
        if len(pending) > _PENDING_COUNTS:
            self.fold()
        if self.buffered >= _FLUSH_BYTES:
            self.flush()

    def fold(self) -> None:
        fold_counts(self.pending, self.labels)
        self.pending.clear()

    def flush(self) -> None:
        if self.buf:
            data = b"".join(self.buf)
            self.buf.clear()
            self.buffered = 0
            self.sink.put(self, data)
            self.bytes += len(data)

    def finish(self, fsync: bool) -> None:
        """Write what is left; call after the sink is closed (every block written)."""
        self.fold()
        self.fh.flush()
        if fsync:
            os.fsync(self.fh.fileno())
        self.fh.close()

    def abort(self) -> None:
        try:
            self.fh.close()
        finally:
            self.tmp.unlink(missing_ok=True)

    def describe(self) -> dict:
        return {
            "path": self.name,
            "split": self.split,
            "records": self.records,
            "articles": self.articles,
            "bytes": self.bytes,
            "sha256": self.sha.hexdigest(),
        }


def write_tmp(out_dir: Path, name: str, text: str, fsync: bool) -> tuple[Path, Path]:
    final = out_dir / name
    tmp = out_dir / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        if fsync:
            os.fsync(fh.fileno())
    return tmp, final


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_orphaned_temps(out_dir: Path) -> None:
    """Remove temporaries left by an export process that was killed (its pid is gone)."""
    for tmp in out_dir.glob(".*.tmp"):
        try:
            pid = int(tmp.name.rsplit(".", 2)[-2].split("-")[0])
        except (ValueError, IndexError):
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # alive, but not ours to signal: leave it


def _previous_files(out_dir: Path) -> set[str]:
    try:
        old = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {
            f["path"] for f in old.get("files", ()) if "/" not in f["path"] and f["path"].endswith(".jsonl")
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return set()


def write_export(
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
    fsync: bool = True,
) -> dict:
    """Stream ``batches`` (``encode_records``, ``encode_stored_all``) into ``out_dir``; return the manifest.

    With ``split`` the records go to ``train.jsonl``, ``dev.jsonl`` and ``test.jsonl`` by
    ``split_for(article_id, seed, split)``; with ``split=None`` to ``<view>.jsonl``.
    Memory is constant: batches are hashed and written as they come.  ``label_scheme``
    (default newsattr-1) gives the features declared in the manifest and card; ``scheme`` is
    what the manifest says of it.
    Raises whatever ``batches`` raises, after removing every temporary file.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown export view {view!r}; expected one of {', '.join(VIEWS)}")
    ratios = check_ratios(split) if split is not None else None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    remove_orphaned_temps(out)
    previous = _previous_files(out)

    parts: dict[str | None, _Part] = {}
    extra_tmps: list[tuple[Path, Path]] = []
    sink = _Sink()
    try:
        if ratios is None:
            parts[None] = _Part(out, f"{view}.jsonl", None, sink)
        else:
            for s in SPLITS:
                parts[s] = _Part(out, f"{s}.jsonl", s, sink)
        last_article: str | None = None
        part = next(iter(parts.values()))
        for batch in batches:
            if ratios is not None and batch.article_id != last_article:
                part = parts[split_for(batch.article_id, seed, ratios)]
                last_article = batch.article_id
            part.add_batch(batch)
        for p in parts.values():
            p.flush()
        sink.close()
        for p in parts.values():
            p.finish(fsync)

        manifest = manifest_of(
            view, parts.values(), ratios, seed, params, scheme, agreement_summary, label_scheme
        )
        readme = card.render(manifest, label_definitions, label_scheme)
        extra_tmps.append(write_tmp(out, README, readme, fsync))
        manifest_text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        extra_tmps.append(write_tmp(out, MANIFEST, manifest_text, fsync))
    except BaseException:
        try:
            sink.close()
        except BaseException:  # the first error is the one to raise
            pass
        for p in parts.values():
            p.abort()
        for tmp, _final in extra_tmps:
            tmp.unlink(missing_ok=True)
        raise

    # Commit: drop the old marker, move the data and the card, then the new marker.
    (out / MANIFEST).unlink(missing_ok=True)
    for p in parts.values():
        os.replace(p.tmp, p.final)
    for tmp, final in extra_tmps:
        os.replace(tmp, final)
    if fsync:
        fsync_dir(out)
    for stale in previous - {p.name for p in parts.values()}:
        (out / stale).unlink(missing_ok=True)
    return manifest


def manifest_of(view, parts, ratios, seed, params, scheme, agreement_summary, label_scheme) -> dict:
    parts = list(parts)
    key = [p.split or view for p in parts]
    total_labels: Counter[str] = Counter()
    for p in parts:
        total_labels.update(p.labels)
    return {
        "export_version": EXPORT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "view": view,
        "scheme": dict(scheme) if scheme is not None else None,
        "parameters": dict(params or {}),
        "split": None
        if ratios is None
        else {
            "ratios": list(ratios),
            "seed": seed,
            "by": "article",
            "method": "sha256(f'{seed}:{article_id}'): first 8 bytes as a fraction of 2**64, cut at the ratios",
        },
        "files": [p.describe() for p in parts],
        "counts": {
            "records": {
                **{k: p.records for k, p in zip(key, parts, strict=True)},
                "total": sum(p.records for p in parts),
            },
            "articles": {
                **{k: p.articles for k, p in zip(key, parts, strict=True)},
                "total": sum(p.articles for p in parts),
            },
            "labels": {
                **{k: dict(sorted(p.labels.items())) for k, p in zip(key, parts, strict=True)},
                "total": dict(sorted(total_labels.items())),
            },
        },
        "agreement_summary": _jsonable(agreement_summary),
        "features": hf_features(record_spec(view, label_scheme)),
    }


def _jsonable(value: Any) -> Any:
    # Round-trip through JSON so the manifest holds plain data (NaN is kept as null-safe text).
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))
