"""Ids never given twice: on SQLite the feeds, articles and stories tables become AUTOINCREMENT
tables, so a new row never takes the id of the highest row that was removed (without it SQLite
hands out the largest id in use plus one). Apps cache by feed and item id, and an old story id
redirects to the story it went into (the stories' counter starts above every old id).
PostgreSQL's sequences never go back: nothing to do there.

Each table is rebuilt (SQLite cannot add AUTOINCREMENT to a table): its rows with their ids, its
indexes and constraints are kept, and the unread tallies' triggers (0004) are made again. The
migrations run with foreign key enforcement off, as SQLite asks for a table rebuild (dropping
the old copy would otherwise delete every row that refers to it), and are checked with
foreign_key_check before they are committed (newsdesk.store.migrate).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module

from alembic import context, op

from newsdesk.store import tables

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("feeds", "stories", "articles")
# the unread tallies' triggers (0004): one names a table being rebuilt, which stops the renaming
TALLIES = import_module("newsdesk.store.migrations.versions.0004_unread_tallies")


def _rebuild(autoincrement: bool) -> None:
    """Each table made again with the keyword, its rows and indexes copied; the triggers
    dropped first and made again after."""
    if op.get_context().dialect.name != "sqlite":
        return
    for name in TALLIES.TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    offline = context.is_offline_mode()  # a script: the tables as newsdesk declares them
    for table in TABLES:
        with op.batch_alter_table(
            table,
            recreate="always",
            table_kwargs={"sqlite_autoincrement": autoincrement},
            copy_from=tables.metadata.tables[table] if offline else None,
        ):
            pass
    TALLIES._create_triggers()
    if autoincrement:  # a story's id stays taken by its redirect (0006) after the story goes
        op.execute("DELETE FROM sqlite_sequence WHERE name = 'stories'")
        op.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'stories', max("
            "(SELECT coalesce(max(id), 0) FROM stories), "
            "(SELECT coalesce(max(id), 0) FROM story_redirects))"
        )


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
