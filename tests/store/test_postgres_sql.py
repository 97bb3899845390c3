"""The PostgreSQL side, checked without a server: the SQL it would run, rendered by SQLAlchemy's
and Alembic's PostgreSQL dialect."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql

from newsdesk.store.migrate import sql_script
from newsdesk.store.sql import insert_ignore_statement, upsert_statement
from newsdesk.store.tables import entry_keys, site_blocks

PG = postgresql.dialect()


def test_migration_renders_for_postgresql() -> None:
    script = sql_script("postgresql://newsdesk@db/newsdesk")
    assert "CREATE TABLE articles" in script and "CREATE TABLE user_article_state" in script
    assert "USING gin (to_tsvector('simple'" in script  # 0001's index, replaced by 0014's
    assert "CREATE TABLE articles_fts" in script and "USING gin (document)" in script
    assert "fts5" not in script
    assert "CREATE TABLE story_redirects" in script
    assert "UPDATE alembic_version SET version_num='0006'" in script
    assert "TIMESTAMP WITH TIME ZONE" in script and "DEFAULT false" in script
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in script
    sqlite_script = sql_script("sqlite:///newsdesk.db")
    assert "USING fts5" in sqlite_script and "USING gin" not in sqlite_script
    assert sqlite_script.count("PRIMARY KEY AUTOINCREMENT") == 3  # feeds, stories, articles (0008)


def test_conflict_clauses_render_for_postgresql() -> None:
    ignore = str(insert_ignore_statement("postgresql", entry_keys, ["feed_id", "key"]).compile(
        dialect=PG
    ))  # fmt: skip
    assert "ON CONFLICT (feed_id, key) DO NOTHING" in ignore
    update = {"seen_count": site_blocks.c.seen_count + 1, "last_seen": "last_seen"}
    upsert = str(upsert_statement("postgresql", site_blocks, ["site", "block_hash"], update)
                 .compile(dialect=PG))  # fmt: skip
    assert "ON CONFLICT (site, block_hash) DO UPDATE SET" in upsert
    assert "seen_count = (site_blocks.seen_count +" in upsert
    assert "last_seen = excluded.last_seen" in upsert
