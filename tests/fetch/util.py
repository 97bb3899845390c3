"""Small helpers shared by the fetch tests."""

from __future__ import annotations

import asyncio
import socket
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
