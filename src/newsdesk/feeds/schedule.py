"""When to poll a feed next.

The pace follows the feed: the median gap between its recent entries (up to the newest
RECENT_ENTRIES), halved, so a new entry waits about half a gap on average. A feed that has gone
quiet slows down too: the interval is at least a quarter of the time since its newest entry.
The result is clamped to [min_interval, max_interval]. Then the server's wishes are floors:
never sooner than Cache-Control max-age or the feed's <ttl> (both capped at max_interval, so a
misconfigured year-long max-age cannot silence a feed) or Retry-After (honoured in full).
Errors replace the pace with an exponential back-off, min_interval * 2**error_count, capped at
error_max_interval; once a fetch succeeds (error_count back to 0) the normal pace returns.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from statistics import median

from newsdesk.fetch.hosts import parse_retry_after
from newsdesk.times import as_utc

__all__ = ["next_poll", "parse_cache_control", "parse_retry_after"]

RECENT_ENTRIES = 10

_MAX_AGE = re.compile(r"""(?:^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(?:,|$)""", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$|=)", re.IGNORECASE)


def next_poll(
    *,
    now: datetime,
    entry_times: list[datetime],
    min_interval: float,
    max_interval: float,
    default_interval: float,
    cache_max_age: float | None = None,
    ttl_seconds: int | None = None,
    retry_after: float | None = None,
    error_count: int = 0,
    error_max_interval: float,
) -> tuple[datetime, int]:
    """Return (when to poll next, the interval in seconds)."""
    if error_count > 0:
        interval = min(min_interval * 2**error_count, error_max_interval)
    else:
        interval = min(max(_pace(now, entry_times, default_interval), min_interval), max_interval)
        for hint in (cache_max_age, ttl_seconds):
            if hint is not None and hint > 0:
                interval = max(interval, min(hint, max_interval))
    if retry_after is not None and retry_after > 0:
        interval = max(interval, retry_after)
    seconds = int(round(interval))
    return now + timedelta(seconds=seconds), seconds


def _pace(now: datetime, entry_times: list[datetime], default_interval: float) -> float:
    # naive times (a database that drops zones) are UTC; `now` too
    now = as_utc(now)
    # entries dated in the future (bad clocks, embargoes) say nothing about the pace
    times = sorted((t for t in map(as_utc, entry_times) if t <= now), reverse=True)
    times = times[:RECENT_ENTRIES]
    if len(times) < 2:
        return default_interval
    gaps = [(a - b).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    gaps = [g for g in gaps if g > 0] or [0.0]
    silence = (now - times[0]).total_seconds()
    return max(median(gaps) / 2, silence / 4)


def parse_cache_control(value: str | None) -> float | None:
    """Seconds of max-age in a Cache-Control header; None when absent or no-store/no-cache."""
    if not value or _NO_CACHE.search(value):
        return None
    match = _MAX_AGE.search(value)
    return float(match.group(1)) if match else None
