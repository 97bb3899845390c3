from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.model import Article
from newsdesk.store import CursorError, Store, next_cursor

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def test_keyset_pages_have_no_gaps_or_overlaps(store: Store) -> None:
    feed, _ = store.add_feed("https://n.example/feed", folder="World")
    other, _ = store.add_feed("https://o.example/feed")
    expected = []
    for number in range(57):
        # groups of articles share one publication time, so ties are broken by id
        published = NOW - timedelta(hours=number // 4)
        article_id, _ = store.save_article(
            Article(url=f"https://n.example/{number}", published=published),
            feed_id=feed.id,
            fetched_at=NOW,
        )
        expected.append((published, article_id))
    store.save_article(Article(url="https://o.example/x"), feed_id=other.id, fetched_at=NOW)
    expected.sort(key=lambda pair: (pair[0], pair[1]), reverse=True)

    seen: list[int] = []
    cursor = None
    while True:
        page = store.list_articles(feed_id=feed.id, limit=10, after=cursor)
        if not page:
            break
        seen.extend(item.id for item in page)
        cursor = next_cursor(page)
    assert seen == [article_id for _, article_id in expected]
    assert [i.id for i in store.list_articles(folder="World", limit=100)] == seen
    assert len(store.list_articles(limit=100)) == 58


def test_paging_survives_new_articles_arriving(store: Store) -> None:
    for number in range(10):
        store.save_article(
            Article(url=f"https://n.example/{number}"), fetched_at=NOW - timedelta(minutes=number)
        )
    first = store.list_articles(limit=5)
    store.save_article(Article(url="https://n.example/new"), fetched_at=NOW + timedelta(minutes=1))
    second = store.list_articles(limit=5, after=next_cursor(first))
    ids = [i.id for i in first + second]
    assert len(set(ids)) == 10 and store.find_article_by_url("https://n.example/new") not in ids


def test_list_filters(store: Store) -> None:
    a, _ = store.save_article(Article(url="https://n.example/a", language="en"), fetched_at=NOW)
    b, _ = store.save_article(
        Article(url="https://n.example/b", language="fr"), fetched_at=NOW - timedelta(days=2)
    )
    assert [i.id for i in store.list_articles(language="fr")] == [b]
    assert [i.id for i in store.list_articles(since=NOW - timedelta(days=1))] == [a]
    assert [i.id for i in store.list_articles(until=NOW - timedelta(days=1))] == [b]


def test_bad_cursor_is_a_clear_error(store: Store) -> None:
    with pytest.raises(CursorError, match="invalid page cursor"):
        store.list_articles(after="not-a-cursor")


def test_deep_pages_use_the_keyset_index(store: Store) -> None:
    with store.engine.connect() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE (sort_at, id) < (?, ?) "
                "ORDER BY sort_at DESC, id DESC LIMIT 50",
                ("2025-01-01 00:00:00.000000", 5),
            )
        )
        feed_plan = " ".join(
            str(row[-1])
            for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE feed_id = ? AND "
                "(sort_at, id) < (?, ?) ORDER BY sort_at DESC, id DESC LIMIT 50",
                (1, "2025-01-01 00:00:00.000000", 5),
            )
        )
    assert "ix_articles_sort_at_id" in plan and "TEMP B-TREE" not in plan
    assert "ix_articles_feed_id_sort_at_id" in feed_plan and "TEMP B-TREE" not in feed_plan


def test_paging_by_id_and_newest_times(store: Store) -> None:
    feed, _ = store.add_feed("https://n.example/feed")
    ids = [
        store.save_article(Article(url=f"https://n.example/{n}"), feed_id=feed.id,
                           fetched_at=NOW - timedelta(hours=n))[0]
        for n in range(6)
    ]  # fmt: skip
    above = store.list_articles(above_id=ids[1], limit=3, oldest_first=True, by_id=True)
    assert [a.id for a in above] == ids[2:5]
    assert [a.id for a in store.list_articles(below_id=ids[3], limit=10, by_id=True)] == ids[2::-1]
    assert store.newest_article_times() == {feed.id: NOW}
    assert [a.id for a in store.get_articles([ids[4], 12345, ids[0]])] == [ids[4], ids[0]]
