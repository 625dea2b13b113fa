"""Dates written in page text ("March 5, 2024", "05.03.2024 14:10", "2024年3月5日", "2 hours ago")
and in machine values ("2024-03-05T14:10:00+01:00"), read as ISO 8601."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from functools import lru_cache

# Month names and their usual abbreviations in English, German, French, Spanish, Portuguese,
# Italian and Dutch.  Abbreviations that are also common words ("out", "ago", "set") are left out.
_MONTH_NAMES = {
    1: "january jan januar jänner jän janvier janv enero ene janeiro gennaio januari",
    2: "february feb februar feber février fevrier févr fevr febrero fevereiro fev febbraio februari",
    3: "march mar märz maerz mär mars marzo março marco maart mrt",
    4: "april apr avril avr abril abr aprile",
    5: "may mai mayo maio maggio mei",
    6: "june jun juni juin junio junho giugno giu",
    7: "july jul juli juillet juil julio julho luglio lug",
    8: "august aug août aout agosto augustus",
    9: "september sept sep septembre septiembre setiembre setembro settembre",
    10: "october oct oktober okt octobre octubre outubro ottobre ott",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember dez décembre decembre déc dic diciembre dezembro dicembre",
}
_MONTHS = {name: n for n, names in _MONTH_NAMES.items() for name in names.split()}
# Day first in every language ("5. März 2024", "1er janvier 2024", "5 de março de 2024").
_ANY_MON = (
    r"(?P<mon>" + "|".join(re.escape(k) for k in sorted(_MONTHS, key=len, reverse=True)) + r")\.?(?!\w)"
)
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME = (
    r"(?:(?:\s*[,|;]\s*|\s+)(?:(?:at|à|às|um|a las|alle|om)\s+|-\s+)?(?P<h>[01]?\d|2[0-3])[:.h](?P<mi>[0-5]\d)"
    r"(?::[0-5]\d)?\s*(?P<ap>[ap]\.?\s?m\.?)?(?![\d]))?"
)
_DATE_RES = [
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?"
    ),
    re.compile(
        r"(?<![\w])(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º)?\.?\s+(?:of\s+|de\s+)?"
        + _ANY_MON
        + r",?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)(?!\d)"
        + _TIME,
        re.I,
    ),
    re.compile(
        r"(?<![\w])" + _MON + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)" + _TIME,
        re.I,
    ),
    re.compile(
        r"(?<![\d.:/])(?P<a>[0-3]?\d)(?:/|\. ?)(?P<b>[0-3]?\d)(?:/|\. ?)(?P<y>(?:19|20)\d\d)(?![\d.]|:\d)"
        + _TIME,
        re.I,
    ),
    # Year first with dots or slashes, as East Asian pages print dates: 2016.12.01, 2016/12/01 (not a
    # version number: v2016.12.01).
    re.compile(
        r"(?<![\dA-Za-z.:/])(?P<y>(?:19|20)\d\d)[./](?P<m>[01]?\d)[./](?P<d>[0-3]?\d)(?![\d.])" + _TIME, re.I
    ),
    # Day, month and a two-digit year, zero-padded as German and French pages print them: 28.09.19.
    re.compile(r"(?<![\d.:/])(?P<d>[0-3]\d)\.(?P<m>[01]\d)\.(?P<yy>\d\d)(?![\d.])" + _TIME, re.I),
    # ... with its time glued on, as a forum's post header may print them ("28.09.1913:39": the
    # 28th of September 2019, 13:39; not the year 1913).
    re.compile(
        r"(?<![\d.:/])(?P<d>[0-3]\d)\.(?P<m>[01]\d)\.(?P<yy>\d\d)(?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?!\d)"
    ),
    # Chinese, Japanese and Korean: 2024年3月5日, 2024년 3월 5일.
    re.compile(
        r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]"
        r"(?:\D{0,6}?(?P<h>[01]?\d|2[0-3])[:時시]\s*(?P<mi>[0-5]\d))?"
    ),
]
_RELATIVE = re.compile(
    r"\b(?:(?P<n>\d+|an?|one)\s+(?P<unit>minute|min|hour|hr|day|week)s?\s+ago|(?P<word>yesterday|today|just now))\b",
    re.I,
)


_ASCII_DIGIT = re.compile(r"[0-9]")
_TODAY_LABELS = frozenset(("", "updated", "last updated", "published", "posted", "added"))
# A clock time on its own ("10:15", "15.30", "15h57").
CLOCK = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:.h][0-5]\d(?!\d)")


def find_date(
    text: str, reference_date: dt.date | None = None, day_first: bool = False
) -> tuple[str, bool] | None:
    """Return ``(iso, has_time)`` for the first date in ``text``, or None.

    Relative dates ("2 hours ago") count only when ``reference_date`` is given.  ``day_first``
    reads 02/11/2023 as 2 November (the page's own order, see ``day_first_page``); dots and a
    first number over 12 mean day first anyway.
    """
    # The header reader asks about each of its lines three or four times, and pages of one site
    # repeat their datelines' shapes; the year is in the key because two-digit years are read
    # against it.
    return _find_date(text, reference_date, _this_year(), day_first)


_SLASHED = re.compile(r"(?<![\d.:/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?:19|20)\d\d(?![\d.])")


def day_first_page(texts: Iterable[str], language: str) -> bool:
    """Whether a page writes a date with slashes day first (02/11/2023 for 2 November): as its
    own dates show where one number is over 12 (28/10/2023, 10/28/2023), else as every language
    but English does.  An English page with no such date keeps month first."""
    votes = 0
    for text in texts:
        if "/" in text and len(text) <= 200:
            for m in _SLASHED.finditer(text):
                a, b = int(m["a"]), int(m["b"])
                votes += (a > 12 >= b) - (b > 12 >= a)
    return votes > 0 if votes else language not in ("", "en")


# The local year, and the moment (``time.time()``) it ends.
_YEAR = [0, 0.0]


def _this_year() -> int:
    """``dt.date.today().year``, read from the calendar only once the year read last has ended:
    the header reader asks for a date on each of its lines, and reading the calendar cost more
    than looking a line up in ``_find_date``'s cache."""
    if time.time() >= _YEAR[1]:
        year = dt.date.today().year
        _YEAR[:] = [year, time.mktime((year + 1, 1, 1, 0, 0, 0, 0, 0, -1))]
    return _YEAR[0]


@lru_cache(maxsize=4096)
def _find_date(
    text: str, reference_date: dt.date | None, _year: int, day_first: bool
) -> tuple[str, bool] | None:
    best = None
    # Every written date holds an ASCII digit (the patterns' [0-3], [01], 19|20): most lines
    # have none, and skipping them saves running the patterns on each.
    for rx in _DATE_RES if _ASCII_DIGIT.search(text) else ():
        for m in rx.finditer(text):
            iso = _iso_from_match(m, day_first)
            if iso and "T" not in iso:
                before = _TIME_BEFORE.search(text[max(0, m.start() - 24) : m.start()])
                if before:
                    iso = _with_time(iso, before)
            if iso:
                if best is None or m.start() < best[0]:
                    best = (m.start(), iso)
                break
    if best:
        return best[1], "T" in best[1]
    if reference_date is not None:
        m = _RELATIVE.search(text)
        # "Today" opening the line ("Today, 10:15", "Updated today") or with a time is a date;
        # after other words it is a word of a headline or a name ("Florida Today").
        if m and (
            not m["word"] or text[: m.start()].strip(" :,|-").lower() in _TODAY_LABELS or CLOCK.search(text)
        ):
            return _relative(m, reference_date), False
    return None


def _iso_from_match(m: re.Match, day_first: bool = False) -> str | None:
    g = m.groupdict()
    try:
        if g.get("yy"):
            # The century that puts the year no later than next year.
            year = 2000 + int(g["yy"])
            if year > _this_year() + 1:
                year -= 100
        else:
            year = int(g["y"])
        if g.get("mon"):
            name = g["mon"].lower().rstrip(".")
            month = _MONTHS.get(name) or _MONTHS[name[:3]]
            day = int(g["d"])
        elif g.get("a"):
            a, b = int(g["a"]), int(g["b"])
            # Month first unless that cannot be (13.01.2024); "." usually means day first.
            sep_dot = "." in m.group(0)[:6]
            month, day = (b, a) if (a > 12 or sep_dot or day_first) and b <= 12 else (a, b)
        else:
            month, day = int(g["m"]), int(g["d"])
        date = dt.date(year, month, day)
    except (KeyError, ValueError):
        return None
    if g.get("h") is None:
        return date.isoformat()
    hour, minute = int(g["h"]), int(g["mi"])
    ap = (g.get("ap") or "").lower().replace(".", "").replace(" ", "")
    if ap:
        if hour > 12 or hour == 0:
            return date.isoformat()
        hour = hour % 12 + (12 if ap == "pm" else 0)
    return f"{date.isoformat()}T{hour:02d}:{minute:02d}"


_TIME_BEFORE = re.compile(
    r"(?<![\d.:])(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)\s*(?P<ap>[ap]\.?\s?m\.?)?"
    r"(?:\s*[A-Z]{2,4})?\s*[,|·•-]?\s*(?:on\s+)?(?:[A-Za-z]{3,9},?\s+)?$"
)


def _with_time(iso: str, t: re.Match) -> str:
    hour, minute = int(t.group("h")), int(t.group("mi"))
    ap = (t.group("ap") or "").lower().replace(".", "").replace(" ", "")
    if ap:
        if hour > 12 or hour == 0:
            return iso
        hour = hour % 12 + (12 if ap == "pm" else 0)
    return f"{iso}T{hour:02d}:{minute:02d}"


def _relative(m: re.Match, ref: dt.date) -> str:
    word = (m.group("word") or "").lower()
    if word == "yesterday":
        return (_as_date(ref) - dt.timedelta(days=1)).isoformat()
    if word:
        return _as_date(ref).isoformat()
    n = m.group("n").lower()
    n = 1 if n in ("a", "an", "one") else int(n)
    unit = m.group("unit").lower()
    delta = {
        "minute": dt.timedelta(minutes=n),
        "min": dt.timedelta(minutes=n),
        "hour": dt.timedelta(hours=n),
        "hr": dt.timedelta(hours=n),
        "day": dt.timedelta(days=n),
        "week": dt.timedelta(weeks=n),
    }[unit]
    if isinstance(ref, dt.datetime):
        return (ref - delta).strftime("%Y-%m-%dT%H:%M")
    return (ref - dt.timedelta(days=delta.days)).isoformat()


def _as_date(ref: dt.date) -> dt.date:
    return ref.date() if isinstance(ref, dt.datetime) else ref


def iso_from_meta_value(value: str) -> str:
    """Return "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" from a machine date ("2019-11-14T09:00:00+00:00"), or ""."""
    m = _DATE_RES[0].search(value or "")
    return (_iso_from_match(m) or "") if m else ""
