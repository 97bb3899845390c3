import pytest

from newsdesk.errors import FeedError, FetchError
from newsdesk.feeds.opml import parse_opml, write_opml
from newsdesk.model import Subscription
from newsdesk.pipeline.subscribe import import_subscriptions, subscribe


def test_feed_discovered_from_a_home_page_link(store, settings, publisher) -> None:
    feed, created = subscribe(store, settings, publisher.home_url("daily-planet"))
    assert created
    assert feed.url == publisher.feed_url("daily-planet")
    assert feed.title == "Daily Planet"


def test_feed_found_at_a_common_path_when_the_page_links_none(store, settings, publisher) -> None:
    feed, created = subscribe(store, settings, publisher.home_url("northern-courier"))
    assert created
    assert feed.url == publisher.feed_url("northern-courier")
    assert feed.url.endswith("/feed")


def test_a_feed_url_is_taken_as_it_is(store, settings, publisher) -> None:
    url = publisher.feed_url("harbour-gazette", "atom03")
    feed, _ = subscribe(store, settings, url)
    assert feed.url == url


def test_the_same_feed_twice_or_trivially_different_is_kept_once(
    store, settings, publisher
) -> None:
    url = publisher.feed_url("daily-planet", "rss20")
    first, created = subscribe(store, settings, url)
    assert created
    for variant in (
        url,
        url + "/",
        url + "?utm_source=newsletter&utm_medium=email",
        url.replace("http://", "HTTP://"),
    ):
        again, created = subscribe(store, settings, variant)
        assert not created
        assert again.id == first.id
    # a home page whose announced feed is already followed adds nothing either
    _, created = subscribe(store, settings, publisher.home_url("daily-planet"))
    assert not created
    assert len(store.list_feeds()) == 1


def test_a_page_without_any_feed_is_a_clear_error(store, settings, publisher) -> None:
    article = publisher.article_urls("northern-courier")[0]
    publisher.set_feed_mode("northern-courier", "not_found")
    with pytest.raises(FeedError, match="no feed or sitemap found"):
        subscribe(store, settings, article)
    assert store.list_feeds() == []


def test_an_unreachable_host_is_a_clear_error(store, settings) -> None:
    with pytest.raises(FetchError) as failure:
        subscribe(store, settings, "http://127.0.0.1:9/feed.xml")
    assert "\n" not in str(failure.value)
    assert "127.0.0.1:9" in str(failure.value)


def test_private_addresses_are_refused_unless_allowed(store, settings, publisher) -> None:
    strict = settings.model_copy(update={"allow_private_networks": False})
    with pytest.raises(FetchError, match="private|loopback|not allowed"):
        subscribe(store, strict, publisher.home_url("daily-planet"))
    assert publisher.hits("daily-planet") == 0


def test_import_is_idempotent_and_keeps_folders(store) -> None:
    subscriptions = [
        Subscription("https://example.com/world.xml", "World desk", folder="World"),
        Subscription("https://example.com/tech.xml", "Tech", folder="Technology"),
        Subscription("https://example.com/misc.xml", "Misc"),
        Subscription("not a url", "Broken"),
    ]
    first = import_subscriptions(store, subscriptions)
    assert (first.added, first.existing, len(first.errors)) == (3, 0, 1)
    assert "not a url" in first.errors[0]
    again = import_subscriptions(store, subscriptions)
    assert (again.added, again.existing) == (0, 3)
    folders = {feed.url: feed.folder for feed in store.list_feeds()}
    assert folders["https://example.com/world.xml"] == "World"
    assert folders["https://example.com/misc.xml"] is None
    # what we export reads back identically
    exported = write_opml(
        [Subscription(f.url, f.title, f.site_url, f.folder) for f in store.list_feeds()]
    ).encode()
    back = {(s.url, s.title, s.folder) for s in parse_opml(exported)}
    assert back == {(f.url, f.title, f.folder) for f in store.list_feeds()}
