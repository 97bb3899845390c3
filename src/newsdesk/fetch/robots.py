"""robots.txt for page requests, fetched through the Fetcher itself and cached per origin.

Choices (RFC 9309 leaves some to the crawler):
- 2xx: the rules apply (the first 512 KB at most).
- 4xx (other than 429): there are no rules, everything is allowed.
- 5xx, network failure, timeout, an over-large file: allowed as well. A news reader fetches
  pages a person subscribed to, one at a time, so a broken robots.txt should not hide them; the
  host's own failure backoff still applies. These answers are kept for a shorter time.
- Not answers, so raised for the page and not remembered: a refused address
  (BlockedAddressError), and a host that asked us to wait (Retry-After) or is backing off.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import httpx
from protego import Protego

from newsdesk.errors import BlockedAddressError, FetchError
from newsdesk.fetch.targets import origin
from newsdesk.model import Page
from newsdesk.urls import display_url

ROBOTS_TTL = 3600.0  # seconds a fetched robots.txt is trusted
ROBOTS_ERROR_TTL = 600.0  # seconds a failed robots.txt fetch is remembered as "allow all"
ROBOTS_MAX_BYTES = 512 * 1024

log = logging.getLogger(__name__)

RobotsGetter = Callable[[str], Awaitable[Page]]


def robots_agent(user_agent: str) -> str:
    """The product token robots.txt groups match: 'newsdesk/0.1 (...)' -> 'newsdesk'."""
    token = user_agent.strip().split("/")[0].split(" ")[0]
    return token or "*"


class RobotsCache:
    """Answers "may this URL be fetched?" from each origin's robots.txt."""

    def __init__(self, get: RobotsGetter, user_agent: str) -> None:
        self._get = get
        self._agent = robots_agent(user_agent)
        self._rules: dict[str, tuple[Protego | None, float]] = {}  # origin -> (rules, expiry)
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: httpx.URL) -> bool:
        rules = await self._rules_for(origin(url))
        return rules is None or rules.can_fetch(str(url), self._agent)

    async def sitemaps(self, url: httpx.URL) -> list[str]:
        """The sitemaps the robots.txt of url's origin names (`Sitemap:` lines), in its order."""
        rules = await self._rules_for(origin(url))
        return list(rules.sitemaps) if rules is not None else []

    async def _rules_for(self, site: str) -> Protego | None:
        lock = self._locks.setdefault(site, asyncio.Lock())
        async with lock:  # one fetch per origin, however many pages wait for it
            cached = self._rules.get(site)
            if cached is not None and cached[1] > time.monotonic():
                return cached[0]
            rules, ttl = await self._fetch(site)
            self._rules[site] = (rules, time.monotonic() + ttl)
            return rules

    async def _fetch(self, site: str) -> tuple[Protego | None, float]:
        robots_url = f"{site}/robots.txt"
        try:
            page = await self._get(robots_url)
        except BlockedAddressError:
            raise
        except FetchError as exc:
            if exc.retry_after is not None:
                raise  # the page cannot be fetched now either; ask again later

            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return None, ROBOTS_TTL
            log.info("robots.txt unavailable, allowing all: %s", exc)
            return None, ROBOTS_ERROR_TTL
        text = page.content[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        log.debug("robots.txt read from %s", display_url(robots_url))
        return Protego.parse(text), ROBOTS_TTL
