"""One throttle for every credential check: the sign-in form, Google Reader's ClientLogin and
auth tokens, Fever's api_key, HTTP Basic on the output feeds and JSON API tokens all count their
failures here, per address and account and per address, and stop checking once either has too
many in the window (429 with Retry-After).

Shared by every web process on the store: failures are kept in the store (a table,
newsdesk.store.credentials), so `serve --workers N`, or several servers on one database, allow
an address what one process does. That costs one indexed read per credential check and one
write per failure.

The client's address is the connection's, or, when the connection comes from one of
NEWSDESK_TRUSTED_PROXIES, the nearest address in X-Forwarded-For that is not a trusted proxy
(a header from anyone else is ignored: it could name any address).
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from fastapi import HTTPException, Request

from newsdesk.config import proxy_networks
from newsdesk.store import Store
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
    """Failed credential checks per (address, account) and per address, in a sliding window,
    kept in `store` for every process. An account that the credential does not name (a Fever
    key, a token) counts per address."""

    def __init__(
        self, store: Store, per_account: int = 5, per_address: int = 20, window: float = 900.0
    ) -> None:
        self.store = store
        self.per_account = per_account
        self.per_address = per_address
        self.window = window

    def _keys(self, address: str, account: str) -> dict[str, int]:
        keys = {f"address {address}": self.per_address}
        if account:
            keys[_account_key(address, account)] = self.per_account
        return keys

    def retry_after(self, address: str, account: str = "") -> float:
        """Seconds to wait before another attempt is allowed; 0 when allowed now."""
        now = time.time()
        keys = self._keys(address, account)
        failed = self.store.credential_failures(list(keys), now - self.window)
        waits = [
            earliest + self.window - now
            for key, (count, earliest) in failed.items()
            if count >= keys[key]
        ]
        return max(waits, default=0.0)

    def failed(self, address: str, account: str = "") -> None:
        now = time.time()
        self.store.record_credential_failure(
            list(self._keys(address, account)), now, now - self.window
        )

    def succeeded(self, address: str, account: str = "") -> None:
        """The account's own failures from this address are forgotten (never the address's:
        signing in to one account must not buy guesses at another)."""
        if account:
            self.store.forget_credential_failures(_account_key(address, account))


def _account_key(address: str, account: str) -> str:
    return f"account {address} {account.lower()}"


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
