"""HTTP/1.1 connections for one origin, on asyncio streams, parsed by httptools (llhttp, in C).

httpcore's HTTP/1.1 layer (h11 and its state machine, in Python) cost more CPU than anything
else in fetching a news page: about 2.8 ms per 100 KB page, against about 1 ms here. This pool
speaks the little newsdesk needs: GET requests, kept-alive connections reused one request at a
time, bodies by Content-Length, chunked, or until the connection closes. It takes httpx's
request as it is and answers with httpcore's response and errors, which the fast transport
(fetch/transports.py) hands on as httpx's; below it is the same address guard as below httpcore.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import AsyncIterator, Callable

import httpcore
import httptools
import httpx

from newsdesk.fetch.guard import GuardedBackend
from newsdesk.fetch.streams import AsyncioStream

READ_SIZE = 256 * 1024
# what a broken answer is called, whichever transport met it (fetch/transports.py)
UNANSWERED = "server closed the connection without answering"
INCOMPLETE = "server closed the connection before the body was complete"
MALFORMED = "malformed HTTP answer"
Release = Callable[["Http11Connection", bool], None]


class Http11Pool:
    """Connections to one origin: an idle one is reused, else a new one is opened.

    How many requests run at once is the Fetcher's host limiter's business; the pool only
    bounds how many idle connections it keeps, and for how long.
    """

    def __init__(
        self,
        *,
        backend: GuardedBackend,
        ssl_context: ssl.SSLContext,
        max_keepalive: int,
        keepalive_expiry: float,
    ) -> None:
        self._backend = backend
        self._ssl_context = ssl_context
        self._max_keepalive = max_keepalive
        self._expiry = keepalive_expiry
        self.connections: list[Http11Connection] = []

    async def handle_async_request(self, request: httpx.Request) -> httpcore.Response:
        timeouts: dict[str, float] = request.extensions.get("timeout", {})
        kept = self._idle_connection()
        if kept is not None:
            try:
                return await self._send(kept, request, timeouts)
            except _Unanswered:
                pass  # the server closed a kept-alive connection as it was reused: once more, anew
        connection = await self._connect(request.url, timeouts)
        return await self._send(connection, request, timeouts)

    async def _send(
        self, connection: Http11Connection, request: httpx.Request, timeouts: dict[str, float]
    ) -> httpcore.Response:
        connection.busy = True
        if connection not in self.connections:
            self.connections.append(connection)
        try:
            return await connection.send(request, timeouts, self._release)
        except BaseException:
            self._drop(connection)
            raise

    def _idle_connection(self) -> Http11Connection | None:
        now = time.monotonic()
        for connection in list(self.connections):
            if connection.busy:
                continue
            if connection.expired(now, self._expiry) or connection.stream_ended():
                self._drop(connection)
                continue
            return connection
        return None

    async def _connect(self, url: httpx.URL, timeouts: dict[str, float]) -> Http11Connection:
        host = url.raw_host.decode("ascii")  # IDNA-encoded, no IPv6 brackets
        port = url.port or (443 if url.scheme == "https" else 80)
        timeout = timeouts.get("connect")
        stream = await self._backend.connect_tcp(host, port, timeout=timeout)
        if url.scheme == "https":
            stream = await stream.start_tls(
                self._ssl_context, server_hostname=host, timeout=timeout
            )
        assert isinstance(stream, AsyncioStream)
        return Http11Connection(stream)

    def _release(self, connection: Http11Connection, reusable: bool) -> None:
        connection.busy = False
        connection.idle_since = time.monotonic()
        idle = sum(1 for c in self.connections if not c.busy)
        if not reusable or idle > self._max_keepalive:
            self._drop(connection)

    def _drop(self, connection: Http11Connection) -> None:
        if connection in self.connections:
            self.connections.remove(connection)
        connection.close()

    async def aclose(self) -> None:
        for connection in self.connections:
            connection.close()
        self.connections = []


class Http11Connection:
    """One TCP (or TLS) connection carrying one request at a time."""

    def __init__(self, stream: AsyncioStream) -> None:
        self._stream = stream
        self.busy = False
        self.idle_since = time.monotonic()
        self._closed = False

    def is_idle(self) -> bool:
        return not self.busy

    def expired(self, now: float, expiry: float) -> bool:
        return now - self.idle_since > expiry

    def stream_ended(self) -> bool:
        # an idle connection with something to read was closed (or spoken on) by the server
        return self._closed or bool(self._stream.get_extra_info("is_readable"))

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._stream.close()

    async def send(
        self, request: httpx.Request, timeouts: dict[str, float], release: Release
    ) -> httpcore.Response:
        head = [request.method.encode(), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
        for name, value in request.headers.raw:  # checked for CR, LF and NUL by the Fetcher
            head += [name, b": ", value, b"\r\n"]
        head.append(b"\r\n")
        message = _Message()
        parser = message.parser = httptools.HttpResponseParser(message)
        received = 0
        try:
            await self._stream.write(b"".join(head), timeouts.get("write"))
            # an informational answer (103 Early Hints) may come first: the real one follows it
            while not (message.head_done and parser.get_status_code() >= 200):
                data = await self._stream.read(READ_SIZE, timeouts.get("read"))
                if not data:
                    raise _Unanswered(UNANSWERED)
                received += len(data)
                _feed(parser, data)
        except (httpcore.ReadError, httpcore.WriteError) as exc:
            if received:
                raise
            raise _Unanswered(UNANSWERED) from exc
        body = _Body(self, message, timeouts.get("read"), release)
        return httpcore.Response(
            parser.get_status_code(),
            headers=message.headers,
            content=body,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": message.reason},
        )

    async def read(self, timeout: float | None) -> bytes:
        return await self._stream.read(READ_SIZE, timeout)


class _Unanswered(httpcore.RemoteProtocolError):
    """The connection ended before the first byte of an answer."""


class _Message:
    """httptools' callbacks, collected."""

    parser: httptools.HttpResponseParser

    def __init__(self) -> None:
        self.on_message_begin()

    def on_message_begin(self) -> None:
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.head_done = False
        self.complete = False
        self.keep_alive = False
        self.chunks: list[bytes] = []

    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.head_done = True

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.complete = True
        self.keep_alive = self.parser.should_keep_alive()  # the parser forgets it afterwards


class _Body:
    """The response body as it arrives; the connection goes back to the pool once it is read."""

    def __init__(
        self,
        connection: Http11Connection,
        message: _Message,
        timeout: float | None,
        release: Release,
    ) -> None:
        self._connection = connection
        self._message = message
        self._timeout = timeout
        self._release = release
        self._done = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        message = self._message
        while True:
            if message.chunks:
                chunks, message.chunks = message.chunks, []
                for chunk in chunks:
                    yield chunk
            if message.complete:
                self._finish(message.keep_alive)
                return
            data = await self._connection.read(self._timeout)
            if not data:
                if _ends_at_close(message.headers):
                    self._finish(False)
                    return
                raise httpcore.RemoteProtocolError(INCOMPLETE)
            _feed(message.parser, data)

    def _finish(self, reusable: bool) -> None:
        if not self._done:
            self._done = True
            self._release(self._connection, reusable)

    async def aclose(self) -> None:
        self._finish(self._message.complete and self._message.keep_alive)


def _feed(parser: httptools.HttpResponseParser, data: bytes) -> None:
    try:
        parser.feed_data(data)
    except httptools.HttpParserUpgrade:
        raise httpcore.RemoteProtocolError("server switched protocols") from None
    except httptools.HttpParserError as exc:
        raise httpcore.RemoteProtocolError(f"{MALFORMED}: {exc}") from None


def _ends_at_close(headers: list[tuple[bytes, bytes]]) -> bool:
    """A body with neither a length nor chunks runs until the server closes the connection."""
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"content-length":
            return False
        if lowered == b"transfer-encoding" and b"chunked" in value.lower():
            return False
    return True
