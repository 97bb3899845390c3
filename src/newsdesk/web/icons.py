"""Site icons served from newsdesk's own address, for the sync apps and the reader.

    GET /icons/<key>      a site's icon as polling kept it (feeds/icons.py allowed its type)
    GET /icons/default    the icon of a feed whose site has none

Public, as FreshRSS serves its favicons: the key is a digest of the site, so the address names
no feed and cannot be guessed. An icon rarely changes: it may be cached for a day, and an
If-None-Match with its ETag answers 304. The bytes are only ever raster images; a policy that
allows nothing else goes with them anyway.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsdesk.model import Feed, SiteIcon
from newsdesk.store import Store
from newsdesk.urls import origin_of
from newsdesk.web.deps import base_url
from newsdesk.web.errors import api_error
from newsdesk.web.state import get_store

router = APIRouter(include_in_schema=False)

DEFAULT_KEY = "default"
DEFAULT_TYPE = "image/png"
DEFAULT_DATA = (Path(__file__).parent / "static" / "default-icon.png").read_bytes()
DEFAULT_DIGEST = hashlib.sha256(DEFAULT_DATA).hexdigest()
MAX_AGE = 86_400  # a day: icons are looked for again weekly
_KEY = re.compile(r"[0-9a-f]{32}")
ICON_HEADERS = {
    "cache-control": f"public, max-age={MAX_AGE}",
    "content-security-policy": "default-src 'none'; sandbox",
    "x-content-type-options": "nosniff",
}


def site_of_feed(feed: Feed) -> str | None:
    """The site a feed's icon belongs to: the origin of the page it links to, else its own."""
    return origin_of(feed.site_url) or origin_of(feed.url)


def feed_icons(store: Store, feeds: Iterable[Feed], *, with_data: bool) -> dict[int, SiteIcon]:
    """{feed id: its site's icon} for the feeds whose site has one."""
    sites = {feed.id: site_of_feed(feed) for feed in feeds}
    found = store.site_icons([site for site in sites.values() if site], with_data=with_data)
    return {feed_id: found[site] for feed_id, site in sites.items() if site in found}


def icon_address(request: Request, icon: SiteIcon | None) -> str:
    """The absolute address of an icon (NEWSDESK_BASE_URL when set); the default one's when
    there is none."""
    key = icon.key if icon else DEFAULT_KEY
    return f"{base_url(request, request.app.state.settings)}/icons/{key}"


def data_uri_body(icon: SiteIcon | None) -> str:
    """An icon as Fever sends it: "<type>;base64,<bytes>" (the default one when None)."""
    kind, data = (icon.content_type, icon.data) if icon and icon.data else (DEFAULT_TYPE,
                                                                         DEFAULT_DATA)  # fmt: skip
    return f"{kind};base64,{base64.b64encode(data).decode('ascii')}"


@router.get("/icons/{key}", name="site_icon")
def site_icon(request: Request, key: str) -> Response:
    if key == DEFAULT_KEY:
        kind, data, digest = DEFAULT_TYPE, DEFAULT_DATA, DEFAULT_DIGEST
    else:
        icon = get_store(request).icon(key) if _KEY.fullmatch(key) else None
        if icon is None or icon.data is None:
            raise api_error(404, f"no icon {key[:40]!r}")
        kind, data, digest = icon.content_type or "application/octet-stream", icon.data, icon.digest
    etag = f'"{digest}"'
    headers = {**ICON_HEADERS, "etag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=kind, headers=headers)
