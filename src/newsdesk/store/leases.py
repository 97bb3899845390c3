"""Work shared by several pollers on one database: feed leases and host turns.

A worker claims due feeds by writing its name and a lease expiry on their rows, in one
transaction that skips rows another worker is claiming (PostgreSQL's FOR UPDATE SKIP LOCKED;
on SQLite the write lock taken at BEGIN serialises claims). A lease ends when the poll is
recorded (record_fetch), or runs out when its worker dies: the feed, still due, is then
claimed by another. Host turns space requests to one host across every worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Float, case, func, select, update

from newsdesk.model import Feed
from newsdesk.store.base import StoreBase
from newsdesk.store.feeds import due_condition, due_order, row_to_feed
from newsdesk.store.sql import upsert_statement
from newsdesk.store.tables import feeds, host_turns


class LeasesMixin(StoreBase):
    def claim_feeds(
        self, owner: str, *, now: datetime, lease_seconds: float, limit: int
    ) -> list[Feed]:
        """Up to `limit` due feeds no live lease holds, leased to `owner` until `now` plus
        `lease_seconds`; most overdue first."""
        if limit <= 0:
            return []
        free = feeds.c.lease_until.is_(None) | (feeds.c.lease_until < now)
        pick = (
            select(feeds.c.id)
            .where(due_condition(now), free)
            .order_by(*due_order())
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        until = now + timedelta(seconds=lease_seconds)
        with self._write() as conn:
            ids = list(conn.execute(pick).scalars())
            if not ids:
                return []
            taken = feeds.c.id.in_(ids)
            conn.execute(update(feeds).where(taken).values(lease_owner=owner, lease_until=until))
            rows = conn.execute(select(feeds).where(taken).order_by(*due_order())).all()
        return [row_to_feed(row) for row in rows]

    def renew_leases(self, owner: str, feed_ids: Sequence[int], until: datetime) -> int:
        """Extend `owner`'s leases on these feeds (those it still holds); how many."""
        if not feed_ids:
            return 0
        mine = feeds.c.id.in_(list(feed_ids)) & (feeds.c.lease_owner == owner)
        with self._write() as conn:
            return conn.execute(update(feeds).where(mine).values(lease_until=until)).rowcount

    def release_leases(self, owner: str) -> int:
        """Give back every lease `owner` holds (a worker stopping cleanly); how many."""
        with self._write() as conn:
            gone = update(feeds).where(feeds.c.lease_owner == owner)
            return conn.execute(gone.values(lease_owner=None, lease_until=None)).rowcount

    def leased_feeds(self) -> dict[int, str]:
        """Feed id to the worker holding its lease, for the feeds leased now."""
        query = select(feeds.c.id, feeds.c.lease_owner).where(feeds.c.lease_owner.is_not(None))
        with self._read() as conn:
            return {feed_id: owner for feed_id, owner in conn.execute(query)}

    def reserve_host_turn(self, host: str, interval: float) -> float:
        """Take the next turn on `host`: seconds from now until this request may start, at
        least `interval` after the turn before it, whichever worker took that one. Times are
        the database's clock, read once the row is locked, so neither the workers' clocks nor
        a wait for the lock shift a turn."""
        now = _database_now(self.dialect)
        current = host_turns.c.next_at
        later = case((current > now, current), else_=now) + interval
        statement = (
            upsert_statement(self.dialect, host_turns, ["host"], {"next_at": later})
            .values(host=host, next_at=now + interval)
            .returning(host_turns.c.next_at, now)
        )
        with self._write() as conn:
            next_at, at = conn.execute(statement).one()
        return float(next_at) - interval - float(at)


def _database_now(dialect: str) -> ColumnElement[float]:
    """The database's clock in Unix seconds, read when the statement runs."""
    if dialect == "postgresql":
        return func.extract("epoch", func.clock_timestamp()).cast(Float)
    return (func.julianday("now") - 2440587.5) * 86400.0
