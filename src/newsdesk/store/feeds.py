"""Feeds: one row per feed URL (by url_key) however many readers follow it, and its poll state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.errors import FeedError, NotFoundError
from newsdesk.inputs import as_id
from newsdesk.model import Feed
from newsdesk.store.base import StoreBase
from newsdesk.store.tables import articles, feeds
from newsdesk.times import utcnow
from newsdesk.urls import InvalidURLError, normalize_url, url_key

UNSET: Any = object()  # "leave as it is", for optional keyword arguments that may be set to None
LIVE = feeds.c.removed_at.is_(None)  # a feed that is subscribed (not removed)


def feed_key(url: str) -> tuple[str, str]:
    """The URL to store and its key; FeedError for text that is not an http(s) URL."""
    try:
        key = url_key(url)
        stored = url.strip() if "://" in url else normalize_url(url)
    except InvalidURLError as exc:
        raise FeedError(f"not a feed URL: {exc}", url=url) from None
    return stored, key


def row_to_feed(row: Row[Any]) -> Feed:
    m = row._mapping  # by key: several times faster than attribute access
    return Feed(
        id=m["id"],
        url=m["url"],
        title=m["title"],
        site_url=m["site_url"],
        folder=m["folder"],
        etag=m["etag"],
        last_modified=m["last_modified"],
        last_fetched_at=m["last_fetched_at"],
        next_fetch_at=m["next_fetch_at"],
        last_error=m["last_error"],
        error_count=m["error_count"],
        retired=bool(m["retired"]),
        paused=bool(m["paused"]),
        created_at=m["created_at"],
        user_title=m["user_title"],
        icon_url=m["icon_url"],
        interval_seconds=m["interval_seconds"],
        licensed_full_text=bool(m["licensed_full_text"]),
        removed_at=m["removed_at"],
        kind=m["kind"],
        source_state=m["source_state"],
    )


def due_condition(now: datetime) -> ColumnElement[bool]:
    """A feed to poll now: subscribed, neither retired nor paused, never fetched or due."""
    return and_(
        LIVE,
        feeds.c.retired.is_(False),
        feeds.c.paused.is_(False),
        feeds.c.next_fetch_at.is_(None) | (feeds.c.next_fetch_at <= now),
    )


def due_order() -> tuple[ColumnElement[Any], ...]:
    """Those never fetched first, then the longest overdue."""
    return (feeds.c.next_fetch_at.is_not(None), feeds.c.next_fetch_at, feeds.c.id)


class FeedsMixin(StoreBase):
    def add_feed(
        self,
        url: str,
        *,
        title: str | None = None,
        site_url: str | None = None,
        folder: str | None = None,
        kind: str = "feed",
    ) -> tuple[Feed, bool]:
        """(feed, created); `kind`: "feed", or "sitemap" for a site read from its sitemaps.
        A URL that differs only trivially from a stored one (http/https, www., trailing slash,
        tracking parameters) returns the stored feed. A removed feed's URL brings it back
        under its old id (created, and due for a poll at once)."""
        stored, key = feed_key(url)
        try:
            with self._write() as conn:
                row = conn.execute(select(feeds).where(feeds.c.url_key == key)).first()
                if row is None:
                    values = dict(url=stored, url_key=key, title=title, site_url=site_url,
                                  folder=folder, kind=kind, created_at=utcnow())  # fmt: skip
                    feed_id = conn.execute(insert(feeds).values(**values)).inserted_primary_key[0]
                elif row.removed_at is None:
                    return row_to_feed(row), False
                else:  # polled again from scratch: its entries came and went while it was away
                    feed_id = row.id
                    back = dict(
                        removed_at=None, next_fetch_at=None, etag=None, last_modified=None,
                        error_count=0, last_error=None, retired=False, folder=folder,
                        kind=kind, source_state=None,
                    )  # fmt: skip
                    conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**back))
        except IntegrityError:  # another process added it between our look and our insert
            return self._feed_by_key(key), False
        return self.get_feed(feed_id), True

    def _feed_by_key(self, key: str) -> Feed:
        with self._read() as conn:
            row = conn.execute(select(feeds).where(feeds.c.url_key == key, LIVE)).first()
        if row is None:
            raise NotFoundError(f"no feed with URL key {key}")
        return row_to_feed(row)

    def get_feed(self, feed_id: int) -> Feed:
        """A subscribed feed by id (a removed one is not found)."""
        with self._read() as conn:
            row = conn.execute(select(feeds).where(feeds.c.id == feed_id, LIVE)).first()
        if row is None:
            raise NotFoundError(f"no feed with id {feed_id}")
        return row_to_feed(row)

    def find_feed(self, ref: str) -> Feed:
        """A feed by id, by URL (any trivial variant) or by exact title (own or user-given)."""
        text = ref.strip()
        with self._read() as conn:
            row = None
            feed_id = as_id(text)  # digits beyond the ids' range may still be a title
            if feed_id is not None:
                row = conn.execute(select(feeds).where(feeds.c.id == feed_id, LIVE)).first()
            if row is None:
                try:
                    key = url_key(text)
                except InvalidURLError:
                    key = None
                if key is not None:
                    row = conn.execute(select(feeds).where(feeds.c.url_key == key, LIVE)).first()
            if row is None:
                by_title = (feeds.c.user_title == text) | (feeds.c.title == text)
                query = select(feeds).where(by_title, LIVE).order_by(feeds.c.id)
                row = conn.execute(query).first()
        if row is None:
            raise NotFoundError(f"no feed matches {ref!r} (id, URL or title)")
        return row_to_feed(row)

    def list_feeds(self, *, with_removed: bool = False) -> list[Feed]:
        """The subscribed feeds by name; `with_removed` adds the removed ones (to name the
        origin of the starred articles they leave behind)."""
        name = func.lower(func.coalesce(feeds.c.user_title, feeds.c.title, feeds.c.url))
        query = select(feeds).order_by(name, feeds.c.id)
        with self._read() as conn:
            rows = conn.execute(query if with_removed else query.where(LIVE))
            return [row_to_feed(row) for row in rows]

    def due_feeds(self, now: datetime) -> list[Feed]:
        """Feeds to poll now, those never fetched first, then the longest overdue."""
        query = select(feeds).where(due_condition(now)).order_by(*due_order())
        with self._read() as conn:
            return [row_to_feed(row) for row in conn.execute(query)]

    def record_fetch(
        self,
        feed_id: int,
        *,
        fetched_at: datetime,
        next_fetch_at: datetime,
        interval_seconds: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
        site_url: str | None = None,
        error: str | None = None,
        error_count: int = 0,
        retired: bool = False,
        source_state: dict[str, Any] | None = None,
    ) -> None:
        """Store the outcome of one poll. None for etag, last_modified, title, site_url,
        interval_seconds or source_state keeps the stored value; error=None clears the last
        error."""
        values: dict[str, Any] = dict(
            last_fetched_at=fetched_at,
            next_fetch_at=next_fetch_at,
            last_error=error,
            error_count=error_count,
            retired=retired,
            # the poll is recorded: a worker's lease on it (store/leases.py) has done its job
            lease_owner=None,
            lease_until=None,
        )
        optional = dict(
            interval_seconds=interval_seconds,
            etag=etag,
            last_modified=last_modified,
            title=title,
            site_url=site_url,
            source_state=source_state,
        )
        values.update({name: value for name, value in optional.items() if value is not None})
        self._update_feed_row(feed_id, values)

    def update_feed(
        self,
        feed_id: int,
        *,
        user_title: str | None = UNSET,
        folder: str | None = UNSET,
        paused: bool = UNSET,
        licensed_full_text: bool = UNSET,
        retired: bool = UNSET,
        icon_url: str | None = UNSET,
        title: str | None = UNSET,
        site_url: str | None = UNSET,
        kind: str = UNSET,
    ) -> Feed:
        """Change what a reader may change (and the kind a poll finds the source is);
        arguments left out keep their value."""
        given = dict(
            kind=kind,
            user_title=user_title,
            folder=folder,
            paused=paused,
            licensed_full_text=licensed_full_text,
            retired=retired,
            icon_url=icon_url,
            title=title,
            site_url=site_url,
        )
        values = {name: value for name, value in given.items() if value is not UNSET}
        if "retired" in values and not values["retired"]:
            values["error_count"] = 0  # a feed brought back starts with a clean slate
        if values:
            self._update_feed_row(feed_id, values)
        return self.get_feed(feed_id)

    def rename_folder(self, folder: str, new_name: str | None) -> int:
        """Move every subscribed feed of `folder` into `new_name` (None: out of any folder);
        how many moved (0: no such folder)."""
        with self._write() as conn:
            moved = update(feeds).where(feeds.c.folder == folder, LIVE).values(folder=new_name)
            return conn.execute(moved).rowcount

    def _update_feed_row(self, feed_id: int, values: dict[str, Any]) -> None:
        with self._write() as conn:
            result = conn.execute(update(feeds).where(feeds.c.id == feed_id, LIVE).values(**values))
            if result.rowcount == 0:
                raise NotFoundError(f"no feed with id {feed_id}")

    def delete_feed(self, feed_id: int) -> None:
        """Unsubscribe: the feed leaves every list, is no longer polled, and its articles leave
        every listing and count but the starred ones (which keep it as their origin). The row
        stays, so the id is never given to another feed; subscribing to its URL again brings
        it back."""
        stamp = utcnow()
        with self._write() as conn:
            gone = update(feeds).where(feeds.c.id == feed_id, LIVE).values(removed_at=stamp)
            if conn.execute(gone).rowcount == 0:
                raise NotFoundError(f"no feed with id {feed_id}")

    def feed_article_counts(self, since: datetime) -> dict[int, int]:
        """Articles per feed whose place in the reading order is at or after `since`
        (feeds without any are left out)."""
        query = (
            select(articles.c.feed_id, func.count())
            .where(articles.c.sort_at >= since, articles.c.feed_id.is_not(None))
            .group_by(articles.c.feed_id)
        )
        with self._read() as conn:
            return {feed_id: count for feed_id, count in conn.execute(query)}

    def recent_entry_times(self, feed_id: int, limit: int = 20) -> list[datetime]:
        """When the feed's newest articles appeared (published, else fetched), newest first."""
        query = (
            select(articles.c.sort_at)
            .where(articles.c.feed_id == feed_id)
            .order_by(articles.c.sort_at.desc(), articles.c.id.desc())
            .limit(limit)
        )
        with self._read() as conn:
            return list(conn.execute(query).scalars())
