"""Reading order and the opaque cursors of list_articles (keyset paging on (sort_at, id))."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from newsdesk.errors import NewsdeskError
from newsdesk.model import StoredArticle
from newsdesk.times import to_utc


class CursorError(NewsdeskError, ValueError):
    """A `before` cursor that list_articles did not hand out."""


def sort_time(published: datetime | None, fetched_at: datetime) -> datetime:
    """Where an article sits in the reading order: when it was published, unless that is
    unknown or claims to be later than the moment we fetched it."""
    fetched = to_utc(fetched_at)
    if published is None:
        return fetched
    return min(to_utc(published), fetched)


def encode_cursor(sort_at: datetime, article_id: int) -> str:
    raw = f"{to_utc(sort_at).isoformat()}|{article_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, _, number = base64.urlsafe_b64decode(padded.encode()).decode().partition("|")
        return to_utc(datetime.fromisoformat(stamp)), int(number)
    except (ValueError, UnicodeError, binascii.Error):
        raise CursorError(f"invalid page cursor: {cursor[:40]!r}") from None


def cursor_of(item: StoredArticle, *, crawl_order: bool = False) -> str:
    """The cursor that continues a listing after `item` (pass it as `before`); `crawl_order`:
    a listing in the order newsdesk got the articles (ArticleQuery.by_fetch)."""
    if item.fetched_at is None:
        raise CursorError(f"article {item.id} has no fetch time to page from")
    if crawl_order:
        return encode_cursor(item.fetched_at, item.id)
    return encode_cursor(sort_time(item.article.published, item.fetched_at), item.id)


def next_cursor(page: list[StoredArticle]) -> str | None:
    return cursor_of(page[-1]) if page else None
