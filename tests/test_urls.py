import pytest

from newsdesk.urls import (
    InvalidURLError,
    display_url,
    is_web_url,
    normalize_url,
    site_of,
    url_key,
    web_url,
)


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


def test_display_url_is_one_safe_line() -> None:
    assert display_url("https://u:p@a:b@example.org/x") == "https://u:***@example.org/x"
    assert display_url("http://example.org/a\nb\rc d") == "http://example.org/a%0Ab%0Dc%20d"
    long = display_url("http://example.org/" + "a" * 1000)
    assert len(long) == 300 and long.endswith("…")


def test_web_url_resolves_and_keeps_only_http() -> None:
    assert web_url("https://news.example/a/feed", "../story") == "https://news.example/story"
    assert web_url("https://news.example/", " HTTP://other.example/x ") == "HTTP://other.example/x"
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "", "  ", None, 3):
        assert web_url("https://news.example/", bad) is None
    assert web_url("https://news.example/", "http://[::1") is None


def test_site_of_is_the_host_without_www() -> None:
    assert site_of("https://www.News.example:8443/a") == "news.example"
    assert site_of("not a url") == ""
    assert site_of("http://[::1") == ""


def test_is_web_url_only_for_absolute_http() -> None:
    assert is_web_url("https://news.example/a.png") and is_web_url(" HTTP://news.example/")
    for bad in (None, "", "/a.png", "javascript:alert(1)", "data:image/png;base64,x",
                "httpfoo://x", "http://[::1"):
        assert not is_web_url(bad)
