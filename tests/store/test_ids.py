"""Ids are never given twice: a feed, story or article made after the highest one was removed
gets a new id (SQLite AUTOINCREMENT from migration 0008, PostgreSQL sequences), and a store
upgraded to 0008 keeps every row, index, trigger and reference it had."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.tables import articles, feeds, stories
from tests.store.matches import record_match

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def article(name: str, feed_url: str = "https://n.example/rss") -> Article:
    return Article(url=f"https://n.example/{name}", title=f"Story {name}", text=f"Text of {name}.",
                   published=NOW, language="en")  # fmt: skip


def remove_highest(store: Store, table: object) -> int:
    """Delete the row with the highest id (as a clean-up or a hand edit might) and give its id."""
    with store.engine.begin() as conn:
        highest = conn.execute(select(func.max(table.c.id))).scalar_one()  # type: ignore[attr-defined]
        conn.execute(delete(table).where(table.c.id == highest))  # type: ignore[attr-defined]
    return highest


def check_ids_not_reused(store: Store) -> None:
    first, _ = store.add_feed("https://one.example/rss")
    second, _ = store.add_feed("https://two.example/rss")
    a, _ = store.save_article(article("a"), feed_id=first.id, fetched_at=NOW)
    b, _ = store.save_article(article("b"), feed_id=second.id, fetched_at=NOW)
    story_a = store.create_story("A", first_seen=NOW)
    story_b = store.create_story("B", first_seen=NOW)
    assert remove_highest(store, articles) == b
    assert remove_highest(store, stories) == story_b
    assert remove_highest(store, feeds) == second.id
    third, _ = store.add_feed("https://three.example/rss")
    assert third.id > second.id
    c, _ = store.save_article(article("c"), feed_id=third.id, fetched_at=NOW)
    assert c > b
    assert store.create_story("C", first_seen=NOW) > story_b > story_a


def test_ids_never_reused(either_store: Store) -> None:
    check_ids_not_reused(either_store)


def test_upgrade_to_0008_keeps_everything(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    store = Store(settings.resolved_database_url)
    store.migrate("0007")
    reader = store.create_user("reader", "hash")
    news, _ = store.add_feed("https://news.example/rss", title="News", folder="World")
    gone, _ = store.add_feed("https://gone.example/rss", title="Gone")
    ids = [
        store.save_article(article(f"n{i}"), feed_id=news.id, fetched_at=NOW - timedelta(hours=i),
                           guid=f"g{i}", entry_keys=[f"k{i}"])[0]
        for i in range(4)
    ]  # fmt: skip
    gone_id, _ = store.save_article(article("g"), feed_id=gone.id, fetched_at=NOW)
    story = store.create_story("Flood", first_seen=NOW)
    record_match(store, ids[0], story)
    store.set_read(reader.id, ids[:2])
    store.set_starred(reader.id, [ids[1], gone_id])
    store.delete_feed(gone.id)

    def snapshot() -> dict[str, object]:
        return {
            "feeds": [(f.id, f.url, f.folder, f.title)
                      for f in store.list_feeds(with_removed=True)],
            "unread": store.unread_counts(reader.id),
            "states": store.article_states(reader.id, [*ids, gone_id]),
            "known": store.known_entries(news.id, ["k0", "k3"]).seen,
            "story": store.get_story(story).article_ids,
            "search": {s.id for s, _ in store.search("story", user_id=reader.id)},
        }  # fmt: skip

    before = snapshot()
    store.migrate("0008")
    assert store.schema_revision() == "0008"
    after = snapshot()
    assert after == before
    assert before["unread"][news.id] == 2 and before["known"] == {"k0": ids[0], "k3": ids[3]}
    # the unread tallies' triggers still run, and foreign keys are enforced again
    store.set_read(reader.id, ids[2:3])
    assert store.unread_counts(reader.id)[news.id] == 1
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    store.close()
    raw = sqlite3.connect(settings.data_dir / "newsdesk.db")
    try:
        for table in ("feeds", "articles", "stories"):
            sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
            assert "AUTOINCREMENT" in sql[0], table
        named = raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        indexes = {row[0] for row in named}
        assert {
            "ix_articles_feed_id_sort_at_id",
            "ix_feeds_folder",
            "ix_stories_last_seen",
        } <= indexes
        triggers = raw.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        assert triggers.fetchone()[0] == 7
    finally:
        raw.close()
    with Store.open(settings) as reopened:
        check_ids_not_reused(reopened)
