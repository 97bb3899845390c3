"""Site icons: each feed's site icon, fetched with the feed's poll and kept here, so the sync
APIs (Fever favicons, Google Reader iconUrl) and the reader serve it from newsdesk itself.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from newsdesk.store.coltypes import UTCDateTime

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_icons",
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(40), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("digest", sa.String(64), nullable=True),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("site", name=op.f("pk_site_icons")),
        sa.UniqueConstraint("key", name=op.f("uq_site_icons_key")),
    )


def downgrade() -> None:
    op.drop_table("site_icons")
