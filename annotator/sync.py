"""Incremental sync: a project's annotations or gold labels changed since a cursor, page by page.

Each item is the current export record of one (paragraph, annotator) for ``annotations`` or of
one paragraph for ``gold`` (the records ``annotator export --view all|gold`` writes), or a
removal when it no longer exists. A page's ``next_cursor`` is the cursor of its last item: pass it
back to get the changes after it; ``has_more`` says whether there are any yet.
"""

import sqlite_utils

from . import export, store
from .annotation import scheme_for
from .errors import Invalid
from .store import sync as sync_store

STREAMS = {"annotations": "all", "gold": "gold"}
MAX_LIMIT = 1000


def pull(db: sqlite_utils.Database, project: dict, stream: str, *, since: int = 0, limit: int = 100) -> dict:
    """Return ``{"items": [...], "next_cursor": int, "has_more": bool}``; raises ``Invalid`` for bad arguments."""
    if stream not in STREAMS:
        raise Invalid(f"unknown stream {stream!r}", field="stream")
    if not isinstance(since, int) or since < 0:
        raise Invalid("the cursor is a whole number from 0", field="since")
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit is a whole number from 1 to {MAX_LIMIT}", field="limit")
    scheme_name = scheme_for(project).name
    with store.read(db):  # one snapshot: the changes and the rows they point at agree
        changes = sync_store.changes_since(db, project["id"], stream, since=since, limit=limit + 1)
        has_more = len(changes) > limit
        changes = changes[:limit]
        if stream == "annotations":
            rows = sync_store.annotation_rows(db, [(p, u) for _seq, p, u in changes])
            current = {(row["_paragraph"], row["_user"]): row for row in rows}
        else:
            rows = sync_store.decision_rows(db, [p for _seq, p, _u in changes])
            current = {(row["_paragraph"], 0): row for row in rows}
        gone = [(p, u) for _seq, p, u in changes if (p, u) not in current]
        paragraph_ids = sync_store.paragraph_export_ids(db, [p for p, _u in gone])
        names = sync_store.user_names(db, [u for _p, u in gone if u])
    items = []
    for seq, paragraph, user in changes:
        row = current.get((paragraph, user))
        if row is not None:
            record = next(export.records(STREAMS[stream], [row], scheme_name=scheme_name))
            items.append({"cursor": seq, "removed": False, "record": record})
        else:
            item = {"cursor": seq, "removed": True, "paragraph_id": paragraph_ids.get(paragraph)}
            if stream == "annotations":
                item["annotator"] = names.get(user)
            items.append(item)
    next_cursor = changes[-1][0] if changes else since
    return {"items": items, "next_cursor": next_cursor, "has_more": has_more}
