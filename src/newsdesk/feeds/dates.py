"""Feed dates -> timezone-aware datetimes that keep the offset the feed wrote.

feedparser turns every date into a UTC time tuple, which loses the publisher's offset, so the raw
string is read here first (RFC 822 and ISO 8601 cover nearly every feed) and feedparser's tuple is
only the fallback. A date with no zone is taken as UTC, as feedparser and the feed specs do.
"""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser


def parse_date(raw: str | None, fallback: time.struct_time | None = None) -> datetime | None:
    """Read one date string; fall back to a UTC struct_time (e.g. feedparser's) when unreadable."""
    if raw:
        value = _parse_raw(raw.strip())
        if value is not None:
            return value
    if fallback is not None:
        return datetime.fromtimestamp(calendar.timegm(fallback), tz=UTC)
    return None


def _parse_raw(raw: str) -> datetime | None:
    value: datetime | None = None
    if raw[:1].isdigit():
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = None
    if value is None:
        try:
            value = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            value = None
    if value is None:
        try:
            value = dateutil_parser.parse(raw)
        except (ValueError, OverflowError, TypeError):
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if not 1970 <= value.year <= 2200:
        return None
    return value
