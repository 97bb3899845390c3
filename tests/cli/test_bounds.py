"""Ids and times out of range are a one-line error with exit code 2 from the real command."""

from __future__ import annotations

from typing import Any


def assert_one_line_usage_error(result: Any, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert all(word in lines[0] for word in words), lines[0]
    assert "Traceback" not in result.output


def test_ids_out_of_range(cli) -> None:
    for command in ("show", "story"):
        for bad in (str(2**63), str(10**30), "0"):
            result = cli(command, "--", bad, ok=False)
            assert_one_line_usage_error(result, bad, "out of range")
    missing = cli("show", "999", ok=False)  # in range but not there: not found, as before
    assert missing.exit_code == 1


def test_since_out_of_range_or_empty(cli) -> None:
    for command in ("articles", "stories", "regroup"):
        assert_one_line_usage_error(
            cli(command, "--since", "99999999999d", ok=False), "further than the calendar"
        )
        assert_one_line_usage_error(cli(command, "--since", "", ok=False), "is not a date")
    result = cli("articles", "--since", "0001-01-01T00:00+05:00", ok=False)
    assert_one_line_usage_error(result, "beyond the calendar")
    assert cli("articles", "--since", "2d").exit_code == 0


def test_huge_limit_and_feed_reference(cli) -> None:
    result = cli("articles", "--limit", str(10**30), ok=False)
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = cli("articles", "--feed", str(10**30), ok=False)  # may be a title: not found
    assert result.exit_code == 1 and "no feed matches" in result.stderr
