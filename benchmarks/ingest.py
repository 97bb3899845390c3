"""End-to-end ingest benchmark: feeds in, clean articles stored, against a loopback publisher.

A publisher process serves N feeds of M articles each from several loopback addresses
(127.0.0.2, 127.0.0.3, ...), one news site per address, so per-host limits act as they would on
the web. newsdesk then runs one full ingest (every feed, every article page fetched, extracted,
matched and stored) and a second poll in which every feed answers 304. Side by side, in the same
run, the same feeds are read by feedparser alone (what a headline-only reader does) so the cost
of full text is visible.

    python benchmarks/ingest.py                      # 1,000 feeds, 20,000 articles
    python benchmarks/ingest.py --feeds 100 --per-feed 10 --seed 7

The news is generated from `--seed`, page by page on request, nothing stored: events with their
own names, places, numbers and topic words, each covered by 1 to 60 articles (most by 1 to 10)
written in a long-tailed vocabulary, a few wire stories printed by several sites, and a few pages
listed by two feeds. Pages are the size of real news pages (about 100 KB) with their noise: the
fixture publisher's article template (tests/sites/pages/article.html: cookie banner, share bars,
ad slots, newsletter box, "More stories", comment form, "Most read") plus a site's scripts,
styles, icon sprite, mega menu, trending bar, sponsored links, reader comments and footer.

Per-host spacing is set to 0 (the publisher is ours and on loopback); per-host concurrency stays 1.

CPU accounting: "extraction" is the CPU `extract_article` itself took in the worker processes;
"pipeline" is everything else newsdesk spent: the main process (fetching, feed parsing, matching,
the store) plus the workers' own overhead around extraction (receiving pages, sending articles).
The publisher runs in its own process and is counted in neither.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import hashlib
import itertools
import json
import os
import random
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.sites: the fixture publisher's templates and feeds

from benchmarks import harness  # noqa: E402

SMOKE_ARGS = "--feeds 4 --per-feed 3 --hosts 2 --workers 1 --pg-workers 1,2 --fault-rounds 1"

# --- the news: events, articles and the words they are written in ------------------------------

FUNCTION_WORDS = (
    "the the the the of of of and and and to to to a a in in is that for on was with as by at "
    "from it its his her their has have had said says will would be been an are were not but "
    "this which after before over under more most also than who when where while about into "
    "other some new first last two three year years people week day time on up out could"
).split()
SYLLABLES = (
    "ba be bi bo bu ca ce co da de di do fa fe fi ga go ha he hi ka ke ko la le li lo lu ma me "
    "mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we ya yo za "
    "an ar en er in on or ul st tr pl gr br dr kr"
).split()
VOCABULARY = 40_000  # content words, drawn with Zipf's law as in real text
NAMES = 30_000  # names of people, places and bodies
START = datetime(2026, 11, 1, tzinfo=UTC)
SECTIONS = ("World", "UK", "Business", "Politics", "Sport", "Science", "Health", "Culture")


def pseudo_words(rng: random.Random, count: int, syllables: tuple[int, int]) -> list[str]:
    seen: set[str] = set()
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*syllables)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Event:
    """One thing that happened, and what every article about it shares."""

    number: int
    at: datetime
    names: tuple[str, ...]
    topic: tuple[str, ...]
    figures: tuple[str, ...]
    wire: bool  # a wire story: its articles print one agency text


@dataclass(frozen=True)
class Piece:
    """One article as its site prints it."""

    slot: int
    host: int
    feed: int
    path: str
    headline: str
    teaser: str
    authors: tuple[str, ...]
    published: datetime
    section: str


class Newsroom:
    """Everything the publisher prints, decided by `seed` alone; pages are written on request."""

    def __init__(self, seed: int, feeds: int, per_feed: int, hosts: int) -> None:
        self.seed, self.feeds, self.per_feed, self.hosts = seed, feeds, per_feed, hosts
        rng = random.Random(seed)
        self.words = pseudo_words(rng, VOCABULARY, (2, 4))
        self.names = [w.capitalize() for w in pseudo_words(rng, NAMES, (2, 3))]
        self.cumulative = list(
            itertools.accumulate(1 / (r + 10) ** 1.05 for r in range(VOCABULARY))
        )
        slots = feeds * per_feed
        span = timedelta(days=max(3.0, slots / 2000))  # about 2,000 articles a day
        sizes = range(1, 61)
        size_weights = [1 / k**2.1 for k in sizes]  # most events 1-10 articles, a few many
        events: list[Event] = []
        members: list[int] = []
        while len(members) < slots:
            size = rng.choices(sizes, size_weights)[0]
            number = len(events)
            events.append(
                Event(
                    number=number,
                    at=START + span * rng.random(),
                    names=tuple(rng.sample(self.names, 4)),
                    topic=tuple(self.word(rng) for _ in range(4)),
                    figures=tuple(str(rng.randint(2, 9999)) for _ in range(2)),
                    wire=size >= 3 and rng.random() < 0.15,
                )
            )
            members.extend([number] * size)
        members = members[:slots]
        rng.shuffle(members)
        self.events = events
        self.event_of = members
        # about 1 page in 100 is listed by a second feed too (a section and a topic feed)
        self.listed_as = {
            slot: rng.randrange(slots) for slot in rng.sample(range(slots), slots // 100)
        }

    def word(self, rng: random.Random) -> str:
        return self.words[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def sentence(self, rng: random.Random, event: Event | None, length: int) -> str:
        filler = rng.choices(FUNCTION_WORDS, k=length)
        content = rng.choices(self.words, cum_weights=self.cumulative, k=length)
        terms = (event.names * 7 + event.topic * 6 + event.figures) if event else ()
        out = []
        for i in range(length):
            roll = rng.random()
            if roll < 0.40:
                out.append(filler[i])
            elif roll < 0.545 and terms:  # the event's names, topic words and figures
                out.append(terms[int((roll - 0.40) / 0.145 * len(terms))])
            else:
                out.append(content[i])
        text = " ".join(out)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, rng: random.Random, event: Event | None) -> str:
        return " ".join(
            self.sentence(rng, event, rng.randint(10, 28)) for _ in range(rng.randint(2, 4))
        )

    def site_of(self, feed: int) -> int:
        return feed % self.hosts

    def slot_path(self, slot: int) -> str:
        feed, item = divmod(slot, self.per_feed)
        return f"/f{feed}/a{item}/"

    @lru_cache(maxsize=4096)  # noqa: B019 (one Newsroom per process, and it lives as long)
    def piece(self, slot: int) -> Piece:
        """What a feed and a teaser show of an article (its body is `body`)."""
        event = self.events[self.event_of[slot]]
        feed = slot // self.per_feed
        rng = random.Random(f"{self.seed}-article-{slot}")
        headline = " ".join(
            [event.names[0], *(rng.choice(event.topic) for _ in range(2))]
            + [self.word(rng) for _ in range(rng.randint(3, 7))]
        )
        headline = headline[0].upper() + headline[1:]
        at = event.at + timedelta(hours=min(48.0, rng.expovariate(1 / 5)))
        slug = "-".join(headline.lower().split()[:6])
        authors = tuple(f"{rng.choice(self.names)} {rng.choice(self.names)}" for _ in range(2))
        return Piece(
            slot=slot,
            host=self.site_of(feed),
            feed=feed,
            path=f"{self.slot_path(slot)}{slug}",
            headline=headline,
            teaser=self.sentence(rng, event, rng.randint(14, 30)),
            authors=authors[: rng.randint(1, 2)],
            published=at.replace(microsecond=0),
            section=SECTIONS[feed % len(SECTIONS)],
        )

    def _body_rng(self, slot: int, event: Event) -> random.Random:
        if event.wire:  # one agency text for every site that prints it
            return random.Random(f"{self.seed}-wire-{event.number}")
        return random.Random(f"{self.seed}-body-{slot}")

    def body(self, slot: int) -> list[str]:
        """The article's paragraphs; a wire story's sites each cut the agency text short."""
        event = self.events[self.event_of[slot]]
        rng = self._body_rng(slot, event)
        length = random.Random(f"{self.seed}-length-{slot}").randint(
            *((9, 14) if event.wire else (6, 16))
        )
        return [self.paragraph(rng, event) for _ in range(length)]

    def listed(self, feed: int) -> list[int]:
        """The slots a feed lists: its own, or for a few, another feed's page."""
        first = feed * self.per_feed
        return [self.listed_as.get(slot, slot) for slot in range(first, first + self.per_feed)]


# --- the pages: the fixture publisher's template, plus a real site's bulk ----------------------


class Printer:
    """Writes feeds and pages for one site (one loopback host)."""

    def __init__(self, newsroom: Newsroom, host: int, base_url: str) -> None:
        import jinja2
        from tests.sites.pages.content import Site

        self.newsroom, self.host, self.base = newsroom, host, base_url
        rng = random.Random(f"{newsroom.seed}-site-{host}")
        kind = rng.choice(["Times", "Post", "Herald", "Courier", "Daily", "Chronicle"])
        name = f"The {rng.choice(newsroom.names)} {kind}"
        self.site = Site(f"site{host}", name, "en", UTC, "rss20", tagline="News you can use")
        self.template = jinja2.Environment(
            loader=jinja2.FileSystemLoader(ROOT / "tests" / "sites" / "pages"), autoescape=True
        ).get_template("article.html")
        self.chrome = site_chrome(newsroom, rng, name)

    def feed(self, feed: int) -> bytes:
        from tests.sites.pages.feeds import Channel, Item, rss20

        items = []
        for slot in self.newsroom.listed(feed):
            piece = self.newsroom.piece(slot)
            url = self.url_of(piece)
            items.append(
                Item(
                    title=piece.headline,
                    url=url,
                    path=piece.path,
                    guid=url,
                    guid_is_permalink=True,
                    published=piece.published,
                    updated=None,
                    summary=piece.teaser,
                    content_html=f"<p>{piece.teaser}</p>",
                    authors=list(piece.authors),
                )
            )
        channel = Channel(
            title=f"{self.site.name}: {SECTIONS[feed % len(SECTIONS)]} {feed}",
            site_url=self.base + "/",
            feed_url=f"{self.base}/f{feed}/feed.xml",
            description=self.site.tagline,
            language="en",
            updated=START,
        )
        return rss20(channel, items).encode()

    def url_of(self, piece: Piece) -> str:
        if piece.host == self.host:
            return self.base + piece.path
        return self.base.rsplit("//", 1)[0] + "//" + self.peer_host(piece.host) + piece.path

    def peer_host(self, host: int) -> str:
        port = self.base.rsplit(":", 1)[1]
        return f"127.0.0.{host + 2}:{port}"

    def page(self, slot: int) -> bytes:
        from tests.sites.pages.content import Story

        newsroom = self.newsroom
        piece = newsroom.piece(slot)
        rng = random.Random(f"{newsroom.seed}-page-{slot}")
        story = Story(
            site=self.site.key,
            guid=self.base + piece.path,
            path=piece.path,
            headline=piece.headline,
            published=piece.published,
            authors=list(piece.authors),
            paragraphs=newsroom.body(slot),
            section=piece.section,
            summary=piece.teaser,
            tags=[newsroom.events[newsroom.event_of[slot]].names[0], piece.section],
        )
        neighbours = [newsroom.piece(s) for s in self.nearby(slot, rng)]
        related = [
            {
                "href": p.path,
                "title": p.headline,
                "dateline": f"{p.published:%d %B %Y}",
                "excerpt": p.teaser,
                "short_excerpt": p.teaser[:48].rsplit(" ", 1)[0] + "...",
            }
            for p in neighbours[:6]
        ]
        html = self.template.render(
            site=self.site,
            story=story,
            canonical=self.base + piece.path,
            feeds=[{"type": "application/rss+xml", "href": f"/f{piece.feed}/feed.xml"}],
            image=None,
            locale="en_GB",
            published_iso=piece.published.isoformat(),
            modified_iso=None,
            dateline=f"on {piece.published:%B %d, %Y at %H:%M}",
            jsonld="{}",
            top_ads=1,
            figure=None,
            figure_at_end=False,
            read_more={"href": neighbours[0].path, "title": neighbours[0].headline},
            related=related,
            most_read=[{"href": p.path, "title": p.headline} for p in neighbours[6:]],
            year=piece.published.year,
        )
        # reader comments: none on most pages, hundreds on a few, as on real sites
        comments = "".join(
            f'<li class="comment depth-{rng.randint(1, 3)}"><article class="comment-body">'
            f'<footer class="comment-meta"><div class="comment-author vcard"><img class="avatar"'
            f' src="/img/avatar/{rng.randint(1, 9999)}.png" alt="" width="40" height="40">'
            f'<b class="fn">{rng.choice(newsroom.names)}</b></div><div class="comment-metadata">'
            f"<time>{rng.randint(1, 59)} minutes ago</time></div></footer>"
            f'<div class="comment-content"><p>{newsroom.sentence(rng, None, rng.randint(8, 40))}'
            f'</p></div><div class="reply"><a class="comment-reply-link" href="#">Reply</a> '
            f'<span class="likes">{rng.randint(0, 99)}</span></div></article></li>'
            for _ in range(min(300, int(rng.paretovariate(0.9)) - 1))
        )
        # the article again as the page's front-end framework keeps it
        state = json.dumps(
            {"props": {"page": {"headline": piece.headline, "body": story.paragraphs}}}
        )
        chrome = self.chrome
        html = (
            html.replace("</head>", chrome["head"] + "</head>", 1)
            .replace(
                "</body>",
                f'<script id="__NEXT_DATA__" type="application/json">{state}</script></body>',
                1,
            )
            .replace(
                '<header class="site-header">', '<header class="site-header">' + chrome["menu"], 1
            )
            .replace('<main id="content">', chrome["trending"] + '<main id="content">', 1)
            .replace(
                '<p class="comment-notes">',
                f'<ol class="comment-list">{comments}</ol><p class="comment-notes">',
                1,
            )
            .replace("</main>", chrome["sponsored"] + "</main>", 1)
            .replace("</footer>", chrome["footer"] + "</footer>", 1)
            .replace("</body>", chrome["tail"] + "</body>", 1)
        )
        return html.encode()

    def nearby(self, slot: int, rng: random.Random) -> list[int]:
        first = (slot // self.newsroom.per_feed) * self.newsroom.per_feed
        others = [s for s in range(first, first + self.newsroom.per_feed) if s != slot]
        others += [rng.randrange(len(self.newsroom.event_of)) for _ in range(12)]
        return others[:11]


def site_chrome(newsroom: Newsroom, rng: random.Random, name: str) -> dict[str, str]:
    """What every page of a site carries around the story, about 90 KB of it."""

    def words(n: int) -> str:
        return " ".join(newsroom.word(rng) for _ in range(n))

    def ident() -> str:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 3)))

    script = "".join(
        f"function {ident()}{i}({ident()},{ident()}){{var {ident()}=document.querySelectorAll("
        f"'.{ident()}-{i}');for(var j=0;j<{ident()}.length;j++){{{ident()}[j].addEventListener"
        f"('click',function(e){{e.preventDefault();window.dataLayer.push({{event:'{words(1)}',"
        f"id:{rng.randint(1, 99999)}}})}})}}return {rng.randint(1, 999)}}}"
        for i in range(160)
    )
    style = "".join(
        f".{ident()}-{i}{{margin:{rng.randint(0, 40)}px {rng.randint(0, 40)}px;color:#"
        f"{rng.randrange(16**6):06x};font-size:{rng.randint(10, 30)}px;display:flex}}"
        f"@media (max-width:{rng.randint(320, 1200)}px){{.{ident()}-{i}{{display:none}}}}"
        for i in range(260)
    )
    state = ",".join(
        f'{{"id":{rng.randint(1, 10**7)},"title":"{words(8)}",'
        f'"url":"/{words(1)}/{rng.randint(1, 10**6)}",'
        f'"section":"{rng.choice(SECTIONS)}","image":"/img/{rng.randint(1, 10**6)}.jpg"}}'
        for _ in range(90)
    )
    sprite = "".join(
        f'<symbol id="icon-{i}" viewBox="0 0 24 24"><path d="M{rng.randint(0, 24)} '
        + " ".join(f"L{rng.randint(0, 24)} {rng.randint(0, 24)}" for _ in range(12))
        + 'Z"/></symbol>'
        for i in range(40)
    )
    menu = "".join(
        f'<li class="menu-item"><a href="/{section.lower()}/">{section}</a><ul class="sub-menu">'
        + "".join(
            f'<li><a href="/{section.lower()}/{w}/">{w.capitalize()}</a></li>'
            for w in (newsroom.word(rng) for _ in range(14))
        )
        + "</ul></li>"
        for section in SECTIONS
    )
    trending = "".join(
        f'<a href="/topic/{rng.randint(1, 9999)}">{rng.choice(newsroom.names)}</a> '
        for _ in range(10)
    )
    sponsored = "".join(
        f'<div class="tbl-item"><a href="https://ads.example/{rng.randint(1, 10**6)}">'
        f'<img src="/img/ad{rng.randint(1, 999)}.jpg" alt=""><span class="tbl-title">{words(9)}'
        f'</span><span class="tbl-brand">{rng.choice(newsroom.names)} Sponsored</span></a></div>'
        for _ in range(12)
    )
    footer = "".join(
        f'<li><a href="/{w}/">{w.capitalize()}</a></li>'
        for w in (newsroom.word(rng) for _ in range(70))
    )
    cards = "".join(
        f'<div class="card card--{rng.choice(SECTIONS).lower()}"><div class="card__media">'
        f'<picture><source srcset="/img/{rng.randint(1, 10**6)}.webp" type="image/webp">'
        f'<img src="/img/{rng.randint(1, 10**6)}.jpg" alt="" loading="lazy"></picture></div>'
        f'<div class="card__body"><span class="card__kicker">{rng.choice(SECTIONS)}</span>'
        f'<h3 class="card__title"><a href="/{words(1)}/{rng.randint(1, 10**6)}">{words(7)}</a>'
        f'</h3><div class="card__meta"><span class="card__author">{rng.choice(newsroom.names)}'
        f"</span><time>{rng.randint(1, 23)}h ago</time></div></div></div>"
        for _ in range(48)
    )
    return {
        "head": f"<style>{style}</style><script>{script}</script>"
        f'<script id="__STATE__" type="application/json">{{"articles":[{state}]}}</script>',
        "menu": f'<svg style="display:none">{sprite}</svg>'
        f'<nav class="mega-menu"><ul>{menu}</ul></nav>',
        "trending": f'<div class="trending-bar"><strong>Trending:</strong> {trending}</div>',
        "sponsored": f'<section class="sponsored"><h2>From around the web</h2>{sponsored}</section>'
        f'<section class="cards"><h2>Latest</h2>{cards}</section>',
        "footer": f'<ul class="footer-links">{footer}</ul><p>{name} is not responsible for '
        "the content of external sites.</p>",
        "tail": f'<script async src="/js/{ident()}.js"></script><script>{script[:3000]}</script>',
    }


def serve(
    hosts: list[str], port: int, seed: int, feeds: int, per_feed: int, ready: threading.Event | None
) -> None:
    """The publisher: feeds answer 304 to a matching ETag; pages are written on demand."""
    newsroom = Newsroom(seed, feeds, per_feed, len(hosts))
    printers = {
        host: Printer(newsroom, number, f"http://{host}:{port}")
        for number, host in enumerate(hosts)
    }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
            printer = printers[self.server.server_address[0]]
            parts = self.path.split("/")
            try:
                if self.path == "/robots.txt":
                    return self.reply(200, b"User-agent: *\nDisallow: /search\n", "text/plain")
                feed = int(parts[1][1:])
                if parts[2] == "feed.xml":
                    body = printer.feed(feed)
                    etag = '"' + hashlib.md5(body).hexdigest() + '"'
                    if self.headers.get("If-None-Match") == etag:
                        return self.reply(304, b"", None, etag)
                    return self.reply(200, body, "application/rss+xml", etag)
                slot = feed * per_feed + int(parts[2][1:])
                return self.reply(200, printer.page(slot), "text/html; charset=utf-8")
            except (IndexError, ValueError):
                return self.reply(404, b"not found", "text/plain")

        def reply(self, status: int, body: bytes, ctype: str | None, etag: str | None = None):
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256  # a busy machine must not turn connections away

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client closing a kept-alive connection is no news

    for host in hosts:
        server = Server((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    if ready:
        ready.set()
    threading.Event().wait()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        return sock.getsockname()[1]


# --- measuring ----------------------------------------------------------------------------------


@dataclass
class Usage:
    wall: float
    cpu: float  # of this process
    peak_mb: float  # of this process, since it started


def usage_since(start_wall: float, start_cpu: float) -> Usage:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return Usage(
        wall=time.perf_counter() - start_wall,
        cpu=me.ru_utime + me.ru_stime - start_cpu,
        peak_mb=me.ru_maxrss / 1024,
    )


def cpu_now() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def feedparser_baseline(urls: list[str]) -> float:
    """Seconds for feedparser to fetch and parse every feed (headlines only, no pages)."""
    import feedparser
    import httpx

    async def main() -> None:
        async with httpx.AsyncClient() as client:
            semaphore = asyncio.Semaphore(8)

            async def one(url: str) -> None:
                async with semaphore:
                    response = await client.get(url)
                feedparser.parse(response.content)

            await asyncio.gather(*(one(url) for url in urls))

    start = time.perf_counter()
    asyncio.run(main())
    return time.perf_counter() - start


def story_sizes(store: Any) -> str:
    """How the stored articles fell into stories: '1: n, 2-3: n, ...' plus the largest."""
    total = store.count_articles()
    sizes = [len(story.article_ids) for story in store.list_stories(limit=max(1, total))]
    copies = total - store.count_articles(originals_only=True)
    if not sizes:
        return "no stories"
    bands = ((1, 1), (2, 3), (4, 10), (11, 30), (31, 10**9))
    parts = []
    for low, high in bands:
        n = sum(1 for s in sizes if low <= s <= high)
        label = f"{low}" if low == high else (f"{low}-{high}" if high < 10**9 else f"{low}+")
        parts.append(f"{label}: {n}")
    return (
        f"{len(sizes)} stories by size ({', '.join(parts)}; largest {max(sizes)}), {copies} copies"
    )


@dataclass
class Progress:
    """A line on stderr now and then during the first ingest: how far, and the CPU split."""

    start: float
    cpu: float
    extractor: object
    feeds: int
    every: float
    done: int = 0
    articles: int = 0
    last: float = 0.0

    def feed_done(self, feed: object, report: object) -> None:
        self.done += 1
        self.articles += report.new_articles  # type: ignore[attr-defined]
        now = time.perf_counter()
        if now - self.last < self.every and self.done < self.feeds:
            return
        self.last = now
        usage = usage_since(self.start, self.cpu)
        extraction = self.extractor.cpu_seconds  # type: ignore[attr-defined]
        workers = self.extractor.worker_cpu_seconds  # type: ignore[attr-defined]
        pipeline = usage.cpu + max(0.0, workers - extraction)
        share = pipeline / (pipeline + extraction) if extraction else 1.0
        print(
            f"[{usage.wall:6.0f} s] {self.done}/{self.feeds} feeds, {self.articles} articles;"
            f" CPU extraction {extraction:.0f} s, pipeline {pipeline:.0f} s ({share:.0%});"
            f" peak {usage.peak_mb:.0f} MB",
            file=sys.stderr,
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--per-feed", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=20, help="loopback addresses to spread over")
    parser.add_argument("--workers", type=int, default=-1, help="extraction processes (-1: cores)")
    parser.add_argument("--seed", type=int, default=1, help="what the publisher prints")
    parser.add_argument(
        "--progress", type=float, default=60.0, help="seconds between progress lines on stderr"
    )
    parser.add_argument(
        "--pg-workers",
        default="1,2,4",
        help="`newsdesk worker` processes on PostgreSQL, one ingest per count ('': none)",
    )
    parser.add_argument(
        "--worker-extract",
        type=int,
        default=0,
        help="extraction processes of each worker (0: in the worker, one core each)",
    )
    parser.add_argument(
        "--fault-rounds",
        type=int,
        default=5,
        help="3-worker ingests of the fixture sites with two SIGKILLs each (0: none)",
    )
    args = harness.parse_args(parser, argv, SMOKE_ARGS)

    hosts = [f"127.0.0.{i + 2}" for i in range(args.hosts)]
    port = free_port()
    publisher = Process(
        target=serve,
        args=(hosts, port, args.seed, args.feeds, args.per_feed, None),
        daemon=True,
    )
    publisher.start()
    urls = [f"http://{hosts[i % len(hosts)]}:{port}/f{i}/feed.xml" for i in range(args.feeds)]
    wait_for(urls[0])

    from newsdesk.config import Settings
    from newsdesk.model import Subscription
    from newsdesk.pipeline.poll import new_extractor, poll_async
    from newsdesk.pipeline.subscribe import import_subscriptions
    from newsdesk.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            allow_private_networks=True,
            per_host_interval=0.0,
            fetch_workers=64,
            extract_processes=args.workers,
            # generous: the publisher shares the machine and may answer slowly
            connect_timeout=60.0,
            read_timeout=60.0,
            total_timeout=120.0,
        )
        store = Store.open(settings)
        import_subscriptions(store, [Subscription(url=url) for url in urls])

        extractor = new_extractor(settings)
        start, cpu = time.perf_counter(), cpu_now()
        progress = Progress(start, cpu, extractor, len(urls), args.progress)
        first = asyncio.run(
            poll_async(store, settings, extractor=extractor, on_feed_done=progress.feed_done)
        )
        full = usage_since(start, cpu)
        workers_cpu, workers_mb = extractor.worker_cpu_seconds, extractor.worker_peak_mb
        extractor.close()
        stored = store.count_articles()
        grouping = story_sizes(store)

        start, cpu = time.perf_counter(), cpu_now()
        for feed in store.list_feeds():  # make every feed due again
            store.record_fetch(
                feed.id,
                fetched_at=datetime.now(UTC),
                next_fetch_at=datetime.now(UTC) - timedelta(seconds=1),
                etag=feed.etag,
                last_modified=feed.last_modified,
            )
        second = asyncio.run(poll_async(store, settings))
        again = usage_since(start, cpu)
        store.close()

    baseline = feedparser_baseline(urls)
    counts = [int(n) for n in args.pg_workers.split(",") if n.strip()]
    worker_rows = [worker_ingest(urls, n, args.worker_extract) for n in counts]
    publisher.kill()
    faults = fault_runs(args.fault_rounds)

    extraction = first.extract_cpu_seconds
    if extractor.processes > 0:  # the workers' CPU beyond extract_article is ours too
        pipeline_cpu = full.cpu + max(0.0, workers_cpu - extraction)
    else:  # extraction ran on a thread of this process
        pipeline_cpu = full.cpu - extraction
    total = pipeline_cpu + extraction
    pages = max(1, stored)
    print(
        f"# {args.feeds} feeds x {args.per_feed} articles over {len(hosts)} loopback hosts;"
        f" per-host concurrency 1, spacing 0 s; seed {args.seed}"
    )
    print(f"{'run':<34}{'seconds':>9}{'rate':>16}{'peak MB':>9}")
    print(
        f"{'newsdesk first ingest':<34}{full.wall:>9.1f}{stored / full.wall:>11.1f} art/s"
        f"{full.peak_mb:>9.0f}"
    )
    print(
        f"{'newsdesk second poll (304s)':<34}{again.wall:>9.1f}"
        f"{second.not_modified / again.wall:>10.1f} feeds/s{again.peak_mb:>9.0f}"
    )
    print(
        f"{'feedparser, feeds only':<34}{baseline:>9.1f}"
        f"{len(urls) / baseline:>10.1f} feeds/s{'':>9}"
    )
    print(
        f"stored {stored} articles, {len(first.errors)} errors; second poll: "
        f"{second.not_modified}/{second.feeds} not modified, {second.new_articles} new"
    )
    print(f"stories: {grouping}")
    print(
        f"CPU: extraction {extraction:.1f} s ({1000 * extraction / pages:.0f} ms/article), "
        f"pipeline {pipeline_cpu:.1f} s (main process {full.cpu:.1f} s, worker overhead "
        f"{max(0.0, workers_cpu - extraction):.1f} s) -> pipeline overhead "
        f"{pipeline_cpu / total if total else 1.0:.0%} of newsdesk's CPU"
    )
    steps = first.save_cpu_seconds + first.match_cpu_seconds
    in_process = extraction + first.parse_cpu_seconds if extractor.processes == 0 else 0.0
    rest = full.cpu - steps - in_process
    print(
        f"main process CPU: matching {first.match_cpu_seconds:.1f} s, saving"
        f" {first.save_cpu_seconds:.1f} s, the rest (fetching, handing pages and feeds to"
        f" workers, event loop) {rest:.1f} s; feed parsing (in the workers)"
        f" {first.parse_cpu_seconds:.1f} s"
    )
    print(
        f"peak memory: main process {full.peak_mb:.0f} MB, largest extraction worker "
        f"{workers_mb:.0f} MB"
    )
    print(f"second poll vs feedparser feeds-only: {again.wall / baseline:.2f}x the time")
    print_workers(stored, full.wall, total, extractor.processes, worker_rows, faults)
    print(
        f"reproduce: .venv/bin/python benchmarks/ingest.py --feeds {args.feeds}"
        f" --per-feed {args.per_feed} --hosts {args.hosts} --workers {args.workers}"
        f" --seed {args.seed} --pg-workers '{args.pg_workers}'"
        f" --worker-extract {args.worker_extract} --fault-rounds {args.fault_rounds}"
    )
    for line in first.errors[:5]:
        print("  error:", line, file=sys.stderr)


# --- many pollers on PostgreSQL ------------------------------------------------------------------


@dataclass
class WorkerRun:
    workers: int
    wall: float
    stored: int
    unmatched: int
    cpu: float  # of the worker processes and their extraction processes
    feeds_polled: int
    grouping: str


def worker_ingest(urls: list[str], workers: int, extract: int) -> WorkerRun:
    """The same feeds ingested by `workers` `newsdesk worker` processes on a fresh schema of
    the tests' PostgreSQL server (tests/store/postgres.py: the local one, or one started here)."""
    from tests.pipeline.workers import finish, start_worker, worker_env
    from tests.store.postgres import postgres_schema

    from newsdesk.model import Subscription
    from newsdesk.pipeline.subscribe import import_subscriptions
    from newsdesk.store import Store

    with postgres_schema() as url, tempfile.TemporaryDirectory() as tmp:
        store = Store(url)
        store.migrate()
        import_subscriptions(store, [Subscription(url=feed) for feed in urls])
        env = worker_env(
            url,
            Path(tmp),
            NEWSDESK_EXTRACT_PROCESSES=str(extract),
            # each worker claims as many feeds as it polls at once: the default 8, so that
            # the feeds are shared, not all taken by the first worker to start
            NEWSDESK_FETCH_WORKERS="8",
            NEWSDESK_SAVE_WAIT="10",
            NEWSDESK_CONNECT_TIMEOUT="60",
            NEWSDESK_READ_TIMEOUT="60",
            NEWSDESK_TOTAL_TIMEOUT="120",
        )
        before = children_cpu()
        start = time.perf_counter()
        processes = [start_worker(env) for _ in range(workers)]
        reports = [finish(process, timeout=24 * 3600) for process in processes]
        wall = time.perf_counter() - start
        run = WorkerRun(
            workers=workers,
            wall=wall,
            stored=store.count_articles(),
            unmatched=store.count_unmatched(),
            cpu=children_cpu() - before,
            feeds_polled=sum(report["feeds"] for report in reports),
            grouping=story_sizes(store),
        )
        store.close()
    print(f"[{workers} workers: {run.stored} articles in {wall:.0f} s]", file=sys.stderr)
    return run


def children_cpu() -> float:
    """CPU of the child processes waited for so far (workers, and their extraction pools)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fault_runs(rounds: int) -> list[Any]:
    """tests/pipeline/test_worker_faults.py's procedure: 3-worker ingests of the fixture sites
    on PostgreSQL, two workers killed with SIGKILL at random moments of each."""
    if rounds <= 0:
        return []
    from tests.pipeline.workers import fault_round, worker_env
    from tests.store.postgres import postgres_schema

    from newsdesk.store import Store

    with postgres_schema() as url, tempfile.TemporaryDirectory() as tmp:
        store = Store(url)
        store.migrate()
        env = worker_env(url, Path(tmp), NEWSDESK_WORKER_LEASE_SECONDS="1.5")
        rng = random.Random(20)
        found = [fault_round(store, env, rng, kills=2) for _ in range(rounds)]
        store.close()
    return found


def print_workers(
    stored: int, wall: float, cpu: float, extract: int, runs: list[WorkerRun], faults: list[Any]
) -> None:
    if runs:
        one = next((run for run in runs if run.workers == 1), runs[0])
        print()
        print("| ingest of the same feeds | seconds | art/s | CPU ms/art | vs 1 worker |")
        print("|---|---:|---:|---:|---:|")
        label = f"newsdesk poll, SQLite ({extract} extraction proc.)"
        per_article = 1000 * cpu / max(1, stored)
        print(f"| {label} | {wall:.1f} | {stored / wall:.1f} | {per_article:.0f} | |")
        for run in runs:
            speedup = (run.stored / run.wall) / (one.stored / one.wall)
            print(
                f"| newsdesk worker x{run.workers}, PostgreSQL | {run.wall:.1f}"
                f" | {run.stored / run.wall:.1f} | {1000 * run.cpu / max(1, run.stored):.0f}"
                f" | {speedup:.2f}x |"
            )
        for run in runs:
            print(
                f"  x{run.workers}: {run.stored} stored, {run.unmatched} unmatched, "
                f"{run.feeds_polled} feed polls; {run.grouping}"
            )
        print(
            "  (workers' times include starting their processes; CPU is the workers' and their"
            " extraction processes', not PostgreSQL's)"
        )
    if faults:
        kills = 2 * len(faults)
        mid = sum(f.killed_mid_poll for f in faults)
        lost = sum(f.served - f.distinct for f in faults)
        doubled = sum(f.stored - f.distinct for f in faults)
        unrecorded = sum(f.feeds - f.recorded for f in faults)
        unmatched = sum(f.stored - f.matched for f in faults)
        print(
            f"fault runs: {len(faults)} 3-worker ingests, {kills} SIGKILLs ({mid} mid-poll);"
            f" {sum(f.feeds for f in faults)} feeds, {unrecorded} not recorded,"
            f" {sum(f.polled_again for f in faults)} polled again after a kill;"
            f" {sum(f.served for f in faults)} articles served, {lost} lost, {doubled} stored"
            f" twice, {unmatched} unmatched"
        )


def wait_for(url: str, seconds: float = 60.0) -> None:
    """Until the publisher answers (it builds its newsroom first)."""
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(url, timeout=5).raise_for_status()
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
