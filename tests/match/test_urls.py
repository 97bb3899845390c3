import pytest

from newsdesk.match.urls import InvalidURLError, normalize_url, url_key


@pytest.mark.parametrize(
    "variant",
    [
        "http://example.com/news/story-1",
        "https://example.com/news/story-1/",
        "https://WWW.Example.com/news/story-1?utm_source=rss&utm_medium=feed",
        "https://example.com:443/news/story-1#comments",
        "https://example.com/news/story-1?fbclid=abc123",
    ],
)
def test_trivial_variants_share_one_key(variant: str) -> None:
    assert url_key(variant) == url_key("https://example.com/news/story-1")


def test_meaningful_query_parameters_are_kept_and_ordered() -> None:
    assert url_key("https://example.com/a?id=2&page=1") == url_key("https://example.com/a?page=1&id=2")
    assert url_key("https://example.com/a?id=2") != url_key("https://example.com/a?id=3")


def test_different_paths_differ() -> None:
    assert url_key("https://example.com/a") != url_key("https://example.com/b")


def test_normalize_keeps_scheme_and_drops_trackers() -> None:
    assert (
        normalize_url("HTTP://Example.COM:80/p?utm_campaign=x&q=1#top")
        == "http://example.com/p?q=1"
    )


def test_bare_host_gets_https() -> None:
    assert normalize_url("example.com/feed") == "https://example.com/feed"


@pytest.mark.parametrize("bad", ["", "not a url", "ftp://example.com/x", "https://", "http://[::1"])
def test_invalid_urls_are_refused(bad: str) -> None:
    with pytest.raises(InvalidURLError):
        normalize_url(bad)
