"""Whatever bytes arrive, parse_feed and parse_opml answer with a result or their one-line error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import FeedError, OPMLError
from newsdesk.feeds import looks_like_feed, parse_feed, parse_opml
from newsdesk.feeds.parse import LOOSE_MAX_BYTES
from tests.sites.hostile_feeds import entity_feed, nested_feed

PIECES = st.sampled_from(
    [
        b'<?xml version="1.0" encoding="utf-8"?>',
        b'<rss version="2.0">',
        b"<channel>",
        b"<item>",
        b"<title>T &amp; \xc3\xa9 \xe9</title>",
        b"<link>/a</link>",
        b"<pubDate>Sat, 04 Dec 2021 18:53:00 -0500</pubDate>",
        b"<pubDate>yesterday</pubDate>",
        b'<feed xmlns="http://www.w3.org/2005/Atom">',
        b'<entry><link href="x"/><updated>2021-13-45T99:00:00Z</updated></entry>',
        b"</item>",
        b"</channel></rss>",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b'{"url": 5, "date_published": "nope", "tags": [null]}',
        b"]}",
        b"<html><body>",
        b"\x00\xff\xfe",
        b"<opml><body><outline xmlUrl='http://x/'>",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.binary(max_size=20)), max_size=12))
def test_parse_feed_never_crashes(parts: list[bytes]) -> None:
    content = b"".join(parts)
    try:
        feed = parse_feed(content, "http://e.example/feed", None, None)
    except FeedError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(e.url.startswith("http") for e in feed.entries)
    assert isinstance(looks_like_feed(content, None), bool)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(PIECES, st.binary(max_size=20)), max_size=8))
def test_parse_opml_never_crashes(parts: list[bytes]) -> None:
    try:
        parse_opml(b"".join(parts))
    except OPMLError as exc:
        assert "\n" not in str(exc)


def test_a_large_broken_feed_is_read_by_the_recovering_parser() -> None:
    # over the loose parser's cap: lxml recovers what it can, dropping the undefined entity
    document = entity_feed(2 * LOOSE_MAX_BYTES)
    feed = parse_feed(document, "http://hostile.test/feed")
    assert len(feed.entries) == document.count(b"<item>")
    assert [e.url for e in feed.entries[:2]] == [f"http://hostile.test/s/{n}" for n in (0, 1)]
    middle = len(feed.entries) // 2
    assert feed.entries[middle].summary == f"Some words about story {middle}."


def test_a_large_deeply_nested_feed_gives_what_lxml_recovers() -> None:
    feed = parse_feed(nested_feed(2 * LOOSE_MAX_BYTES), "http://hostile.test/feed")
    assert [e.url for e in feed.entries] == ["http://hostile.test/only"]


def test_a_small_broken_feed_is_still_read_loosely() -> None:
    document = entity_feed(LOOSE_MAX_BYTES // 8)
    feed = parse_feed(document, "http://hostile.test/feed")
    assert len(feed.entries) == document.count(b"<item>")
