"""The matcher role: of all the pollers on one database, one at a time matches articles.

Matching decides each article against every article matched before it, so two processes that
decide at once could each miss the other's article and split one story in two. One holder of
the role matches everything stored, whoever stored it, in arrival order: the same decisions
one poller would make. The role is a lock that dies with its holder's connection or process:
a PostgreSQL session advisory lock (keyed by schema, so stores in other schemas of the same
database do not share it), or an flock on a file beside the SQLite database.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from typing import Any

from sqlalchemy.engine import make_url

from newsdesk.store.base import StoreBase
from newsdesk.store.locks import KEY, MATCHER

TAKE = f"SELECT pg_try_advisory_lock(%s, {KEY})"
GIVE = f"SELECT pg_advisory_unlock(%s, {KEY})"
HELD = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
    f" AND classid = %s AND objid = {KEY}::oid AND granted"
)


class MatcherRole:
    """`take()` tries to become the matcher (True when this process is it); `release()`."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._connection: Any = None  # PostgreSQL: the session holding the lock
        self._file: int | None = None  # SQLite: the locked file
        self.held = False

    def take(self) -> bool:
        with self._lock:
            if self._engine.dialect.name == "postgresql":
                self.held = self._take_postgres()
            else:
                self.held = self._take_sqlite()
            return self.held

    def _take_postgres(self) -> bool:
        try:
            if self._connection is None:
                fairy = self._engine.raw_connection()
                self._connection = fairy.dbapi_connection
                fairy.detach()  # its own, for as long as the role is held
                self._connection.autocommit = True
            query = HELD if self.held else TAKE
            with self._connection.cursor() as cursor:
                cursor.execute(query, (MATCHER,))
                return bool(cursor.fetchone()[0])
        except Exception:  # the connection is gone, and the lock with it: try afresh next time
            self._close_connection()
            return False

    def _take_sqlite(self) -> bool:
        database = make_url(str(self._engine.url)).database or ""
        if database in ("", ":memory:") or "mode=memory" in database:
            return True  # nobody else can open it
        if self._file is not None:
            return True
        fd = os.open(f"{database}.matcher", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._file = fd
        return True

    def release(self) -> None:
        with self._lock:
            if self._connection is not None and self.held:
                # at once: a closed session's locks go only when its server process has ended
                with contextlib.suppress(Exception), self._connection.cursor() as cursor:
                    cursor.execute(GIVE, (MATCHER,))
            self._close_connection()
            if self._file is not None:
                os.close(self._file)  # closing the file gives the flock back
                self._file = None
            self.held = False

    def _close_connection(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # already broken, maybe
                self._connection.close()  # ends the session: the lock goes with it
            self._connection = None


class RolesMixin(StoreBase):
    def matcher_role(self) -> MatcherRole:
        """A handle on the matcher role for this store's database (not taken yet)."""
        return MatcherRole(self.engine)
