"""The reader's static files (a stylesheet, a script, an icon), read once, served from memory.

Starlette's StaticFiles checks the path, opens, reads and closes the file each in a worker thread:
four thread hand-offs for an 8 kB stylesheet, several milliseconds of CPU on every request. These
files only change with a new release (their URLs carry a content hash, see `app.static_url`),
so each answer's bytes and headers are made once at start.

It sits outside the app's other layers: GET and HEAD of a known file are answered here, with
the same security headers as every other response; anything else under /static (an unknown
name, another method) goes on to the app, which answers 404.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from newsdesk.web.security import SECURITY_HEADERS

PREFIX = "/static/"
# the page's URL names the content (?v=hash): a browser may keep that version for good
IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"no-cache"
BODY_HEADERS = (b"content-type", b"content-length")  # left out of a 304


@dataclass(frozen=True)
class Asset:
    body: bytes
    version: str  # the content hash app.static_url puts in the URL
    etag: bytes
    headers: list[tuple[bytes, bytes]]  # every header but cache-control


def content_version(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:10]


def load_assets(directory: Path) -> dict[str, Asset]:
    """Every file directly in `directory`, by its path under /static/."""
    assets = {}
    for path in sorted(directory.iterdir()):
        if not path.is_file():
            continue
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        etag = f'"{hashlib.md5(body).hexdigest()}"'.encode()  # noqa: S324 (a validator, not a secret)
        headers = [
            (b"content-type", kind.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"etag", etag),
            (b"last-modified", formatdate(path.stat().st_mtime, usegmt=True).encode()),
        ]
        headers += [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
        assets[PREFIX + path.name] = Asset(body, content_version(body), etag, headers)
    return assets


def not_modified(if_none_match: bytes, etag: bytes) -> bool:
    tags = [tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")]
    return b"*" in tags or etag in tags


class StaticAssets:
    """ASGI middleware: answers GET/HEAD of the files in `directory` under /static/."""

    def __init__(self, app: ASGIApp, directory: Path) -> None:
        self.app = app
        self.assets = load_assets(directory)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        asset = None
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            asset = self.assets.get(scope["path"])
        if asset is None:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        cache = IMMUTABLE if query == b"v=" + asset.version.encode() else REVALIDATE
        headers = [*asset.headers, (b"cache-control", cache)]
        status, body = 200, asset.body
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                if not_modified(value, asset.etag):
                    status, body = 304, b""
                    headers = [h for h in headers if h[0] not in BODY_HEADERS]
                break
        if scope["method"] == "HEAD":
            body = b""
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
