"""WARC files for the archive tests, written with warcio from the fixture publisher's pages
(fetched over loopback, as a crawler would have): articles, copies of one story, home and tag
and video pages, an image, a redirect, robots.txt, a page whose charset is bogus, and a last
record cut short."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.sites.publisher import PNG, Publisher

SITES = ("daily-planet", "northern-courier", "harbour-gazette", "tokyo-shimbun")
DATE = "2024-03-15T08:00:00Z"
TRUNCATED_URL = "http://127.0.0.9/news/2024/03/15/harbour-ferry-fares-rise"
BOGUS_CHARSET = "x-no-such-charset"


@dataclass
class Written:
    path: Path
    articles: set[str] = field(default_factory=set)  # canonical URLs of the articles in it
    bogus_charset_url: str = ""


def _record(
    writer: WARCWriter,
    url: str,
    body: bytes,
    content_type: str,
    *,
    status: str = "200 OK",
    headers: tuple[tuple[str, str], ...] = (),
    date: str = DATE,
) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type), *headers], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)


def _page(url: str) -> tuple[bytes, str]:
    answer = httpx.get(url)
    answer.raise_for_status()
    return answer.content, answer.headers["content-type"]


def write_news_warc(publisher: Publisher, path: Path) -> Written:
    written = Written(path)
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for site in SITES:
            home = publisher.home_url(site)
            body, kind = _page(home)
            _record(writer, home, body, kind)  # a home page
            _record(writer, home + "tag/weather", body, kind)  # a tag page
            for url in publisher.article_urls(site):
                body, kind = _page(url)
                if site == "tokyo-shimbun" and not written.bogus_charset_url:
                    kind = f"text/html; charset={BOGUS_CHARSET}"  # the page's meta tag says
                    written.bogus_charset_url = url
                _record(writer, url, body, kind)
                written.articles.add(url)
            seed_body, seed_kind = _page(publisher.seed_url)
            _record(writer, home + "video/2024/03/12/storm-elin-clip", seed_body, seed_kind)
            _record(writer, home + "img/photo.png", PNG, "image/png")
            _record(
                writer, home + "robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain"
            )
            _record(
                writer,
                home + "old-home",
                b"",
                "text/html",
                status="301 Moved Permanently",
                headers=(("Location", home),),
            )
        # the seed page crawled again a day later: the same article, stored once
        body, kind = _page(publisher.seed_url)
        _record(writer, publisher.seed_url, body, kind, date="2024-03-16T08:00:00Z")
        last = (
            "<html><head><title>Harbour ferry fares rise</title>"
            f'<link rel="canonical" href="{TRUNCATED_URL}"></head><body><article>'
            "<h1>Harbour ferry fares rise</h1>"
            + "<p>Fares rise by ten percent.</p>" * 30
            + "</article></body></html>"
        )
        _record(writer, TRUNCATED_URL, last.encode(), "text/html; charset=utf-8")
    data = path.read_bytes()
    path.write_bytes(data[:-60])  # the last record cut short, as a crawl killed mid-write
    return written


def write_many_articles(publisher: Publisher, path: Path, count: int) -> set[str]:
    """`count` articles, each a fixture page at an address of its own."""
    urls = set()
    pages = [(url, *_page(url)) for site in SITES[:3] for url in publisher.article_urls(site)]
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for number in range(count):
            url, body, kind = pages[number % len(pages)]
            own = f"{url}-{number}"
            _record(writer, own, body.replace(url.encode(), own.encode()), kind)
            urls.add(own)
    return urls
