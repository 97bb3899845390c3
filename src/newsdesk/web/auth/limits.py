"""One throttle for every credential check: the sign-in form, Google Reader's ClientLogin and
auth tokens, Fever's api_key, HTTP Basic on the output feeds and JSON API tokens all count their
failures here, per address and account and per address, and stop checking once either has too
many in the window (429 with Retry-After).

Per worker process: each process counts what it checked, so with N web workers an address gets
at most N times the limits. That bound is kept on purpose: the check runs before every API call
(feed-reader apps send their credentials each time), and sharing the counts through the
database would add a read to every call and a write to every failure.

The client's address is the connection's, or, when the connection comes from one of
NEWSDESK_TRUSTED_PROXIES, the nearest address in X-Forwarded-For that is not a trusted proxy
(a header from anyone else is ignored: it could name any address).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from fastapi import HTTPException, Request

from newsdesk.config import proxy_networks
from newsdesk.web.state import get_settings

T = TypeVar("T")

ADDRESS_MAX = 100  # a forwarded "address" is whatever the proxy passed on

Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


class TooManyAttempts(HTTPException):
    """429: this address (or this address and account) failed too often; retry later."""

    def __init__(self, wait: float) -> None:
        self.retry_after = max(1, math.ceil(wait))
        minutes = max(1, math.ceil(wait / 60))
        super().__init__(
            status_code=429,
            detail=f"too many failed attempts; try again in {minutes} minutes",
            headers={"Retry-After": str(self.retry_after)},
        )


class Throttle:
    """Failed credential checks per (address, account) and per address, in a sliding window.
    An account that the credential does not name (a Fever key, a token) counts per address."""

    def __init__(self, per_account: int = 5, per_address: int = 20, window: float = 900.0) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, address: str, account: str) -> list[tuple[tuple[str, str], int]]:
        keys = [((address, ""), self.per_address)]
        if account:
            keys.append(((address, account.lower()), self.per_account))
        return keys

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, address: str, account: str = "") -> float:
        """Seconds to wait before another attempt is allowed; 0 when allowed now."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in self._keys(address, account):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[0] + self.window - now)
                elif not times:
                    del self._failures[key]  # nothing to remember: keep the table small
            return max(waits, default=0.0)

    def failed(self, address: str, account: str = "") -> None:
        now = time.monotonic()
        with self._lock:
            for key, _ in self._keys(address, account):
                self._recent(key, now).append(now)

    def succeeded(self, address: str, account: str = "") -> None:
        """The account's own failures from this address are forgotten (never the address's:
        signing in to one account must not buy guesses at another)."""
        if account:
            with self._lock:
                self._failures.pop((address, account.lower()), None)


def throttled(request: Request, account: str, check: Callable[[], T | None]) -> T | None:
    """check() under the throttle: TooManyAttempts while this address (or this address and
    `account`) has used up its failures; a None answer counts as a failure."""
    throttle: Throttle = request.app.state.throttle
    address = client_address(request)
    wait = throttle.retry_after(address, account)
    if wait > 0:
        raise TooManyAttempts(wait)
    found = check()
    if found is None:
        throttle.failed(address, account)
    else:
        throttle.succeeded(address, account)
    return found


@lru_cache(maxsize=8)
def _trusted(value: str) -> Networks:
    return proxy_networks(value)


def _is_trusted(address: str, networks: Networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request) -> str:
    """Who is calling: the connection's address, or behind a trusted proxy the address it says
    it forwarded for (the rightmost in X-Forwarded-For that is not itself a trusted proxy)."""
    peer = request.client.host if request.client else "unknown"
    networks = _trusted(get_settings(request).trusted_proxies)
    if not networks or not _is_trusted(peer, networks):
        return peer
    forwarded = [
        part.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for part in header.split(",")
        if part.strip()
    ]
    for hop in reversed(forwarded):
        if not _is_trusted(hop, networks):
            return hop[:ADDRESS_MAX]
    return forwarded[0][:ADDRESS_MAX] if forwarded else peer
