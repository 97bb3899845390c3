"""The few statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def _insert(conn: Connection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"newsdesk supports SQLite and PostgreSQL, not {conn.dialect.name}")


def insert_ignore(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Iterable[str]
) -> None:
    """Insert the rows whose key is not there yet; leave existing rows untouched."""
    if rows:
        conn.execute(_insert(conn, table).on_conflict_do_nothing(index_elements=list(keys)), rows)


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Iterable[str],
    update: dict[str, Any],
) -> None:
    """Insert the rows; where the key exists, apply `update` (values or expressions) instead.

    In `update`, a string value names a column of the proposed row (``excluded.<name>``).
    """
    if not rows:
        return
    statement = _insert(conn, table)
    set_ = {
        name: statement.excluded[value] if isinstance(value, str) else value
        for name, value in update.items()
    }
    conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=set_), rows)
