"""Several pollers on one database: feed leases and shared host turns.

A worker claims a due feed by writing its name and a lease expiry on the feed's row; a lease
that runs out (its worker killed) lets another worker take the feed. host_turns holds, per
host, the earliest moment the next request may start, so spacing holds across all workers.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from newsdesk.store.coltypes import UTCDateTime

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("feeds", sa.Column("lease_owner", sa.Text(), nullable=True))
    op.add_column("feeds", sa.Column("lease_until", UTCDateTime(), nullable=True))
    op.create_table(
        "host_turns",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_host_turns")),
    )


def downgrade() -> None:
    op.drop_table("host_turns")
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
