"""Subscribing: find the feed behind a URL and store it once; import OPML lists."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

from newsdesk.config import Settings
from newsdesk.errors import FeedError, FetchError, NewsdeskError
from newsdesk.feeds.discover import COMMON_FEED_PATHS, find_feed_links, looks_like_feed
from newsdesk.feeds.opml import parse_opml
from newsdesk.feeds.parse import parse_feed
from newsdesk.fetch import Fetcher
from newsdesk.model import Feed, Page, ParsedFeed, Subscription
from newsdesk.pipeline.reports import ImportReport
from newsdesk.store import Store
from newsdesk.urls import InvalidURLError, normalize_url


def subscribe(
    store: Store, settings: Settings, url: str, folder: str | None = None
) -> tuple[Feed, bool]:
    """Add the feed at `url`, or the one a site's page points to. Returns (feed, created)."""
    return asyncio.run(subscribe_async(store, settings, url, folder))


async def subscribe_async(
    store: Store, settings: Settings, url: str, folder: str | None = None
) -> tuple[Feed, bool]:
    try:
        clean = normalize_url(url)
    except InvalidURLError as exc:
        raise FetchError(str(exc)) from None
    try:
        return store.find_feed(clean), False
    except NewsdeskError:
        pass
    async with Fetcher(settings) as fetcher:
        feed_url, parsed = await discover_feed(fetcher, clean)
    return store.add_feed(
        feed_url, title=parsed.title, site_url=parsed.site_url, folder=folder
    )


async def discover_feed(fetcher: Fetcher, url: str) -> tuple[str, ParsedFeed]:
    """The feed at `url` itself, else one its page links to, else one at a common path."""
    page = await fetcher.get(url, kind="feed")
    if looks_like_feed(page.content, page.content_type):
        return page.final_url, parse_page(page)
    candidates = find_feed_links(page.content, page.final_url)
    root = urljoin(page.final_url, "/")
    candidates += [urljoin(root, path.lstrip("/")) for path in COMMON_FEED_PATHS]
    tried: set[str] = {page.final_url}
    for candidate in candidates:
        if candidate in tried:
            continue
        tried.add(candidate)
        try:
            found = await fetcher.get(candidate, kind="feed")
            if looks_like_feed(found.content, found.content_type):
                return found.final_url, parse_page(found)
        except (FetchError, FeedError):
            continue
    raise FeedError(
        "no feed found: the page links to none and none answers at "
        + ", ".join(COMMON_FEED_PATHS[:4])
        + ", ...",
        url=url,
    )


def parse_page(page: Page) -> ParsedFeed:
    return parse_feed(page.content, page.final_url, page.content_type, page.charset)


def import_subscriptions(
    store: Store,
    subscriptions: Iterable[Subscription],
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Store each subscription once; nothing is fetched, so a big list imports at once."""
    report = ImportReport()
    for subscription in subscriptions:
        try:
            _, created = store.add_feed(
                subscription.url,
                title=subscription.title,
                site_url=subscription.site_url,
                folder=subscription.folder,
            )
        except (InvalidURLError, NewsdeskError) as exc:
            report.errors.append(f"{subscription.url}: {exc}")
        else:
            if created:
                report.added += 1
            else:
                report.existing += 1
        if on_progress:
            on_progress(1)
    return report


def import_opml_bytes(store: Store, settings: Settings, content: bytes) -> ImportReport:
    return import_subscriptions(store, parse_opml(content))
