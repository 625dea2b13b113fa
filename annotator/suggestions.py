"""Suggestions: which source a project shows its annotators, importing a model's labels, and the
provenance of saved items.

Sources: ``none``; ``rules`` (annotator.suggest, computed from the paragraph's text when shown);
or the name of an imported source (``import-suggestions``). A project may show suggestions on
only a share of its paragraphs, chosen by a hash of the paragraph's text, so agreement with gold
can be compared with and without them.

Blindness: a suggestion is made from the text (rules) or imported from a model; an import that
carries annotators' labels (an ``all`` export, or labels equal to an annotator's saved labels or
the gold decision of the paragraph) is refused, so no annotator is shown another's work.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

import sqlite_utils

from .errors import Invalid
from .scheme import ORIGIN_KEY, Scheme, load_scheme, normalize, validate, without_origins
from .store import events
from .store import projects as project_store
from .store import suggestions as store
from .suggest import RULES_SOURCE, suggest_paragraph

NONE = "none"
RULES = RULES_SOURCE
RESERVED = (NONE, RULES)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# Lists whose items record where they came from.
ITEM_LISTS = ("attributions", "claims")


def _scheme(project: dict) -> Scheme:
    return load_scheme(project["scheme"], extended=project["settings"].extended)


# --- the project's setting ---------------------------------------------------------------------
def setting(project: dict) -> dict:
    return project["settings"].suggestions


def sources(db: sqlite_utils.Database, project: dict) -> list[dict]:
    """The sources a project can show: none, the rules, and each imported source with its count."""
    return [
        {"source": NONE, "n": None, "label": "None"},
        {"source": RULES, "n": None, "label": "Built-in rules (English)"},
        *(
            {**row, "label": f"{row['source']} (imported, {row['n']} paragraphs)"}
            for row in store.list_sources(db, project["id"])
        ),
    ]


def set_setting(
    db: sqlite_utils.Database, project: dict, *, source: str, share: int = 100, actor: dict | None = None
) -> dict:
    """Choose the source a project's annotators see and the share (0–100 %) of paragraphs shown it."""
    known = {s["source"] for s in sources(db, project)}
    if source not in known:
        raise Invalid(
            f"no suggestion source {source!r} in this project (have: {', '.join(sorted(known))})",
            field="source",
        )
    if not isinstance(share, int) or isinstance(share, bool) or not 0 <= share <= 100:
        raise Invalid("share must be a whole percentage from 0 to 100", field="share")
    settings = project["settings"].replace(suggestions={"source": source, "share": share})
    updated = project_store.update_project(db, project["id"], settings=settings)
    events.log_event(
        db,
        "project.suggestions",
        user_id=actor["id"] if actor else None,
        project_id=project["id"],
        source=source,
        share=share,
    )
    return updated


def in_share(paragraph: dict, share: int) -> bool:
    """Whether a paragraph is among the ``share`` % shown suggestions: a hash of its text, so the
    choice is stable, independent of import order, and the same for every annotator."""
    if share >= 100:
        return True
    if share <= 0:
        return False
    digest = hashlib.sha256(("suggest:" + paragraph["text_sha256"]).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < share


# --- what an annotator is shown ----------------------------------------------------------------
def source_labels(db: sqlite_utils.Database, project: dict, paragraph: dict, source: str) -> dict | None:
    """The labels ``source`` suggests for a paragraph (None: it has none)."""
    if source == NONE:
        return None
    if source == RULES:
        language = store.article_language(db, paragraph["article_id"]) or "en"
        attributions = suggest_paragraph(paragraph["text"], language)
        return {"attributions": attributions} if attributions else None
    return store.find_suggestion(db, paragraph["id"], source)


def for_paragraph(db: sqlite_utils.Database, project: dict, paragraph: dict) -> dict | None:
    """What the annotate page offers for a paragraph under the project's setting, or None."""
    chosen = setting(project)
    if chosen["source"] == NONE or not in_share(paragraph, chosen["share"]):
        return None
    labels = source_labels(db, project, paragraph, chosen["source"])
    if not labels:
        return None
    return {"source": chosen["source"], "labels": labels}


# --- provenance ----------------------------------------------------------------------------------
def _same(suggested: dict, item: dict) -> bool:
    """Whether ``item`` keeps every value the suggested item gave (filling what it left empty is no edit)."""
    for key, value in suggested.items():
        if key in ("id", ORIGIN_KEY, "attribution_id") or value in (None, "", [], {}):
            continue
        if item.get(key) != value:
            return False
    return True


def stamp_origins(db: sqlite_utils.Database, project: dict, paragraph: dict, labels: dict) -> dict:
    """Return ``labels`` with each attribution and claim marked manual, suggested (accepted as it
    was) or suggested_edited. The page marks what it accepted; the comparison with the source's
    suggestion is made here, so no page can claim an edited item unchanged."""
    if not isinstance(labels, dict):
        return labels
    chosen = setting(project)
    claims_origin = any(
        isinstance(item, dict) and ORIGIN_KEY in item
        for name in ITEM_LISTS
        # Not a list (``"attributions": 1``) is the validator's to refuse with a 400, not a crash here.
        for item in (labels.get(name) if isinstance(labels.get(name), list) else [])
    )
    if chosen["source"] == NONE and not claims_origin:
        # A project that never showed suggestions: every item is by hand, and stays as it was saved.
        return labels
    out = dict(labels)
    offered = source_labels(db, project, paragraph, chosen["source"]) or {}
    for name in ITEM_LISTS:
        items = labels.get(name)
        if not isinstance(items, list):
            continue
        candidates = [x for x in offered.get(name) or [] if isinstance(x, dict)]
        stamped = []
        for item in items:
            if not isinstance(item, dict):
                stamped.append(item)
                continue
            item = dict(item)
            claimed = item.get(ORIGIN_KEY)
            if claimed in ("suggested", "suggested_edited"):
                item[ORIGIN_KEY] = (
                    "suggested" if any(_same(c, item) for c in candidates) else "suggested_edited"
                )
            elif claimed is None or claimed == "manual":
                item[ORIGIN_KEY] = "manual"
            stamped.append(item)
        out[name] = stamped
    return out


# --- importing a model's labels ------------------------------------------------------------------
def _copies_annotators(db, paragraph_id: int, labels: dict, scheme: Scheme) -> bool:
    mine = normalize(without_origins(labels), scheme)
    for raw in store.saved_labels_of(db, paragraph_id):
        try:
            theirs = normalize(without_origins(json.loads(raw)), scheme)
        except (ValueError, AttributeError):
            continue
        if theirs == mine:
            return True
    return False


def import_suggestions(
    db: sqlite_utils.Database, project: dict, lines: Iterable[str], *, source: str, actor: dict | None = None
) -> dict:
    """Read JSONL suggestions (``paragraph_id`` or ``text_sha256``, and ``labels``) into ``source``.

    Every line is checked before anything is stored; the first problems are reported with their
    line and field, and then nothing changes. A new import of a source replaces it whole.
    Fields a model leaves empty are left to the annotator; any value it gives must be valid.
    """
    if not _NAME.match(source or "") or source in RESERVED:
        raise Invalid(
            f"a source name is 1-64 letters, digits, '.', '_' or '-', and not {' or '.join(RESERVED)}",
            field="source",
        )
    scheme = _scheme(project)
    by_export, by_sha = {}, {}
    for row in store.paragraph_keys(db, project["id"]):
        by_export[row["export_id"]] = row
        by_sha.setdefault(row["text_sha256"], []).append(row)
    problems: list[str] = []
    rows: dict[int, tuple[int, dict]] = {}
    n = 0
    for n, line in enumerate(lines, start=1):
        if len(problems) >= 20:
            break
        if not line.strip():
            continue
        where = f"line {n}"
        try:
            record = json.loads(line)
        except ValueError as e:
            problems.append(f"{where}: not JSON ({e.msg})")
            continue
        if not isinstance(record, dict):
            problems.append(f"{where}: must be a JSON object")
            continue
        if "annotator" in record:
            problems.append(
                f"{where}, field annotator: suggestions come from a model, not from annotators' labels"
            )
            continue
        targets, problem = _targets(record, by_export, by_sha)
        if problem:
            problems.append(f"{where}, {problem}")
            continue
        labels = record.get("labels")
        if not isinstance(labels, dict):
            problems.append(f"{where}, field labels: must be a labels object in the scheme's shape")
            continue
        labels = without_origins(labels)
        for target in targets:
            errors = [
                e for e in validate(normalize(labels, scheme), target["text"], scheme) if e.code != "required"
            ]
            if errors:
                problems.append(f"{where}, field labels.{errors[0].path}: {errors[0].message}")
                break
            if _copies_annotators(db, target["id"], labels, scheme):
                problems.append(
                    f"{where}, field labels: equal to an annotator's saved labels or the gold of this paragraph"
                )
                break
            if target["id"] in rows:
                problems.append(
                    f"{where}: paragraph {target['export_id']} was given on line {rows[target['id']][0]} already"
                )
                break
            rows[target["id"]] = (n, labels)
    if problems:
        raise Invalid(
            "nothing imported: "
            + "; ".join(problems[:5])
            + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        )
    if not rows:
        raise Invalid("nothing imported: the file has no suggestion lines")
    count = store.replace_source(
        db, project["id"], source, [(pid, labels) for pid, (_, labels) in rows.items()]
    )
    events.log_event(
        db,
        "suggestions.imported",
        user_id=actor["id"] if actor else None,
        project_id=project["id"],
        source=source,
        n=count,
    )
    return {"source": source, "paragraphs": count, "lines": n}


def _targets(record: dict, by_export: dict, by_sha: dict) -> tuple[list[dict], str | None]:
    if "paragraph_id" in record:
        pid = record["paragraph_id"]
        row = by_export.get(pid) if isinstance(pid, str) else None
        if row is None:
            return (
                [],
                f"field paragraph_id: no paragraph {pid!r} in this project ('<article_id>#p<position>', as exported)",
            )
        return [row], None
    if "text_sha256" in record:
        sha = record["text_sha256"]
        rows = by_sha.get(sha) if isinstance(sha, str) else None
        if not rows:
            return [], f"field text_sha256: no paragraph with this text in the project ({str(sha)[:16]}…)"
        return rows, None
    return [], "field paragraph_id: each line needs paragraph_id or text_sha256"
