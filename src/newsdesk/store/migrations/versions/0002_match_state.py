"""Matching state of each article: its duplicate signature and when it was matched.

An article saved but not yet matched (matched_at NULL, e.g. a process killed between the two)
is matched on the next run.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from newsdesk.store.coltypes import UTCDateTime

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("signature", sa.LargeBinary(), nullable=True))
    op.add_column("articles", sa.Column("matched_at", UTCDateTime(), nullable=True))
    op.create_index("ix_articles_matched_at", "articles", ["matched_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_matched_at", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("matched_at")
        batch.drop_column("signature")
