"""Failed credential checks kept in the store, so one throttle holds across web processes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credential_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("failed_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_failures")),
    )
    op.create_index(
        "ix_credential_failures_key_failed_at", "credential_failures", ["key", "failed_at"]
    )
    op.create_index("ix_credential_failures_failed_at", "credential_failures", ["failed_at"])


def downgrade() -> None:
    op.drop_index("ix_credential_failures_failed_at", table_name="credential_failures")
    op.drop_index("ix_credential_failures_key_failed_at", table_name="credential_failures")
    op.drop_table("credential_failures")
