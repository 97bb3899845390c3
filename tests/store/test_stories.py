from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.model import Article
from newsdesk.store import Store

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def save(store: Store, url: str, site: str, hours: int) -> int:
    article = Article(url=url, site_name=site, title="Flood")
    return store.save_article(article, fetched_at=NOW - timedelta(hours=hours))[0]


def test_story_membership_and_counts(store: Store) -> None:
    a = save(store, "https://one.example/flood", "One", 5)
    b = save(store, "https://two.example/flood", "Two", 3)
    c = save(store, "https://one.example/flood-update", "One", 1)
    story = store.create_story("Floods in the north", first_seen=NOW)
    for article_id in (a, b, c):
        store.set_story(article_id, story)
    got = store.get_story(story)
    assert got.article_ids == [a, b, c] and got.outlets == ["One", "Two"]
    assert got.first_seen == NOW - timedelta(hours=5) and got.last_seen == NOW - timedelta(hours=1)
    assert [s.id for s in store.list_articles(story_id=story)] == [c, b, a]
    store.set_story(b, None)
    assert store.get_story(story).outlets == ["One"]
    assert [s.id for s in store.list_stories()] == [story]
    with pytest.raises(NotFoundError):
        store.set_story(a, story + 1)


def test_duplicates_count_their_copies(store: Store) -> None:
    original = save(store, "https://wire.example/x", "Wire", 3)
    copy1 = save(store, "https://one.example/x", "One", 2)
    copy2 = save(store, "https://two.example/x", "Two", 1)
    store.set_duplicate(copy1, original)
    store.set_duplicate(copy2, original)
    assert store.get_article(original).copies == 2
    assert store.get_article(copy1).duplicate_of == original
    ids = [s.id for s in store.list_articles(originals_only=True)]
    assert ids == [original]
    store.set_duplicate(copy2, None)
    assert store.get_article(original).copies == 1
    with pytest.raises(ValueError):
        store.set_duplicate(original, original)
