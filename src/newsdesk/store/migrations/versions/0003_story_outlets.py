"""How many articles each outlet gave each story, so a story's counts follow each join in
O(log n) instead of re-aggregating all its articles.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_outlets",
        sa.Column(
            "story_id",
            sa.Integer(),
            sa.ForeignKey("stories.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("outlet", sa.Text(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("story_id", "outlet"),
    )
    # the outlet as the store names it: the site's name, else the host part of the URL key
    if op.get_bind().dialect.name == "postgresql":
        host = "split_part(url_key, '/', 1)"
    else:
        host = "substr(url_key, 1, instr(url_key, '/') - 1)"
    op.execute(
        "INSERT INTO story_outlets (story_id, outlet, articles) "
        f"SELECT story_id, coalesce(site_name, {host}), count(*) FROM articles "
        f"WHERE story_id IS NOT NULL GROUP BY story_id, coalesce(site_name, {host})"
    )


def downgrade() -> None:
    op.drop_table("story_outlets")
