"""The adaptive polling schedule and its header helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.feeds import next_poll, parse_cache_control, parse_retry_after

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
LIMITS = {
    "min_interval": 300,
    "max_interval": 86400,
    "default_interval": 3600,
    "error_max_interval": 86400,
}


def every(step: timedelta, count: int = 10, last: timedelta = timedelta(0)) -> list[datetime]:
    return [NOW - last - step * i for i in range(count)]


def test_hourly_feed_is_polled_far_more_often_than_weekly() -> None:
    _, hourly = next_poll(now=NOW, entry_times=every(timedelta(hours=1)), **LIMITS)
    _, weekly = next_poll(now=NOW, entry_times=every(timedelta(days=7)), **LIMITS)
    assert hourly == 1800  # half the median gap
    assert weekly == 86400  # clamped to max
    assert weekly >= 20 * hourly


def test_clamping_and_default() -> None:
    _, busy = next_poll(now=NOW, entry_times=every(timedelta(minutes=1)), **LIMITS)
    assert busy == 300
    when, fresh = next_poll(now=NOW, entry_times=[], **LIMITS)
    assert fresh == 3600 and when == NOW + timedelta(seconds=3600)
    _, single = next_poll(now=NOW, entry_times=[NOW - timedelta(hours=1)], **LIMITS)
    assert single == 3600


def test_a_quiet_feed_slows_down_and_future_dates_are_ignored() -> None:
    old = every(timedelta(hours=1), last=timedelta(days=2))
    _, quiet = next_poll(now=NOW, entry_times=old, **LIMITS)
    assert quiet == 12 * 3600  # a quarter of the two days of silence
    future = [NOW + timedelta(days=30)] * 5 + every(timedelta(hours=2))
    _, interval = next_poll(now=NOW, entry_times=future, **LIMITS)
    assert interval == 3600


def test_naive_times_are_taken_as_utc() -> None:
    naive = [t.replace(tzinfo=None) for t in every(timedelta(hours=2))]
    assert next_poll(now=NOW, entry_times=naive, **LIMITS)[1] == 3600
    mixed = naive[:5] + every(timedelta(hours=2))[5:]
    assert next_poll(now=NOW.replace(tzinfo=None), entry_times=mixed, **LIMITS)[1] == 3600


def test_server_floors() -> None:
    hourly = every(timedelta(hours=1))
    assert next_poll(now=NOW, entry_times=hourly, cache_max_age=7200, **LIMITS)[1] == 7200
    assert next_poll(now=NOW, entry_times=hourly, cache_max_age=60, **LIMITS)[1] == 1800
    assert next_poll(now=NOW, entry_times=hourly, ttl_seconds=5400, **LIMITS)[1] == 5400
    # a year-long max-age cannot silence a feed beyond max_interval
    assert next_poll(now=NOW, entry_times=hourly, cache_max_age=3e7, **LIMITS)[1] == 86400
    # Retry-After is the server's explicit wish: honoured in full
    assert next_poll(now=NOW, entry_times=hourly, retry_after=2e5, **LIMITS)[1] == 200000


def test_errors_back_off_and_recover() -> None:
    hourly = every(timedelta(hours=1))
    intervals = [
        next_poll(now=NOW, entry_times=hourly, error_count=n, **LIMITS)[1] for n in range(1, 11)
    ]
    assert intervals[:4] == [600, 1200, 2400, 4800]
    assert intervals == sorted(intervals)
    assert intervals[-1] == 86400  # capped
    limited = dict(LIMITS, error_max_interval=3000)
    assert next_poll(now=NOW, entry_times=hourly, error_count=5, **limited)[1] == 3000
    assert (
        next_poll(now=NOW, entry_times=hourly, error_count=1, retry_after=900, **LIMITS)[1] == 900
    )
    assert next_poll(now=NOW, entry_times=hourly, error_count=0, **LIMITS)[1] == 1800


def test_parse_cache_control() -> None:
    assert parse_cache_control("public, max-age=600") == 600
    assert parse_cache_control('max-age="120", must-revalidate') == 120
    assert parse_cache_control("s-maxage=10, max-age=30") == 30
    assert parse_cache_control("no-store, max-age=600") is None
    assert parse_cache_control("private") is None
    assert parse_cache_control(None) is None


def test_parse_retry_after() -> None:
    assert parse_retry_after("120", NOW) == 120
    assert parse_retry_after("Wed, 01 May 2024 12:05:00 GMT", NOW) == 300
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", NOW) == 0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("", NOW) is None
