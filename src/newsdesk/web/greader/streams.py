"""Finding a stream's articles: newest or oldest first, read and starred filters, continuations.

A stream and its parameters become one ArticleQuery of the store, which applies every filter
in SQL; a continuation is the store's cursor, in either order."""

from __future__ import annotations

from fastapi import Request

from newsdesk.config import Settings
from newsdesk.model import StoredArticle, User
from newsdesk.store import ArticleQuery
from newsdesk.store.listing import MAX_PAGE
from newsdesk.store.paging import cursor_of
from newsdesk.web.errors import api_error
from newsdesk.web.folders import folder_filter
from newsdesk.web.greader.ids import READ, STARRED
from newsdesk.web.greader.params import Listing, originals_only
from newsdesk.web.state import get_store


def _mark(only: bool, never: bool) -> bool | None:
    """True or False for a mark the listing wants, or wants not; None for either."""
    return True if only else False if never else None


def stream_query(request: Request, user: User, listing: Listing) -> ArticleQuery | None:
    """The store query of a listing; None when its filters exclude each other (it=read and
    xt=read, say)."""
    stream = listing.stream
    settings: Settings = request.app.state.settings
    only_read, unread = stream.kind == "read" or READ in listing.include, READ in listing.exclude
    only_starred = stream.kind == "starred" or STARRED in listing.include
    unstarred = STARRED in listing.exclude
    if (only_read and unread) or (only_starred and unstarred):
        return None
    return ArticleQuery(
        feed_id=stream.feed.id if stream.feed else None,
        **(folder_filter(stream.folder) if stream.folder else {}),
        fetched_from=listing.since,
        fetched_to=listing.until,
        originals_only=originals_only(settings, listing),
        user_id=user.id,
        read=_mark(only_read, unread),
        starred=_mark(only_starred, unstarred),
        oldest_first=listing.ascending,
        # in the order newsdesk got them, as FreshRSS lists a stream by its crawl-time ids and
        # as ot and nt select: apps page from the newest item down to the last one they have
        # (Fluent Reader stops there), so an item got late but published long ago must come
        # before the ones they have, not among old ones
        by_fetch=True,
    )


def stream_articles(
    request: Request, user: User, listing: Listing, count: int
) -> tuple[list[StoredArticle], str | None]:
    """Up to `count` articles of the listing and the continuation for the next call."""
    query = stream_query(request, user, listing)
    if query is None:
        return [], None
    store = get_store(request)
    found: list[StoredArticle] = []
    after = listing.continuation
    while len(found) <= count:  # one more than asked tells whether there is a next page
        wanted = min(count + 1 - len(found), MAX_PAGE)
        try:
            page = store.list_articles(query, limit=wanted, after=after)
        except ValueError:
            raise api_error(400, f"continuation {after[:60]!r} was not handed out here") from None
        found += page
        if len(page) < wanted:
            break
        after = cursor_of(page[-1], crawl_order=True)
    more = len(found) > count
    found = found[:count]
    return found, (cursor_of(found[-1], crawl_order=True) if more and found else None)
