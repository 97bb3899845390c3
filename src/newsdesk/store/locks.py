"""PostgreSQL advisory locks newsdesk takes, each keyed by its purpose and by the schema (so
stores in other schemas of one database never wait for each other).

SQLite needs none of these: it lets one writer in at a time (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

MATCHER = 28260  # the matcher role, held by one process for as long as it matches
MIGRATING = 28261  # migrating the schema: processes starting together take turns
SAVING = 28262  # storing new articles: ids are given in the order they are committed
KEY = "hashtext(current_schema())"


def lock_transaction(conn: Connection, purpose: int) -> None:
    """Wait for the lock `purpose` (one of the above), held until the transaction ends; a
    no-op on SQLite."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT pg_advisory_xact_lock(:purpose, {KEY})"), {"purpose": purpose})
