"""Unsubscribing keeps the feed's row, marked with when it was removed: its id is never given to
another feed, and the articles readers starred keep their origin. No list shows a removed feed,
and only starred lists show its articles.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from newsdesk.store.coltypes import UTCDateTime

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("feeds", sa.Column("removed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("feeds", "removed_at")
