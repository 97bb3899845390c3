from __future__ import annotations

import sqlite3
from pathlib import Path

from setuptools import find_packages
from sqlalchemy import inspect

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.store.migrate import MIGRATIONS, head_revision

TABLES = {
    "feeds",
    "entry_keys",
    "articles",
    "articles_fts",
    "stories",
    "users",
    "user_article_state",
    "api_tokens",
    "site_blocks",
    "story_redirects",
    "archive_files",
    "host_turns",
}


def test_open_creates_data_dir_and_migrates_from_empty(settings: Settings) -> None:
    assert not settings.data_dir.exists()
    store = Store.open(settings)
    try:
        assert (settings.data_dir / "newsdesk.db").is_file()
        assert store.schema_revision() == head_revision() == "0015"
        names = set(inspect(store.engine).get_table_names())
        assert names >= TABLES
    finally:
        store.close()


def test_reopening_is_a_no_op(settings: Settings) -> None:
    with Store.open(settings) as first:
        first.add_feed("https://example.com/feed")
    with Store.open(settings) as second:
        assert second.schema_revision() == head_revision()
        assert [f.url for f in second.list_feeds()] == ["https://example.com/feed"]


def test_pragmas_on_every_connection(settings: Settings) -> None:
    with Store.open(settings) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    # WAL is a property of the file: a plain sqlite3 connection sees it too
    raw = sqlite3.connect(settings.data_dir / "newsdesk.db")
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_fts_table_is_fts5_of_the_tokens_newsdesk_makes(store: Store) -> None:
    with store.engine.connect() as conn:
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'"
        ).scalar()
    # the tokens come folded and stemmed from store.words: the tokenizer only splits them
    assert "fts5(title, body, lang," in sql and "remove_diacritics 0" in sql


def test_migrations_ship_inside_the_package() -> None:
    # setuptools packs package folders only: migrations/ and versions/ must be packages
    found = find_packages(str(Path(__file__).resolve().parents[2] / "src"))
    assert {"newsdesk.store.migrations", "newsdesk.store.migrations.versions"} <= set(found)
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()
