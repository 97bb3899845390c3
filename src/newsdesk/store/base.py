"""What every part of the Store shares: the engine and short read and write transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text

from newsdesk.store.engine import WRITE_OPTION, make_engine

CHANGES = "newsdesk_changes"  # PostgreSQL: every write transaction notifies it, with its schema
NOTIFY_CHANGE = text(f"SELECT pg_notify('{CHANGES}', current_schema())")


class StoreBase:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """One consistent snapshot; never blocks or is blocked by a writer on SQLite (WAL)."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One transaction that commits whole or not at all. On SQLite it takes the write lock
        at BEGIN, so two writers queue (busy_timeout) instead of failing half-way."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn
                if conn.dialect.name == "postgresql":  # sent on commit only (watch.py)
                    conn.execute(NOTIFY_CHANGE)

    def close(self) -> None:
        self.engine.dispose()
