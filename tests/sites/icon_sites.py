"""Small news sites on 127.0.0.1, each on its own port (its own origin), that differ only in the
icon they offer::

    with IconSites() as sites:
        sites.feed_url("linked")          # its RSS feed, whose <link> is the site's home page
        sites.hits("linked", "/")         # requests for a path (query ignored)
        EXPECTED["linked"]                # the icon it should end up with: (type, bytes)

Sites
  linked      home page: <link rel="icon" sizes="32x32"> to /static/site-icon.png (a PNG),
              an apple-touch-icon and an SVG icon besides; /favicon.ico is another image that
              must not be taken; a second feed at /other.xml
  ico-only    home page names no icon; /favicon.ico is an ICO (image/vnd.microsoft.icon)
  none        home page names no icon; /favicon.ico answers 404
  html-icon   <link rel="icon"> to /icon.png, which is an HTML page (text/html); /favicon.ico
              is HTML served as image/x-icon
  huge        <link rel="icon"> to a 1 MB PNG; /favicon.ico answers 404
  private     robots.txt disallows everything: neither home page nor icon may be fetched
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# a 1x1 PNG, a 16x16 ICO header with a PNG inside, and a big PNG: real image bytes
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
ICO = b"\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00" + len(PNG).to_bytes(4, "little") \
    + (22).to_bytes(4, "little") + PNG  # fmt: skip
OTHER_PNG = PNG[:-12] + b"\x00\x00\x00\x00IEND\xaeB`\x82"  # another file, same format
HUGE_PNG = PNG + b"\x00" * (1024 * 1024)
HTML_PAGE = b"<!doctype html><html><head><title>Not an icon</title></head><body>Hi</body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

SITES = ("linked", "ico-only", "none", "html-icon", "huge", "private")


def _home(links: str) -> bytes:
    return (f"<!doctype html><html><head><title>Home</title>{links}</head>"
            "<body><h1>News</h1></body></html>").encode()  # fmt: skip


# {site: {path: (status, content type, body)}}; every site also has /feed.xml and /story
ROUTES: dict[str, dict[str, tuple[int, str, bytes]]] = {
    "linked": {
        "/": (
            200,
            "text/html; charset=utf-8",
            _home(
                '<link rel="apple-touch-icon" href="/apple.png">'
                '<link rel="icon" type="image/svg+xml" href="/icon.svg">'
                '<link rel="icon" sizes="32x32" href="/static/site-icon.png">'
            ),
        ),
        "/static/site-icon.png": (200, "image/png", PNG),
        "/apple.png": (200, "image/png", OTHER_PNG),
        "/icon.svg": (200, "image/svg+xml", SVG),
        "/favicon.ico": (200, "image/x-icon", ICO),
    },
    "ico-only": {
        "/": (200, "text/html", _home("")),
        "/favicon.ico": (200, "image/vnd.microsoft.icon", ICO),
    },
    "none": {"/": (200, "text/html", _home(""))},
    "html-icon": {
        "/": (200, "text/html", _home('<link rel="icon" href="/icon.png">')),
        "/icon.png": (200, "text/html", HTML_PAGE),
        "/favicon.ico": (200, "image/x-icon", HTML_PAGE),
    },
    "huge": {
        "/": (200, "text/html", _home('<link rel="shortcut icon" href="/big.png">')),
        "/big.png": (200, "image/png", HUGE_PNG),
    },
    "private": {
        "/": (200, "text/html", _home('<link rel="icon" href="/favicon.ico">')),
        "/favicon.ico": (200, "image/x-icon", ICO),
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /\n"),
    },
}
# the icon each site should end up with (None: newsdesk's default)
EXPECTED: dict[str, tuple[str, bytes] | None] = {
    "linked": ("image/png", PNG),
    "ico-only": ("image/x-icon", ICO),
    "none": None,
    "html-icon": None,
    "huge": None,
    "private": None,
}


def _feed(base: str, name: str) -> bytes:
    stamp = format_datetime(datetime(2026, 12, 1, 8, tzinfo=UTC), usegmt=True)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
            f"<link>{base}/</link><description>d</description><item><title>A story on {name}"
            f"</title><link>{base}/story</link><guid>{base}/story</guid><pubDate>{stamp}"
            "</pubDate><description>The story, in short.</description></item></channel></rss>"
            ).encode()  # fmt: skip


class IconSites:
    def __init__(self) -> None:
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self.counts: dict[str, Counter[str]] = {name: Counter() for name in SITES}
        self.routes = {site: dict(paths) for site, paths in ROUTES.items()}  # a test may change
        self._lock = threading.Lock()

    def base(self, site: str) -> str:
        return f"http://127.0.0.1:{self.servers[site].server_address[1]}"

    def feed_url(self, site: str, path: str = "/feed.xml") -> str:
        return self.base(site) + path

    def hits(self, site: str, path: str) -> int:
        with self._lock:
            return self.counts[site][path]

    def _handler(self, site: str) -> type[BaseHTTPRequestHandler]:
        sites = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
                path = urlsplit(self.path).path
                with sites._lock:
                    sites.counts[site][path] += 1
                base = sites.base(site)
                routes = sites.routes[site]
                if path in routes:
                    status, kind, body = routes[path]
                elif path in ("/feed.xml", "/other.xml"):
                    status, kind, body = 200, "application/rss+xml", _feed(base, site)
                elif path == "/story":
                    status, kind, body = 200, "text/html", _home("")
                else:
                    status, kind, body = 404, "text/plain", b"not found"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> IconSites:
        for site in SITES:
            server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(site))
            server.daemon_threads = True
            self.servers[site] = server
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()
