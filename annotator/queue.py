"""Who labels what next: overlap k per paragraph, leases that expire, never the same paragraph twice.

The rules, which the tests hold the code to:

- **Next paragraph.** In order: (1) the user's own unexpired lease in the project (resume; the lease
  is extended); (2) the next open paragraph after their latest assignment in the same article
  (reading an article's context is costly); (3) the first open paragraph by rank. *Open* means
  queued, taken (done + leased) fewer than ``overlap`` times, and never assigned to this user in any
  state. Taking one leases it for ``lease_minutes`` (project setting, default 30). Step (3) looks
  at the first ``FIRST_OPEN_WINDOW`` paragraphs still wanting annotations; when all of those are
  the user's own (they are far ahead of the others, whose annotations those paragraphs await), it
  goes on with the first open paragraph ranked after the user's latest one, and only then
  searches the whole queue. So every step is a bounded index walk, whoever is ahead.
- **At most k.** The look-up and the lease happen in one ``BEGIN IMMEDIATE`` transaction, so two
  annotators can never both take the last slot; every transaction first reclaims expired leases
  (by the partial lease index), so a lease nobody renewed returns its slot to the pool.
- **Saving.** ``complete`` turns the user's lease into a done assignment. A save is accepted when
  the user holds a lease (even one that has run out but was not yet reclaimed), already has a done
  assignment (editing earlier work is idempotent), or the paragraph still has a free slot. A late
  save on a paragraph that meanwhile got k annotations from others raises ``Conflict``: the
  annotate page keeps those labels as a draft, so no work is lost and no paragraph ever exceeds k.
  Draft saves call ``renew``, so an annotator who is working never loses the lease.
- **Paused projects.** ``next_paragraph`` raises ``Paused`` (a 409 whose message says the project
  is paused), which the annotate page shows instead of "no work"; saving work already leased still
  succeeds.
- **Blindness** is the annotate page's business; the queue never returns anyone's labels.
"""

import time
import weakref

import sqlite_utils

from . import projects, store
from .errors import Conflict, Invalid, NotFound
from .store import queue as q

SKIP_REASONS = ("unclear", "not_news", "extraction_error")
# ``progress_for`` counts the work left for a user up to this many paragraphs, to bound its cost.
REMAINING_CAP = 200
# How many of the first paragraphs wanting annotations step (3) looks at before going on from the
# user's place instead (see the module docstring).
FIRST_OPEN_WINDOW = 64


class Paused(Conflict):
    """The project is paused: annotators get no new paragraphs until an admin resumes it."""


def _lease_minutes(project: dict, lease_minutes: int | None) -> float:
    return float(lease_minutes or project["settings"].lease_minutes)


def _paragraph_in(db: sqlite_utils.Database, project: dict, paragraph_id: int) -> dict:
    paragraph = q.find_paragraph(db, paragraph_id)
    if paragraph is None or paragraph["project_id"] != project["id"]:
        raise NotFound(f"no paragraph {paragraph_id} in the project {project['name']!r}")
    return paragraph


def next_paragraph(
    db: sqlite_utils.Database, project: dict, *, actor: dict, lease_minutes: int | None = None
) -> dict | None:
    """Lease and return the paragraph ``actor`` should label now, or ``None`` when no work is left for them.

    The row has the paragraph's columns plus ``leased_until``. Raises ``Paused`` when the project is
    paused and ``Forbidden`` when the user is not a member.
    """
    if project.get("paused"):
        raise Paused(f"the project {project['name']!r} is paused; come back when an administrator resumes it")
    projects.require_project_role(db, project, actor=actor)
    return lease_next(db, project=project, actor=actor, lease_minutes=lease_minutes)


def lease_next(
    db: sqlite_utils.Database, project: dict, *, actor: dict, lease_minutes: int | None = None
) -> dict | None:
    """``next_paragraph`` for a caller that has already checked that the project is not paused and that the
    user is a member: a save that goes on to the next paragraph, in its own transaction."""
    minutes = _lease_minutes(project, lease_minutes)
    project_id, user_id = project["id"], actor["id"]
    with store.write(db):
        at = store.now()
        until = store.iso_in(minutes=minutes)
        q.reclaim_expired(db, at=at)
        lease = q.find_lease(db, project_id, user_id, at=at)
        if lease is not None:
            assignment = q.find_assignment(db, lease["id"], user_id)
            q.extend_lease(db, assignment["id"], until=until)
            return {**lease, "leased_until": until}
        paragraph = None
        latest = q.find_latest_assignment(db, project_id, user_id)
        if latest is not None:
            paragraph = q.find_next_in_article(db, latest["article_id"], latest["position"], user_id)
        if paragraph is None:
            paragraph = q.find_first_open(db, project_id, user_id, window=FIRST_OPEN_WINDOW)
        if paragraph is None and latest is not None:
            # The head of the queue is the user's own work awaiting others: go on from where they are.
            paragraph = q.find_open_after(db, project_id, user_id, rank=latest["rank"])
        if paragraph is None:
            paragraph = q.find_first_open(db, project_id, user_id)
        if paragraph is None:
            return None
        q.insert_assignment(
            db,
            project_id=project_id,
            paragraph_id=paragraph["id"],
            user_id=user_id,
            state="leased",
            at=at,
            leased_until=until,
        )
        q.bump(db, paragraph["id"], taken=1)
    return {**paragraph, "n_taken": paragraph["n_taken"] + 1, "leased_until": until}


def complete(db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int) -> None:
    """Record that ``user`` saved an annotation of the paragraph: their lease becomes a done assignment.

    Idempotent for a paragraph already done. Raises ``Conflict`` when the user holds no lease and
    the paragraph already has ``overlap`` annotations or leases from others, ``NotFound`` when the
    paragraph is not in the project. Call it in the same transaction as the save, so a refused
    save stores nothing.
    """
    user_id = actor["id"]
    with store.write(db):
        at = store.now()
        assignment = q.find_assignment(db, paragraph_id, user_id)
        if assignment is not None and assignment["project_id"] != project["id"]:
            raise NotFound(f"no paragraph {paragraph_id} in the project {project['name']!r}")
        if assignment is not None and assignment["state"] == "done":
            return
        if assignment is not None and assignment["state"] == "leased":
            q.set_assignment_state(db, assignment["id"], state="done", at=at)
            q.bump(db, paragraph_id, done=1)
            return
        q.reclaim_expired(db, at=at)
        paragraph = _paragraph_in(db, project, paragraph_id)
        if paragraph["filled"]:
            raise Conflict(
                "this paragraph already has all the annotations it needs (your lease had run out); "
                "your labels are kept as a draft"
            )
        if assignment is None:
            q.insert_assignment(
                db, project_id=project["id"], paragraph_id=paragraph_id, user_id=user_id, state="done", at=at
            )
        else:
            q.set_assignment_state(db, assignment["id"], state="done", at=at)
        q.bump(db, paragraph_id, taken=1, done=1)


def renew(
    db: sqlite_utils.Database,
    project: dict,
    *,
    actor: dict,
    paragraph_id: int,
    lease_minutes: int | None = None,
) -> bool:
    """Extend the user's lease on the paragraph (draft saves call this); return whether their save will count.

    True when the lease was extended, when the paragraph is already done by them, or when a lost
    lease could be taken again because a slot is free; False when others filled it meanwhile.
    """
    user_id = actor["id"]
    with store.write(db):
        at = store.now()
        until = store.iso_in(minutes=_lease_minutes(project, lease_minutes))
        assignment = q.find_assignment(db, paragraph_id, user_id)
        if assignment is not None and assignment["state"] == "leased":
            q.extend_lease(db, assignment["id"], until=until)
            return True
        if assignment is not None and assignment["state"] == "done":
            return True
        q.reclaim_expired(db, at=at)
        paragraph = _paragraph_in(db, project, paragraph_id)
        if paragraph["filled"]:
            return False
        if assignment is None:
            q.insert_assignment(
                db,
                project_id=project["id"],
                paragraph_id=paragraph_id,
                user_id=user_id,
                state="leased",
                at=at,
                leased_until=until,
            )
        else:
            q.set_assignment_state(db, assignment["id"], state="leased", at=at, leased_until=until)
        q.bump(db, paragraph_id, taken=1)
        return True


def skip(db: sqlite_utils.Database, project: dict, *, actor: dict, paragraph_id: int, reason: str) -> None:
    """Skip the paragraph for ``user`` with a reason; its slot goes back to the pool and they never see it again.

    Raises ``Invalid`` for an unknown reason and ``Conflict`` when they already annotated it.
    """
    if reason not in SKIP_REASONS:
        raise Invalid(
            f"unknown skip reason {reason!r}: choose one of {', '.join(SKIP_REASONS)}", field="reason"
        )
    user_id = actor["id"]
    with store.write(db):
        at = store.now()
        assignment = q.find_assignment(db, paragraph_id, user_id)
        if assignment is None:
            _paragraph_in(db, project, paragraph_id)
            q.insert_assignment(
                db,
                project_id=project["id"],
                paragraph_id=paragraph_id,
                user_id=user_id,
                state="skipped",
                at=at,
                skip_reason=reason,
            )
        elif assignment["state"] == "done":
            raise Conflict(
                "you have already annotated this paragraph; edit the annotation instead of skipping it"
            )
        else:
            q.set_assignment_state(db, assignment["id"], state="skipped", at=at, skip_reason=reason)
            if assignment["state"] == "leased":
                q.bump(db, paragraph_id, taken=-1)


def release(db: sqlite_utils.Database, project: dict, *, annotator: dict) -> int:
    """Drop every lease ``annotator`` holds in the project (an admin action); return how many."""
    with store.write(db):
        return q.release_leases(db, project["id"], annotator["id"])


def reclaim(db: sqlite_utils.Database) -> int:
    """Return expired leases to the pool now; return how many."""
    with store.write(db):
        return q.reclaim_expired(db, at=store.now())


def current_lease(db: sqlite_utils.Database, project: dict, *, actor: dict) -> dict | None:
    """Return the paragraph the user holds an unexpired lease on in the project (with ``leased_until``), or ``None``."""
    return q.find_lease(db, project["id"], actor["id"], at=store.now())


def find_assignment(db: sqlite_utils.Database, *, paragraph_id: int, annotator: dict) -> dict | None:
    """Return ``annotator``'s assignment of the paragraph (``state``, ``leased_until``, ``skip_reason`` …), or ``None``."""
    return q.find_assignment(db, paragraph_id, annotator["id"])


def progress_for(db: sqlite_utils.Database, project: dict, *, actor: dict) -> dict:
    """Return ``{"done", "assigned", "leased", "remaining", "more"}`` for the "done of assigned" line.

    ``assigned`` is done + the current lease + the paragraphs still open to the user, counted up
    to ``REMAINING_CAP`` (``more`` is true when there are at least that many).
    """
    project_id, user_id = project["id"], actor["id"]
    done = q.count_user_done(db, project_id, user_id)
    leased = 1 if q.find_lease(db, project_id, user_id, at=store.now()) else 0
    latest = q.find_latest_assignment(db, project_id, user_id)
    remaining = q.count_open_for(
        db,
        project_id,
        user_id,
        cap=REMAINING_CAP,
        after_rank=latest["rank"] if latest else None,
        window=FIRST_OPEN_WINDOW,
    )
    return _progress(done, leased, remaining)


def _progress(done: int, leased: int, remaining: int) -> dict:
    return {
        "done": done,
        "assigned": done + leased + remaining,
        "leased": leased,
        "remaining": remaining,
        "more": remaining >= REMAINING_CAP,
    }


# The annotate page's running "Done x of y" line reuses its count of open paragraphs for this long.
ESTIMATE_SECONDS = 10.0
# Per connection (so never across databases), per (project, user): (when, done, remaining) as last counted.
_estimates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def progress_estimate(db: sqlite_utils.Database, project: dict, *, actor: dict) -> dict:
    """``progress_for`` for the annotate page, shown after every save: the count of paragraphs still open
    to the user (the dear part, two index walks) is reused for ``ESTIMATE_SECONDS``, less what the user
    has done since. Others' work meanwhile shows a few seconds late; ``done`` is always exact."""
    cache = _estimates.setdefault(db, {})
    key = (project["id"], actor["id"])
    kept = cache.get(key)
    now = time.monotonic()
    if kept is None or now - kept[0] > ESTIMATE_SECONDS:
        progress = progress_for(db, project=project, actor=actor)
        cache[key] = (now, progress["done"], progress["remaining"])
        return progress
    _, done_then, remaining_then = kept
    done = q.count_user_done(db, project["id"], actor["id"])
    leased = 1 if q.find_lease(db, project["id"], actor["id"], at=store.now()) else 0
    # A capped count stays "at least the cap"; a smaller one shrinks by what the user has done since.
    remaining = (
        remaining_then if remaining_then >= REMAINING_CAP else max(0, remaining_then - (done - done_then))
    )
    return _progress(done, leased, remaining)


def history(
    db: sqlite_utils.Database,
    project: dict,
    *,
    actor: dict,
    before_paragraph_id: int | None = None,
    after_paragraph_id: int | None = None,
) -> dict | None:
    """Return the user's previous done or skipped paragraph, or ``None``.

    By the order in which they finished them: the latest one, the one before
    ``before_paragraph_id`` or the one after ``after_paragraph_id``. The row has the paragraph's
    columns plus ``state``, ``skip_reason`` and ``assigned_at``. When the given paragraph has no
    assignment of theirs, the latest one is returned (for ``before``) or ``None`` (for ``after``).
    """
    project_id, user_id = project["id"], actor["id"]
    anchor_id = before_paragraph_id if before_paragraph_id is not None else after_paragraph_id
    if anchor_id is None:
        return q.find_history(db, project_id, user_id)
    anchor = q.find_assignment(db, anchor_id, user_id)
    if anchor is None or anchor["project_id"] != project_id:
        return q.find_history(db, project_id, user_id) if before_paragraph_id is not None else None
    place = (anchor["updated_at"], anchor["id"])
    if before_paragraph_id is not None:
        return q.find_history(db, project_id, user_id, before=place)
    return q.find_history(db, project_id, user_id, after=place)
