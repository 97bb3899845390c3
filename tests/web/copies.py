"""Stored articles matched as polling matches them, so copies and stories are what the
matching step finds, never labels set by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.model import Feed
from newsdesk.pipeline.matching import MatchStep
from tests.web.conftest import LiveServer, numbered_article, seed_articles


def match_stored(live: LiveServer) -> None:
    """Match every stored article not matched yet, as polling does: copies are found and
    stories grouped."""
    MatchStep.open(live.store, live.settings)


def seed_with_copy(
    live: LiveServer, count: int, *, copy: int, of: int
) -> tuple[Feed, list[int]]:
    """seed_articles' `count` articles, number `copy` with the headline and text of number
    `of` at its own address, all matched: `copy` is found to copy `of`."""
    feed_url = "https://news.example.org/feed.xml"
    start = datetime.now(UTC) - timedelta(minutes=5)
    feed, ids = seed_articles(
        live.store,
        count,
        start=start,
        make=lambda i: numbered_article(feed_url, i, start, like=of if i == copy else None),
    )
    match_stored(live)
    assert live.store.get_article(ids[copy]).duplicate_of == ids[of]
    return feed, ids
