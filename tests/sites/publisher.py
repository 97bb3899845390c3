"""Fixture news publishers served on loopback: real HTTP servers the whole test suite reads.

Each site runs its own threaded HTTP/1.1 server on its own loopback address (127.0.0.2,
127.0.0.3, ...) and a free port, so per-host limits behave as they do on the web::

    with Publisher() as pub:
        pub.sites                        # {"daily-planet": "http://127.0.0.2:41234", ...}
        pub.feed_url("daily-planet")     # the feed its home page announces (RSS 2.0)
        pub.feed_url("daily-planet", "atom03")
        pub.article_urls("tokyo-shimbun")
        pub.expected(pub.seed_url)       # ExpectedArticle: title, published, paragraphs, ...

or through the ``publisher`` fixture, which tests/conftest.py makes available to every test
(a fresh Publisher per test). The content is data in ``tests/sites/pages/content.py``; pages
are Jinja2 templates beside it, feeds are written by ``tests/sites/pages/feeds.py``.

Sites
  daily-planet      en, +00:00. Home page links RSS 2.0 (/rss20.xml) and Atom 1.0.
  northern-courier  en, -05:00. Home page links NO feed; its Atom 1.0 feed is at /feed only
                    (common-path discovery).
  harbour-gazette   en, +11:00. Home page links JSON Feed 1.1 and RSS 1.0.
  tokyo-shimbun     ja, +09:00. Home page links RSS 1.0, served in Shift_JIS.
Every site also serves every format: /rss090.rdf /rss091.xml /rss092.xml /rss10.rdf /rss20.xml
/atom03.xml /atom10.xml /feed10.json /feed11.json (``FORMATS``), with ETag, Last-Modified,
304 answers to conditional requests and Cache-Control (``set_cache_control``). Atom 1.0 entries
link with paths relative to the feed. /robots.txt disallows /private/. /img/* is a tiny PNG.

Stories (``content.py``; ``urls_in_group(name)``)
  seed          the seed page (daily-planet): the BBC story with the seed's noise: headline
                run into its dateline, "- Advertisement -" slots, a map caption, a "More
                stories" strip with repeated teasers. ``expected(seed_url)`` is the clean result.
  wire          one wire story, same body, on three sites, different headlines/URLs/bylines.
  storm-elin    one event covered by three sites in their own words.
  quake-peru, quake-turkey
                two different earthquakes on the same day, each covered by two sites.
  cjk           two Japanese articles (tokyo-shimbun).
  other         unrelated local news.
Article pages carry JSON-LD NewsArticle, OpenGraph, article:published_time with time and offset,
rel=canonical (without tracking parameters), the headline immediately followed by its dateline,
ad slots, share bars, a figure with caption and photo credit, a cookie banner, a newsletter box,
a "More stories" strip, a comment form, a "Most read" sidebar and "Headline | Site" titles.

Changing what is served
  add_entry(site, title, paragraphs, ...)  publish a new article (top of feeds and home page)
  update_entry(url, title=, paragraphs=)   revise an article (same URL and GUID, new updated time)
  remove_entry(url)                        drop an article from feeds and home page
  change_guid(url, guid=None)              republish an item under a new GUID
  set_feed_mode(site, mode, fmt=None)      ok, gone (410), error (500), unavailable (503 +
                                           Retry-After), not_found (404), html (a page),
                                           malformed (broken XML that still reads), broken
                                           (unreadable), empty (valid feed, no items)
  set_link_style(site, style)              how feeds write article links: plain, utm (tracking
                                           parameters), https (https:// scheme), slash (trailing /)
  set_cache_control(site, value)           the feeds' Cache-Control header
Counting: ``hits(site, path=None)`` (query ignored), ``request_log(site)``, ``reset_counts()``.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import pytest

from tests.sites.pages.content import SITES, STORIES, Figure, Site, Story
from tests.sites.pages.feeds import MEDIA_TYPES, PATHS, RENDERERS, Channel, Item

FORMATS = tuple(PATHS)
FEED_MODES = (
    "ok",
    "gone",
    "error",
    "unavailable",
    "not_found",
    "html",
    "malformed",
    "broken",
    "empty",
)
LINK_STYLES = ("plain", "utm", "https", "slash")
UTM = "utm_source=rss&utm_medium=feed&utm_campaign=newsdesk-test"
# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6300010000000500010d0a2db40000000049454e44ae426082"
)
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "pages"),
    autoescape=True,
    keep_trailing_newline=True,
)
_FEED_ENCODING = {("tokyo-shimbun", "rss10"): "shift_jis"}


@dataclass(frozen=True)
class ExpectedArticle:
    """What a clean extraction of one article page must give."""

    url: str
    canonical_url: str
    title: str
    published: datetime
    updated: datetime | None
    authors: list[str]
    language: str
    site_name: str
    image: str | None
    image_caption: str | None
    description: str
    paragraphs: list[str]
    group: str

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Request:
    path: str
    query: str
    method: str
    headers: dict[str, str]  # lower-cased names
    status: int = 0
    at: float = field(default_factory=time.monotonic)  # when it arrived


class _SiteState:
    def __init__(self, site: Site, address: str) -> None:
        self.site = site
        self.address = address
        self.base = ""
        # copies: tests revise stories, and the module data must stay as written
        self.stories: list[Story] = [replace(s) for s in STORIES if s.site == site.key]
        self.guids: dict[str, str] = {}  # path -> replacement GUID
        self.modes: dict[str | None, str] = {}  # format (None: every format) -> mode
        self.link_style = "plain"
        self.cache_control = "public, max-age=300"
        self.changed = max(s.updated or s.published for s in self.stories).astimezone(UTC)
        self.hits: Counter[str] = Counter()
        self.log: list[Request] = []
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    def sorted_stories(self) -> list[Story]:
        return sorted(self.stories, key=lambda s: s.published, reverse=True)

    def touch(self) -> None:
        # Last-Modified has one-second precision; never go backwards
        self.changed = max(datetime.now(UTC).replace(microsecond=0), self.changed + timedelta(0, 1))


class Publisher:
    """Four fixture news sites on loopback; a context manager, or the ``publisher`` fixture."""

    def __init__(self, first_address: int = 2) -> None:
        self._lock = threading.RLock()
        self._states = {
            key: _SiteState(site, f"127.0.0.{first_address + i}")
            for i, (key, site) in enumerate(SITES.items())
        }
        self.sites: dict[str, str] = {}

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> Publisher:
        for key, state in self._states.items():
            server = _bind(state.address, _handler(self, key))
            host, port = server.server_address[:2]
            state.address = str(host)
            state.base = f"http://{host}:{port}"
            state.server = server
            state.thread = threading.Thread(
                target=server.serve_forever, args=(0.05,), name=f"publisher-{key}", daemon=True
            )
            state.thread.start()
            self.sites[key] = state.base
        return self

    def stop(self) -> None:
        for state in self._states.values():
            if state.server is not None:
                state.server.shutdown()
                state.server.server_close()
                state.server = None

    def __enter__(self) -> Publisher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what tests read -----------------------------------------------------------------------

    def home_url(self, site: str) -> str:
        return self.sites[site] + "/"

    def feed_url(self, site: str, fmt: str | None = None) -> str:
        """The URL of `fmt` on `site`; without `fmt`, the feed the site announces (or /feed)."""
        state = self._states[site]
        if fmt is None:
            return state.base + (
                "/feed" if not state.site.announces_feed else PATHS[state.site.main_format]
            )
        return state.base + PATHS[fmt]

    def main_format(self, site: str) -> str:
        return self._states[site].site.main_format

    def article_urls(self, site: str) -> list[str]:
        """Canonical article URLs of `site`, newest first (as its feeds list them)."""
        state = self._states[site]
        with self._lock:
            return [state.base + s.path for s in state.sorted_stories()]

    def urls_in_group(self, group: str) -> list[str]:
        """Canonical URLs of the stories of one scenario (seed, wire, storm-elin, quake-peru...)."""
        with self._lock:
            return [
                state.base + s.path
                for state in self._states.values()
                for s in state.sorted_stories()
                if s.group == group
            ]

    @property
    def seed_url(self) -> str:
        return self.urls_in_group("seed")[0]

    def expected(self, url: str) -> ExpectedArticle:
        """The clean fields of the article at `url` (any link style of it)."""
        state, story = self._find(url)
        figure = story.figure
        return ExpectedArticle(
            url=url,
            canonical_url=state.base + story.path,
            title=story.headline,
            published=story.published,
            updated=story.updated,
            authors=list(story.authors),
            language=state.site.language,
            site_name=state.site.name,
            image=state.base + figure.src if figure else None,
            image_caption=figure.caption if figure else None,
            description=story.teaser,
            paragraphs=list(story.paragraphs),
            group=story.group,
        )

    def hits(self, site: str, path: str | None = None) -> int:
        """Requests `site` answered, to `path` (query ignored) or in all."""
        state = self._states[site]
        with self._lock:
            return sum(state.hits.values()) if path is None else state.hits[path]

    def request_log(self, site: str) -> list[Request]:
        with self._lock:
            return list(self._states[site].log)

    def reset_counts(self) -> None:
        with self._lock:
            for state in self._states.values():
                state.hits.clear()
                state.log.clear()

    # --- what tests change ---------------------------------------------------------------------

    def add_entry(
        self,
        site: str,
        title: str,
        paragraphs: list[str] | None = None,
        *,
        published: datetime | None = None,
        authors: list[str] | None = None,
        path: str | None = None,
        guid: str | None = None,
        summary: str = "",
        tags: list[str] | None = None,
        figure: Figure | None = None,
        group: str = "added",
    ) -> str:
        """Publish a new article on `site`; return its URL."""
        state = self._states[site]
        with self._lock:
            number = len(state.stories) + 1
            slug = "-".join("".join(c for c in w if c.isalnum()) for w in title.lower().split())
            story = Story(
                site=site,
                guid=guid or f"tag:{site}.example,2024:added-{number}",
                path=path or f"/news/{slug or 'story'}-{number}",
                headline=title,
                published=published or datetime.now(state.site.tz).replace(microsecond=0),
                authors=list(authors or []),
                paragraphs=list(paragraphs or [f"{title}.", f"More on {title.lower()} to follow."]),
                summary=summary,
                tags=list(tags or []),
                figure=figure,
                group=group,
            )
            state.stories.append(story)
            state.touch()
            return state.base + story.path

    def update_entry(
        self,
        url: str,
        *,
        title: str | None = None,
        paragraphs: list[str] | None = None,
        updated: datetime | None = None,
    ) -> None:
        """Revise an article in place (same URL and GUID); its updated time moves on."""
        state, story = self._find(url)
        with self._lock:
            story.headline = title or story.headline
            story.paragraphs = list(paragraphs or story.paragraphs)
            story.updated = updated or datetime.now(state.site.tz).replace(microsecond=0)
            state.touch()

    def remove_entry(self, url: str) -> None:
        state, story = self._find(url)
        with self._lock:
            state.stories.remove(story)
            state.touch()

    def change_guid(self, url: str, guid: str | None = None) -> str:
        """Republish the item for `url` under another GUID (same link); return the new GUID."""
        state, story = self._find(url)
        with self._lock:
            new = guid or f"{self._guid(state, story)}-republished"
            state.guids[story.path] = new
            state.touch()
            return new

    def set_feed_mode(self, site: str, mode: str, fmt: str | None = None) -> None:
        if mode not in FEED_MODES:
            raise ValueError(f"unknown feed mode {mode!r}; one of {FEED_MODES}")
        state = self._states[site]
        with self._lock:
            if fmt is None:
                state.modes = {None: mode}
            else:
                state.modes[fmt] = mode
            state.touch()

    def set_link_style(self, site: str, style: str) -> None:
        if style not in LINK_STYLES:
            raise ValueError(f"unknown link style {style!r}; one of {LINK_STYLES}")
        with self._lock:
            self._states[site].link_style = style
            self._states[site].touch()

    def set_cache_control(self, site: str, value: str | None) -> None:
        with self._lock:
            self._states[site].cache_control = value or ""

    # --- rendering -----------------------------------------------------------------------------

    def _find(self, url: str) -> tuple[_SiteState, Story]:
        parts = urlsplit(url)
        path = parts.path.rstrip("/") or "/"
        with self._lock:
            for state in self._states.values():
                if urlsplit(state.base).port != parts.port and state.base:
                    continue
                for story in state.stories:
                    if story.path == path:
                        return state, story
        raise KeyError(f"no fixture article at {url}")

    def _guid(self, state: _SiteState, story: Story) -> str:
        return state.guids.get(story.path, story.guid)

    def _items(self, state: _SiteState) -> list[Item]:
        items = []
        for story in state.sorted_stories():
            path = story.path
            if state.link_style == "utm":
                path += "?" + UTM
            elif state.link_style == "slash":
                path += "/"
            url = state.base + path
            if state.link_style == "https":
                url = "https" + url[len("http") :]
                path = url
            guid = self._guid(state, story)
            body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in story.paragraphs)
            if story.figure:
                body = f'<figure><img src="{story.figure.src}" alt=""></figure>' + body
            items.append(
                Item(
                    title=story.feed_title or story.headline,
                    url=url,
                    path=path,
                    guid=guid,
                    guid_is_permalink=guid == url,
                    published=story.published,
                    updated=story.updated,
                    summary=story.teaser,
                    content_html=body,
                    authors=story.authors,
                    tags=story.tags,
                    image=state.base + story.figure.src if story.figure else None,
                    language=state.site.language,
                )
            )
        return items

    def _feed_links(self, state: _SiteState) -> list[dict[str, str]]:
        if not state.site.announces_feed:
            return []
        formats = (state.site.main_format, *state.site.extra_formats)
        return [
            {"type": MEDIA_TYPES[f], "href": state.base + PATHS[f], "label": f} for f in formats
        ]

    def render_feed(self, site: str, fmt: str) -> tuple[str, str]:
        """(body, encoding) of `fmt` on `site` as it is served in mode ok."""
        state = self._states[site]
        with self._lock:
            encoding = _FEED_ENCODING.get((site, fmt), "utf-8")
            channel = Channel(
                title=state.site.name,
                site_url=state.base + "/",
                feed_url=state.base + PATHS[fmt],
                description=state.site.tagline,
                language=state.site.language,
                updated=state.changed.astimezone(state.site.tz),
                encoding=encoding,
            )
            items = [] if self._mode(state, fmt) == "empty" else self._items(state)
            return RENDERERS[fmt](channel, items), encoding

    def render_home(self, site: str) -> str:
        state = self._states[site]
        with self._lock:
            items = [
                {
                    "href": s.path,
                    "title": s.headline,
                    "iso": s.published.isoformat(),
                    "dateline": _dateline(s.published, state.site.language),
                    "excerpt": s.teaser,
                }
                for s in state.sorted_stories()
            ]
            return _TEMPLATES.get_template("home.html").render(
                site=state.site,
                base=state.base,
                feeds=self._feed_links(state),
                items=items,
                year=state.changed.year,
            )

    def render_article(self, site: str, story: Story) -> str:
        with self._lock:
            return self._render_article(self._states[site], story)

    def _render_article(self, state: _SiteState, story: Story) -> str:
        seed = story.group == "seed"
        others = [s for s in state.sorted_stories() if s is not story]
        canonical = state.base + story.path
        image = state.base + story.figure.src if story.figure else None
        if seed:
            related = [
                {
                    "href": f"/more/{i}",
                    "title": t.title,
                    "dateline": _dateline(t.when, "en"),
                    "excerpt": t.excerpt,
                    "short_excerpt": t.short_excerpt,
                }
                for i, t in enumerate(story.related, 1)
            ]
        else:
            related = [
                {
                    "href": s.path,
                    "title": s.headline,
                    "dateline": _dateline(s.published, state.site.language),
                    "excerpt": s.teaser,
                    "short_excerpt": s.teaser[:48].rsplit(" ", 1)[0] + "...",
                }
                for s in others[:4]
            ]
        jsonld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "headline": story.headline,
            "description": story.teaser,
            "datePublished": story.published.isoformat(),
            "dateModified": (story.updated or story.published).isoformat(),
            "inLanguage": state.site.language,
            "articleSection": story.section,
            "publisher": {
                "@type": "NewsMediaOrganization",
                "name": state.site.name,
                "logo": {"@type": "ImageObject", "url": state.base + "/img/logo.png"},
            },
        }
        if story.authors:
            jsonld["author"] = [{"@type": "Person", "name": a} for a in story.authors]
        if image:
            jsonld["image"] = {"@type": "ImageObject", "url": image, "width": 800, "height": 450}
        read_more = others[0] if others and not seed else None
        return _TEMPLATES.get_template("article.html").render(
            site=state.site,
            story=story,
            canonical=canonical,
            feeds=self._feed_links(state),
            image=image,
            locale={"en": "en_GB", "ja": "ja_JP"}.get(state.site.language, "en_GB"),
            published_iso=story.published.isoformat(),
            modified_iso=story.updated.isoformat() if story.updated else None,
            dateline=_dateline(story.published, state.site.language),
            jsonld=json.dumps(jsonld, ensure_ascii=False).replace("</", "<\\/"),
            top_ads=4 if seed else 1,
            figure=story.figure,
            figure_at_end=seed,
            read_more={"href": read_more.path, "title": read_more.headline} if read_more else None,
            related=related,
            most_read=[{"href": s.path, "title": s.headline} for s in others[:5]],
            year=story.published.year,
        )

    def _mode(self, state: _SiteState, fmt: str) -> str:
        return state.modes.get(fmt) or state.modes.get(None) or "ok"

    # --- serving -------------------------------------------------------------------------------

    def _respond(self, site: str, method: str, path: str, headers: dict[str, str]) -> _Answer:
        state = self._states[site]
        with self._lock:
            state.hits[path] += 1
        fmt = _feed_format(state, path)
        if fmt is not None:
            return self._feed_answer(site, fmt, headers)
        if path == "/":
            return _page(self.render_home(site), state)
        if path == "/robots.txt":
            return _Answer(
                200, "text/plain; charset=utf-8", b"User-agent: *\nDisallow: /private/\n"
            )
        if path.startswith("/img/"):
            return _Answer(200, "image/png", PNG, {"Cache-Control": "max-age=86400"})
        with self._lock:
            story = next((s for s in state.stories if s.path == (path.rstrip("/") or "/")), None)
        if story is None:
            body = f"<!DOCTYPE html><html><head><title>Page not found | {state.site.name}</title>"
            body += "</head><body><h1>Page not found</h1></body></html>"
            return _Answer(404, "text/html; charset=utf-8", body.encode())
        return _conditional(_page(self.render_article(site, story), state), headers, state.changed)

    def _feed_answer(self, site: str, fmt: str, headers: dict[str, str]) -> _Answer:
        state = self._states[site]
        with self._lock:
            mode = self._mode(state, fmt)
        if mode == "gone":
            return _Answer(410, "text/plain", b"Gone")
        if mode == "error":
            return _Answer(500, "text/html", b"<html><body>Internal Server Error</body></html>")
        if mode == "unavailable":
            return _Answer(503, "text/plain", b"Try later", {"Retry-After": "120"})
        if mode == "not_found":
            return _Answer(404, "text/html", b"<html><body>Not found</body></html>")
        if mode == "html":
            return _page(self.render_home(site), state)
        if mode == "broken":
            return _Answer(
                200, "application/rss+xml", b'<?xml version="1.0"?>\n<rss version="2.0"><chan'
            )
        body, encoding = self.render_feed(site, fmt)
        kind = MEDIA_TYPES[fmt]
        if mode == "malformed":  # a bare ampersand and no end tags: still readable, not XML
            body, _ = self.render_feed(site, "rss20")
            body = body.replace("<channel>\n<title>", "<channel>\n<title>News & ", 1)
            body = body.rsplit("</channel>", 1)[0]
            kind, encoding = MEDIA_TYPES["rss20"], "utf-8"
        content_type = kind if encoding != "utf-8" else f"{kind}; charset=utf-8"
        answer = _Answer(200, content_type, body.encode(encoding, errors="xmlcharrefreplace"))
        if state.cache_control:
            answer.headers["Cache-Control"] = state.cache_control
        return _conditional(answer, headers, state.changed)


@dataclass
class _Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self.headers = dict(self.headers or {})


def _page(text: str, state: _SiteState) -> _Answer:
    return _Answer(200, "text/html; charset=utf-8", text.encode(), {"Cache-Control": "max-age=60"})


def _conditional(answer: _Answer, request: dict[str, str], changed: datetime) -> _Answer:
    """Add ETag and Last-Modified; answer 304 when the client's copy is current."""
    etag = '"' + hashlib.sha256(answer.body).hexdigest()[:20] + '"'
    headers = dict(
        answer.headers or {}, ETag=etag, **{"Last-Modified": format_datetime(changed, usegmt=True)}
    )
    fresh = False
    if "if-none-match" in request:
        fresh = (
            etag in [t.strip() for t in request["if-none-match"].split(",")]
            or request["if-none-match"].strip() == "*"
        )
    elif "if-modified-since" in request:
        try:
            fresh = parsedate_to_datetime(request["if-modified-since"]) >= changed
        except (TypeError, ValueError):
            fresh = False
    if fresh:
        return _Answer(304, answer.content_type, b"", headers)
    return replace(answer, headers=headers)


def _feed_format(state: _SiteState, path: str) -> str | None:
    if path == "/feed" and not state.site.announces_feed:
        return state.site.main_format
    for fmt, feed_path in PATHS.items():
        if path == feed_path:
            return fmt
    return None


def _dateline(when: datetime, language: str) -> str:
    if language == "ja":
        return f"{when.year}年{when.month}月{when.day}日 {when.hour}時{when.minute:02d}分"
    hour = when.hour % 12 or 12
    ampm = "am" if when.hour < 12 else "pm"
    return f"on {when:%B} {when.day}, {when.year} at {hour}:{when.minute:02d} {ampm}"


def _handler(publisher: Publisher, site: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FixturePublisher/1.0"

        def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
            self._answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            record = Request(parts.path, parts.query, self.command, headers)
            with publisher._lock:
                publisher._states[site].log.append(record)
            answer = publisher._respond(site, self.command, parts.path, headers)
            record.status = answer.status
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in (answer.headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if send_body and answer.status != 304:
                self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # tests read request_log() instead of stderr

    return Handler


def _bind(address: str, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A server on `address` and a free port; 127.0.0.1 where other loopback addresses fail."""
    ThreadingHTTPServer.daemon_threads = True
    try:
        return ThreadingHTTPServer((address, 0), handler)
    except OSError:
        return ThreadingHTTPServer(("127.0.0.1", 0), handler)


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    """A fresh set of fixture sites for one test."""
    with Publisher() as pub:
        yield pub


__all__ = ["FEED_MODES", "FORMATS", "LINK_STYLES", "ExpectedArticle", "Publisher", "publisher"]
