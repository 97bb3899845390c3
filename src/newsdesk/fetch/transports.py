"""The transports the Fetcher sends its requests through: httpx's interface, two engines.

Both are `httpx.AsyncBaseTransport`s (a request in, a streamed response out, httpx's errors)
and both connect through the address guard:

- fast: newsdesk's HTTP/1.1 pools (fetch/http11.py, httptools), one pool per origin. About a
  third of the CPU per page of httpx's own stack (benchmarks/fetch.py), so it carries every
  direct request by default.
- standard: httpx's own transport, httpcore underneath: HTTP/1.1 by h11, HTTP/2 by h2 when the
  server picks it in the TLS handshake, and proxies (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and
  NO_PROXY, read as httpx reads them with trust_env).

`transport_for(settings)` picks by `settings.http_transport`: "auto" (fast, and standard for the
requests a proxy from the environment must carry), "fast" (proxies ignored) or "httpx".
Either way a broken answer is named in the same words (UNANSWERED, INCOMPLETE, MALFORMED), and a
GET that a kept-alive connection drops unanswered is sent once more.
"""

from __future__ import annotations

import functools
import importlib.util
import ssl
from collections.abc import AsyncIterable, AsyncIterator
from typing import Literal

import httpcore
import httpx

# httpx's transport turns httpcore's errors into httpx's with these; the fast one does the same
from httpx._transports.default import AsyncResponseStream, map_httpcore_exceptions

# httpx reads the proxy variables and matches NO_PROXY with these; newsdesk routes its requests
# itself (it does not use httpx's client), so it borrows them to read the environment the same way
from httpx._utils import URLPattern, get_environment_proxies

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.fetch.guard import GuardedBackend, check_host
from newsdesk.fetch.http11 import INCOMPLETE, MALFORMED, UNANSWERED, Http11Pool
from newsdesk.fetch.pools import OriginPools
from newsdesk.urls import DEFAULT_PORTS, SCHEMES, display_url

Engine = Literal["fast", "httpx"]
ENGINES: tuple[Engine, ...] = ("fast", "httpx")

KEEPALIVE_SECONDS = 5.0  # an idle connection is closed after this long
MOST_ORIGINS = 64  # kept-alive origins; past this the least used are closed once idle
HTTP2 = importlib.util.find_spec("h2") is not None


def ssl_context(engine: Engine = "fast") -> ssl.SSLContext:
    """One verifying TLS context per engine for every Fetcher: loading the CAs takes a while.

    Two, not one: httpcore sets the ALPN protocols (h2) on the context it is given, and the
    fast engine must offer HTTP/1.1 alone.
    """
    return _context(engine)


@functools.cache
def _context(engine: Engine) -> ssl.SSLContext:
    return httpx.create_ssl_context(trust_env=False)


class FastTransport(httpx.AsyncBaseTransport):
    """newsdesk's HTTP/1.1 pools, one per origin, behind httpx's transport interface.

    The pools take httpx's request as it is: converting it to httpcore's, as httpx's own
    transport does, cost near a tenth of the CPU of fetching a page.
    """

    def __init__(self, pools: OriginPools) -> None:
        self._pools = pools

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        with map_httpcore_exceptions():
            response = await self._pools.handle_async_request(request)
        assert isinstance(response.stream, AsyncIterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=AsyncResponseStream(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pools.aclose()


class StandardTransport(httpx.AsyncHTTPTransport):
    """httpx's own HTTP stack, guarded; broken answers named as the fast transport names them.

    guard_target: with a proxy, the proxy connects to the target, so the target is checked
    here (allow_private says whether private targets pass), before the proxy is asked.
    """

    def __init__(
        self, pool: httpcore.AsyncConnectionPool, *, guard_target: bool, allow_private: bool
    ) -> None:
        # httpx takes no network backend, so it cannot connect through the address guard
        # itself: the pool it builds is replaced by one that does
        super().__init__(verify=ssl_context("httpx"))  # the context, not loaded again
        self._pool = pool
        self._guard_target = guard_target
        self._allow_private = allow_private

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._guard_target:
            port = request.url.port or DEFAULT_PORTS[request.url.scheme]
            await check_host(request.url.host, port, allow_private=self._allow_private)
        try:
            response = await super().handle_async_request(request)
        except httpx.RemoteProtocolError as exc:
            if not _unanswered(exc) or request.method != "GET":
                raise _in_our_words(exc) from exc
            try:  # a kept-alive connection closed as it was reused: once more, anew
                response = await super().handle_async_request(request)
            except httpx.RemoteProtocolError as again:
                raise _in_our_words(again) from again
        response.stream = _Body(response.stream)
        return response


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream | httpx.SyncByteStream) -> None:
        assert isinstance(stream, httpx.AsyncByteStream)
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except httpx.RemoteProtocolError as exc:
            raise _in_our_words(exc) from exc

    async def aclose(self) -> None:
        await self._stream.aclose()


def _unanswered(exc: httpx.RemoteProtocolError) -> bool:
    return str(exc).startswith("Server disconnected without sending a response")


def _in_our_words(exc: httpx.RemoteProtocolError) -> httpx.RemoteProtocolError:
    """httpcore's and h11's wording of a broken answer, in the words of fetch/http11.py."""
    text = str(exc)
    if _unanswered(exc):
        return httpx.RemoteProtocolError(UNANSWERED)
    if text.startswith("peer closed connection without sending complete message body"):
        return httpx.RemoteProtocolError(INCOMPLETE)
    return httpx.RemoteProtocolError(f"{MALFORMED}: {text}")


class ProxyRouter(httpx.AsyncBaseTransport):
    """Each request to the transport its URL's proxy pattern names, else to the direct one."""

    def __init__(
        self,
        direct: httpx.AsyncBaseTransport,
        mounts: dict[URLPattern, httpx.AsyncBaseTransport | None],
    ) -> None:
        self._direct = direct
        self._mounts = sorted(mounts.items())  # most specific first, as httpx orders them

    def transport(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        for pattern, transport in self._mounts:
            if pattern.matches(url):
                return transport or self._direct  # None: NO_PROXY names this host
        return self._direct

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.transport(request.url).handle_async_request(request)

    async def aclose(self) -> None:
        await self._direct.aclose()
        for _, transport in self._mounts:
            if transport is not None:
                await transport.aclose()


def fast_transport(settings: Settings) -> FastTransport:
    backend = GuardedBackend(allow_private=settings.allow_private_networks)
    context = ssl_context("fast")
    keepalive = max(1, settings.per_host_concurrency) + 1

    def pool() -> Http11Pool:
        return Http11Pool(
            backend=backend,
            ssl_context=context,
            max_keepalive=keepalive,
            keepalive_expiry=KEEPALIVE_SECONDS,
        )

    return FastTransport(OriginPools(pool, most=MOST_ORIGINS))


def standard_transport(settings: Settings, proxy: str | None = None) -> StandardTransport:
    """httpx's stack, direct or through one proxy (an http:// or https:// URL)."""
    allow_private = settings.allow_private_networks
    backend = GuardedBackend(
        allow_private=allow_private or (proxy is not None and settings.allow_private_proxy),
        proxy=proxy is not None,
    )
    common = {
        "ssl_context": ssl_context("httpx"),
        "max_connections": None,  # the host limits and the poll's workers bound them
        "max_keepalive_connections": MOST_ORIGINS,
        "keepalive_expiry": KEEPALIVE_SECONDS,
        "http1": True,
        "http2": HTTP2,
        "network_backend": backend,
    }
    if proxy is None:
        pool = httpcore.AsyncConnectionPool(**common)
        return StandardTransport(pool, guard_target=False, allow_private=allow_private)
    try:
        parsed = httpx.Proxy(proxy)
    except (httpx.InvalidURL, ValueError) as exc:
        raise ConfigError(f"invalid proxy {display_url(proxy)}: {exc}") from None
    if parsed.url.scheme not in SCHEMES:
        shown = display_url(proxy)
        raise ConfigError(f"unsupported proxy {shown}: only http:// and https:// proxies are used")
    pool = httpcore.AsyncHTTPProxy(
        proxy_url=httpcore.URL(
            scheme=parsed.url.raw_scheme,
            host=parsed.url.raw_host,
            port=parsed.url.port,
            target=parsed.url.raw_path,
        ),
        proxy_auth=parsed.raw_auth,
        proxy_headers=parsed.headers.raw,
        proxy_ssl_context=parsed.ssl_context,
        **common,
    )
    return StandardTransport(pool, guard_target=True, allow_private=allow_private)


def transport_for(settings: Settings) -> httpx.AsyncBaseTransport:
    """The transport settings.http_transport asks for, with the environment's proxies."""
    if settings.http_transport == "fast":
        return fast_transport(settings)
    if settings.http_transport == "httpx":
        direct: httpx.AsyncBaseTransport = standard_transport(settings)
    else:
        direct = fast_transport(settings)
    proxies = get_environment_proxies()
    if not proxies:
        return direct
    mounts = {
        URLPattern(pattern): None if url is None else standard_transport(settings, url)
        for pattern, url in proxies.items()
    }
    return ProxyRouter(direct, mounts)
