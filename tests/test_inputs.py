"""The bounds of ids, numbers and times users give (newsdesk.inputs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import InputError
from newsdesk.inputs import MAX_ID, as_id, check_id, parse_id, parse_int, parse_since

NOW = datetime(2025, 3, 31, 12, 0, tzinfo=UTC)


def test_ids_in_range_pass_and_others_say_why() -> None:
    assert check_id(1, "feed") == 1 and check_id(MAX_ID, "feed") == MAX_ID
    assert parse_id(" 42 ", "article") == 42
    for bad in (0, -1, MAX_ID + 1, 10**30):
        with pytest.raises(InputError, match="feed id .* is out of range"):
            check_id(bad, "feed")
    with pytest.raises(InputError, match="out of range"):
        parse_id("9" * 5000, "item")
    for text in ("", "abc", "²", "1.5", "-3"):
        with pytest.raises(InputError, match="is not a number"):
            parse_id(text, "item")
    assert as_id("12") == 12 and as_id(str(MAX_ID + 1)) is None and as_id("BBC") is None


def test_whole_numbers_are_ascii_and_bounded_in_length() -> None:
    assert parse_int("-5", "n") == -5 and parse_int("1700000000000000000", "ts") > 0
    for text in ("", "²", "1e5", "9" * 20, "0x10"):
        with pytest.raises(InputError, match="parameter n: .* is not a whole number"):
            parse_int(text, "parameter n")


def test_since_reads_dates_and_durations_within_the_calendar() -> None:
    assert parse_since("2d", NOW) == NOW - timedelta(days=2)
    assert parse_since("yesterday", NOW) == datetime(2025, 3, 30, tzinfo=UTC)
    assert parse_since("2025-01-31T08:00+01:00", NOW) == datetime(2025, 1, 31, 7, tzinfo=UTC)
    with pytest.raises(InputError, match="99999999999d goes back further than the calendar"):
        parse_since("99999999999d", NOW)
    with pytest.raises(InputError, match="beyond the calendar"):
        parse_since("0001-01-01T00:00+05:00", NOW)
    for text in ("", "  ", "last tuesday-ish"):
        with pytest.raises(InputError, match="is not a date"):
            parse_since(text, NOW)
