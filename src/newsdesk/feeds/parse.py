"""Feed documents -> ParsedFeed: RSS 0.90-2.0, RDF, Atom 0.3/1.0 and JSON Feed.

Well-formed XML is read with lxml (xmlfeed), anything else by feedparser's forgiving parser; both
give the same keys, which one piece of code below turns into Entries. feedparser's loose parser
costs seconds a megabyte (more on deeply nested tags), so a broken document over LOOSE_MAX_BYTES
is read by lxml's own recovering parser instead, in milliseconds.

Pure: bytes in, dataclasses out. Every failure is a FeedError with one line saying what and where.
"""

from __future__ import annotations

import calendar
import contextlib
import io
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import feedparser

from newsdesk.encodings import decode_feed
from newsdesk.errors import FeedError
from newsdesk.feeds import jsonfeed
from newsdesk.feeds.text import collapse, html_teaser, html_to_text, text_to_html
from newsdesk.feeds.xmlfeed import Unstreamable, read_xml, stream_xml
from newsdesk.model import Entry, ParsedFeed
from newsdesk.times import parse_date
from newsdesk.urls import web_url

# feedparser's version names -> ours
_VERSIONS = {
    "rss090": "rss090",
    "rss091u": "rss091",
    "rss091n": "rss091",
    "rss092": "rss092",
    "rss093": "rss092",
    "rss094": "rss092",
    "rss20": "rss20",
    "rss": "rss20",
    "rss10": "rss10",
    "atom01": "atom03",
    "atom02": "atom03",
    "atom03": "atom03",
    "atom10": "atom10",
    "atom": "atom10",
}
_PERIODS = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 604800,
    "monthly": 2592000,
    "yearly": 31536000,
}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_HTML_START = re.compile(
    r"^(?:\s|<!--.*?-->|<\?xml[^>]*\?>)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Broken documents up to this size go to feedparser's loose parser (about 3 s a MB of flat XML,
# and more on nested tags); larger ones to lxml's recovering parser.
LOOSE_MAX_BYTES = 512 * 1024
T = TypeVar("T")
# Documents from this size are read item by item when a caller wants only some of their entries
# (or only their keys): a tree costs about seven times the document.
STREAM_MIN_BYTES = 1024 * 1024


def parse_feed(
    content: bytes, url: str, content_type: str | None = None, charset: str | None = None
) -> ParsedFeed:
    """Parse one feed document fetched from `url`.

    `content_type` and `charset` are the HTTP header's, when known; both may be wrong.
    Raises FeedError for an HTML page, a document that holds no feed, or XML too broken to read.
    """
    return read_feed(content, url, content_type, charset).whole()


@dataclass(slots=True)
class FeedDocument:
    """A feed read up to its entries: `feed` without entries, and each entry made only when
    asked for (`entries`), so taking a few entries of a long feed costs only those."""

    feed: ParsedFeed  # its entries list is empty
    raw: Sequence[Any]  # the entries as the reader gave them (feedparser's keys), or Entries
    url: str

    def __len__(self) -> int:
        return len(self.raw)

    def whole(self) -> ParsedFeed:
        """The feed with every entry."""
        self.feed.entries = [entry for _, entry in self.entries()]
        return self.feed

    def entries(
        self, positions: Iterable[int] | None = None, whole: bool = True
    ) -> Iterator[tuple[int, Entry]]:
        """(position in the document, entry) for every entry, or for those at `positions`;
        an entry a reader could not open (no link) is left out, its position with it. Not
        `whole`: each entry's link, GUID and dates alone, at a fraction of the cost."""
        chosen = range(len(self.raw)) if positions is None else sorted(set(positions))
        feed = self.feed
        for position in chosen:
            raw = self.raw[position]
            if isinstance(raw, Entry):
                yield position, raw
            elif entry := _entry(raw, self.url, feed.site_url, feed.language, whole):
                yield position, entry


def _pair(position: int, entry: Entry) -> tuple[int, Entry]:
    return position, entry


def feed_entries(
    content: bytes,
    url: str,
    content_type: str | None = None,
    charset: str | None = None,
    *,
    positions: Iterable[int] | None = None,
    whole: bool = True,
    make: Callable[[int, Entry], T] = _pair,  # type: ignore[assignment]
) -> tuple[ParsedFeed, list[T]]:
    """The feed without its entries, and make(position, entry) for every entry or for those at
    `positions` (see FeedDocument.entries; by default the pair itself), each entry dropped once
    made into that. A long document (STREAM_MIN_BYTES and more) is read item by item when it
    allows (xmlfeed.stream_xml): never whole as a tree, and only the entries asked for made.
    Raises what parse_feed raises."""
    if len(content) >= STREAM_MIN_BYTES and (whole is False or positions is not None):
        with contextlib.suppress(Unstreamable):
            return _streamed(content, url, content_type, charset, positions, whole, make)
    document = read_feed(content, url, content_type, charset)
    return document.feed, [
        make(position, entry) for position, entry in document.entries(positions, whole)
    ]


def _streamed(
    content: bytes,
    url: str,
    content_type: str | None,
    charset: str | None,
    positions: Iterable[int] | None,
    whole: bool,
    make: Callable[[int, Entry], T],
) -> tuple[ParsedFeed, list[T]]:
    body = _xml_body(decode_feed(content, charset)[0].lstrip("\ufeff \t\r\n"))
    if body is None:
        raise Unstreamable("not XML")
    wanted = None if positions is None else set(positions)
    made: list[T] = []  # not whole: made as read (they need no feed fields)
    kept: list[tuple[int, Any]] = []  # whole: read, made once the feed's fields are known
    stream = stream_xml(body, url, None if wanted is None else wanted.__contains__)
    del body
    position = 0
    while True:
        try:
            raw = next(stream)
        except StopIteration as end:
            result = end.value
            break
        if raw is not None and not whole:
            if entry := _entry(raw, url, None, None, whole=False):
                made.append(make(position, entry))
        elif raw is not None:
            kept.append((position, raw))
        position += 1
    if result is None:
        raise Unstreamable("no feed read_xml reads")
    feed = document_from(result, url, content_type).feed
    for position, raw in kept:
        if entry := _entry(raw, url, feed.site_url, feed.language):
            made.append(make(position, entry))
    return feed, made


def read_feed(
    content: bytes, url: str, content_type: str | None = None, charset: str | None = None
) -> FeedDocument:
    """parse_feed, its entries left to be made when asked for (FeedDocument.entries)."""
    stripped = decode_feed(content, charset)[0].lstrip("\ufeff \t\r\n")
    if not stripped:
        raise FeedError(f"{url} is empty, not a feed", url=url)
    if stripped.startswith(("{", "[")):
        feed = jsonfeed.parse_json_feed(stripped, url)
        entries, feed.entries = feed.entries, []
        return FeedDocument(feed, entries, url)
    body = _xml_body(stripped)
    if body is None:
        raise FeedError(f"{url} is an HTML page, not a feed", url=url)
    del stripped  # a long feed's text is not held beside its bytes and its tree
    return _parse_xml(body, url, content_type)


def _xml_body(stripped: str) -> bytes | None:
    """The document for the XML parsers (None for an HTML page or JSON): clean UTF-8 with a
    declaration that says so, so the charset question is settled."""
    if stripped.startswith(("{", "[")) or _HTML_START.match(stripped):
        return None
    # the document's own declaration dropped by its length in bytes: one copy of a long feed
    # fewer than cutting the text first
    declaration = _XML_DECL.match(stripped)
    skip = len(declaration.group().encode()) if declaration else 0
    encoded = stripped.encode()
    return b'<?xml version="1.0" encoding="utf-8"?>' + memoryview(encoded)[skip:]


def _parse_xml(body: bytes, url: str, content_type: str | None) -> FeedDocument:
    result = read_xml(body, url)
    if result is None:
        loose = len(body) <= LOOSE_MAX_BYTES
        result = read_loosely(body, url) if loose else read_xml(body, url, recover=True)
    return document_from(result or {}, url, content_type)


def read_loosely(body: bytes, url: str) -> Any:
    """feedparser's reading, for what lxml cannot read: its loose parser recovers broken XML."""
    return feedparser.parse(
        io.BytesIO(body),
        # feedparser's sanitiser is not ours: titles and summaries become text here, and
        # content is extracted and sanitised (nh3) like any page, so it only cost time
        sanitize_html=False,
        response_headers={
            "content-location": url,
            "content-type": "application/xml; charset=utf-8",
        },
    )


def feed_from(result: Any, url: str, content_type: str | None = None) -> ParsedFeed:
    """The ParsedFeed in a reading (feedparser's or xmlfeed's) of the document at `url`."""
    return document_from(result, url, content_type).whole()


def document_from(result: Any, url: str, content_type: str | None = None) -> FeedDocument:
    """feed_from, its entries left to be made when asked for."""
    version = _VERSIONS.get(result.get("version") or "")
    if version is None:
        if content_type and content_type.split(";")[0].strip().lower() in _HTML_TYPES:
            raise FeedError(f"{url} is an HTML page, not a feed", url=url)
        if result.get("bozo"):
            reason = collapse(str(result.get("bozo_exception") or "unreadable XML"))
            raise FeedError(f"{url} is not a readable feed: {reason}", url=url)
        raise FeedError(f"{url} holds no RSS, Atom or JSON feed", url=url)
    if result.get("bozo") and not result["entries"]:
        reason = collapse(str(result.get("bozo_exception") or "unreadable XML"))
        raise FeedError(f"{url} is not a readable feed: {reason}", url=url)
    meta = result["feed"]
    site_url = web_url(url, meta.get("link"))
    language = _language(meta.get("language"))
    image = meta.get("image") or {}
    feed = ParsedFeed(
        format=version,
        title=html_to_text(meta.get("title")),
        site_url=site_url,
        description=html_to_text(meta.get("subtitle")),
        language=language,
        ttl_seconds=_ttl(meta),
        icon=web_url(url, meta.get("icon") or image.get("href") or meta.get("logo")),
    )
    return FeedDocument(feed, result["entries"], url)


def _entry(
    raw: Any, feed_url: str, site_url: str | None, language: str | None, whole: bool = True
) -> Entry | None:
    """The entry; not `whole`: its link, GUID and dates alone (what tells entries apart)."""
    # relative URLs resolve against the document, as feedparser does for links and content
    base = feed_url
    guid = collapse(raw.get("id") or "") or None
    link = web_url(base, raw.get("link"))
    if link is None and guid and guid.startswith(("http://", "https://")):
        link = web_url(base, guid)
    if not link:
        return None  # nothing a reader could open
    if not whole:
        published = _date(raw.get("published"), raw.get("published_parsed"))
        updated = _date(dict.get(raw, "updated"), dict.get(raw, "updated_parsed"))
        return Entry(url=link, guid=guid, published=published or updated, updated=updated)
    content = _content_html(raw)
    summary_html = raw.get("summary")
    if content and summary_html and summary_html.strip() == content:
        summary_html = None  # feedparser copies Atom content into summary when there is none
    summary = html_to_text(summary_html) or html_teaser(content)
    published = _date(raw.get("published"), raw.get("published_parsed"))
    # dict.get: feedparser's own get() falls back from updated to published, with a warning
    updated = _date(dict.get(raw, "updated"), dict.get(raw, "updated_parsed"))
    return Entry(
        url=link,
        guid=guid,
        title=html_to_text(raw.get("title")),
        published=published or updated,
        updated=updated,
        summary=summary,
        content_html=content,
        authors=_authors(raw),
        image=_image(raw, base),
        language=_entry_language(raw) or language,
        categories=_categories(raw),
    )


def _content_html(raw: Any) -> str | None:
    for part in raw.get("content") or []:
        value = (part.get("value") or "").strip()
        if not value:
            continue
        if part.get("type") == "text/plain":
            return text_to_html(value)
        return value
    return None


_EMAIL = re.compile(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")


def _authors(raw: Any) -> list[str]:
    names: list[str] = []
    line = raw.get("author") or ""
    candidates = []
    for author in raw.get("authors") or []:
        # feedparser splits RSS "mail@host.example (Name)" badly on long TLDs: use the raw line
        email = author.get("email")
        candidates.append(line if email and email in line else author.get("name"))
    for candidate in candidates or [line]:
        name = collapse(_EMAIL.sub(" ", html_to_text(candidate) or "")).strip(" ()")
        if name and name not in names:
            names.append(name)
    return names


def _image(raw: Any, base: str) -> str | None:
    for media in raw.get("media_content") or []:
        kind = (media.get("medium") or media.get("type") or "").lower()
        if media.get("url") and kind.startswith("image"):
            return web_url(base, media["url"])
    for link in raw.get("links") or []:
        is_image = (link.get("type") or "").startswith("image/")
        if link.get("rel") == "enclosure" and is_image and link.get("href"):
            return web_url(base, link["href"])
    for thumb in raw.get("media_thumbnail") or []:
        if thumb.get("url"):
            return web_url(base, thumb["url"])
    return None


def _categories(raw: Any) -> list[str]:
    found: list[str] = []
    for tag in raw.get("tags") or []:
        term = html_to_text(tag.get("label") or tag.get("term"))
        if term and term not in found:
            found.append(term)
    return found


def _entry_language(raw: Any) -> str | None:
    for key in ("title_detail", "summary_detail"):
        detail = raw.get(key) or {}
        if detail.get("language"):
            return _language(detail["language"])
    for part in raw.get("content") or []:
        if part.get("language"):
            return _language(part["language"])
    return None


def _language(value: str | None) -> str | None:
    value = collapse(value or "")
    return value.lower() or None


def _ttl(meta: Any) -> int | None:
    ttl = str(meta.get("ttl") or "").strip()
    if ttl.isdigit() and int(ttl) > 0:
        return int(ttl) * 60
    period = _PERIODS.get(str(meta.get("sy_updateperiod") or "").strip().lower())
    if period is None:
        return None
    frequency = str(meta.get("sy_updatefrequency") or "1").strip()
    return period // max(int(frequency), 1) if frequency.isdigit() else period


def _date(raw: str | None, parsed: time.struct_time | None) -> datetime | None:
    """The date as the feed wrote it, offset kept; feedparser's UTC reading when unreadable."""
    value = parse_date(raw, source="feed")
    if value is None and parsed is not None:
        value = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return value
