"""Polling end to end: the fixture publisher on loopback, a real store, the real parsers."""

from datetime import UTC, datetime

import pytest

from newsdesk.pipeline.poll import poll
from newsdesk.pipeline.subscribe import subscribe
from tests.sites.publisher import FORMATS


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"extract_processes": 0})


def follow(store, settings, publisher, site, fmt=None):
    feed, _ = subscribe(store, settings, publisher.feed_url(site, fmt))
    return feed


def test_first_poll_stores_each_article_clean(store, settings, publisher) -> None:
    follow(store, settings, publisher, "daily-planet")
    report = poll(store, settings)
    urls = publisher.article_urls("daily-planet")
    assert report.errors == []
    assert report.new_articles == len(urls)
    assert store.count_articles() == len(urls)

    (seed,) = [a for a in store.list_articles(limit=100) if a.article.url == publisher.seed_url]
    expected = publisher.expected(publisher.seed_url)
    assert seed.article.title == expected.title
    assert seed.article.published == expected.published
    assert seed.article.published.utcoffset() is not None
    assert seed.article.text.split("\n\n") == expected.paragraphs
    assert seed.feed_title == "Daily Planet"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_feed_format_is_read(store, settings, publisher, fmt) -> None:
    feed = follow(store, settings, publisher, "harbour-gazette", fmt)
    report = poll(store, settings, feed_ids=[feed.id])
    assert report.errors == []
    assert report.new_articles == len(publisher.article_urls("harbour-gazette"))
    stored = {a.article.canonical_url or a.article.url for a in store.list_articles(limit=100)}
    assert stored == set(publisher.article_urls("harbour-gazette"))


def test_polling_again_is_idempotent_and_costs_one_304(store, settings, publisher) -> None:
    feed = follow(store, settings, publisher, "daily-planet")
    poll(store, settings)
    stored = store.count_articles()
    publisher.reset_counts()
    report = poll(store, settings, feed_ids=[feed.id])
    assert (report.not_modified, report.new_articles) == (1, 0)
    assert publisher.hits("daily-planet") == 1
    (request,) = publisher.request_log("daily-planet")
    assert request.status == 304
    assert "if-none-match" in request.headers or "if-modified-since" in request.headers
    assert store.count_articles() == stored


@pytest.mark.parametrize("change", ["guid", "utm", "https", "slash"])
def test_a_republished_item_creates_no_duplicate(store, settings, publisher, change) -> None:
    feed = follow(store, settings, publisher, "northern-courier")
    poll(store, settings)
    stored = store.count_articles()
    if change == "guid":
        for url in publisher.article_urls("northern-courier"):
            publisher.change_guid(url)
    else:
        publisher.set_link_style("northern-courier", change)
    report = poll(store, settings, feed_ids=[feed.id])
    assert report.new_articles == 0
    assert store.count_articles() == stored


def test_a_new_entry_is_picked_up(store, settings, publisher) -> None:
    feed = follow(store, settings, publisher, "daily-planet")
    poll(store, settings)
    url = publisher.add_entry(
        "daily-planet",
        "Lighthouse keepers return to Fastnet",
        ["The lighthouse on Fastnet rock will be staffed again from June, the operator said.",
         "Keepers left the rock in 1989 when the light was automated."],
    )
    report = poll(store, settings, feed_ids=[feed.id])
    assert report.new_articles == 1
    (article,) = [a for a in store.list_articles(limit=100) if a.article.url == url]
    assert article.article.title == "Lighthouse keepers return to Fastnet"
    assert article.article.text.startswith("The lighthouse on Fastnet rock")


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("error", "500"),
        ("not_found", "404"),
        ("html", "not a feed"),
        ("broken", ""),
        ("unavailable", "503"),
    ],
)
def test_a_broken_feed_gets_one_line_and_the_others_go_on(
    store, settings, publisher, mode, words
) -> None:
    broken = follow(store, settings, publisher, "daily-planet", "rss20")
    healthy = follow(store, settings, publisher, "harbour-gazette")
    publisher.set_feed_mode("daily-planet", mode)
    report = poll(store, settings)
    assert len(report.errors) == 1
    assert report.new_articles == len(publisher.article_urls("harbour-gazette"))
    feed = store.get_feed(broken.id)
    assert feed.last_error and "\n" not in feed.last_error
    assert words.lower() in feed.last_error.lower()
    assert feed.error_count == 1
    assert not feed.retired
    assert store.get_feed(healthy.id).last_error is None


def test_a_malformed_feed_is_still_read(store, settings, publisher) -> None:
    follow(store, settings, publisher, "daily-planet", "rss20")
    publisher.set_feed_mode("daily-planet", "malformed")
    report = poll(store, settings)
    assert report.errors == []
    assert report.new_articles > 0


def test_an_empty_feed_is_no_error(store, settings, publisher) -> None:
    feed = follow(store, settings, publisher, "daily-planet", "atom10")
    publisher.set_feed_mode("daily-planet", "empty")
    report = poll(store, settings)
    assert (report.errors, report.new_articles) == ([], 0)
    assert store.get_feed(feed.id).last_error is None


def test_a_gone_feed_is_retired(store, settings, publisher) -> None:
    feed = follow(store, settings, publisher, "daily-planet", "rss20")
    publisher.set_feed_mode("daily-planet", "gone")
    poll(store, settings)
    assert store.get_feed(feed.id).retired
    far_future = datetime(2100, 1, 1, tzinfo=UTC)
    assert feed.id not in [f.id for f in store.due_feeds(far_future)]


def test_failing_feeds_back_off_and_recover(store, settings, publisher) -> None:
    feed = follow(store, settings, publisher, "daily-planet", "rss20")
    poll(store, settings)
    healthy_interval = store.get_feed(feed.id).interval_seconds
    publisher.set_feed_mode("daily-planet", "error")
    intervals = []
    for _ in range(3):
        poll(store, settings, feed_ids=[feed.id])
        intervals.append(store.get_feed(feed.id).interval_seconds)
    assert intervals == sorted(intervals) and intervals[0] < intervals[-1]
    assert store.get_feed(feed.id).error_count == 3
    publisher.set_feed_mode("daily-planet", "ok")
    poll(store, settings, feed_ids=[feed.id])
    recovered = store.get_feed(feed.id)
    assert (recovered.error_count, recovered.last_error) == (0, None)
    assert recovered.interval_seconds == healthy_interval


def test_next_poll_is_not_sooner_than_cache_control_allows(store, settings, publisher) -> None:
    feed = follow(store, settings, publisher, "daily-planet", "rss20")
    publisher.set_cache_control("daily-planet", "max-age=7200")
    poll(store, settings)
    polled = store.get_feed(feed.id)
    assert (polled.next_fetch_at - polled.last_fetched_at).total_seconds() >= 7200


def test_a_page_blocked_by_robots_keeps_the_feeds_copy(store, settings, publisher) -> None:
    feed = follow(store, settings, publisher, "daily-planet")
    url = publisher.add_entry(
        "daily-planet",
        "Members-only briefing",
        ["This briefing is only on the feed."],
        path="/private/briefing",
    )
    poll(store, settings, feed_ids=[feed.id])
    assert publisher.hits("daily-planet", "/private/briefing") == 0
    (article,) = [a for a in store.list_articles(limit=100) if a.article.url == url]
    assert article.article.title == "Members-only briefing"
    assert article.article.method == "feed"


def test_a_page_another_feed_brought_is_not_fetched_again(store, settings, publisher) -> None:
    rss = follow(store, settings, publisher, "daily-planet", "rss20")
    atom = follow(store, settings, publisher, "daily-planet", "atom10")
    poll(store, settings, feed_ids=[rss.id])
    stored = store.count_articles()
    publisher.reset_counts()
    report = poll(store, settings, feed_ids=[atom.id])
    assert report.new_articles == 0
    assert store.count_articles() == stored
    article_paths = {url.split("/", 3)[3] for url in publisher.article_urls("daily-planet")}
    fetched = {request.path.lstrip("/") for request in publisher.request_log("daily-planet")}
    assert not fetched & article_paths
    # and the second feed's entries are now known: its next poll stores nothing either
    assert poll(store, settings, feed_ids=[atom.id], force=True).new_articles == 0


def test_articles_the_store_refuses_are_reported_and_fetched_again(
    store, settings, publisher
) -> None:
    refused = follow(store, settings, publisher, "harbour-gazette")
    follow(store, settings, publisher, "daily-planet")
    planet = publisher.article_urls("daily-planet")
    harbour = publisher.article_urls("harbour-gazette")
    site = harbour[0].split("/")[2]
    assert not any(url.split("/")[2] == site for url in planet)
    with store.engine.begin() as conn:  # the database refuses one site's articles
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.url LIKE "
            f"'http://{site}/%' BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
        )
    report = poll(store, settings)
    assert report.new_articles == len(planet) == store.count_articles()
    (error,) = report.errors
    assert f"{len(harbour)} new articles not saved" in error and "disk says no" in error
    assert "disk says no" in (store.get_feed(refused.id).last_error or "")

    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER refuse")
    again = poll(store, settings, feed_ids=[refused.id], force=True)
    assert again.errors == [] and again.new_articles == len(harbour)
    assert store.count_articles() == len(planet) + len(harbour)
