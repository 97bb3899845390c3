"""Small helpers shared by the fetch tests."""

from __future__ import annotations

import asyncio
import socket
import socketserver
from typing import Any

from newsdesk.config import Settings
from newsdesk.fetch import Fetcher
from newsdesk.model import Page


def tuned(settings: Settings, **changes: Any) -> Settings:
    """The test settings with a few values changed."""
    return settings.model_copy(update=changes)


def get(settings: Settings, url: str, **kwargs: Any) -> Page:
    """One request through a fresh Fetcher."""

    async def run() -> Page:
        async with Fetcher(settings) as fetcher:
            return await fetcher.get(url, **kwargs)

    return asyncio.run(run())


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_line(error: Exception) -> str:
    text = str(error)
    assert "\n" not in text and text.strip() == text and text
    return text


class LoopbackServer(socketserver.ThreadingTCPServer):
    """A threaded TCP server on 127.0.0.1, on a free port, that never holds up the test's end."""

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, handler: type[socketserver.BaseRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def read_head(sock: socket.socket, buffered: bytes = b"") -> tuple[bytes, bytes] | None:
    """The next request head from sock, and the bytes read past it; None once the peer closed."""
    while b"\r\n\r\n" not in buffered:
        data = sock.recv(65536)
        if not data:
            return None
        buffered += data
    head, _, rest = buffered.partition(b"\r\n\r\n")
    return head, rest
