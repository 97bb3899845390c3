"""The tables, in SQLAlchemy Core. Names are part of the store's interface (docs/store.md).

The SQLite full-text table ``articles_fts`` is not declared here: it is a virtual table created
by the migrations and written by ``fts.py``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    false,
    text,
)

from newsdesk.store.coltypes import UTCDateTime

# Constraint names that are the same on every database, so later migrations can refer to them.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("url_key", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("user_title", Text),
    Column("site_url", Text),
    Column("folder", Text),
    Column("icon_url", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_fetched_at", UTCDateTime),
    Column("next_fetch_at", UTCDateTime),
    Column("interval_seconds", Integer),
    Column("last_error", Text),
    Column("error_count", Integer, nullable=False, server_default=text("0")),
    Column("retired", Boolean, nullable=False, server_default=false()),
    Column("paused", Boolean, nullable=False, server_default=false()),
    Column("licensed_full_text", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
    # set when the feed is unsubscribed: the row stays, so its id is never given to another
    # feed and starred articles keep their origin, but no list shows it or its articles
    Column("removed_at", UTCDateTime),
    # "feed", or "sitemap": a site without a feed, read from its sitemaps (migration 0012)
    Column("kind", String(16), nullable=False, server_default="feed"),
    # a sitemap source's memory between polls: its child sitemaps and their validators
    Column("source_state", JSON),
    # a worker polling the feed (`newsdesk worker`), until when; free once the poll is recorded
    Column("lease_owner", Text),
    Column("lease_until", UTCDateTime),
    Index("ix_feeds_next_fetch_at", "next_fetch_at"),
    Index("ix_feeds_folder", "folder"),
    sqlite_autoincrement=True,  # an id is never given twice (migration 0009)
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False, server_default=""),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("article_count", Integer, nullable=False, server_default=text("0")),
    Column("outlet_count", Integer, nullable=False, server_default=text("0")),
    Index("ix_stories_last_seen", "last_seen"),
    sqlite_autoincrement=True,
)

# Story ids that no longer name a story, each with the story its coverage is in now: an old id
# (a bookmark, an API client's, a feed subscription's) redirects there.
story_redirects = Table(
    "story_redirects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("into_id", Integer, nullable=False),
    Index("ix_story_redirects_into_id", "into_id"),
)

# Articles per outlet of each story: a join updates one row, not an aggregate over the story.
story_outlets = Table(
    "story_outlets",
    metadata,
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("outlet", Text, nullable=False),
    Column("articles", Integer, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("story_id", "outlet"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="SET NULL")),
    Column("guid", Text),
    Column("url", Text, nullable=False),
    Column("url_key", Text, nullable=False, unique=True),  # key of canonical_url, else of url
    Column("source_key", Text, nullable=False),  # key of url itself, to find an article by either
    Column("canonical_url", Text),
    Column("title", Text),
    Column("authors", JSON, nullable=False),
    Column("published", String(64)),  # ISO 8601 with the page's own offset
    Column("published_at", UTCDateTime),
    Column("updated", String(64)),
    Column("language", String(35)),
    Column("site_name", Text),
    Column("image", Text),
    Column("image_caption", Text),
    Column("description", Text),
    Column("text", Text, nullable=False, server_default=""),
    Column("html", Text, nullable=False, server_default=""),
    Column("method", String(40), nullable=False, server_default=""),
    Column("fetched_at", UTCDateTime, nullable=False),
    # published_at, or fetched_at when there is none or it lies in the future: the reading order
    Column("sort_at", UTCDateTime, nullable=False),
    Column("content_hash", String(64)),
    Column("duplicate_of", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    Column("copies", Integer, nullable=False, server_default=text("0")),
    Column("signature", LargeBinary),  # newsdesk.match.dedup.Signature, for rebuilding the index
    Column("matched_at", UTCDateTime),  # NULL: stored but not yet matched
    Column("warc_record_id", Text),  # the WARC record an archived page came from (migration 0010)
    Index("ix_articles_published_at", "published_at"),
    Index("ix_articles_fetched_at", "fetched_at"),
    Index("ix_articles_sort_at_id", "sort_at", "id"),
    Index("ix_articles_feed_id_sort_at_id", "feed_id", "sort_at", "id"),
    Index("ix_articles_story_id_sort_at_id", "story_id", "sort_at", "id"),
    Index("ix_articles_source_key", "source_key"),
    Index("ix_articles_duplicate_of", "duplicate_of"),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_matched_at", "matched_at"),
    Index("ix_articles_language", "language"),
    sqlite_autoincrement=True,
)

entry_keys = Table(
    "entry_keys",
    metadata,
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("feed_id", "key"),
    Index("ix_entry_keys_article_id", "article_id"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("api_password_hash", Text),
    Column("fever_api_key", String(32), unique=True),
    Column("is_admin", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
)

user_article_state = Table(
    "user_article_state",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("read", Boolean, nullable=False, server_default=false()),
    Column("starred", Boolean, nullable=False, server_default=false()),
    Column("read_at", UTCDateTime),
    Column("starred_at", UTCDateTime),
    PrimaryKeyConstraint("user_id", "article_id"),
    Index("ix_user_article_state_article_id", "article_id"),
    Index("ix_user_article_state_user_id_starred", "user_id", "starred"),
)

# Each reader's reading settings (newsdesk.model.ReadingSettings), one row per setting changed
# from its default (migration 0009): a new setting needs no new column.
user_settings = Table(
    "user_settings",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("value", Text, nullable=False),
    PrimaryKeyConstraint("user_id", "name"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Index("ix_api_tokens_user_id", "user_id"),
)

# Signed-in browsers: the cookie carries a random key, the table its SHA-256 (migration 0007).
# Deleting a row ends that session at once, in every web worker.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("user_agent", Text, nullable=False, server_default=""),
    Column("address", Text, nullable=False, server_default=""),
    Index("ix_web_sessions_user_id", "user_id"),
)

# Failed credential checks (migration 0013): the one throttle of every web process reads and
# writes them here, so N processes allow what one does. `key` names the address, or the address
# and account; `failed_at` is Unix time (processes share no monotonic clock). Rows older than
# the throttle's window are deleted as new failures come.
credential_failures = Table(
    "credential_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),
    Column("failed_at", Float, nullable=False),
    Index("ix_credential_failures_key_failed_at", "key", "failed_at"),
    Index("ix_credential_failures_failed_at", "failed_at"),
)

# The archive files `newsdesk archive` has read, and how far (migration 0010): a run that stopped
# goes on after the last record whose articles are stored. A file of another size starts over.
archive_files = Table(
    "archive_files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("records_done", Integer, nullable=False, server_default=text("0")),
    Column("finished_at", UTCDateTime),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Each site's icon (feeds name their site by its origin): fetched with the feed's poll, kept
# here and served from newsdesk's own address (migration 0011). `data` is NULL when the site
# had none; `checked_at` says when it was last looked for.
site_icons = Table(
    "site_icons",
    metadata,
    Column("site", Text, primary_key=True),
    Column("key", String(32), nullable=False, unique=True),
    Column("url", Text),
    Column("content_type", String(40)),
    Column("data", LargeBinary),
    Column("digest", String(64)),
    Column("checked_at", UTCDateTime, nullable=False),
)

# Per host (hostname:port), the earliest moment (Unix seconds) the next request may start: the
# spacing every worker keeps together (migration 0015).
host_turns = Table(
    "host_turns",
    metadata,
    Column("host", Text, nullable=False),
    Column("next_at", Float, nullable=False),
    PrimaryKeyConstraint("host"),
)

site_blocks = Table(
    "site_blocks",
    metadata,
    Column("site", Text, nullable=False),
    Column("block_hash", String(64), nullable=False),
    Column("seen_count", Integer, nullable=False, server_default=text("0")),
    Column("last_seen", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("site", "block_hash"),
)
