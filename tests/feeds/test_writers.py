"""The output-feed writers: each format read back by newsdesk's own feed reader says the same."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.feeds.parse import parse_feed
from newsdesk.feeds.writers import WRITERS, FeedDocument, FeedItem


def document() -> FeedDocument:
    item = FeedItem(
        id="http://127.0.0.1/articles/7",
        url="https://news.example/story",
        title="Storm reaches \x0bthe coast",  # a control character XML cannot carry
        content_html="<p>Winds of <b>120 km/h</b> & rain.</p>",
        summary="Winds of 120 km/h & rain.",
        published=datetime(2025, 3, 31, 6, 53, tzinfo=UTC),
        updated=datetime(2025, 3, 31, 7, 0, tzinfo=UTC),
        authors=["Ann Writer"],
    )
    return FeedDocument(
        id="http://127.0.0.1/all",
        title="All articles · newsdesk",
        self_url="http://127.0.0.1/all",
        home_url="http://127.0.0.1/",
        updated=item.updated,
        description="Every article",
        items=[item],
    )


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_each_format_reads_back_as_written(fmt: str) -> None:
    parsed = parse_feed(WRITERS[fmt](document()), f"http://127.0.0.1/all.{fmt}")
    assert parsed.title == "All articles · newsdesk"
    [entry] = parsed.entries
    assert entry.url == "https://news.example/story"
    assert entry.title == "Storm reaches the coast"
    assert entry.published == datetime(2025, 3, 31, 6, 53, tzinfo=UTC)
    assert entry.authors == ["Ann Writer"]
    assert "<b>120 km/h</b>" in (entry.content_html or "")
