"""Whether anything in the database changed: lets readers keep what they read until it did.

SQLite's data_version, asked of one connection of the store's own that never writes, changes
whenever any other connection (of this process or another) commits. Asking costs microseconds,
so a page can keep the result of a query for as long as the database stays as it was.
"""

from __future__ import annotations

import threading
from typing import Any

from newsdesk.store.base import StoreBase


def _watchable(engine: Any) -> bool:
    """Only a database file is seen alike by every connection (an in-memory one is not)."""
    database = engine.url.database or ""
    return (
        engine.dialect.name == "sqlite"
        and database not in ("", ":memory:")
        and "mode=memory" not in database
    )


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
        cannot be told (not an SQLite file), so nothing may be kept."""
        watch = self.__dict__.get("_data_watch")
        if watch is None:
            if not _watchable(self.engine):
                return None
            with _CREATE_LOCK:
                watch = self.__dict__.setdefault("_data_watch", DataWatch(self.engine))
        return watch.version()

    def close(self) -> None:
        watch = self.__dict__.pop("_data_watch", None)
        if watch is not None:
            watch.close()
        super().close()
