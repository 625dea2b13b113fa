"""Running a project with a team: settings, members, pausing, progress, who is working now, releasing leases."""

import hashlib
import re
import statistics
from datetime import UTC, datetime, timedelta

import sqlite_utils

from . import accounts, queue, store
from . import projects as project_service
from .errors import Invalid
from .project_settings import ORDERS, Settings
from .store import events, users
from .store import progress as progress_store
from .store import projects as project_store
from .store import queue as queue_store
from .store.articles import RANK_STRIDE

KIND_RE = re.compile(r"^[a-z][a-z_-]{0,31}$")
# The median of seconds per paragraph is taken over each annotator's latest annotations.
MEDIAN_OVER = 500
# Someone who saved within this many minutes counts as working now, lease or not.
RECENT_MINUTES = 15
CHART_DAYS = 14


def shuffle_rank(seed: int, uid: str) -> int:
    """Return an article's rank in a shuffled project (the formula the importer uses)."""
    digest = hashlib.sha256(f"{seed}:{uid}".encode()).hexdigest()
    return int(digest[:10], 16)


def _clean_kinds(kinds) -> list[str]:
    if isinstance(kinds, str):
        kinds = kinds.split(",")
    cleaned = []
    for kind in kinds or []:
        kind = kind.strip()
        if kind and kind not in cleaned:
            if not KIND_RE.match(kind):
                raise Invalid(f"invalid paragraph kind {kind!r}", field="kinds")
            cleaned.append(kind)
    if not cleaned:
        raise Invalid("choose at least one paragraph kind to label", field="kinds")
    return cleaned


def update_settings(
    db: sqlite_utils.Database, project: dict, *, actor: dict | None = None, **changes
) -> dict:
    """Change a project's overlap, kinds, order, seed, lease minutes, flags or pause; return it.

    The queue follows in the same transaction: a new overlap recomputes which paragraphs are
    filled, new kinds requeue paragraphs, a new order or seed re-ranks the articles. Raises ``Invalid``.
    """
    allowed = {
        "overlap",
        "kinds",
        "order",
        "seed",
        "lease_minutes",
        "auto_gold_unanimous",
        "feedback",
        "paused",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise Invalid(f"unknown settings: {', '.join(sorted(unknown))}")
    before = project["settings"]
    settings = {}
    if "overlap" in changes:
        overlap = changes["overlap"]
        if not isinstance(overlap, int) or not 1 <= overlap <= 20:
            raise Invalid("overlap must be a whole number from 1 to 20", field="overlap")
    if "kinds" in changes:
        settings["kinds"] = _clean_kinds(changes["kinds"])
    if "order" in changes:
        if changes["order"] not in ORDERS:
            raise Invalid(f"order must be one of {', '.join(ORDERS)}", field="order")
        settings["order"] = changes["order"]
    if "seed" in changes:
        if not isinstance(changes["seed"], int):
            raise Invalid("the seed must be a whole number", field="seed")
        settings["seed"] = changes["seed"]
    if "lease_minutes" in changes:
        minutes = changes["lease_minutes"]
        if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
            raise Invalid("a lease lasts from 1 to 1440 minutes", field="lease_minutes")
        settings["lease_minutes"] = minutes
    for flag in ("auto_gold_unanimous", "feedback"):
        if flag in changes:
            settings[flag] = bool(changes[flag])
    after = before.replace(**settings)
    with store.write(db):
        if "overlap" in changes and changes["overlap"] != project["overlap"]:
            queue_store.set_overlap(db, project["id"], changes["overlap"])
        if after.kinds != before.kinds:
            queue_store.set_queued_kinds(db, project["id"], after.kinds)
        if (after.order, after.seed) != (before.order, before.seed):
            _rerank(db, project["id"], after)
        update = {"settings": after}
        if "paused" in changes:
            update["paused"] = 1 if changes["paused"] else 0
        updated = project_store.update_project(db, project["id"], **update)
    changed = {key: value for key, value in changes.items() if key != "kinds"}
    if "kinds" in changes:
        changed["kinds"] = after.kinds
    events.log_event(
        db, "project.settings", user_id=actor["id"] if actor else None, project_id=project["id"], **changed
    )
    return updated


def _rerank(db: sqlite_utils.Database, project_id: int, settings: Settings) -> None:
    articles = queue_store.list_article_uids(db, project_id)
    if settings.order == "shuffle":
        ranks = [(article_id, shuffle_rank(settings.seed, uid)) for article_id, uid in articles]
    else:
        ranks = [(article_id, rank) for rank, (article_id, _) in enumerate(sorted(articles))]
    queue_store.set_article_ranks(db, ranks, stride=RANK_STRIDE)


def set_paused(db: sqlite_utils.Database, project: dict, paused: bool, *, actor: dict | None = None) -> dict:
    """Pause or resume a project; a paused project hands out no new paragraphs."""
    updated = project_store.update_project(db, project["id"], paused=1 if paused else 0)
    events.log_event(
        db,
        "project.paused" if paused else "project.resumed",
        user_id=actor["id"] if actor else None,
        project_id=project["id"],
    )
    return updated


def release_leases(db: sqlite_utils.Database, project: dict, name: str, *, actor: dict | None = None) -> int:
    """Drop every lease the named user holds in the project; return how many."""
    annotator = users.get_user_by_name(db, name)
    released = queue.release(db, project, annotator=annotator)
    events.log_event(
        db,
        "project.leases_released",
        user_id=actor["id"] if actor else None,
        project_id=project["id"],
        name=name,
        n=released,
    )
    return released


def members(db: sqlite_utils.Database, project: dict) -> list[dict]:
    """Return the project's members, each with their live leases count."""
    at = store.now()
    leases = {}
    for lease in progress_store.active_leases(db, project["id"], now=at):
        leases[lease["user_id"]] = leases.get(lease["user_id"], 0) + 1
    return [{**m, "leases": leases.get(m["id"], 0)} for m in project_service.list_members(db, project)]


def candidates(db: sqlite_utils.Database, project: dict) -> list[dict]:
    """Return the active users who are not members of the project yet (whom an admin can add)."""
    members_ = {m["id"] for m in project_service.list_members(db, project)}
    return [u for u in accounts.list_users(db) if u["active"] and u["id"] not in members_]


def _day_start(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT00:00:00.000000Z")


def working_now(db: sqlite_utils.Database, project: dict) -> list[dict]:
    """Return who is working now: holders of unexpired leases and anyone who saved in the last minutes."""
    at = store.now()
    since = store.iso_in(minutes=-RECENT_MINUTES)
    people: dict[int, dict] = {}
    for lease in progress_store.active_leases(db, project["id"], now=at):
        person = people.setdefault(
            lease["user_id"],
            {"user_id": lease["user_id"], "name": lease["name"], "leases": [], "last_saved": None},
        )
        person["leases"].append(lease)
    for person in progress_store.list_people(db, project["id"]):
        saved = progress_store.last_saved(db, project["id"], person["id"], since=since)
        if saved:
            people.setdefault(person["id"], {"user_id": person["id"], "name": person["name"], "leases": []})
            people[person["id"]]["last_saved"] = saved
    return sorted(people.values(), key=lambda p: p["name"].lower())


def progress(db: sqlite_utils.Database, project: dict, *, days: int = CHART_DAYS) -> dict:
    """Return the project's progress: paragraphs by annotations done (0 … k), decided, and per annotator.

    Per annotator: done today (UTC) and in all, skipped, live leases, last activity and the median
    seconds per paragraph over their latest ``MEDIAN_OVER`` annotations; ``daily`` holds the
    paragraphs done per day over the last ``days`` days, for the chart.
    """
    k = project["overlap"]
    moment = datetime.now(UTC)
    today, at = _day_start(moment), store.now()
    first_day = moment.date() - timedelta(days=days - 1)
    buckets = {n: 0 for n in range(k + 1)}
    for row in progress_store.paragraph_counts(db, project["id"]):
        buckets[min(row["n_done"], k)] += row["paragraphs"]
    leased = len(progress_store.active_leases(db, project["id"], now=at))
    total = sum(buckets.values())
    since = f"{first_day.isoformat()}T00:00:00.000000Z"
    daily = {(first_day + timedelta(days=i)).isoformat(): 0 for i in range(days)}
    annotators = []
    for person in progress_store.list_people(db, project["id"]):
        activity = progress_store.user_activity(db, project["id"], person["id"], today=today, now=at)
        if not (activity["done"] or activity["skipped"] or activity["leased"] or person["member_role"]):
            continue
        seconds = progress_store.recent_seconds(db, project["id"], person["id"], limit=MEDIAN_OVER)
        for day, n in progress_store.daily_done(db, project["id"], person["id"], since=since):
            if day in daily:
                daily[day] += n
        annotators.append(
            {
                "name": person["name"],
                "role": person["member_role"] or person["role"],
                "member": person["member_role"] is not None,
                **activity,
                "median_seconds": round(statistics.median(seconds), 1) if seconds else None,
            }
        )
    decided = progress_store.count_decided(db, project["id"])
    return {
        "project": project["name"],
        "overlap": k,
        "paused": bool(project["paused"]),
        "paragraphs": total,
        "by_annotations": [{"annotations": n, "paragraphs": buckets[n]} for n in range(k + 1)],
        "complete": buckets[k],
        "leased": leased,
        **decided,
        "annotators": annotators,
        "daily": [{"day": day, "done": n} for day, n in daily.items()],
    }


def chart(figures: dict, *, width: int = 560, height: int = 160) -> dict:
    """Return the geometry of the daily chart (bars of paragraphs done per day) for an inline SVG."""
    days = figures["daily"]
    top = max([d["done"] for d in days] + [1])
    pad_left, pad_bottom, pad_top = 36, 22, 10
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - pad_top
    step = plot_w / max(len(days), 1)
    bars = []
    for i, day in enumerate(days):
        h = round(plot_h * day["done"] / top, 1)
        bars.append(
            {
                "x": round(pad_left + i * step + step * 0.15, 1),
                "y": round(pad_top + plot_h - h, 1),
                "w": round(step * 0.7, 1),
                "h": h,
                "day": day["day"],
                "label": day["day"][5:],
                "done": day["done"],
                "show_label": i % 2 == (len(days) - 1) % 2,
            }
        )
    return {
        "width": width,
        "height": height,
        "top": top,
        "baseline": pad_top + plot_h,
        "left": pad_left,
        "top_y": pad_top,
        "bars": bars,
    }
