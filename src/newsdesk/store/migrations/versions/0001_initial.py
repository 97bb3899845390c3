"""Initial schema: feeds, articles, entry keys, stories, users, reading state, tokens, site blocks,
and the full-text index (FTS5 on SQLite, a GIN expression index on PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# CJK runs are split into single characters before indexing (newsdesk.store.fts), so unicode61
# sees one token per character there and words elsewhere; remove_diacritics 2 folds accents.
FTS_CREATE = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)
PG_SEARCH_INDEX = (
    "CREATE INDEX ix_articles_search ON articles USING gin ("
    "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, '')))"
)


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("user_title", sa.Text(), nullable=True),
        sa.Column("site_url", sa.Text(), nullable=True),
        sa.Column("folder", sa.Text(), nullable=True),
        sa.Column("icon_url", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_fetch_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("error_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("licensed_full_text", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds")),
        sa.UniqueConstraint("url_key", name=op.f("uq_feeds_url_key")),
    )
    op.create_index("ix_feeds_folder", "feeds", ["folder"])
    op.create_index("ix_feeds_next_fetch_at", "feeds", ["next_fetch_at"])

    op.create_table(
        "site_blocks",
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("block_hash", sa.String(length=64), nullable=False),
        sa.Column("seen_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site", "block_hash", name=op.f("pk_site_blocks")),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("outlet_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("api_password_hash", sa.Text(), nullable=True),
        sa.Column("fever_api_key", sa.String(length=32), nullable=True),
        sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("fever_api_key", name=op.f("uq_users_fever_api_key")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])

    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("guid", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_key", sa.Text(), nullable=False),
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("published", sa.String(length=64), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("site_name", sa.Text(), nullable=True),
        sa.Column("image", sa.Text(), nullable=True),
        sa.Column("image_caption", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("html", sa.Text(), server_default="", nullable=False),
        sa.Column("method", sa.String(length=40), server_default="", nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sort_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("copies", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["articles.id"],
            name=op.f("fk_articles_duplicate_of_articles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name=op.f("fk_articles_feed_id_feeds"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_articles_story_id_stories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("url_key", name=op.f("uq_articles_url_key")),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])
    op.create_index("ix_articles_feed_id_sort_at_id", "articles", ["feed_id", "sort_at", "id"])
    op.create_index("ix_articles_fetched_at", "articles", ["fetched_at"])
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_sort_at_id", "articles", ["sort_at", "id"])
    op.create_index("ix_articles_source_key", "articles", ["source_key"])
    op.create_index("ix_articles_story_id_sort_at_id", "articles", ["story_id", "sort_at", "id"])

    op.create_table(
        "entry_keys",
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_entry_keys_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name=op.f("fk_entry_keys_feed_id_feeds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("feed_id", "key", name=op.f("pk_entry_keys")),
    )
    op.create_index("ix_entry_keys_article_id", "entry_keys", ["article_id"])

    op.create_table(
        "user_article_state",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("read", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("starred", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("starred_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_user_article_state_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_article_state_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "article_id", name=op.f("pk_user_article_state")),
    )
    op.create_index("ix_user_article_state_article_id", "user_article_state", ["article_id"])
    op.create_index(
        "ix_user_article_state_user_id_starred", "user_article_state", ["user_id", "starred"]
    )

    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute(FTS_CREATE)
    elif dialect == "postgresql":
        op.execute(PG_SEARCH_INDEX)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.drop_index("ix_user_article_state_user_id_starred", table_name="user_article_state")
    op.drop_index("ix_user_article_state_article_id", table_name="user_article_state")

    op.drop_table("user_article_state")
    op.drop_index("ix_entry_keys_article_id", table_name="entry_keys")

    op.drop_table("entry_keys")
    op.drop_index("ix_articles_story_id_sort_at_id", table_name="articles")
    op.drop_index("ix_articles_source_key", table_name="articles")
    op.drop_index("ix_articles_sort_at_id", table_name="articles")
    op.drop_index("ix_articles_published_at", table_name="articles")
    op.drop_index("ix_articles_fetched_at", table_name="articles")
    op.drop_index("ix_articles_feed_id_sort_at_id", table_name="articles")
    op.drop_index("ix_articles_duplicate_of", table_name="articles")
    op.drop_index("ix_articles_content_hash", table_name="articles")

    op.drop_table("articles")
    op.drop_index("ix_api_tokens_user_id", table_name="api_tokens")

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_index("ix_stories_last_seen", table_name="stories")

    op.drop_table("stories")
    op.drop_table("site_blocks")
    op.drop_index("ix_feeds_next_fetch_at", table_name="feeds")
    op.drop_index("ix_feeds_folder", table_name="feeds")

    op.drop_table("feeds")
