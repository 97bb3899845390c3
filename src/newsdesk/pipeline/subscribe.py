"""Subscribing: find the feed behind a URL (or the site's sitemap when it has no feed) and
store it once; import OPML lists."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from newsdesk.config import Settings
from newsdesk.errors import FeedError, FetchError, NewsdeskError
from newsdesk.feeds.discover import (
    COMMON_FEED_PATHS,
    find_feed_links,
    looks_like_feed,
    site_name,
)
from newsdesk.feeds.opml import parse_opml
from newsdesk.feeds.parse import parse_feed
from newsdesk.feeds.sitemaps import SITEMAP_PATHS, Sitemap, looks_like_sitemap, parse_sitemap
from newsdesk.fetch import Fetcher
from newsdesk.model import Feed, Page, ParsedFeed, Subscription
from newsdesk.pipeline.reports import ImportReport
from newsdesk.pipeline.sitemap_source import SITEMAP_ACCEPT
from newsdesk.store import Store
from newsdesk.urls import InvalidURLError, normalize_url, site_of, web_url

MAX_SITEMAPS_TRIED = 8  # robots.txt may name many; a subscription reads a few


def subscribe(
    store: Store, settings: Settings, url: str, folder: str | None = None
) -> tuple[Feed, bool]:
    """Add the feed at `url`, or the one a site's page points to, or else the site's sitemap.
    Returns (feed, created)."""
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
        found = await discover_source(fetcher, clean, settings.max_response_bytes)
    return store.add_feed(
        found.url, title=found.title, site_url=found.site_url, folder=folder, kind=found.kind
    )


@dataclass(frozen=True, slots=True)
class Found:
    """A source found behind a URL: a feed, or a site's sitemap."""

    url: str
    kind: str  # "feed" or "sitemap"
    title: str | None = None
    site_url: str | None = None


async def discover_source(fetcher: Fetcher, url: str, max_bytes: int) -> Found:
    """The feed at `url` itself, else one its page links to, else one at a common path; a
    sitemap at `url` itself, else the site's: named in robots.txt, else at a common path."""
    page = await fetcher.get(url, kind="feed")
    if looks_like_feed(page.content, page.content_type):
        return _feed(page.final_url, parse_page(page))
    site = urljoin(page.final_url, "/")
    if looks_like_sitemap(page.content):
        await read_sitemap(page, max_bytes)  # a clear error now, not at the first poll
        return Found(page.final_url, "sitemap", site_of(page.final_url) or None, site)
    found = await linked_feed(fetcher, page)
    if found is not None:
        return found
    sitemap = await site_sitemap(fetcher, site, max_bytes)
    if sitemap is not None:
        name = site_name(page.content) or site_of(site) or None
        return Found(sitemap, "sitemap", name, site)
    raise FeedError(
        "no feed or sitemap found: the page links to no feed, none answers at "
        + ", ".join(COMMON_FEED_PATHS[:4])
        + ", ..., and neither robots.txt nor "
        + ", ".join(SITEMAP_PATHS)
        + " gives a sitemap",
        url=url,
    )


async def linked_feed(fetcher: Fetcher, page: Page) -> Found | None:
    """A feed the page links to, else one at a common path of its site."""
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
                return _feed(found.final_url, parse_page(found))
        except (FetchError, FeedError):
            continue
    return None


def _feed(url: str, parsed: ParsedFeed) -> Found:
    return Found(url, "feed", parsed.title, parsed.site_url)


async def site_sitemap(fetcher: Fetcher, site: str, max_bytes: int) -> str | None:
    """The site's sitemap to poll: of those its robots.txt names, a news sitemap, else the
    first index, else the first readable one; else the first at a common path."""
    named = [u for u in (web_url(site, line) for line in await fetcher.robots_sitemaps(site)) if u]
    common = [urljoin(site, path.lstrip("/")) for path in SITEMAP_PATHS]
    best: tuple[str, bool] | None = None  # (url, is an index)
    tried: set[str] = set()
    for candidate in (named + common)[:MAX_SITEMAPS_TRIED]:
        if candidate in tried or (best is not None and candidate not in named):
            continue
        tried.add(candidate)
        try:
            page = await fetcher.get(candidate, kind="feed", accept=SITEMAP_ACCEPT)
            sitemap = await read_sitemap(page, max_bytes)
        except (FetchError, FeedError):
            continue
        if sitemap.news:
            return page.final_url
        if best is None or (sitemap.index and not best[1]):
            best = (page.final_url, sitemap.index)
    return best[0] if best else None


async def read_sitemap(page: Page, max_bytes: int) -> Sitemap:
    """The sitemap in a fetched page, parsed off the event loop. Raises FeedError."""
    return await asyncio.to_thread(parse_sitemap, page.content, page.final_url, max_bytes=max_bytes)


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
