"""Times and kinds as people read them: "3 min ago" (the exact ISO time on hover), "Quote only"."""

from datetime import UTC, datetime

from markupsafe import Markup, escape

from ..ingest.models import KIND_NAMES


def _parse(value) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def ago(value, now: datetime | None = None) -> str:
    """``value`` (ISO text or datetime) relative to ``now``: "just now", "3 min ago", "2 h ago", a date."""
    at = _parse(value)
    if at is None:
        return str(value or "")
    seconds = ((now or datetime.now(UTC)) - at).total_seconds()
    if seconds < -60:
        return at.strftime("%-d %b %Y %H:%M UTC")
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 2 * 86400:
        return "yesterday " + at.strftime("%H:%M UTC")
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)} days ago"
    return at.strftime("%-d %b %Y")


def kind_name(kind) -> str:
    """The one name every page gives a paragraph kind."""
    return KIND_NAMES.get(kind, str(kind or "").replace("_", " ").capitalize())


def when(value) -> Markup:
    """A ``<time>`` element reading "3 min ago", the exact time in its ``datetime`` and ``title``."""
    if not value:
        return Markup("")
    iso = escape(str(value))
    return Markup(f'<time datetime="{iso}" title="{iso}">{escape(ago(value))}</time>')
