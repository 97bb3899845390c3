"""Connection pools, one per origin (scheme, host, port).

A pool that looks at every pooled connection on every request (httpcore's: expiry checks that
poll each socket, a count of idle connections for each idle one) costs more per request the
more hosts it keeps alive. The per-host limits already decide how many requests a host gets,
so each origin gets its own small pool, and only the pools used least recently are closed once
there are more than `most` of them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import httpcore
import httpx

Origin = tuple[bytes | str, bytes | str, int | None]
Request = httpcore.Request | httpx.Request  # either has the url.scheme, host and port of its origin


class Idle(Protocol):
    def is_idle(self) -> bool: ...


class Pool(Protocol):
    """A connection pool for one origin, as httpcore's (httpcore's requests) or newsdesk's
    HTTP/1.1 pool (httpx's requests)."""

    @property
    def connections(self) -> Sequence[Idle]: ...

    async def handle_async_request(self, request: Any) -> httpcore.Response: ...

    async def aclose(self) -> None: ...


class OriginPools:
    """A pool per origin behind one handle_async_request and aclose, as httpcore pools have."""

    def __init__(self, make_pool: Callable[[], Pool], most: int) -> None:
        self._make_pool = make_pool
        self._most = max(1, most)
        self._pools: OrderedDict[Origin, Pool] = OrderedDict()

    @property
    def origins(self) -> int:
        return len(self._pools)

    async def handle_async_request(self, request: Request) -> httpcore.Response:
        url = request.url
        origin = (url.scheme, url.host, url.port)
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = self._make_pool()
            await self._close_least_used()
        else:
            self._pools.move_to_end(origin)
        return await pool.handle_async_request(request)

    async def _close_least_used(self) -> None:
        """Close the oldest pools beyond `most` whose connections all stand idle."""
        excess = len(self._pools) - self._most
        for origin in list(self._pools)[:-1]:  # never the pool just made
            if excess <= 0:
                return
            pool = self._pools[origin]
            if all(c.is_idle() for c in pool.connections):  # none in use (or none at all)
                del self._pools[origin]
                await pool.aclose()
                excess -= 1

    async def aclose(self) -> None:
        pools = list(self._pools.values())
        self._pools.clear()
        for pool in pools:
            await pool.aclose()

    async def __aenter__(self) -> OriginPools:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
