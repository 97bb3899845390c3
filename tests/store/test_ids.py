"""Ids are never given twice: a feed, story or article made after the highest one was removed
gets a new id (SQLite AUTOINCREMENT from migration 0008, PostgreSQL sequences), and a store
upgraded to 0008 keeps every row, index, trigger and reference it had."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.tables import articles, feeds, stories

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


# A store as revision 0007 wrote it (the schema of that day, so written in its SQL): a reader,
# a feed in a folder with four articles (two read, one starred, entry keys, one in a story) and
# an unsubscribed feed whose one article the reader starred.
AT_0007 = """
INSERT INTO users (id, username, password_hash, is_admin, created_at)
    VALUES (1, 'reader', 'hash', 0, '2026-03-01 12:00:00.000000');
INSERT INTO feeds (id, url, url_key, title, folder, error_count, retired, paused, created_at,
                   removed_at)
    VALUES (1, 'https://news.example/rss', 'news.example/rss', 'News', 'World', 0, 0, 0,
            '2026-03-01 12:00:00.000000', NULL),
           (2, 'https://gone.example/rss', 'gone.example/rss', 'Gone', NULL, 0, 0, 0,
            '2026-03-01 12:00:00.000000', '2026-03-02 12:00:00.000000');
INSERT INTO stories (id, title, first_seen, last_seen, article_count, outlet_count)
    VALUES (1, 'Flood', '2026-03-01 12:00:00.000000', '2026-03-01 12:00:00.000000', 1, 1);
INSERT INTO articles (id, feed_id, url, url_key, source_key, title, authors, text, fetched_at,
                      sort_at, story_id)
    VALUES (1, 1, 'https://n.example/n0', 'n.example/n0', 'n.example/n0', 'Story n0', '[]',
            'Text of n0.', '2026-03-01 12:00:00.000000', '2026-03-01 12:00:00.000000', 1),
           (2, 1, 'https://n.example/n1', 'n.example/n1', 'n.example/n1', 'Story n1', '[]',
            'Text of n1.', '2026-03-01 11:00:00.000000', '2026-03-01 11:00:00.000000', NULL),
           (3, 1, 'https://n.example/n2', 'n.example/n2', 'n.example/n2', 'Story n2', '[]',
            'Text of n2.', '2026-03-01 10:00:00.000000', '2026-03-01 10:00:00.000000', NULL),
           (4, 1, 'https://n.example/n3', 'n.example/n3', 'n.example/n3', 'Story n3', '[]',
            'Text of n3.', '2026-03-01 09:00:00.000000', '2026-03-01 09:00:00.000000', NULL),
           (5, 2, 'https://n.example/g', 'n.example/g', 'n.example/g', 'Story g', '[]',
            'Text of g.', '2026-03-01 12:00:00.000000', '2026-03-01 12:00:00.000000', NULL);
INSERT INTO articles_fts (rowid, title, body)
    SELECT id, title, text FROM articles;
INSERT INTO entry_keys (feed_id, key, article_id) VALUES (1, 'k0', 1), (1, 'k3', 4);
INSERT INTO user_article_state (user_id, article_id, read, starred)
    VALUES (1, 1, 1, 0), (1, 2, 1, 1), (1, 5, 0, 1);
"""


def test_upgrade_to_0008_keeps_everything(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    old = Store(settings.resolved_database_url)
    old.migrate("0007")
    old.close()
    raw = sqlite3.connect(settings.data_dir / "newsdesk.db")
    raw.execute("PRAGMA foreign_keys=ON")
    raw.executescript(AT_0007)
    raw.close()

    store = Store.open(settings)  # to the newest revision, through 0008
    ids = [1, 2, 3, 4]
    feeds_kept = sorted((f.id, f.url, f.folder) for f in store.list_feeds(with_removed=True))
    assert feeds_kept == [(1, "https://news.example/rss", "World"),
                          (2, "https://gone.example/rss", None)]  # fmt: skip
    reader = store.find_user("reader")
    assert store.unread_counts(reader.id)[1] == 2  # the tallies the triggers kept
    states = store.article_states(reader.id, [*ids, 5])
    assert {i for i, (read, _) in states.items() if read} == {1, 2}
    assert {i for i, (_, starred) in states.items() if starred} == {2, 5}
    assert store.known_entries(1, ["k0", "k3"]).seen == {"k0": 1, "k3": 4}
    assert store.get_story(1).article_ids == [1]
    found = {s.id for s, _ in store.search("story", user_id=reader.id)}
    assert found == {1, 2, 3, 4, 5}  # 5: its feed is gone, but the reader starred it
    # the unread tallies' triggers still run, and foreign keys are enforced again
    store.set_read(reader.id, ids[2:3])
    assert store.unread_counts(reader.id)[1] == 1
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
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
