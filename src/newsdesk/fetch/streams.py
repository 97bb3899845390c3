"""Network streams on asyncio's own streams, under the HTTP/1.1 pool (fetch/http11.py).

httpcore's default backend goes through anyio, whose every read and write enters cancel scopes
and pauses and resumes the transport: on a news page that is more CPU than parsing the HTTP
answer. A page is read here in a few large reads from asyncio's StreamReader, with timeouts
and httpcore's error types, which the Fetcher turns into one-line messages.
"""

from __future__ import annotations

import asyncio
import ssl
import typing
from collections.abc import Iterable

import httpcore

READ_LIMIT = 256 * 1024  # asyncio's buffer for one connection, above the usual 64 KB


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                # whatever has arrived, up to READ_LIMIT: the HTTP parser takes any size
                return await self._reader.read(max(max_bytes, READ_LIMIT))
        except TimeoutError:
            raise httpcore.ReadTimeout(f"no data for {timeout:g} s") from None
        except OSError as exc:
            raise httpcore.ReadError(exc) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout(f"could not send for {timeout:g} s") from None
        except OSError as exc:
            raise httpcore.WriteError(exc) from exc

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        self._writer.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> AsyncioStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError:
            self._writer.close()
            raise httpcore.ConnectTimeout(f"TLS handshake took over {timeout:g} s") from None
        except (OSError, ssl.SSLError) as exc:
            self._writer.close()
            raise httpcore.ConnectError(exc) from exc
        return self

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            # An idle connection with something to read was closed (or spoken on) by the
            # server: the pool must not send a request on it.
            return self._reader.at_eof() or self._writer.is_closing() or _buffered(self._reader)
        return None


def _buffered(reader: asyncio.StreamReader) -> bool:
    buffer = getattr(reader, "_buffer", None)
    return bool(buffer)


async def open_stream(
    address: str,
    port: int,
    timeout: float | None,
    local_address: str | None,
    socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
) -> AsyncioStream:
    """A TCP connection to one address (already checked by the caller)."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                address,
                port,
                limit=READ_LIMIT,
                local_addr=(local_address, 0) if local_address else None,
            )
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"no connection within {timeout:g} s") from None
    except OSError as exc:
        raise httpcore.ConnectError(exc) from exc
    sock = writer.get_extra_info("socket")
    for option in socket_options or ():
        sock.setsockopt(*option)
    return AsyncioStream(reader, writer)
