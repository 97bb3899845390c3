"""Times as the reader shows them: "5 min ago" in lists, the full date and time on hover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from newsdesk.times import as_utc, utcnow

ONE_MINUTE = timedelta(minutes=1)


def relative_time(moment: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "5 min ago", "3 h ago", "2 d ago", "in 10 min", or a date for older times."""
    if moment is None:
        return ""
    moment = as_utc(moment)
    now = now or utcnow()
    seconds = (now - moment).total_seconds()
    ahead = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        text = f"{int(seconds // 60)} min"
    elif seconds < 86400:
        text = f"{int(seconds // 3600)} h"
    elif seconds < 7 * 86400:
        text = f"{int(seconds // 86400)} d"
    else:
        return _day(moment.astimezone(UTC))
    return f"in {text}" if ahead else f"{text} ago"


def next_time(moment: datetime | None, now: datetime | None = None) -> str:
    """When something planned happens: "in 10 min", or "any moment now" once it is due."""
    if moment is None:
        return "any moment now"
    now = now or utcnow()
    return relative_time(moment, now) if as_utc(moment) - now >= ONE_MINUTE else "any moment now"


def exact_time(moment: datetime | None) -> str:
    """The full date and time, in the offset the source gave (UTC when it gave none)."""
    if moment is None:
        return ""
    return _exact_time(moment)


# English names, as strftime's %A, %B and %b give them in the C locale: strftime costs several
# times more than formatting the numbers ourselves, and a page of results shows 20 new times
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _day(moment: datetime) -> str:
    """strftime("%-d %b %Y")."""
    return f"{moment.day} {MONTHS[moment.month - 1][:3]} {moment.year}"


@lru_cache(maxsize=8192)
def _exact_time(moment: datetime) -> str:
    # an article's time never changes: each page shows the same few again
    moment = as_utc(moment)
    if moment.utcoffset():
        zone = moment.strftime("%z")
        label = f"UTC{zone[:3]}:{zone[3:]}"
    else:
        label = "UTC"
    return (
        f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}, "
        f"{moment.hour:02d}:{moment.minute:02d} {label}"
    )
