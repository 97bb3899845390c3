"""A site's icon: where its home page says it is, and whether bytes fetched from there are one.

    icon_links(home_html, home_url)   # ["https://site/apple-touch-icon.png", ...], best first
    image_type(data, "image/png")     # "image/png", or None: not an image newsdesk serves

Only raster images whose first bytes say what they are (PNG, GIF, JPEG, ICO, WebP) are kept:
an icon is served again from newsdesk's own address, so SVG (a document that can carry script)
and anything labelled or shaped as text or HTML are refused.
"""

from __future__ import annotations

from newsdesk.feeds.discover import page_links
from newsdesk.urls import web_url

# the largest icon kept: a favicon is a few KB; apple-touch-icons run to a few tens
ICON_MAX_BYTES = 200 * 1024
FALLBACK_PATH = "/favicon.ico"
# rel values naming an icon, the preferred first
_ICON_RELS = ("icon", "shortcut icon", "apple-touch-icon", "apple-touch-icon-precomposed")
_SVG_HINTS = ("svg",)
# first bytes of each kept format, and the type it is served as
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x00\x00\x01\x00", 0, "image/x-icon"),
    (b"WEBP", 8, "image/webp"),  # after "RIFF" and the length
)
# what a server may call an icon besides image/*: the generic types many give .ico files
_GENERIC_LABELS = frozenset({"", "application/octet-stream", "binary/octet-stream"})
SERVED_TYPES = frozenset(kind for _, _, kind in _SIGNATURES)


def icon_links(html: bytes, base_url: str) -> list[str]:
    """The icons a home page names in <link rel="icon">, "shortcut icon" and
    "apple-touch-icon", absolute, best first: plain icons before touch icons, a size near 32
    to 64 pixels first among each; SVG icons left out. Repeats removed."""
    links, base = page_links(html, base_url)
    found: list[tuple[int, int, int, str]] = []
    for order, link in enumerate(links):
        rel = " ".join((link.get("rel") or "").lower().split())
        if rel not in _ICON_RELS:
            continue
        kind = (link.get("type") or "").lower()
        url = web_url(base, link.get("href"))
        if url is None or any(hint in kind for hint in _SVG_HINTS):
            continue
        if url.lower().split("?")[0].endswith(".svg"):
            continue
        rank = 0 if "apple" not in rel else 1
        found.append((rank, _size_distance(link.get("sizes") or ""), order, url))
    ordered: list[str] = []
    for _, _, _, url in sorted(found):
        if url not in ordered:
            ordered.append(url)
    return ordered


def _size_distance(sizes: str) -> int:
    """How far the best of `sizes` ("16x16 32x32", "any") is from 32-64 pixels; unknown: a
    little behind an exact fit."""
    best = 8
    for size in sizes.lower().split():
        width, _, _height = size.partition("x")
        if width.isdigit():
            pixels = int(width)
            best = min(best, 0 if 32 <= pixels <= 64 else abs(pixels - 48) // 8 + 1)
    return best


def image_type(data: bytes, content_type: str | None) -> str | None:
    """The type `data` is served as when it is an icon newsdesk keeps: labelled as an image
    (or as generic bytes, as many .ico files are) and starting as one of the kept formats;
    None otherwise (HTML, text, SVG, empty, unknown)."""
    label = (content_type or "").split(";")[0].strip().lower()
    if not (label.startswith("image/") or label in _GENERIC_LABELS) or "svg" in label:
        return None
    for signature, offset, kind in _SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            if kind == "image/webp" and not data.startswith(b"RIFF"):
                continue
            return kind
    return None
