"""Sitemaps as a source: a site's sitemap (sitemaps.org 0.9, Google News, plain text) read into
the Entries a feed would give.

A sitemap index names other sitemaps (with their `<lastmod>`); a URL set names pages, and a
Google News sitemap adds each page's title, publication date and language (`<news:news>`).
Read with lxml like the feeds (no entities, no DTD, no network), element by element: a file
over the caps or XML that cannot be read is a FeedError of one line; XML broken part way keeps
the URLs before the break and says so in `problem`, which the poll records on the source.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from newsdesk.errors import FeedError, NewsdeskError
from newsdesk.fetch.decode import BodyDecoder
from newsdesk.model import Entry
from newsdesk.times import parse_date
from newsdesk.urls import display_url, web_url

# where a site without a feed is asked for its sitemap, after robots.txt's Sitemap: lines
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml")
MAX_URLS = 50_000  # the protocol's most URLs in one sitemap
GZIP_MAGIC = b"\x1f\x8b"

_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)


@dataclass(slots=True)
class ChildSitemap:
    """A sitemap an index names, with the time the index says it last changed."""

    url: str
    lastmod: datetime | None = None


@dataclass(slots=True)
class Sitemap:
    """One sitemap document: an index's sitemaps or a URL set's pages."""

    url: str
    index: bool = False
    children: list[ChildSitemap] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    news: bool = False  # a Google News sitemap: its pages carry <news:news>
    problem: str | None = None  # what was wrong but read around (broken XML, over the URL cap)


def parse_sitemap(
    content: bytes, url: str, *, max_urls: int = MAX_URLS, max_bytes: int = 50 * 1024 * 1024
) -> Sitemap:
    """The sitemap in `content`, fetched from `url`; gzip (a `.xml.gz` file) is undone first,
    at most `max_bytes` of it. Raises FeedError for a document that is no sitemap or cannot be
    read at all."""
    shown = display_url(url)
    if content.startswith(GZIP_MAGIC):
        content = gunzip(content, max_bytes, shown)
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise FeedError("empty sitemap", url=shown)
    if _HTML_START.match(head):
        raise FeedError("an HTML page, not a sitemap", url=shown)
    if not head.startswith(b"<"):
        return _text_sitemap(content, url, max_urls)
    return _xml_sitemap(content, url, max_urls)


_SITEMAP_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:urlset|sitemapindex)[\s>]")


def looks_like_sitemap(content: bytes) -> bool:
    """A cheap guess from the first bytes (of a gzip file, its first inflated bytes): XML whose
    root is a sitemap's."""
    head = content[:4096]
    if content.startswith(GZIP_MAGIC):
        try:  # a few KB inflated at most, whatever the file holds
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(content[:65536], 4096)
        except zlib.error:
            return False
    return bool(_SITEMAP_ROOT.search(head)) and not _HTML_START.match(head)


def gunzip(content: bytes, cap: int, shown: str) -> bytes:
    """A gzip file's content, refused past `cap` bytes as any body is."""
    decoder = BodyDecoder("gzip", cap)
    try:
        return decoder.feed(content) + decoder.finish()
    except NewsdeskError as exc:
        raise FeedError(f"gzip sitemap: {exc}", url=shown) from None


def _xml_sitemap(content: bytes, url: str, max_urls: int) -> Sitemap:
    """Read element by element: the memory of a big sitemap stays flat, and XML that breaks
    part way keeps every <url> (or <sitemap>) that ended before the break, never a piece."""
    shown = display_url(url)
    sitemap = Sitemap(url=url)
    seen: set[str] = set()
    root: etree._Element | None = None
    events = etree.iterparse(
        io.BytesIO(content),
        events=("end",),
        tag=("{*}url", "{*}sitemap"),  # in any namespace, or none
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _, element in events:
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # not one of the root's own
            if root is None:
                root = parent
                sitemap.index = _root_is_index(root, shown)
            if not _add(sitemap, element, seen, max_urls):
                break
            element.clear()  # and the ones read before it: only the current one is kept
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        problem = f"malformed sitemap XML ({_one_line(exc)})"
        found = len(sitemap.children) + len(sitemap.entries)
        if not found:
            raise FeedError(problem, url=shown) from None
        what = "sitemaps" if sitemap.index else "URLs"
        sitemap.problem = f"{problem}: read the {found:,} {what} before it"
        return sitemap
    if root is None:  # nothing listed: still say what the document is when it is no sitemap
        sitemap.index = _root_is_index(events.root, shown)
    return sitemap


def _local(element: etree._Element) -> str:
    """The element's name without its namespace ("" for a comment or an entity)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _root_is_index(root: etree._Element, shown: str) -> bool:
    """Whether the root element is a sitemap index's (else a URL set's); FeedError for any
    other document."""
    name = _local(root)
    if name in ("sitemapindex", "urlset"):
        return name == "sitemapindex"
    if name in ("rss", "feed", "RDF"):
        raise FeedError(f"a feed (<{name}>), not a sitemap", url=shown)
    raise FeedError(f"not a sitemap: the root element is <{name or '?'}>", url=shown)


def _add(sitemap: Sitemap, element: etree._Element, seen: set[str], max_urls: int) -> bool:
    """Add what one element of the root names; False once the cap is passed."""
    if _local(element) != ("sitemap" if sitemap.index else "url"):
        return True
    fields: dict[str, str] = {}
    news = image = None
    for child in element:
        name = _local(child)
        if name == "news" and news is None:
            news = child
        elif name == "image" and image is None:
            image = child
        elif name and name not in fields:
            fields[name] = (child.text or "").strip()
    target = _web_url(sitemap.url, fields.get("loc"))
    if target is None or target in seen:
        return True
    if len(sitemap.children) + len(sitemap.entries) >= max_urls:
        sitemap.problem = _over(max_urls, "sitemaps" if sitemap.index else "URLs")
        return False
    seen.add(target)
    lastmod = parse_date(fields.get("lastmod"), source="feed")
    if sitemap.index:
        sitemap.children.append(ChildSitemap(target, lastmod))
        return True
    entry = Entry(url=target, updated=lastmod)
    if news is not None:
        sitemap.news = True
        _add_news(entry, _leaves(news))
    if image is not None:
        entry.image = _web_url(target, _leaves(image).get("loc"))
    sitemap.entries.append(entry)
    return True


def _web_url(base: str, href: str | None) -> str | None:
    """`href` as an absolute http(s) URL; the common case, already one, without urljoin (a
    sitemap may hold 50,000)."""
    if href and href.startswith(("https://", "http://")) and href.isprintable() and " " not in href:
        return href
    return web_url(base, href)


def _add_news(entry: Entry, news: dict[str, str]) -> None:
    """The fields of <news:news> (publication name and language flattened in)."""
    entry.title = news.get("title") or None
    entry.published = parse_date(news.get("publication_date"), source="feed")
    entry.language = (news.get("language") or "").strip().lower() or None
    entry.categories = [k.strip() for k in news.get("keywords", "").split(",") if k.strip()]


def _leaves(element: etree._Element) -> dict[str, str]:
    """Local name -> text of the element's leaves at any depth (<news:publication>'s name and
    language too), the first of each."""
    found: dict[str, str] = {}
    for child in element.iterdescendants():
        name = _local(child)
        if name and not len(child) and name not in found:
            found[name] = (child.text or "").strip()
    return found


def _text_sitemap(content: bytes, url: str, max_urls: int) -> Sitemap:
    """A plain-text sitemap: one URL a line. Anything else there means it is not one."""
    sitemap = Sitemap(url=url)
    seen: set[str] = set()
    for number, line in enumerate(content.decode("utf-8", "replace").splitlines(), 1):
        text = line.strip()
        if not text:
            continue
        page = web_url(url, text) if text.lower().startswith(("http://", "https://")) else None
        if page is None:
            raise FeedError(
                f"not a sitemap: line {number} is not a URL ({text[:60]!r})",
                url=display_url(url),
            )
        if page in seen:
            continue
        if len(sitemap.entries) >= max_urls:
            sitemap.problem = _over(max_urls, "URLs")
            break
        seen.add(page)
        sitemap.entries.append(Entry(url=page))
    return sitemap


def _over(cap: int, what: str) -> str:
    return f"sitemap lists more than {cap:,} {what}: the first {cap:,} read"


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


__all__ = [
    "MAX_URLS",
    "SITEMAP_PATHS",
    "ChildSitemap",
    "Sitemap",
    "looks_like_sitemap",
    "parse_sitemap",
]
