"""The annotation workspace's service: the task page's data, saves with a version check, drafts, skip, flag.

An annotator sees and edits only their own labels, and only on paragraphs assigned to them
(leased, done or skipped; or with a draft of theirs, so a lease that ran out loses no work).
"""

import math

import sqlite_utils

from . import export, projects, queue, review, store, suggestions, untrusted
from .errors import Conflict, Forbidden, Invalid, NotFound
from .ingest.models import KIND_LABEL_VALUES
from .scheme import Scheme, empty_labels, load_scheme, normalize, validate
from .store import annotations as annotation_store
from .store import articles as article_store

SKIP_REASONS = queue.SKIP_REASONS
Paused = queue.Paused
FLAG_REASONS = ("extraction_error", "bad_split", "wrong_kind", "other")
FLAG_REASON_LABELS = {
    "extraction_error": "Extraction error (text garbled, cut or mixed with page furniture)",
    "bad_split": "Wrongly split or merged with a neighbour",
    "wrong_kind": "Wrong kind (e.g. a caption marked as body)",
    "other": "Other",
}
SKIP_REASON_LABELS = {
    "unclear": "Unclear: cannot tell how to label it",
    "not_news": "Not news text",
    "extraction_error": "Extraction error",
}
# A save claims at most a day of work; a clock gone wrong in a browser cannot distort the totals.
MAX_SECONDS = 86_400.0
MAX_LABELS_BYTES = 1_000_000
# The scheme's deepest path (attributions[0].source.span.start) is five levels; room for more.
MAX_LABELS_DEPTH = 12
# A version is a count of saves; this bounds it well inside SQLite's integers.
MAX_VERSION = 2**53
# Errors a draft may have: it is work in progress, so fields may be missing or still point at
# an attribution being rewritten; a wrong type, an unknown field or a bad span is never kept.
DRAFT_TOLERATES = frozenset({"required", "ref"})


class LabelsInvalid(Invalid):
    """The labels fail the project's scheme; ``errors`` lists each problem with its field path."""

    def __init__(self, errors: list):
        super().__init__(
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the labels: "
            + "; ".join(str(e) for e in errors[:5])
        )
        self.errors = errors


def scheme_for(project: dict) -> Scheme:
    """Return the project's label scheme with its extended fields on."""
    return load_scheme(project["scheme"], extended=project["settings"].extended)


# Every project role includes the annotator's rights, so membership is the whole check.


def _paragraph(db, project: dict, paragraph_id: int) -> dict:
    paragraph = article_store.get_paragraph(db, paragraph_id)
    if paragraph["project_id"] != project["id"]:
        raise NotFound(f"no paragraph {paragraph_id} in the project {project['name']!r}")
    return paragraph


def _access(db, project: dict, actor: dict, paragraph_id: int) -> tuple[dict, dict | None, dict | None]:
    """Return (paragraph, assignment, draft); raise unless the paragraph is the user's to label."""
    projects.require_project_role(db, project, actor=actor)
    paragraph = _paragraph(db, project, paragraph_id)
    assignment = queue.find_assignment(db, paragraph_id=paragraph_id, annotator=actor)
    draft = annotation_store.find_draft(db, paragraph_id, actor["id"])
    if assignment is None and draft is None:
        raise Forbidden("this paragraph is not assigned to you")
    return paragraph, assignment, draft


def _kind_preset(scheme: Scheme, kind: str) -> str | None:
    values = {c.value for c in scheme.choices("kind")}
    kind = KIND_LABEL_VALUES.get(kind, kind)
    return kind if kind in values else None


def task(db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int) -> dict:
    """Return what the annotate page shows for one paragraph: text, article context, the user's labels.

    The labels are, in order of preference: an unsaved draft newer than the saved annotation, the
    saved annotation, or an empty document with the paragraph's kind preset.
    """
    paragraph, assignment, draft = _access(db, project, actor, paragraph_id)
    scheme = scheme_for(project)
    annotation = annotation_store.find_annotation(db, paragraph_id, actor["id"])
    restored = None
    if draft is not None and (annotation is None or draft["updated_at"] > annotation["updated_at"]):
        labels, version, restored = (
            normalize(draft["labels"], scheme),
            draft["base_version"] or 0,
            draft["updated_at"],
        )
    elif annotation is not None:
        labels, version = normalize(annotation["labels"], scheme), annotation["version"]
    else:
        labels, version = empty_labels(scheme, _kind_preset(scheme, paragraph["kind"])), 0
    context = annotation_store.list_article_paragraphs(db, paragraph["article_id"])
    before = [p for p in context if p["position"] < paragraph["position"]]
    after = [p for p in context if p["position"] > paragraph["position"]]
    finished = assignment is not None and assignment["state"] in ("done", "skipped")
    previous = queue.history(
        db, project=project, actor=actor, before_paragraph_id=paragraph_id if finished else None
    )
    following = (
        queue.history(db, project=project, actor=actor, after_paragraph_id=paragraph_id) if finished else None
    )
    return {
        "project": project,
        "paragraph": paragraph,
        "article": {
            k: paragraph.get(k) for k in ("title", "outlet", "published", "url", "byline", "section")
        },
        "before": before,
        "after": after,
        "labels": labels,
        "version": version,
        "saved_version": annotation["version"] if annotation else 0,
        "draft_restored": restored,
        "scheme": scheme,
        "state": assignment["state"] if assignment else None,
        "skip_reason": assignment.get("skip_reason") if assignment else None,
        "flagged": annotation_store.count_open_flags(db, paragraph_id, actor["id"]) > 0,
        "previous_id": previous["id"] if previous and previous["id"] != paragraph_id else None,
        "next_done_id": following["id"] if following else None,
        "progress": queue.progress_estimate(db, project=project, actor=actor),
        "stance_targets": _stance_targets(db, project, actor, paragraph["article_id"])
        if scheme.enabled("framing.stance")
        else [],
    }


def _stance_targets(db, project: dict, actor: dict, article_id: int) -> list[str]:
    """The article-level list of stance targets: the project's, then those the user named in this article."""
    targets = list(project["settings"].stance_targets)
    for target in annotation_store.list_stance_targets(db, article_id, actor["id"]):
        if target not in targets:
            targets.append(target)
    return targets


def parse_labels(raw: str | None) -> dict:
    """Return the labels document posted as JSON text. Raises ``Invalid`` when it is not a JSON object."""
    if raw is None or not raw.strip():
        raise Invalid("the labels are missing", field="labels")
    if len(raw.encode("utf-8")) > MAX_LABELS_BYTES:
        raise Invalid("the labels are too large", field="labels")
    try:
        labels = untrusted.loads(raw, max_depth=MAX_LABELS_DEPTH)
    except untrusted.UntrustedError as e:
        where = f"labels.{e.path}" if e.path else "labels"
        raise Invalid(f"{where}: {e.message}", field=where) from None
    if not isinstance(labels, dict):
        raise Invalid("the labels must be a JSON object", field="labels")
    return labels


def parse_seconds(raw) -> float:
    try:
        seconds = float(raw or 0)
    except (TypeError, ValueError):
        raise Invalid("seconds must be a number", field="seconds") from None
    if not math.isfinite(seconds):
        seconds = 0.0
    return min(max(seconds, 0.0), MAX_SECONDS)


def parse_ms(raw) -> int:
    """Whole milliseconds a page reports, clamped to a day (a clock gone wrong records nothing absurd)."""
    try:
        ms = int(raw or 0)
    except (TypeError, ValueError):
        raise Invalid("ms must be a whole number of milliseconds", field="ms") from None
    return min(max(ms, 0), int(MAX_SECONDS * 1000))


def record_time(db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int, ms: int) -> None:
    """Keep time a page view spent on the paragraph; the user's next save adds it to the annotation."""
    _access(db, project, actor, paragraph_id)
    if ms > 0:
        annotation_store.add_view_time(db, paragraph_id, actor["id"], ms)


def parse_version(raw) -> int:
    if isinstance(raw, str) and len(raw) > 20:
        raise Invalid("version is out of range", field="version")
    try:
        version = int(raw or 0)
    except (TypeError, ValueError):
        raise Invalid("version must be a whole number", field="version") from None
    if version < 0:
        raise Invalid("version must not be negative", field="version")
    if version > MAX_VERSION:
        raise Invalid("version is out of range", field="version")
    return version


def save(
    db: sqlite_utils.Database,
    project: dict,
    *,
    actor: dict,
    paragraph_id: int,
    labels: dict,
    version: int,
    seconds: float = 0.0,
) -> dict:
    """Validate and store the user's labels of the paragraph; return ``{"id", "version", "updated_at"}``.

    ``version`` is the version the labels were edited from (0: a first save). Raises
    ``LabelsInvalid`` (400) listing each field's problem, ``Conflict`` (409, with ``current``) for a
    stale version, or when the lease ran out and others filled the paragraph (the labels are then
    kept as a draft).
    """
    return _save(db, project, actor, paragraph_id, labels, version, seconds, lease_next=False)[0]


def save_and_lease_next(
    db: sqlite_utils.Database,
    project: dict,
    *,
    actor: dict,
    paragraph_id: int,
    labels: dict,
    version: int,
    seconds: float = 0.0,
) -> tuple[dict, dict | None]:
    """``save``, then lease the user's next paragraph in the same transaction; return both.

    The next paragraph is ``None`` when no work is left or the project is paused (``next_paragraph``
    says which). One transaction instead of two: the pages both touch (the paragraph counters, the
    assignments) are written to the log once, and the commit, the dearest statement of a save, is paid once.
    """
    return _save(db, project, actor, paragraph_id, labels, version, seconds, lease_next=True)


def _save(
    db, project, actor, paragraph_id, labels, version, seconds, *, lease_next: bool
) -> tuple[dict, dict | None]:
    paragraph, _, _ = _access(db, project, actor, paragraph_id)
    scheme = scheme_for(project)
    labels = normalize(labels, scheme)
    # Issue 16: each attribution and claim records whether it was a suggestion accepted as it was.
    labels = suggestions.stamp_origins(db, project, paragraph, labels)
    errors = validate(labels, paragraph["text"], scheme)
    if errors:
        raise LabelsInvalid(errors)
    following = None
    try:
        with store.write(db):
            saved = annotation_store.save_annotation(
                db,
                paragraph_id=paragraph_id,
                user_id=actor["id"],
                labels=labels,
                scheme_version=str(scheme.version),
                base_version=version,
                seconds=seconds,
                # What an export makes of these labels, made now so a large export only splices text.
                export=export.stored_labels(labels, scheme),
            )
            queue.complete(db, project=project, actor=actor, paragraph_id=paragraph_id)
            # The review queue's disagreement (and unanimous gold) follow every save, in its transaction.
            review.annotation_saved(db, project, paragraph_id=paragraph_id)
            if lease_next and not project.get("paused"):
                # ``_access`` above checked the membership.
                following = queue.lease_next(db, project=project, actor=actor)
    except Conflict as e:
        if not hasattr(e, "current"):  # the paragraph is full: keep the work
            annotation_store.save_draft(
                db, paragraph_id=paragraph_id, user_id=actor["id"], labels=labels, base_version=version
            )
        raise
    return saved, following


def apply_form(labels: dict, form: dict, scheme: Scheme) -> dict:
    """Return ``labels`` with the paragraph-level choice fields of a plain (no-JavaScript) form applied.

    ``form`` maps ``kind``, ``primary_frame``, ``notes`` to a string and ``frames`` to a list.
    """
    out = dict(labels)
    if "kind" in form:
        out["kind"] = form["kind"] or None
    framing = dict(out.get("framing") or {})
    if "frames" in form:
        framing["frames"] = [f for f in form["frames"] if f]
    if "primary_frame" in form:
        framing["primary_frame"] = form["primary_frame"] or None
    out["framing"] = framing
    if "notes" in form:
        out["notes"] = form["notes"]
    return normalize(out, scheme)


def saved_labels(
    db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int
) -> tuple[dict, int]:
    """Return the user's saved labels of the paragraph and their version, or an empty document and 0."""
    paragraph, _, _ = _access(db, project, actor, paragraph_id)
    scheme = scheme_for(project)
    annotation = annotation_store.find_annotation(db, paragraph_id, actor["id"])
    if annotation is None:
        return empty_labels(scheme, _kind_preset(scheme, paragraph["kind"])), 0
    return normalize(annotation["labels"], scheme), annotation["version"]


def revisions(db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int) -> list[dict]:
    """Return every saved version of the user's labels of the paragraph, oldest first."""
    _access(db, project, actor, paragraph_id)
    return annotation_store.list_revisions(db, paragraph_id, actor["id"])


def save_draft(
    db: sqlite_utils.Database,
    project: dict,
    *,
    actor: dict,
    paragraph_id: int,
    labels: dict,
    version: int,
    ms: int = 0,
) -> dict:
    """Keep unsaved labels server-side and extend the lease; return ``{"saved_at", "lease"}``.

    ``lease`` is False when others filled the paragraph meanwhile (a save would then be refused).
    """
    paragraph, _, _ = _access(db, project, actor, paragraph_id)
    scheme = scheme_for(project)
    errors = [
        e
        for e in validate(normalize(labels, scheme), paragraph["text"], scheme)
        if e.code not in DRAFT_TOLERATES
    ]
    if errors:
        raise LabelsInvalid(errors)
    at = annotation_store.save_draft(
        db, paragraph_id=paragraph_id, user_id=actor["id"], labels=labels, base_version=version
    )
    if ms > 0:
        annotation_store.add_view_time(db, paragraph_id, actor["id"], ms)
    lease = queue.renew(db, project=project, actor=actor, paragraph_id=paragraph_id)
    return {"saved_at": at, "lease": lease}


def discard_draft(db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int) -> None:
    _access(db, project, actor, paragraph_id)
    annotation_store.delete_draft(db, paragraph_id, actor["id"])


def next_paragraph(db: sqlite_utils.Database, project: dict, *, actor: dict) -> dict | None:
    """Lease and return the user's next paragraph, or ``None`` when their work is done (the queue checks membership)."""
    return queue.next_paragraph(db, project=project, actor=actor)


def skip(db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int, reason: str) -> None:
    _access(db, project, actor, paragraph_id)
    queue.skip(db, project=project, actor=actor, paragraph_id=paragraph_id, reason=reason)


def previous(db: sqlite_utils.Database, project: dict, *, actor: dict, before: int | None) -> dict | None:
    """Return the user's done or skipped paragraph before ``before`` (or their latest), or ``None``."""
    projects.require_project_role(db, project, actor=actor)
    if before is not None:
        held = queue.find_assignment(db, paragraph_id=before, annotator=actor)
        if held is None or held["state"] not in ("done", "skipped"):
            before = None  # from the paragraph in hand, "previous" is the latest one finished
    return queue.history(db, project=project, actor=actor, before_paragraph_id=before)


def progress(db: sqlite_utils.Database, project: dict, *, actor: dict) -> dict:
    projects.require_project_role(db, project, actor=actor)
    return queue.progress_for(db, project=project, actor=actor)


def my_work(db: sqlite_utils.Database, project: dict, *, actor: dict, page: int = 1) -> list[dict]:
    """Return the user's annotations in the project, newest first, 100 a page."""
    projects.require_project_role(db, project, actor=actor)
    return annotation_store.list_user_annotations(
        db, project["id"], actor["id"], offset=(max(page, 1) - 1) * 100
    )


def flag(
    db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int, reason: str, note: str = ""
) -> dict:
    """Record that the paragraph was extracted wrongly (admins see the open flags)."""
    if reason not in FLAG_REASONS:
        raise Invalid(
            f"unknown flag reason {reason!r}: choose one of {', '.join(FLAG_REASONS)}", field="reason"
        )
    # Only a paragraph the user was given (or has a draft of): flags land in the admins' list.
    _access(db, project, actor, paragraph_id)
    return annotation_store.insert_flag(
        db, paragraph_id=paragraph_id, user_id=actor["id"], reason=reason, note=(note or "").strip()[:2000]
    )


def open_flags(db: sqlite_utils.Database, project: dict) -> list[dict]:
    return annotation_store.list_open_flags(db, project["id"])


def resolve_flag(db: sqlite_utils.Database, project: dict, *, flag_id: int) -> None:
    annotation_store.resolve_flag(db, project["id"], flag_id)
