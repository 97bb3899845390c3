"""Finding a stream's articles: newest or oldest first, read and starred filters, continuations."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from newsdesk.config import Settings
from newsdesk.model import StoredArticle, User
from newsdesk.store.paging import cursor_of
from newsdesk.web.errors import api_error
from newsdesk.web.greader.ids import READ, STARRED
from newsdesk.web.greader.params import Listing, originals_only

SCAN_BATCH = 200
ASCENDING_CAP = 5000  # articles gathered at most to answer oldest-first (r=o) calls


def fetch_page(
    request: Request, user: User, listing: Listing, batch: int, before: str | None
) -> list[StoredArticle]:
    store = request.app.state.store
    stream = listing.stream
    settings: Settings = request.app.state.settings
    wanted = {stream.kind} | {
        {READ: "read", STARRED: "starred"}.get(target, "") for target in listing.include
    }
    try:
        return store.list_articles(
            feed_id=stream.feed.id if stream.feed else None,
            folder=stream.folder,
            since=listing.since,
            until=listing.until,
            limit=batch,
            before=before,
            originals_only=originals_only(settings, listing),
            user_id=user.id,
            unread_only=READ in listing.exclude,
            starred_only="starred" in wanted,
        )
    except ValueError:
        raise api_error(400, f"continuation {before[:60]!r} was not handed out here") from None


def state_filter(
    request: Request, user: User, listing: Listing
) -> Callable[[list[StoredArticle]], list[StoredArticle]] | None:
    """Filters the store cannot apply in SQL: only-read and not-starred."""
    only_read = listing.stream.kind == "read" or READ in listing.include
    not_starred = STARRED in listing.exclude
    if not (only_read or not_starred):
        return None
    store = request.app.state.store

    def keep(page: list[StoredArticle]) -> list[StoredArticle]:
        states = store.article_states(user.id, [stored.id for stored in page])
        kept = []
        for stored in page:
            read, starred = states.get(stored.id, (False, False))
            if (only_read and not read) or (not_starred and starred):
                continue
            kept.append(stored)
        return kept

    return keep


def stream_articles(
    request: Request, user: User, listing: Listing, count: int
) -> tuple[list[StoredArticle], str | None]:
    """Up to `count` articles of the listing and the continuation for the next call."""
    keep = state_filter(request, user, listing)
    if listing.ascending:
        return _ascending(request, user, listing, count, keep)
    if keep is None:
        page = fetch_page(request, user, listing, count + 1, listing.continuation)
        more = len(page) > count
        page = page[:count]
        return page, (cursor_of(page[-1]) if more and page else None)
    found: list[StoredArticle] = []
    cursor = listing.continuation
    for _ in range(50):  # bounded scan: a sparse filter answers with fewer items, not forever
        page = fetch_page(request, user, listing, SCAN_BATCH, cursor)
        for stored in keep(page):
            found.append(stored)
            if len(found) == count:
                return found, cursor_of(stored)
        if len(page) < SCAN_BATCH:
            return found, None
        cursor = cursor_of(page[-1])
    return found, cursor


def _ascending(
    request: Request,
    user: User,
    listing: Listing,
    count: int,
    keep: Callable[[list[StoredArticle]], list[StoredArticle]] | None,
) -> tuple[list[StoredArticle], str | None]:
    offset = 0
    if listing.continuation:
        if not listing.continuation.startswith("o") or not listing.continuation[1:].isdigit():
            raise api_error(400, "continuation was not handed out for an oldest-first listing")
        offset = int(listing.continuation[1:])
    gathered: list[StoredArticle] = []
    cursor = None
    while len(gathered) < ASCENDING_CAP:
        page = fetch_page(request, user, listing, SCAN_BATCH, cursor)
        gathered.extend(keep(page) if keep else page)
        if len(page) < SCAN_BATCH:
            break
        cursor = cursor_of(page[-1])
    gathered.reverse()
    chosen = gathered[offset : offset + count]
    more = offset + count < len(gathered)
    return chosen, (f"o{offset + count}" if more else None)
