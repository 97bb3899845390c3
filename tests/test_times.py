from datetime import UTC, datetime, timedelta, timezone

from newsdesk.times import as_utc, parse_date, to_utc, utcnow

PLUS_ONE = timezone(timedelta(hours=1))


def test_utcnow_is_aware_utc() -> None:
    assert utcnow().utcoffset() == timedelta(0)


def test_naive_is_utc_and_as_utc_keeps_an_offset_to_utc_converts() -> None:
    naive = datetime(2024, 3, 5, 9, 0)
    paris = datetime(2024, 3, 5, 10, 0, tzinfo=PLUS_ONE)
    assert as_utc(naive) == to_utc(naive) == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert as_utc(paris).utcoffset() == timedelta(hours=1)
    assert to_utc(paris).utcoffset() == timedelta(0) and to_utc(paris) == paris


def test_feed_dates_keep_their_offset_and_a_zoneless_one_is_utc() -> None:
    found = parse_date(" Sat, 04 Dec 2021 18:53:00 +0100 ", source="feed")
    assert found == datetime(2021, 12, 4, 18, 53, tzinfo=PLUS_ONE)
    assert found is not None and found.utcoffset() == timedelta(hours=1)
    assert parse_date("2021-12-04T18:53:00", source="feed") == datetime(2021, 12, 4, 18, 53,
                                                                         tzinfo=UTC)
    assert parse_date("1969-12-31T00:00:00Z", source="feed") is None
    for nothing in (None, "", "   ", "no date here"):
        assert parse_date(nothing, source="feed") is None


def test_page_dates_are_found_in_text_and_a_zoneless_one_stays_naive() -> None:
    assert parse_date("Updated December 4, 2021 at 6:53 pm", source="page") == datetime(
        2021, 12, 4, 18, 53
    )
    assert parse_date("4. Dezember 2021", source="page") == datetime(2021, 12, 4)
    assert parse_date("1638643980", source="page") == datetime(2021, 12, 4, 18, 53, tzinfo=UTC)
    assert parse_date("1985-01-01", source="page") is None  # before the web's news
    assert parse_date(f"{utcnow().year + 2}-01-01", source="page") is None
    for nothing in (None, "", "   ", "no date here"):
        assert parse_date(nothing, source="page") is None
