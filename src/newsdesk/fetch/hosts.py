"""Per-host politeness: concurrency, spacing, Retry-After and backoff after failures.

A host is hostname:port. Each Fetcher keeps this state for its own lifetime; the feed scheduler
reads it through ``Fetcher.host_status`` to plan the next poll.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from newsdesk.errors import FetchError
from newsdesk.times import as_utc, utcnow

BACKOFF_BASE = 1.0  # seconds after the first failure; doubled after each further one
BACKOFF_MAX = 3600.0


def backoff_delay(failures: int) -> float:
    """Seconds to leave a host alone after this many consecutive failures."""
    if failures <= 0:
        return 0.0
    return min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent or bad."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, (as_utc(when) - (now or utcnow())).total_seconds())


def format_seconds(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.3g} s"


def retry_message(status: int, reason: str, seconds: float) -> str:
    return f"HTTP {status} {reason}".strip() + f", retry after {format_seconds(seconds)}"


@dataclass(frozen=True, slots=True)
class HostStatus:
    """What a Fetcher knows about one host."""

    host: str  # hostname:port
    failures: int  # consecutive server or network failures
    backoff: float  # seconds the fetcher leaves the host alone after those failures
    wait: float  # seconds from now before the host is asked again (Retry-After or backoff)
    retry_after: float | None  # the host's own Retry-After still running, in seconds from now


@dataclass(slots=True)
class _Host:
    semaphore: asyncio.Semaphore
    spacing: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0  # monotonic time the next request may start (spacing)
    failures: int = 0
    backoff_until: float = 0.0
    retry_until: float = 0.0  # monotonic end of a Retry-After
    retry_status: int = 0
    retry_reason: str = ""
    last_status: int | None = None


class HostTurns(Protocol):
    """Spacing shared with other processes polling the same hosts (pipeline/worker.py keeps it
    in the database): each request to a host takes the next turn on it."""

    async def reserve(self, host: str, interval: float) -> float:
        """Seconds from now until this request's turn on `host` comes."""
        ...


class HostLimiter:
    """Hands out request slots per host and remembers how each host is doing. With `turns`,
    the spacing between requests to one host holds across every process sharing them."""

    def __init__(
        self,
        *,
        concurrency: int,
        interval: float,
        max_wait: float,
        turns: HostTurns | None = None,
    ) -> None:
        self._concurrency = max(1, concurrency)
        self._interval = max(0.0, interval)
        self._max_wait = max(0.0, max_wait)
        self._turns = turns
        self._hosts: dict[str, _Host] = {}

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(self._concurrency))
        return host

    @asynccontextmanager
    async def slot(self, key: str, url: str) -> AsyncIterator[None]:
        """Wait for a free slot on this host, honouring spacing, Retry-After and backoff.

        A wait longer than max_wait is not waited: the request fails at once with the error the
        host earned, so the caller can schedule it for later.
        """
        host = self._host(key)
        await self._wait_until_allowed(key, host, url)
        async with host.semaphore:
            await self._wait_until_allowed(key, host, url)  # things may have changed in the queue
            async with host.spacing:
                if self._turns is not None and self._interval > 0:
                    delay = await self._turns.reserve(key, self._interval)
                else:
                    delay = host.next_start - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                host.next_start = time.monotonic() + self._interval
            yield

    async def _wait_until_allowed(self, key: str, host: _Host, url: str) -> None:
        while True:
            now = time.monotonic()
            wait = max(host.retry_until, host.backoff_until) - now
            if wait <= 0:
                return
            if wait > self._max_wait:
                raise self._refusal(key, host, url, wait, now)
            await asyncio.sleep(wait)

    def _refusal(self, key: str, host: _Host, url: str, wait: float, now: float) -> FetchError:
        if host.retry_until - now >= wait:
            message = retry_message(host.retry_status, host.retry_reason, wait)
            return FetchError(message, url=url, status=host.retry_status, retry_after=wait)
        times = "once" if host.failures == 1 else f"{host.failures} times in a row"
        message = f"{key} failed {times}; next try in {format_seconds(wait)}"
        return FetchError(message, url=url, status=host.last_status, retry_after=wait)

    def succeeded(self, key: str) -> None:
        """The host answered (any status below 500): it is healthy again."""
        host = self._host(key)
        host.failures = 0
        host.backoff_until = 0.0
        host.last_status = None

    def failed(self, key: str, status: int | None = None) -> float:
        """A server error or network failure; returns the backoff now in force."""
        host = self._host(key)
        host.failures += 1
        host.last_status = status
        delay = backoff_delay(host.failures)
        host.backoff_until = time.monotonic() + delay
        return delay

    def retry_after(self, key: str, seconds: float, status: int, reason: str) -> None:
        """The host asked not to be asked again for this many seconds."""
        host = self._host(key)
        host.retry_until = max(host.retry_until, time.monotonic() + seconds)
        host.retry_status = status
        host.retry_reason = reason

    def status(self, key: str) -> HostStatus:
        host = self._hosts.get(key)
        if host is None:
            return HostStatus(key, 0, 0.0, 0.0, None)
        now = time.monotonic()
        retry = host.retry_until - now
        wait = max(retry, host.backoff_until - now, 0.0)
        return HostStatus(
            host=key,
            failures=host.failures,
            backoff=backoff_delay(host.failures),
            wait=wait,
            retry_after=retry if retry > 0 else None,
        )
