"""A hostile HTTP server on 127.0.0.1 for testing clients against everything the web does wrong.

Start it as a context manager or through the ``hostile`` fixture (import the fixture into a
conftest.py: ``from tests.sites.hostile import hostile  # noqa: F401``)::

    with HostileServer() as server:
        url = server.url("/feed.xml")
        ...
        assert server.hits("/feed.xml") == 1

It listens on a random port, answers each connection in its own thread (HTTP/1.1 keep-alive),
and records every request (``server.requests``: path, query, headers, start and finish times,
status sent, client port). ``finished`` is taken just before the last bytes of the answer are
written, so a client cannot have the whole answer before that moment: comparing one request's
``started`` with another's ``finished`` tells their order. ``server.hits(path)`` counts requests
to a path (query string ignored); ``server.records(path)`` returns them.

Routes (query parameters in brackets, with defaults):

Feeds and pages
  /feed.xml               RSS 2.0 feed with ETag "feed-v1" and a Last-Modified date; answers 304
                          to a matching If-None-Match or an If-Modified-Since not older.
  /gzip/feed.xml          the same feed, Content-Encoding: gzip
  /deflate/feed.xml       the same feed, Content-Encoding: deflate (zlib-wrapped)
  /raw-deflate/feed.xml   the same feed, Content-Encoding: deflate without the zlib wrapper
  /malformed.xml          an RSS document cut off in the middle of an item
  /html-feed              an HTML page served where a feed was expected (text/html)
  /wrong-charset.xml      UTF-8 bytes ("Café – naïve") labelled charset=iso-8859-1 in the header
  /page.html, /public/*, /private/*
                          a small HTML article page (robots.txt disallows /private/)
  /robots.txt             "User-agent: *  Disallow: /private/"; set ``server.robots_status`` to
                          answer another status instead (e.g. 404, 500; 429 and 503 come with
                          Retry-After: 120)

Status codes
  /status/<code>          that status [retry_after=<seconds>] [retry_after_date=<seconds from
                          now, sent as an HTTP date>] [location=<url>]

Redirects
  /redirect/chain/<n>     n redirects (302) in a row; /redirect/chain/0 answers with the feed
  /redirect/loop/a        302 to /redirect/loop/b, which redirects back to /redirect/loop/a
  /redirect/to            302 [status] to [url] (absolute or relative, anything at all)
  /redirect/cookie        302 to itself setting a cookie; with the cookie, the feed

Not web pages (each listed, with /page.html, in /binary/feed.xml, whose items carry teasers)
  /binary/report.pdf      a PDF document (application/pdf)
  /binary/pdf-as-html     the same PDF served as text/html
  /binary/junk-as-html    230 KB of compressed data served as text/html
  /binary/octet           the same as application/octet-stream

Slow, broken and oversized
  /slow                   waits [delay=10] seconds before sending headers
  /drip                   Content-Length [bytes=100], then one byte every [interval=0.5] seconds
  /reset                  reads the request, then resets the connection (TCP RST), no answer
  /endless                a body that never ends (no Content-Length, 64 KB chunks of "x")
  /bomb.gz                gzip bomb: about 1.1 MB on the wire, 1100 MB of zeros inflated
  /huge-length            claims Content-Length: 1000000000000, sends 1 KB, closes
"""

from __future__ import annotations

import gzip
import json
import random
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

FEED_ETAG = '"feed-v1"'
FEED_LAST_MODIFIED = "Mon, 06 Jan 2025 10:00:00 GMT"
FEED_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Hostile Times</title><link>http://hostile.test/</link><description>test feed</description>
<item><title>First story</title><link>http://hostile.test/public/first.html</link>
<guid>hostile-1</guid><pubDate>Mon, 06 Jan 2025 09:00:00 GMT</pubDate>
<description>The first story.</description></item>
<item><title>Second story</title><link>http://hostile.test/public/second.html</link>
<guid>hostile-2</guid><pubDate>Mon, 06 Jan 2025 09:30:00 GMT</pubDate>
<description>The second story.</description></item>
</channel></rss>
"""
MALFORMED_XML = FEED_XML[: FEED_XML.index(b"<guid>hostile-2")]
PAGE_HTML = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>A page</title></head><body><article><h1>A page</h1>
<p>Some words that make up the body of a short article.</p></article></body></html>
"""
WRONG_CHARSET_XML = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Café – naïve</title><link>http://hostile.test/</link>
<description>UTF-8 bytes, labelled ISO-8859-1</description>
<item><title>Café – naïve</title><link>http://hostile.test/public/cafe.html</link></item>
</channel></rss>
""".encode()
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"


def _pdf() -> bytes:
    """A PDF as PDFs are: text operators in compressed streams, which an HTML parser reads as
    some 90,000 characters of noise."""
    rng = random.Random(7)
    words = [bytes(rng.choice(b"abcdefghijklmnop") for _ in range(6)) for _ in range(300)]
    objects = []
    for number in range(1, 41):
        shown = (b"BT /F1 12 Tf 72 %d Td (%s) Tj ET" % (rng.randrange(800), rng.choice(words))
                 for _ in range(400))  # fmt: skip
        text = b" ".join(shown)
        data = zlib.compress(text)
        objects.append(b"%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
                       b"\nendobj\n" % (number, len(data), data))  # fmt: skip
    return b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n" + b"".join(objects) + b"trailer\n%%EOF\n"


def _junk() -> bytes:
    """Compressed text: binary to the last byte, yet taken for a page's text on its own."""
    rng = random.Random(19)
    letters = b"abcdefghijklmnopqrstuvwxyz"
    words = (bytes(rng.choice(letters) for _ in range(rng.randrange(2, 9))) for _ in range(60000))
    return zlib.compress(b" ".join(words), 1)


PDF = _pdf()
JUNK = _junk()
BINARY_PAGES = {
    "/binary/report.pdf": (PDF, "application/pdf"),
    "/binary/pdf-as-html": (PDF, "text/html; charset=utf-8"),
    "/binary/junk-as-html": (JUNK, "text/html; charset=utf-8"),
    "/binary/octet": (JUNK, "application/octet-stream"),
}


def binary_feed(base_url: str) -> bytes:
    """An RSS feed of the binary pages and one real page, each item with its own teaser."""
    items = "".join(
        f"<item><title>Item {n}</title><link>{base_url}{path}</link><guid>binary-{n}</guid>"
        f"<description>The feed's own words for item {n}.</description></item>"
        for n, path in enumerate([*BINARY_PAGES, "/page.html"])
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Binary Times</title><link>{base_url}/</link><description>odd links</description>"
        f"{items}</channel></rss>"
    ).encode()

BOMB_MIB = 1100  # inflated size of /bomb.gz, in MiB
BOMB_CRC = 0xE7AF0FC0  # zlib.crc32(bytes(1100 * 2**20)); too slow to compute at import


def _gzip_bomb() -> bytes:
    """A valid gzip of BOMB_MIB MiB of zeros, built without compressing them all.

    After a full flush, deflate's output for the next MiB of zeros repeats byte for byte, so the
    stream is one compressed block repeated. Costs one MiB of compression at import.
    """
    mib = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflate.compress(mib) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(mib) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush(zlib.Z_FINISH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", BOMB_CRC, (BOMB_MIB << 20) & 0xFFFFFFFF)
    return header + first + block * (BOMB_MIB - 1) + end + trailer


GZIP_BOMB = _gzip_bomb()


def _raw_deflate(data: bytes) -> bytes:
    deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return deflate.compress(data) + deflate.flush()


@dataclass(slots=True)
class RequestRecord:
    """One request as the server saw it."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    started: float  # time.monotonic() when the request line was read
    client_port: int = 0  # the same port twice means a kept-alive connection
    finished: float | None = None  # just before the last bytes of the answer were written
    status: int | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    record: RequestRecord | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests read server.requests instead

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        record = RequestRecord(parts.path, query, headers, time.monotonic(), self.client_address[1])
        self.server.owner._record(record)
        self.record = record
        try:
            self._route(parts.path, query)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up; that is what these routes test
        finally:
            self.record = None

    # -- sending -----------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self._finish()
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _finish(self) -> None:
        if self.record is not None:
            self.record.finished = time.monotonic()

    def send_response(self, code: int, message: str | None = None) -> None:
        record = getattr(self, "record", None)
        if record is not None:
            record.status = code
        super().send_response(code, message)

    # -- routes ------------------------------------------------------------------------------

    def _route(self, path: str, query: dict[str, str]) -> None:
        if path == "/feed.xml":
            return self._feed(FEED_XML, "")
        if path in ("/gzip/feed.xml", "/deflate/feed.xml", "/raw-deflate/feed.xml"):
            return self._feed(FEED_XML, path.split("/")[1])
        if path == "/malformed.xml":
            return self._send(200, MALFORMED_XML, "application/rss+xml; charset=utf-8")
        if path in BINARY_PAGES:
            return self._send(200, *BINARY_PAGES[path])
        if path == "/binary/feed.xml":
            body = binary_feed(self.server.owner.base_url)
            return self._send(200, body, "application/rss+xml; charset=utf-8")
        if path == "/html-feed":
            return self._send(200, PAGE_HTML, "text/html; charset=utf-8")
        if path == "/wrong-charset.xml":
            return self._send(200, WRONG_CHARSET_XML, "application/rss+xml; charset=iso-8859-1")
        if path == "/page.html" or path.startswith(("/public/", "/private/")):
            return self._send(200, PAGE_HTML, "text/html; charset=utf-8")
        if path == "/robots.txt":
            status = self.server.owner.robots_status
            headers = {"Retry-After": "120"} if status in (429, 503) else {}
            body = ROBOTS_TXT if status == 200 else b"no robots here"
            return self._send(status, body, headers=headers)
        if path.startswith("/status/"):
            return self._status_route(int(path.rsplit("/", 1)[1]), query)
        if path.startswith("/redirect/"):
            return self._redirect_route(path, query)
        if path == "/slow":
            self.server.owner.stopping.wait(float(query.get("delay", "10")))
            return self._send(200, b"slow but here")
        if path == "/drip":
            return self._drip(int(query.get("bytes", "100")), float(query.get("interval", "0.5")))
        if path == "/reset":
            return self._reset()
        if path == "/endless":
            return self._endless()
        if path == "/bomb.gz":
            headers = {"Content-Encoding": "gzip"}
            return self._send(200, GZIP_BOMB, "application/rss+xml", headers)
        if path == "/huge-length":
            return self._huge_length()
        return self._send(404, b"not found")

    def _feed(self, body: bytes, encoding: str) -> None:
        validators = {"ETag": FEED_ETAG, "Last-Modified": FEED_LAST_MODIFIED}
        if self._unchanged():
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self._finish()
            self.end_headers()
            return
        headers = dict(validators)
        if encoding == "gzip":
            body = gzip.compress(body)
        elif encoding == "deflate":
            body = zlib.compress(body)
        elif encoding == "raw-deflate":
            body = _raw_deflate(body)
        if encoding:
            headers["Content-Encoding"] = "deflate" if encoding == "raw-deflate" else encoding
        self._send(200, body, "application/rss+xml; charset=utf-8", headers)

    def _unchanged(self) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return FEED_ETAG in [tag.strip() for tag in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(FEED_LAST_MODIFIED)
        except (TypeError, ValueError):
            return False

    def _status_route(self, status: int, query: dict[str, str]) -> None:
        headers = {}
        if "retry_after" in query:
            headers["Retry-After"] = query["retry_after"]
        if "retry_after_date" in query:
            when = time.time() + float(query["retry_after_date"])
            headers["Retry-After"] = formatdate(when, usegmt=True)
        if "location" in query:
            headers["Location"] = query["location"]
        self._send(status, f"status {status}\n".encode(), headers=headers)

    def _redirect_route(self, path: str, query: dict[str, str]) -> None:
        if path.startswith("/redirect/chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left <= 0:
                return self._feed(FEED_XML, "")
            return self._send(302, headers={"Location": f"/redirect/chain/{left - 1}"})
        if path == "/redirect/loop/a":
            return self._send(302, headers={"Location": "/redirect/loop/b"})
        if path == "/redirect/loop/b":
            return self._send(302, headers={"Location": "/redirect/loop/a"})
        if path == "/redirect/cookie":
            if "seen=1" in self.headers.get("Cookie", ""):
                return self._feed(FEED_XML, "")
            headers = {"Location": "/redirect/cookie", "Set-Cookie": "seen=1; Path=/"}
            return self._send(302, headers=headers)
        if path == "/redirect/to":
            status = int(query.get("status", "302"))
            return self._send(status, headers={"Location": query.get("url", "/feed.xml")})
        return self._send(404, b"no such redirect")

    def _drip(self, size: int, interval: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        for sent in range(size):
            if self.server.owner.stopping.wait(interval):
                break
            if sent == size - 1:
                self._finish()
            self.wfile.write(b"x")
            self.wfile.flush()
        self.close_connection = True

    def _reset(self) -> None:
        self._finish()
        # SO_LINGER with a zero timeout turns close() into a TCP reset
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"x" * 65536
        while not self.server.owner.stopping.is_set():
            self.wfile.write(chunk)

    def _huge_length(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(10**12))
        self.end_headers()
        self._finish()
        self.wfile.write(b"<" * 1024)
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stalled handlers must not hold up the end of a test
    owner: HostileServer

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # clients hanging up mid-answer is what this server is for
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class HostileServer:
    """The server, its request log and its switches. Use as a context manager."""

    host: str = "127.0.0.1"
    robots_status: int = 200
    requests: list[RequestRecord] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        """Requests seen for this path (without query string)."""
        with self._lock:
            return sum(1 for record in self.requests if record.path == path)

    def records(self, path: str) -> list[RequestRecord]:
        with self._lock:
            return [record for record in self.requests if record.path == path]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
        self.robots_status = 200

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def start(self) -> HostileServer:
        self._httpd = _Server((self.host, 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def summary(self) -> str:
        """The request log as JSON lines, for failure messages."""
        with self._lock:
            return "\n".join(
                json.dumps({"path": r.path, "query": r.query, "status": r.status})
                for r in self.requests
            )


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    """A fresh HostileServer on 127.0.0.1 for one test."""
    with HostileServer() as server:
        yield server
