"""Sources of a kind: a feed, or a site without one read from its sitemaps. A sitemap source
remembers its child sitemaps and their validators between polls in `source_state`.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("feeds", sa.Column("kind", sa.String(16), nullable=False, server_default="feed"))
    op.add_column("feeds", sa.Column("source_state", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("source_state")
        batch.drop_column("kind")
