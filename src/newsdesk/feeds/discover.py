"""Find a site's feeds: <link rel="alternate"> in its HTML, common paths, and a cheap sniff."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

# tried in this order when a page names no feed
COMMON_FEED_PATHS = (
    "/feed",
    "/rss.xml",
    "/atom.xml",
    "/feed.xml",
    "/rss",
    "/index.xml",
    "/feed.json",
    "/feed/",
    "/rss/",
    "/atom",
    "/index.rss",
    "/feeds/posts/default",
    "/?feed=rss2",
)
# the types a <link rel="alternate"> must carry to name a feed (not an AMP page or a translation)
_LINK_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/x-atom+xml",
    }
)
_COMMENTS = re.compile(r"comment", re.IGNORECASE)


def page_links(html: bytes, base_url: str) -> tuple[list[Any], str]:
    """A page's <link> elements, and the address their relative hrefs are resolved against
    (its <base href>, else `base_url`); none for a page that cannot be read."""
    if not html.strip():
        return [], base_url
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return [], base_url
    base = base_url
    for element in root.iter("base"):
        if element.get("href"):
            base = urljoin(base_url, element.get("href").strip())
            break
    return list(root.iter("link")), base


def find_feed_links(html: bytes, base_url: str) -> list[str]:
    """Feed URLs a page announces, absolute, in page order, without repeats.

    Comment feeds (WordPress's "Comments Feed") go after the others: a reader wants the posts.
    """
    links, base = page_links(html, base_url)
    found: list[str] = []
    comments: list[str] = []
    for link in links:
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rels or kind not in _LINK_TYPES or not href:
            continue
        url = urljoin(base, href)
        if not url.startswith(("http://", "https://")):
            continue
        target = comments if _COMMENTS.search(link.get("title") or "") else found
        if url not in found and url not in comments:
            target.append(url)
    return found + comments


def site_name(html: bytes) -> str | None:
    """The name a home page gives its site: og:site_name, else its <title>."""
    if not html.strip():
        return None
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for meta in root.iter("meta"):
        if (meta.get("property") or "").strip().lower() == "og:site_name":
            name = " ".join((meta.get("content") or "").split())
            if name:
                return name
    title = root.find(".//title")
    text = " ".join((title.text_content() if title is not None else "").split())
    return text or None


_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF|RDF)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_JSON_FEED = re.compile(rb"""["']version["']\s*:\s*["']https?://jsonfeed\.org/version/""")


def looks_like_feed(content: bytes, content_type: str | None) -> bool:
    """A cheap guess from the first bytes, then the Content-Type, without parsing the document."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in head[:4]:  # UTF-16/32: look at it with the NULs gone
        head = head.replace(b"\x00", b"").lstrip(b"\xfe\xff \t\r\n")
    if head.startswith(b"{"):
        return bool(_JSON_FEED.search(content[:65536]))
    html_at = _HTML_ROOT.search(head)
    feed_at = _FEED_ROOT.search(head)
    if feed_at and (html_at is None or feed_at.start() < html_at.start()):
        return True
    if html_at:
        return False
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind in _LINK_TYPES and kind != "application/json"
