"""Articles read from web archives: each keeps the id of its WARC record, and each archive file
read keeps how far it was read, so a run that stopped goes on from there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from newsdesk.store.coltypes import UTCDateTime

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("warc_record_id", sa.Text(), nullable=True))
    op.create_table(
        "archive_files",
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("records_done", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("path", name=op.f("pk_archive_files")),
    )


def downgrade() -> None:
    op.drop_table("archive_files")
    op.drop_column("articles", "warc_record_id")
