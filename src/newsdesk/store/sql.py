"""The few statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def _insert(dialect: str, table: Table) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"newsdesk supports SQLite and PostgreSQL, not {dialect}")


def insert_ignore_statement(dialect: str, table: Table, keys: Iterable[str]) -> Any:
    return _insert(dialect, table).on_conflict_do_nothing(index_elements=list(keys))


def upsert_statement(
    dialect: str, table: Table, keys: Iterable[str], update: dict[str, Any]
) -> Any:
    """In `update`, a string value names a column of the proposed row (``excluded.<name>``)."""
    statement = _insert(dialect, table)
    set_ = {
        name: statement.excluded[value] if isinstance(value, str) else value
        for name, value in update.items()
    }
    return statement.on_conflict_do_update(index_elements=list(keys), set_=set_)


def insert_ignore(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Iterable[str]
) -> None:
    """Insert the rows whose key is not there yet; leave existing rows untouched."""
    if rows:
        conn.execute(insert_ignore_statement(conn.dialect.name, table, keys), rows)


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Iterable[str],
    update: dict[str, Any],
) -> None:
    """Insert the rows; where the key exists, apply `update` (values or expressions) instead."""
    if rows:
        conn.execute(upsert_statement(conn.dialect.name, table, keys, update), rows)
