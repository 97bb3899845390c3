"""The Fetcher: newsdesk's one HTTP client.

    async with Fetcher(settings) as fetcher:
        page = await fetcher.get("https://example.org/feed.xml", etag=feed.etag)

Each call follows redirects itself (every hop goes through the address guard, the host limits
and, for pages, robots.txt), caps time and size, and turns every failure into a FetchError whose
message is one line saying what went wrong and where.
"""

from __future__ import annotations

import asyncio
import base64
import errno
import logging
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal

import httpx

from newsdesk.config import Settings
from newsdesk.errors import (
    FetchError,
    NewsdeskError,
    RobotsDisallowedError,
)
from newsdesk.fetch.cookies import Cookies
from newsdesk.fetch.decode import ACCEPT_ENCODING, read_body
from newsdesk.fetch.guard import UnresolvedHostError
from newsdesk.fetch.hosts import (
    HostLimiter,
    HostStatus,
    HostTurns,
    parse_retry_after,
    retry_message,
)
from newsdesk.fetch.robots import RobotsCache
from newsdesk.fetch.targets import host_key, parse_url
from newsdesk.fetch.transports import transport_for
from newsdesk.model import Page
from newsdesk.urls import display_url

Kind = Literal["feed", "page", "robots", "other"]

ACCEPT: dict[str, str] = {
    "feed": (
        "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
    ),
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    "robots": "text/plain, */*;q=0.5",
    "other": "*/*",
}
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DRAIN_BYTES = 64 * 1024  # most bytes read from an answer whose body is not wanted

_NO_BODY = httpx.ByteStream(b"")
_UNSAFE_IN_HEADER = re.compile(rb"[\r\n\0]")  # an ETag or a cookie could carry them

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Answer:
    status: int
    headers: dict[str, str]
    content: bytes = b""
    location: str | None = None
    sets_cookie: bool = False


class Fetcher:
    """Polite, capped, guarded HTTP GET. Use as ``async with Fetcher(settings) as fetcher``.

    It talks to an httpx transport (fetch/transports.py), not to httpx's client: it follows
    redirects, keeps cookies, decodes bodies and reads headers itself, under its own limits, so
    the client layer would only add work.
    """

    def __init__(self, settings: Settings, *, turns: HostTurns | None = None) -> None:
        """`turns`: per-host spacing shared with other processes (see HostTurns)."""
        self.settings = settings
        self._hosts = HostLimiter(
            concurrency=settings.per_host_concurrency,
            interval=settings.per_host_interval,
            max_wait=settings.retry_after_max_wait,
            turns=turns,
        )
        self._robots = RobotsCache(self._get_robots, settings.user_agent)
        self._transport = transport_for(settings)
        self._common_headers = [
            (b"User-Agent", settings.user_agent.encode("latin-1", "replace")),
            (b"Accept-Encoding", ACCEPT_ENCODING.encode()),
        ]
        self._cookies = Cookies()
        self._timeouts = {
            "connect": settings.connect_timeout,
            "read": settings.read_timeout,
            "write": settings.read_timeout,
        }

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._transport.aclose()

    def host_status(self, url: str) -> HostStatus:
        """Failures, backoff and Retry-After this Fetcher holds for the host of url."""
        return self._hosts.status(host_key(parse_url(url)))

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        kind: Kind = "feed",
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Page:
        """GET url. A 304 answer to etag/last_modified gives Page(not_modified=True).

        kind picks the Accept header and whether robots.txt applies (only to "page").
        max_bytes: a smaller cap on the body than the settings' (an icon, say).
        Raises FetchError (or BlockedAddressError, RobotsDisallowedError, TooLargeError).
        """
        if kind not in ACCEPT:
            raise ValueError(f"unknown fetch kind {kind!r}")
        target = parse_url(url)
        headers = {"Accept": accept or ACCEPT[kind]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        visited = {str(target)}
        redirects = 0
        while True:
            if kind == "page" and self.settings.respect_robots:
                await self._check_robots(target)
            answer = await self._hop(target, headers, max_bytes)
            if answer.location is None:
                break
            redirects += 1
            if redirects > self.settings.max_redirects:
                raise FetchError(f"too many redirects ({redirects})", url=display_url(url))
            target = _redirect_target(target, answer.location)
            if str(target) in visited and not answer.sets_cookie:  # a cookie may end the loop
                raise FetchError(
                    f"redirect loop after {redirects} redirects, back to {display_url(target)}",
                    url=display_url(url),
                )
            visited.add(str(target))
        return Page(
            url=url,
            final_url=str(target),
            status=answer.status,
            headers=answer.headers,
            content=answer.content,
            not_modified=answer.status == 304,
        )

    async def robots_sitemaps(self, url: str) -> list[str]:
        """The sitemaps named by the robots.txt of url's site (read once, as for pages); none
        when it names none or cannot be had."""
        try:
            return await self._robots.sitemaps(parse_url(url))
        except FetchError:
            return []

    async def _get_robots(self, url: str) -> Page:
        return await self.get(url, kind="robots")

    async def _check_robots(self, url: httpx.URL) -> None:
        try:
            allowed = await self._robots.allowed(url)
        except FetchError as exc:  # the page gets the error robots.txt ran into
            raise type(exc)(
                exc.args[0],
                url=display_url(url),
                status=exc.status,
                retry_after=exc.retry_after,
                permanent=exc.permanent,
            ) from None
        if not allowed:
            raise RobotsDisallowedError(
                f"robots.txt of {host_key(url)} disallows this page", url=display_url(url)
            )

    async def _hop(
        self, url: httpx.URL, headers: dict[str, str], max_bytes: int | None = None
    ) -> _Answer:
        """One request, no redirects followed, inside the host's limits and the total timeout."""
        key = host_key(url)
        shown = display_url(url)
        async with self._hosts.slot(key, shown):
            phase = "waiting for response"
            try:
                async with asyncio.timeout(self.settings.total_timeout):
                    request = self._request(url, headers)
                    response = await self._transport.handle_async_request(request)
                    self._cookies.keep(str(url), _set_cookies(response.headers.raw))
                    try:
                        try:
                            answer = self._interpret(response, key, shown)
                        except FetchError:
                            await _drain(response)  # keep the connection for the next request
                            raise
                        if 200 <= answer.status < 300:
                            phase = "reading body"
                            answer.content = await read_body(
                                _stream(response),
                                content_encoding=answer.headers.get("content-encoding", ""),
                                content_length=answer.headers.get("content-length"),
                                cap=min(
                                    max_bytes or self.settings.max_response_bytes,
                                    self.settings.max_response_bytes,
                                ),
                            )
                            self._hosts.succeeded(key)
                        else:
                            await _drain(response)
                    finally:
                        await response.aclose()
            except NewsdeskError as exc:
                if isinstance(exc, UnresolvedHostError):
                    self._hosts.failed(key)
                exc.url = exc.url or shown
                raise
            except TimeoutError:
                self._hosts.failed(key)
                seconds = f"{self.settings.total_timeout:g}"
                raise FetchError(f"timed out after {seconds} s {phase}", url=shown) from None
            except httpx.TransportError as exc:
                self._hosts.failed(key)
                raise FetchError(self._network_message(exc, key, phase), url=shown) from None
        log.debug("GET %s -> %s", shown, answer.status)
        return answer

    def _request(self, url: httpx.URL, headers: dict[str, str]) -> httpx.Request:
        raw = [(b"Host", url.netloc), *self._common_headers]
        raw += [
            (name.encode(), value.encode("latin-1", "replace")) for name, value in headers.items()
        ]
        cookie = self._cookies.header(str(url))
        if cookie:
            raw.append((b"Cookie", cookie.encode("latin-1", "replace")))
        if url.userinfo:  # a feed URL may carry its credentials, as feed readers allow
            credentials = f"{url.username}:{url.password}".encode()
            raw.append((b"Authorization", b"Basic " + base64.b64encode(credentials)))
        for name, value in raw:
            if _UNSAFE_IN_HEADER.search(value):  # never sent, whichever transport
                raise FetchError(f"invalid value in header {name.decode()!r}")
        # a stream given (an empty one: GET has no body) spares httpx encoding a body from nothing
        return httpx.Request(
            "GET", url, headers=raw, stream=_NO_BODY, extensions={"timeout": self._timeouts}
        )

    def _interpret(self, response: httpx.Response, key: str, shown: str) -> _Answer:
        """Record what the status says about the host; raise for every status that is not a page."""
        status = response.status_code
        reason = _reason(response)
        headers = _header_dict(response.headers.raw)
        if status == 429 or status >= 500:
            seconds = None
            if status in (429, 503):
                seconds = parse_retry_after(headers.get("retry-after"))
            if seconds is not None:
                self._hosts.retry_after(key, seconds, status, reason)
                raise FetchError(
                    retry_message(status, reason, seconds),
                    url=shown,
                    status=status,
                    retry_after=seconds,
                )
            self._hosts.failed(key, status)
            raise FetchError(f"HTTP {status} {reason}".strip(), url=shown, status=status)
        if 200 <= status < 300:
            return _Answer(status, headers)  # the host counts as healthy once the body is in
        self._hosts.succeeded(key)
        if status == 304:
            return _Answer(status, headers)
        if status in REDIRECTS:
            location = headers.get("location", "").strip()
            if not location:
                raise FetchError(f"HTTP {status} redirect without a Location header", url=shown)
            return _Answer(status, headers, location=location, sets_cookie="set-cookie" in headers)
        raise FetchError(
            f"HTTP {status} {reason}".strip(), url=shown, status=status, permanent=status == 410
        )

    def _network_message(self, exc: Exception, key: str, phase: str) -> str:
        if isinstance(exc, httpx.ConnectTimeout):
            return f"timed out after {self.settings.connect_timeout:g} s connecting to {key}"
        if isinstance(exc, httpx.ReadTimeout):
            return f"timed out after {self.settings.read_timeout:g} s {phase}"
        if isinstance(exc, httpx.TimeoutException):
            return f"timed out talking to {key}"
        code = _errno(exc)
        if code == errno.ECONNREFUSED:
            return f"connection refused by {key}"
        if code in (errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED):
            return f"connection reset by {key} while {phase}"
        detail = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, httpx.RemoteProtocolError):
            return f"connection closed by {key} while {phase}: {detail}"
        if isinstance(exc, httpx.ProxyError):
            return f"the proxy refused to reach {key}: {detail}"
        if isinstance(exc, httpx.ConnectError):
            return f"cannot connect to {key}: {detail}"
        return f"network error with {key} while {phase}: {detail}"


def _reason(response: httpx.Response) -> str:
    phrase = response.extensions.get("reason_phrase", b"")  # none in HTTP/2
    if phrase:
        return phrase.decode("ascii", errors="ignore")
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return ""


def _set_cookies(raw: list[tuple[bytes, bytes]]) -> list[str]:
    """Each Set-Cookie value apart: joined by commas they could not be told apart."""
    return [value.decode("latin-1") for name, value in raw if name.lower() == b"set-cookie"]


def _header_dict(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Lower-case names; a repeated header's values joined by ", " as HTTP allows."""
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _stream(response: httpx.Response) -> httpx.AsyncByteStream:
    """The body as the transport streams it, still encoded: the Fetcher decodes it, capped."""
    assert isinstance(response.stream, httpx.AsyncByteStream)
    return response.stream


async def _drain(response: httpx.Response) -> None:
    """Read the short body of a 304, redirect or error, so the connection can be used again."""
    received = 0
    async for chunk in _stream(response):
        received += len(chunk)
        if received > DRAIN_BYTES:
            break  # not short: closing the connection is cheaper than reading on


def _redirect_target(current: httpx.URL, location: str) -> httpx.URL:
    try:
        joined = current.join(location)
    except (httpx.InvalidURL, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise FetchError(
            f"invalid redirect target {display_url(location)}: {reason}", url=display_url(current)
        ) from None
    try:
        return parse_url(joined, what="redirect target", shown=display_url(location))
    except FetchError as exc:
        exc.url = display_url(current)
        raise


def _errno(exc: BaseException) -> int | None:
    """The OS error number behind a network error, looking through its causes."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return None
        if isinstance(seen, OSError) and seen.errno:
            return seen.errno
        seen = seen.__cause__ or seen.__context__
    return None


def fetch_one(url: str, settings: Settings, kind: Kind = "page") -> Page:
    """Fetch one URL from synchronous code (the CLI), with all the Fetcher's rules."""

    async def run() -> Page:
        async with Fetcher(settings) as fetcher:
            return await fetcher.get(url, kind=kind)

    return asyncio.run(run())
