"""Unread counts kept up to date by the database (SQLite): how many articles each feed holds and
how many of them each reader has read, both in all and among originals (copies of another
article left out). A reader's unread count of a feed is the difference, read in O(feeds)
instead of counting the whole archive on every sync of a feed-reader app.

Triggers keep both tallies as articles are added, deleted, moved between feeds or marked as
copies, and as read marks are set, cleared or deleted. An article's read marks are taken off
before the article goes (BEFORE DELETE): by the time its marks are deleted with it (ON DELETE
CASCADE) its feed can no longer be looked up. PostgreSQL counts from the tables themselves.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORIGINAL = "(coalesce({0}.duplicate_of, 0) = 0)"  # 1 for an original, 0 for a copy


def _original(row: str) -> str:
    return ORIGINAL.format(row)


def _add_feed(row: str, sign: str) -> str:
    """Count `row` (NEW or OLD) in its feed's tally, or take it off (sign '-')."""
    if sign == "+":
        return (
            "INSERT INTO feed_tallies (feed_id, articles, originals) "
            f"SELECT {row}.feed_id, 1, {_original(row)} WHERE {row}.feed_id IS NOT NULL "
            "ON CONFLICT (feed_id) DO UPDATE SET articles = articles + 1, "
            "originals = originals + excluded.originals;"
        )
    return (
        f"UPDATE feed_tallies SET articles = articles - 1, originals = originals - "
        f"{_original(row)} WHERE feed_id = {row}.feed_id;"
    )


def _add_reads(row: str, sign: str, readers: str) -> str:
    """Count article `row` as read in its feed for each of `readers` (a SELECT of user ids)."""
    if sign == "+":
        return (
            "INSERT INTO user_feed_reads (user_id, feed_id, articles, originals) "
            f"SELECT user_id, {row}.feed_id, 1, {_original(row)} FROM ({readers}) "
            f"WHERE {row}.feed_id IS NOT NULL "
            "ON CONFLICT (user_id, feed_id) DO UPDATE SET articles = articles + 1, "
            "originals = originals + excluded.originals;"
        )
    return (
        f"UPDATE user_feed_reads SET articles = articles - 1, originals = originals - "
        f"{_original(row)} WHERE feed_id = {row}.feed_id AND user_id IN ({readers});"
    )


def _mark(state: str, sign: str) -> str:
    """Count the article of read mark `state` (NEW or OLD) for its reader, or take it off; an
    article already deleted counts nowhere (its marks were taken off before it went)."""
    if sign == "+":
        return (
            "INSERT INTO user_feed_reads (user_id, feed_id, articles, originals) "
            f"SELECT {state}.user_id, a.feed_id, 1, {_original('a')} FROM articles a "
            f"WHERE a.id = {state}.article_id AND a.feed_id IS NOT NULL "
            "ON CONFLICT (user_id, feed_id) DO UPDATE SET articles = articles + 1, "
            "originals = originals + excluded.originals;"
        )
    return (
        "UPDATE user_feed_reads SET articles = articles - 1, originals = originals - "
        f"(SELECT {_original('a')} FROM articles a WHERE a.id = {state}.article_id) "
        f"WHERE user_id = {state}.user_id AND feed_id = "
        f"(SELECT a.feed_id FROM articles a WHERE a.id = {state}.article_id);"
    )


def _readers(row: str) -> str:
    return f"SELECT user_id FROM user_article_state WHERE article_id = {row}.id AND read"


MOVED = (
    "OLD.feed_id IS NOT NEW.feed_id OR "
    "coalesce(OLD.duplicate_of, 0) = 0 IS NOT (coalesce(NEW.duplicate_of, 0) = 0)"
)

TRIGGERS = {
    "tally_article_added": ("AFTER INSERT ON articles", None, [_add_feed("NEW", "+")]),
    "tally_article_deleted": (
        "BEFORE DELETE ON articles",
        None,
        [_add_feed("OLD", "-"), _add_reads("OLD", "-", _readers("OLD"))],
    ),
    "tally_article_moved": (
        "AFTER UPDATE OF feed_id, duplicate_of ON articles",
        MOVED,
        [
            _add_feed("OLD", "-"),
            _add_feed("NEW", "+"),
            _add_reads("OLD", "-", _readers("OLD")),
            _add_reads("NEW", "+", _readers("NEW")),
        ],
    ),
    "tally_mark_added": ("AFTER INSERT ON user_article_state", "NEW.read", [_mark("NEW", "+")]),
    "tally_mark_read": (
        "AFTER UPDATE OF read ON user_article_state",
        "NEW.read AND NOT OLD.read",
        [_mark("NEW", "+")],
    ),
    "tally_mark_unread": (
        "AFTER UPDATE OF read ON user_article_state",
        "OLD.read AND NOT NEW.read",
        [_mark("NEW", "-")],
    ),
    "tally_mark_deleted": ("AFTER DELETE ON user_article_state", "OLD.read", [_mark("OLD", "-")]),
}


def _create_triggers() -> None:
    for name, (event, when, statements) in TRIGGERS.items():
        condition = f" WHEN {when}" if when else ""
        body = "\n  ".join(statements)
        op.execute(f"CREATE TRIGGER {name} {event} FOR EACH ROW{condition}\nBEGIN\n  {body}\nEND")


def upgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    op.create_table(
        "feed_tallies",
        sa.Column(
            "feed_id", sa.Integer(), sa.ForeignKey("feeds.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("articles", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("originals", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )  # fmt: skip
    op.create_table(
        "user_feed_reads",
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "feed_id", sa.Integer(), sa.ForeignKey("feeds.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("articles", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("originals", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("user_id", "feed_id"),
    )  # fmt: skip
    op.execute(
        "INSERT INTO feed_tallies (feed_id, articles, originals) "
        f"SELECT feed_id, count(*), sum({_original('articles')}) FROM articles "
        "WHERE feed_id IS NOT NULL GROUP BY feed_id"
    )
    op.execute(
        "INSERT INTO user_feed_reads (user_id, feed_id, articles, originals) "
        f"SELECT s.user_id, a.feed_id, count(*), sum({_original('a')}) "
        "FROM user_article_state s JOIN articles a ON a.id = s.article_id "
        "WHERE s.read AND a.feed_id IS NOT NULL GROUP BY s.user_id, a.feed_id"
    )
    _create_triggers()


def downgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("user_feed_reads")
    op.drop_table("feed_tallies")
