"""Whether anything in the database changed: lets readers keep what they read until it did.

SQLite's data_version, asked of one connection of the store's own that never writes, changes
whenever any other connection (of this process or another) commits. Asking costs microseconds,
so a page can keep the result of a query for as long as the database stays as it was.

PostgreSQL has no such number. Every write transaction of a Store notifies the channel
`newsdesk_changes` with its schema (StoreBase._write); PostgreSQL delivers a notification only
once its transaction has committed. Each process listens on a connection of its own and counts
the notifications for its schema: asking is one round trip on that connection, which brings in
whatever was committed before it. A value read before a query therefore changes after any
commit the query could have missed, in any process on any machine. A listening connection that
broke may have missed some: the count moves on, so nothing kept before it is trusted.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from newsdesk.store.base import CHANGES, StoreBase


def _watchable(engine: Any) -> bool:
    """Only a database file is seen alike by every connection (an in-memory one is not)."""
    if engine.dialect.name == "postgresql":
        return True
    database = engine.url.database or ""
    return (
        engine.dialect.name == "sqlite"
        and database not in ("", ":memory:")
        and "mode=memory" not in database
    )


class PostgresWatch:
    """Counts the notifications of commits to this store's schema, from any process."""

    def __init__(self, engine: Any) -> None:
        self._lock = threading.Lock()
        self._engine = engine
        self._connection: Any = None
        self._schema = ""
        self._count = 0

    def version(self) -> int:
        with self._lock:
            try:
                if self._connection is None:
                    self._listen()
                self._connection.execute("SELECT 1")  # brings in what was notified before
            except Exception:  # notifications may have been missed: trust nothing kept
                self._count += 1
                self.close_connection()
            return self._count

    def _listen(self) -> None:
        fairy = self._engine.raw_connection()
        connection = fairy.dbapi_connection
        fairy.detach()  # its own, for as long as the store lives
        connection.autocommit = True
        self._schema = connection.execute("SELECT current_schema()").fetchone()[0]
        connection.add_notify_handler(self._notified)
        connection.execute(f"LISTEN {CHANGES}")
        self._connection = connection
        self._count += 1  # commits before the LISTEN were not counted

    def _notified(self, notify: Any) -> None:
        if notify.payload == self._schema:
            self._count += 1

    def close_connection(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None

    def close(self) -> None:
        with self._lock:
            self.close_connection()


class DataWatch:
    def __init__(self, engine: Any) -> None:
        self._lock = threading.Lock()
        self._engine = engine
        self._connection: Any = None

    def version(self) -> int:
        with self._lock:
            if self._connection is None:
                fairy = self._engine.raw_connection()
                self._connection = fairy.dbapi_connection
                fairy.detach()  # its own, for as long as the store lives
            return self._connection.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


_CREATE_LOCK = threading.Lock()


class WatchMixin(StoreBase):
    def data_version(self) -> int | None:
        """A number that changes whenever anything in the database changes; None when that
        cannot be told (an in-memory SQLite database), so nothing may be kept."""
        watch = self.__dict__.get("_data_watch")
        if watch is None:
            if not _watchable(self.engine):
                return None
            kind = PostgresWatch if self.dialect == "postgresql" else DataWatch
            with _CREATE_LOCK:
                watch = self.__dict__.setdefault("_data_watch", kind(self.engine))
        return watch.version()

    def close(self) -> None:
        watch = self.__dict__.pop("_data_watch", None)
        if watch is not None:
            watch.close()
        super().close()
