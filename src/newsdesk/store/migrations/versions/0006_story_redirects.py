"""Story ids that no longer name a story (merged into another, emptied by moves, renumbered by
a regroup), each with the story its coverage is in now, so an old id redirects, never fails.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # no foreign key: the story an id points at may itself go (its entry is then pointed on)
    op.create_table(
        "story_redirects",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("into_id", sa.Integer(), nullable=False),
    )
    op.create_index("ix_story_redirects_into_id", "story_redirects", ["into_id"])


def downgrade() -> None:
    op.drop_table("story_redirects")
