"""Site icons, looked for with the feeds' polls: each feed's site at most once a week, and at
most once in one poll however many of its feeds are polled.

The home page the feed links to is read for <link rel="icon"> and "apple-touch-icon" (robots.txt,
the address guard and the host's spacing apply, as to any page); the icons it names, then
/favicon.ico, are tried in turn until one is an image newsdesk keeps (feeds/icons.py), within a
small size cap. What was found, or that nothing was, is kept in the store with the time.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from newsdesk.errors import NewsdeskError
from newsdesk.feeds.icons import FALLBACK_PATH, ICON_MAX_BYTES, icon_links, image_type
from newsdesk.fetch import Fetcher, display_url
from newsdesk.model import Feed
from newsdesk.store import Store
from newsdesk.times import utcnow
from newsdesk.urls import origin_of

log = logging.getLogger(__name__)

ICON_REFRESH = timedelta(days=7)  # an icon rarely changes: looked for again after a week
ICON_TRIES = 3  # icons tried on one site, /favicon.ico among them
ICON_ACCEPT = "image/png, image/x-icon, image/gif, image/jpeg, image/webp;q=0.9, */*;q=0.1"


class SiteIcons:
    """One poll's icon lookups (make one per poll round)."""

    def __init__(self, store: Store, fetcher: Fetcher, every: timedelta = ICON_REFRESH) -> None:
        self.store = store
        self.fetcher = fetcher
        self.every = every
        self._looked: dict[str, asyncio.Future[None]] = {}

    async def look(self, feed: Feed, site_url: str | None) -> None:
        """Look for the icon of the feed's site (its site_url, else the feed's own host) when
        it is due; a lookup of the same site already under way in this poll is waited for."""
        site = origin_of(site_url) or origin_of(feed.url)
        if site is None:
            return
        home = site_url if origin_of(site_url) == site else f"{site}/"
        lookup = self._looked.get(site)
        if lookup is None:
            lookup = self._looked[site] = asyncio.ensure_future(self._refresh(site, home))
        # shielded: a feed whose poll is cancelled does not cancel the look other feeds wait on
        await asyncio.shield(lookup)

    async def _refresh(self, site: str, home: str) -> None:
        try:
            now = utcnow()
            checked = self.store.icon_checked_at(site)
            if checked is not None and now - checked < self.every:
                return
            found = await self._find(site, home)
            self.store.save_icon(site, checked_at=now, **found)
        except Exception:  # an icon must never cost a feed its poll, nor the round
            log.exception("looking for the icon of %s failed", display_url(site))

    async def _find(self, site: str, home: str) -> dict[str, object]:
        reasons: list[str] = []
        candidates: list[str] = []
        try:
            page = await self.fetcher.get(home, kind="page")
            if page.content_type in ("text/html", "application/xhtml+xml", ""):
                candidates = icon_links(page.content, page.final_url)
        except NewsdeskError as exc:
            reasons.append(f"home page: {exc}")
        fallback = f"{site}{FALLBACK_PATH}"
        tries = [url for url in candidates if url != fallback][: ICON_TRIES - 1] + [fallback]
        for url in tries:
            try:
                got = await self.fetcher.get(
                    url, kind="page", accept=ICON_ACCEPT, max_bytes=ICON_MAX_BYTES
                )
            except NewsdeskError as exc:
                reasons.append(str(exc))
                continue
            kind = image_type(got.content, got.content_type)
            if kind is not None:
                return {"url": url, "content_type": kind, "data": got.content}
            shown = got.content_type or "no content type"
            reasons.append(f"{display_url(url)} is not an icon ({shown})")
        log.info("no icon for %s: %s", display_url(site), "; ".join(reasons))
        return {}
