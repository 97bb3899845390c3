"""Feeds hostile to parsers and pollers, and a loopback server for them and their pages.

Builders (bytes of about the size asked):
  nested_feed(size)        one good item, then tags nested as deep as the size allows: lxml
                           refuses the depth, and feedparser's loose parser crawls through it
  entity_feed(size)        a flat RSS feed of many items with one undefined entity in the middle
  many_items_feed(n, base) n items, oldest first in time, each linking to base/a/<i>.html
                           (and with a description of `words` words)

``FeedServer`` serves any bytes at any path on 127.0.0.1 (``server.add(path, body)``), every
other path under /a/ as a small article page, and waits ``page_delay`` seconds before each page
(a slow host). ``server.hits(prefix)`` counts requests by path prefix.
"""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_HEAD = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    b"<title>Hostile</title><link>http://hostile.test/</link><description>d</description>"
)
_TAIL = b"</channel></rss>\n"
PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body><article><h1>{title}</h1><p>{title} is a story told in a few plain sentences here. "
    "It has a body long enough to be read as an article by the extractor.</p>"
    "<p>A second paragraph adds words so that nothing mistakes it for a teaser.</p>"
    "</article></body></html>"
)


def nested_feed(size: int) -> bytes:
    item = b"<item><title>Only</title><link>http://hostile.test/only</link></item>"
    depth = max(0, size - len(_HEAD) - len(item) - len(_TAIL)) // len(b"<div>")
    return _HEAD + item + b"<div>" * depth + _TAIL


def wide_feed(size: int) -> bytes:
    """One item holding millions of empty elements: its tree alone needs gigabytes, whether the
    document is read whole or item by item."""
    head = b"<item><title>Only</title><link>http://hostile.test/only</link><description>"
    tail = b"</description></item>"
    width = max(0, size - len(_HEAD) - len(head) - len(tail) - len(_TAIL)) // len(b"<a/>")
    return _HEAD + head + b"<a/>" * width + tail + _TAIL


def entity_feed(size: int) -> bytes:
    items: list[bytes] = []
    total = len(_HEAD) + len(_TAIL)
    while total < size:
        number = len(items)
        item = (
            f"<item><title>Story {number}</title><link>http://hostile.test/s/{number}</link>"
            f"<description>Some words about story {number}.</description></item>"
        ).encode()
        items.append(item)
        total += len(item)
    middle = len(items) // 2
    items[middle] = items[middle].replace(b"<description>", b"<description>&undefined; ")
    return _HEAD + b"".join(items) + _TAIL


def many_items_feed(count: int, base: str, words: int = 0) -> bytes:
    """`count` items listed newest first, item i published i minutes after the first; each
    with a description of `words` words when asked (a long document of few items)."""
    parts = [_HEAD]
    for number in reversed(range(count)):
        minute = f"{number // 60 % 24:02d}:{number % 60:02d}"
        day = 1 + number // 1440 % 28
        about = f"<description>{'word ' * words}</description>" if words else ""
        parts.append(
            f"<item><title>Item {number}</title><link>{base}/a/{number}.html</link>"
            f"<guid>item-{number}</guid>{about}"
            f"<pubDate>{day:02d} Jan 2025 {minute}:00 GMT</pubDate></item>".encode()
        )
    parts.append(_TAIL)
    return b"".join(parts)


class FeedServer:
    """Any bytes at any path, article pages under /a/, on 127.0.0.1; a context manager."""

    def __init__(self, page_delay: float = 0.0) -> None:
        self.page_delay = page_delay
        self.bodies: dict[str, bytes] = {}
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, path: str, body: bytes) -> str:
        """Serve `body` at `path`; its URL."""
        self.bodies[path] = body
        return self.base_url + path

    def hits(self, prefix: str) -> int:
        with self._lock:
            return sum(path.startswith(prefix) for path in self.paths)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()


def _handler(owner: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            with owner._lock:
                owner.paths.append(path)
            if path in owner.bodies:
                self._send(owner.bodies[path], "application/rss+xml; charset=utf-8")
            elif path.startswith("/a/"):
                if owner.page_delay and owner._stopping.wait(owner.page_delay):
                    return
                title = "Story " + path.rsplit("/", 1)[1].removesuffix(".html")
                self._send(PAGE.format(title=title).encode(), "text/html; charset=utf-8")
            elif path == "/robots.txt":
                self._send(b"User-agent: *\nAllow: /\n", "text/plain")
            else:
                self.send_error(404)

        def _send(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client went away
                self.wfile.write(body)

    return Handler
