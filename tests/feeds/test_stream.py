"""A long document read item by item gives what reading it whole gives, entry for entry."""

from __future__ import annotations

import pytest

from newsdesk.feeds.parse import STREAM_MIN_BYTES, feed_entries, read_feed
from newsdesk.feeds.xmlfeed import stream_xml
from tests.sites.hostile_feeds import many_items_feed


def atom_feed(count: int) -> bytes:
    entries = "".join(
        f"<entry><id>urn:e:{n}</id><title>Entry {n}</title>"
        f'<link href="/e/{n}"/><updated>2025-01-0{1 + n % 9}T10:{n % 60:02d}:00Z</updated>'
        f"<summary>{'words ' * 400}</summary></entry>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
        ' xml:lang="de"><title>Long</title><link href="http://long.example/"/>'
        f"{entries}</feed>"
    ).encode()


@pytest.mark.parametrize(
    "document",
    [many_items_feed(500, "http://long.example", words=500), atom_feed(500)],
    ids=["rss", "atom"],
)
def test_streamed_entries_are_the_whole_readings(document: bytes) -> None:
    assert len(document) >= STREAM_MIN_BYTES
    url = "http://long.example/feed"
    assert sum(1 for _ in stream_xml(document, url)) == 500  # read item by item indeed
    whole = read_feed(document, url)
    feed, light = feed_entries(document, url, whole=False)
    assert list(light) == list(whole.entries(whole=False))
    assert (feed.title, feed.site_url, feed.language) == (
        whole.feed.title,
        whole.feed.site_url,
        whole.feed.language,
    )
    chosen = [0, 7, 499, 250]
    _, some = feed_entries(document, url, positions=chosen)
    assert list(some) == list(whole.entries(chosen))
    assert [position for position, _ in whole.entries(chosen)] == [0, 7, 250, 499]
