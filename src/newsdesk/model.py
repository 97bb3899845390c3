"""Plain dataclasses shared by every layer. No I/O here.

Datetimes are timezone-aware whenever the source gives an offset; a naive datetime means the
source gave no zone. Text fields are plain text unless the name ends in ``_html``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Page:
    """One fetched HTTP response, already decoded to bytes within the size caps."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    content: bytes = b""
    not_modified: bool = False  # a 304 answer to a conditional GET

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


@dataclass(slots=True)
class Entry:
    """One item of a feed, as the feed describes it."""

    url: str
    guid: str | None = None
    title: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    summary: str | None = None  # plain-text teaser
    content_html: str | None = None  # full content when the feed carries it (unsanitised)
    authors: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFeed:
    """A feed document turned into entries."""

    format: str  # rss090, rss091, rss092, rss10, rss20, atom03, atom10, json10, json11
    title: str | None = None
    site_url: str | None = None
    description: str | None = None
    language: str | None = None
    ttl_seconds: int | None = None  # RSS <ttl> or sy:updatePeriod, when given
    icon: str | None = None
    entries: list[Entry] = field(default_factory=list)


@dataclass(slots=True)
class Subscription:
    """A feed named in an OPML file or given by a user."""

    url: str
    title: str | None = None
    site_url: str | None = None
    folder: str | None = None


@dataclass(slots=True)
class Article:
    """A clean article: the public shape of `newsdesk extract --json` (see docs/json.md)."""

    url: str
    canonical_url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    image: str | None = None
    image_caption: str | None = None
    description: str | None = None  # the page's own teaser
    text: str = ""  # body paragraphs separated by a blank line
    html: str = ""  # the body as sanitised HTML (p, h2-h6, ul/ol/li, blockquote, table)
    method: str = ""  # which extractor produced the body, e.g. "newsdesk", "json-ld", "feed"


@dataclass(slots=True)
class Feed:
    """A stored source (a feed, or a site's sitemap) and its polling state."""

    id: int
    url: str
    title: str | None = None
    site_url: str | None = None
    folder: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetched_at: datetime | None = None
    next_fetch_at: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    retired: bool = False
    paused: bool = False
    created_at: datetime | None = None
    user_title: str | None = None  # the name the reader gave the feed; wins over title for display
    icon_url: str | None = None
    interval_seconds: int | None = None  # current polling interval
    licensed_full_text: bool = False  # the publisher allows republishing the full text
    removed_at: datetime | None = None  # when it was unsubscribed (the row is kept)
    kind: str = "feed"  # "feed" (RSS, Atom, JSON Feed) or "sitemap" (a site's sitemap)
    # what a sitemap source remembers between polls: its child sitemaps, their validators
    source_state: dict[str, Any] | None = None

    @property
    def name(self) -> str | None:
        """The feed's name: the one the reader gave it, else the feed's own title."""
        return self.user_title or self.title

    @property
    def display_name(self) -> str:
        """What every interface calls the feed: its name, else its URL."""
        return self.name or self.url


@dataclass(slots=True)
class SiteIcon:
    """A site's icon as the store keeps it: `key` names it in newsdesk's icon address; `data`
    is None when the site had none to give (`checked_at` says when that was found)."""

    site: str  # the origin, "https://example.org"
    key: str
    checked_at: datetime
    url: str | None = None  # where it was found
    content_type: str | None = None
    data: bytes | None = None
    digest: str | None = None  # SHA-256 of data, hex: its ETag


@dataclass(slots=True)
class StoredArticle:
    """An article as the store holds it."""

    id: int
    feed_id: int | None
    feed_title: str | None
    article: Article
    guid: str | None = None
    fetched_at: datetime | None = None
    duplicate_of: int | None = None
    story_id: int | None = None
    copies: int = 0
    warc_record_id: str | None = None  # the WARC record it was read from (newsdesk archive)


@dataclass(slots=True)
class Story:
    """The coverage of one event across outlets."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    article_ids: list[int] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)


@dataclass(slots=True)
class User:
    """An account of the web reader and the client APIs (no secrets here)."""

    id: int
    username: str
    is_admin: bool = False
    created_at: datetime | None = None


RIVER_VIEWS = ("stories", "articles")  # one item per story, or one per article
TEXT_SIZES = ("small", "normal", "large", "larger")
TEXT_WIDTHS = ("narrow", "normal", "wide")  # how wide a line of the page may grow
YES_NO = ("yes", "no")


@dataclass(frozen=True, slots=True)
class ReadingSettings:
    """How one reader likes to read: kept per user, each a name and a text value in the store
    (a setting the store has not seen keeps its default here)."""

    river_view: str = "stories"
    text_size: str = "normal"
    width: str = "normal"
    show_images: str = "yes"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("river_view", RIVER_VIEWS),
            ("text_size", TEXT_SIZES),
            ("width", TEXT_WIDTHS),
            ("show_images", YES_NO),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}")
