"""A feed's entries taken a bounded number at a time, with the bound applied where the feed is
parsed.

A poll takes at most `limit` new entries of a feed, oldest first (the rest come next time). A
feed of 100,000 items would otherwise cross from the parsing worker to the poller whole: every
entry made, pickled, held twice. Instead the worker answers one of two ways (`read_entries`):

- a feed of at most `limit` entries (nearly every feed) comes back whole, in one step;
- a longer one comes back as its entries' keys alone (`EntryKeys`: GUID and URL key, the date
  it sorts by, its position in the document). The poller asks the store which of those keys the
  feed gave before, picks the oldest `limit` new ones (`window`), and asks the worker for the
  entries at those positions only: the document is parsed again, and only those entries made.

Entries left out are counted and come on the next polls, oldest first; none is skipped for good,
as each poll picks from every entry not yet stored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from newsdesk.feeds.parse import STREAM_MIN_BYTES, feed_entries, read_feed
from newsdesk.model import Entry, ParsedFeed
from newsdesk.times import as_utc
from newsdesk.urls import InvalidURLError, url_key


class EntryKeys(NamedTuple):
    """What the poller needs of one entry to decide whether to take it now."""

    position: int  # in the document
    keys: tuple[str, ...]  # see entry_keys
    moment: datetime  # what it sorts by (entry_sort_key): when it was published, in UTC

    @property
    def published(self) -> datetime | None:
        return None if self.moment == NEVER else self.moment


@dataclass(slots=True)
class FeedReading:
    """A worker's answer: the feed with its entries (all of them, or those asked for), or, for
    a feed of more entries than the poll takes, the feed without entries and every entry's
    keys."""

    feed: ParsedFeed
    keys: list[EntryKeys] | None = None


def read_entries(
    content: bytes,
    url: str,
    content_type: str | None,
    charset: str | None,
    limit: int,
    positions: Iterable[int] | None = None,
) -> FeedReading:
    """The feed with every entry when it has at most `limit`, else with none and every
    entry's keys; with `positions`, the feed with the entries at those positions only."""
    if positions is not None:
        feed, feed.entries = feed_entries(
            content, url, content_type, charset, positions=positions, make=_entry_alone
        )
        return FeedReading(feed)
    if len(content) >= STREAM_MIN_BYTES:  # long: its keys alone first, read item by item
        feed, keys = feed_entries(content, url, content_type, charset, whole=False, make=keys_of)
        if len(keys) > limit:
            return FeedReading(feed, keys)
    document = read_feed(content, url, content_type, charset)
    if len(document) <= limit:
        return FeedReading(document.whole())
    keys = [keys_of(position, entry) for position, entry in document.entries(whole=False)]
    return FeedReading(document.feed, keys)


def keys_of(position: int, entry: Entry) -> EntryKeys:
    return EntryKeys(position, tuple(entry_keys(entry)), entry_sort_key(entry))


def _entry_alone(_: int, entry: Entry) -> Entry:
    return entry


def window(keys: list[EntryKeys], seen: Iterable[str], limit: int) -> tuple[list[EntryKeys], int]:
    """The oldest `limit` entries whose keys are not `seen` (and that have a URL key), and how
    many new ones are left after them."""
    known = set(seen)
    new = [
        entry
        for entry in sorted(keys, key=lambda entry: entry.moment)  # stable: document order
        if url_key_of(entry.keys) is not None and known.isdisjoint(entry.keys)
    ]
    return new[:limit], max(0, len(new) - limit)


def entry_keys(entry: Entry) -> list[str]:
    """What identifies an entry within its feed: its GUID and its URL's key."""
    keys: list[str] = []
    if entry.guid:
        keys.append(f"guid:{entry.guid}")
    with contextlib.suppress(InvalidURLError):
        keys.append(f"url:{url_key(entry.url)}")
    return keys


def url_key_of(keys: Sequence[str]) -> str | None:
    """The URL key among an entry's keys (see entry_keys)."""
    return next((key[4:] for key in keys if key.startswith("url:")), None)


NEVER = datetime.min.replace(tzinfo=UTC)  # what an entry without a date sorts by


def entry_sort_key(entry: Entry) -> datetime:
    moment = entry.published or entry.updated
    return as_utc(moment) if moment else NEVER
