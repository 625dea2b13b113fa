"""An export's agreement summary from the cached per-block counts, in constant memory.

The manifest of an export carries agreement per field and the annotators compared, over every
paragraph with two or more annotations: what one pass over all the labels gives, and what the
blocks ``reports`` keeps give too once merged.  A block's counts also hold a figure per paragraph,
which the summary does not need, so blocks are loaded, stripped of those and merged one at a time;
memory then follows the number of distinct label values, not of paragraphs.  Blocks whose counts
are stale are recounted in a worker process while the export writes its records (the export's
process takes its share once they are out), and kept for the next export or report.

Every read happens in the caller's read transaction (``store.read``), the snapshot the records come
from.  The worker reads the database on its own connection, so it recounts a block only while its
change counter still equals the one in that snapshot; a block changed since is recounted in the
export's process, from the snapshot.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping

import sqlite_utils

from .. import agreement
from ..scheme import Scheme
from ..store import connect, read, reviewing, write
from .queue import CHUNK, _group
from .reports import PARALLEL_MIN_CHUNKS, chunk_fingerprint


def _count_block(
    db: sqlite_utils.Database, project_id: int, chunk: int, names: Mapping[int, str], fields: agreement.Layout
):
    acc = agreement.FieldAccumulator(fields)
    for item in _group(
        reviewing.iter_raw_annotations(db, project_id, lo=chunk * CHUNK, hi=(chunk + 1) * CHUNK), names
    ):
        acc.add(item)
    return acc


def _fold(merged: agreement.FieldAccumulator, acc: agreement.FieldAccumulator) -> None:
    acc.paragraphs = {}  # the summary has no per-paragraph figures: drop them before they add up
    merged.merge(acc)


def summarise(merged: agreement.FieldAccumulator) -> dict:
    """Return ``{"fields", "annotators"}`` of merged block counts, as one pass over the labels gives them.

    Blocks also list annotators seen only on paragraphs nobody else labelled; one pass over
    paragraphs with two or more annotations never meets those, so the annotators are the ones
    in a compared pair.
    """
    merged.annotators = {name for pair in merged.pairs for name in pair.split("|")}
    report = merged.report()
    return {"fields": report["fields"], "annotators": report["annotators"]}


def _claim(claimed) -> int:
    """Take the next stale block's place in the list both processes count from."""
    with claimed.get_lock():
        k = claimed.value
        claimed.value += 1
    return k


def _worker(
    path: str,
    project_id: int,
    fields: agreement.Layout,
    stale: list[tuple[int, int]],
    claimed,
    parent: int,
    conn,
) -> None:
    """Worker process: recount stale blocks still as the export sees them, keep each, merge them all.

    ``stale`` lists ``(block, changes in the export's snapshot)``; the export's process takes
    blocks from the same list once its records are written (``claimed`` is the next place).
    """
    db = connect(path, migrate=False)
    try:
        names = reviewing.user_names(db)
        merged, changed = agreement.FieldAccumulator(fields), []
        fingerprint = chunk_fingerprint(fields)
        while (k := _claim(claimed)) < len(stale):
            if os.getppid() != parent:  # the export is gone: nobody will read the result
                return
            chunk, changes = stale[k]
            with read(db):
                if reviewing.chunk_changes(db, project_id, chunk) != changes:
                    changed.append(chunk)
                    continue
                acc = _count_block(db, project_id, chunk, names, fields)
            try:
                with write(db):
                    reviewing.save_chunk_states(
                        db,
                        project_id,
                        {chunk: (fingerprint, changes, pickle.dumps(acc, pickle.HIGHEST_PROTOCOL))},
                    )
            except sqlite3.OperationalError:  # read-only or busy: the summary is still right, just not kept
                pass
            _fold(merged, acc)
        conn.send((merged, changed))
    finally:
        db.close()
        conn.close()


class ExportSummary:
    """The agreement summary of the project as the caller's read transaction sees it.

    ``ExportSummary(db, project_id, scheme=...)`` (inside ``store.read``; the fields compared are the
    scheme's, by default the default scheme's) starts recounting stale blocks in a
    worker when there are many; ``finish()`` (in the same transaction) merges the current blocks,
    counts stale ones beside the worker until none is left, and returns the summary; ``close()``
    stops a worker still running; ``keep()`` (after the transaction) stores the blocks counted in
    this process.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        project_id: int,
        *,
        scheme: agreement.Layout | Scheme | None = None,
        workers: int | None = None,
    ):
        self.db = db
        self.project_id = project_id
        self.fields = agreement.layout_of(scheme)
        self.fingerprint = chunk_fingerprint(self.fields)
        chunks = reviewing.list_chunks(db, project_id)
        self.changes = {k: c["changes"] for k, c in chunks.items()}
        self.current = sorted(
            k
            for k, c in chunks.items()
            if c["counted"] == c["changes"] and c["fingerprint"] == self.fingerprint
        )
        self.stale = sorted(set(chunks) - set(self.current))
        self.kept: dict[int, tuple[int, int]] = {}  # block -> (offset, size) of its counts in ``spill``
        self.spill = None
        self.process = self.conn = self.claimed = None
        path = reviewing.database_path(db)
        workers = workers if workers is not None else os.cpu_count() or 1
        if path and workers >= 2 and len(self.stale) >= PARALLEL_MIN_CHUNKS:
            ctx = multiprocessing.get_context("spawn")
            self.conn, child = ctx.Pipe(duplex=False)
            self.claimed = ctx.Value("q", 0)
            stale = [(k, self.changes[k]) for k in self.stale]
            self.process = ctx.Process(
                target=_worker,
                args=(path, project_id, self.fields, stale, self.claimed, os.getpid(), child),
                daemon=True,
            )
            try:
                self.process.start()
            except OSError:  # no process to be had: this one counts every block
                self.process = None
            child.close()

    def finish(self) -> dict:
        merged = agreement.FieldAccumulator(self.fields)
        recount = self._merge_current(merged)
        if self.process is None:
            recount += self.stale
        else:
            # Help the worker with the blocks it has not taken yet, then take its counts.
            while (k := _claim(self.claimed)) < len(self.stale):
                self._count_here([self.stale[k]], merged)
            try:
                counted, changed = self.conn.recv()
            except EOFError:  # the worker died: count its blocks here
                counted, changed = (
                    agreement.FieldAccumulator(self.fields),
                    [k for k in self.stale if k not in self.kept],
                )
            self.process.join()
            self.process = None
            merged.merge(counted)
            recount += changed
        self._count_here(sorted(recount), merged)
        return summarise(merged)

    def _merge_current(self, merged: agreement.FieldAccumulator) -> list[int]:
        bad = []
        for k in self.current:
            state = reviewing.load_chunk_states(self.db, self.project_id, [k]).get(k)
            try:
                acc = pickle.loads(state)
            except Exception:  # counts pickled by other code: count again
                bad.append(k)
                continue
            _fold(merged, acc)
        return bad

    def _count_here(self, chunks: Iterable[int], merged: agreement.FieldAccumulator) -> None:
        names = reviewing.user_names(self.db)
        for k in chunks:
            acc = _count_block(self.db, self.project_id, k, names, self.fields)
            # Nothing can be written in the export's read transaction: the counts wait on disk, not in memory.
            state = pickle.dumps(acc, pickle.HIGHEST_PROTOCOL)
            if self.spill is None:
                self.spill = tempfile.TemporaryFile()
            self.kept[k] = (self.spill.tell(), len(state))
            self.spill.write(state)
            _fold(merged, acc)

    def close(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.process = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def keep(self) -> None:
        """Store the blocks counted in this process (call outside the read transaction), then forget them."""
        if self.spill is None:
            return
        try:
            for k, (offset, size) in self.kept.items():
                self.spill.seek(offset)
                state = self.spill.read(size)
                with write(self.db):
                    reviewing.save_chunk_states(
                        self.db, self.project_id, {k: (self.fingerprint, self.changes[k], state)}
                    )
        except sqlite3.OperationalError:  # read-only or busy: the summary was right, the counts are not kept
            pass
        finally:
            self.spill.close()
            self.spill, self.kept = None, {}
