"""Numbers, ids and times as users give them, parsed and bounded where they arrive (the web
pages, the APIs, the command line), so that nothing out of range reaches the database or the
calendar and fails there.

    check_id(10**30, "feed")     # InputError: feed id 1000...000 is out of range (1 to 2**63 - 1)
    parse_id("42", "article")    # 42; "4x", "" and "²" are InputErrors too
    parse_int("10", "n")         # 10: a whole number of at most 19 digits
    parse_since("2d")            # two days ago; "99999999999d" is an InputError
    timestamp_moment(10**20)     # InputError: not a time

Every failure is an InputError with one line saying which value and why: the web answers it
with 400, the command line with exit code 2.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from newsdesk.errors import InputError

MAX_ID = 2**63 - 1  # ids are SQL BIGINTs (SQLite's INTEGER, PostgreSQL's bigint)
# Any count or time a client may sensibly send (nanoseconds since 1970 included) fits in 19
# digits; ASCII digits only, since int() also takes "²" and other scripts' digits.
WHOLE = re.compile(r"[+-]?[0-9]{1,19}")
DURATION = re.compile(r"([0-9]{1,19})\s*([mhdw])")
DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def check_id(value: int, what: str) -> int:
    """An id as given, if a stored one could have it."""
    if not 1 <= value <= MAX_ID:
        raise InputError(f"{what} id {_short(str(value))} is out of range (1 to 2**63 - 1)")
    return value


def parse_int(text: str, name: str) -> int:
    """A whole number written in ASCII digits (an optional sign, at most 19 digits)."""
    value = text.strip()
    if not WHOLE.fullmatch(value):
        raise InputError(f"{name}: {_short(text)!r} is not a whole number")
    return int(value)


def as_id(text: str) -> int | None:
    """The id `text` writes in decimal, if a stored row could have it; else None."""
    value = text.strip()
    if value.isascii() and value.isdigit() and len(value) <= 19 and 1 <= int(value) <= MAX_ID:
        return int(value)
    return None


def parse_id(text: str, what: str) -> int:
    """An id written in decimal, bounded as check_id bounds it."""
    number = as_id(text)
    if number is not None:
        return number
    value = text.strip()
    if value.isascii() and value.isdigit():
        raise InputError(f"{what} id {_short(value)} is out of range (1 to 2**63 - 1)")
    raise InputError(f"{what} id {_short(text)!r} is not a number")


def check_moment(moment: datetime, name: str) -> datetime:
    """An aware datetime in UTC (a naive one taken as UTC) that the calendar can hold."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InputError(f"{name}: {moment.isoformat()} is beyond the calendar") from None


def timestamp_moment(seconds: int, name: str = "time") -> datetime:
    """The moment `seconds` after 1970 began (UTC)."""
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise InputError(f"{name}: {_short(str(seconds))} is not a time newsdesk can use") from None


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A moment as people write one: '2025-01-31', '2025-01-31T08:00+01:00', a time ago ('30m',
    '6h', '2d', '1w'), 'today' or 'yesterday' (from midnight UTC)."""
    now = now or datetime.now(UTC)
    value = text.strip().lower()
    if value in ("today", "yesterday"):
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start - timedelta(days=1 if value == "yesterday" else 0)
    match = DURATION.fullmatch(value)
    if match:
        amount, unit = match.group(1), match.group(2)
        try:
            return now - timedelta(**{DURATION_UNITS[unit]: int(amount)})
        except (OverflowError, ValueError):
            too_far = f"{_short(amount)}{unit} goes back further than the calendar"
            raise InputError(too_far) from None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{_short(text)!r} is not a date: use 2025-01-31, 2025-01-31T08:00+01:00, 6h, 2d or 1w"
        ) from None
    return check_moment(moment, "date")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
