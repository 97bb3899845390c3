"""Sitemaps read into entries: indexes, Google News sitemaps, gzip, plain text, and bad input."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.errors import FeedError
from newsdesk.feeds.sitemaps import looks_like_sitemap, parse_sitemap

URL = "https://news.example/sitemap.xml"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
IMAGE = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'

NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {NS} {NEWS} {IMAGE}>
  <url>
    <loc>https://news.example/2024/storm</loc>
    <lastmod>2024-05-02T09:00:00Z</lastmod>
    <news:news>
      <news:publication><news:name>Example News</news:name><news:language>EN</news:language>
      </news:publication>
      <news:publication_date>2024-05-02T08:30:00+02:00</news:publication_date>
      <news:title>Storm &amp; floods close the coast road</news:title>
      <news:keywords>weather, roads</news:keywords>
    </news:news>
    <image:image><image:loc>https://news.example/img/storm.jpg</image:loc></image:image>
  </url>
  <url><loc>https://news.example/2024/plain</loc></url>
  <url><loc>https://news.example/2024/plain</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>
""".encode()


def test_a_news_sitemap_gives_titles_dates_and_languages() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP, URL)
    assert not sitemap.index and sitemap.news and sitemap.problem is None
    storm, plain = sitemap.entries  # the repeat and the javascript: URL are left out
    assert storm.url == "https://news.example/2024/storm"
    assert storm.title == "Storm & floods close the coast road"
    assert storm.published == datetime(2024, 5, 2, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    assert storm.updated == datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
    assert storm.language == "en"
    assert storm.categories == ["weather", "roads"]
    assert storm.image == "https://news.example/img/storm.jpg"
    assert plain.url == "https://news.example/2024/plain" and plain.title is None


def test_an_index_gives_its_sitemaps_with_their_dates() -> None:
    index = f"""<sitemapindex {NS}>
      <sitemap><loc>https://news.example/news.xml</loc><lastmod>2024-05-02</lastmod></sitemap>
      <sitemap><loc>/posts-2019.xml</loc></sitemap>
    </sitemapindex>""".encode()
    sitemap = parse_sitemap(index, URL)
    assert sitemap.index and sitemap.entries == []
    assert [c.url for c in sitemap.children] == [
        "https://news.example/news.xml",
        "https://news.example/posts-2019.xml",
    ]
    assert sitemap.children[0].lastmod == datetime(2024, 5, 2, tzinfo=UTC)
    assert sitemap.children[1].lastmod is None


def test_without_a_namespace_and_as_plain_text() -> None:
    bare = b"<urlset><url><loc>https://news.example/a</loc></url></urlset>"
    assert [e.url for e in parse_sitemap(bare, URL).entries] == ["https://news.example/a"]
    text = b"https://news.example/a\n\nhttps://news.example/b\n"
    assert [e.url for e in parse_sitemap(text, URL).entries] == [
        "https://news.example/a",
        "https://news.example/b",
    ]


def test_gzip_is_undone_within_the_cap() -> None:
    packed = gzip.compress(NEWS_SITEMAP)
    assert looks_like_sitemap(packed)
    assert not looks_like_sitemap(gzip.compress(b'<rss version="2.0"><channel/></rss>'))
    assert not looks_like_sitemap(b"\x1f\x8b\x08\x00garbage")
    assert len(parse_sitemap(packed, URL + ".gz").entries) == 2
    with pytest.raises(FeedError) as failure:
        parse_sitemap(gzip.compress(b" " * 10_000 + NEWS_SITEMAP), URL + ".gz", max_bytes=4096)
    message = str(failure.value)
    assert message.startswith("gzip sitemap: gzip body over 4 KB when decompressed")
    assert URL + ".gz" in message
    with pytest.raises(FeedError, match="gzip sitemap: cannot decompress gzip"):
        parse_sitemap(b"\x1f\x8b\x08\x00garbage" * 3, URL + ".gz")


def test_xml_broken_part_way_keeps_the_urls_before_the_break() -> None:
    broken = NEWS_SITEMAP.split(b"<url><loc>https://news.example/2024/plain")[0]
    broken += b"<url><loc>https://news.example/2024/cut-he"
    sitemap = parse_sitemap(broken, URL)
    assert [e.url for e in sitemap.entries] == ["https://news.example/2024/storm"]
    assert sitemap.problem is not None and "\n" not in sitemap.problem
    assert sitemap.problem.startswith("malformed sitemap XML (Premature end of data")
    assert sitemap.problem.endswith("read the 1 URLs before it")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<urlset><url><loc>https://a.example/</loc>\x00", "malformed sitemap XML"),
        (b"<urlset><url><loc>a</url></urlset>", "malformed sitemap XML"),
        (b"<!doctype html><html><body>Hello</body></html>", "an HTML page, not a sitemap"),
        (b'<rss version="2.0"><channel></channel></rss>', "a feed (<rss>), not a sitemap"),
        (b"<catalog><book/></catalog>", "not a sitemap: the root element is <catalog>"),
        (b"  \n", "empty sitemap"),
        (b"hello world\n", "not a sitemap: line 1 is not a URL ('hello world')"),
    ],
)
def test_what_is_no_sitemap_is_one_line(content: bytes, message: str) -> None:
    with pytest.raises(FeedError) as failure:
        parse_sitemap(content, URL)
    text = str(failure.value)
    assert text.startswith(message)
    assert "\n" not in text and URL in text


def test_entities_are_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY a "https://evil.example/"><!ENTITY b "&a;&a;&a;&a;&a;">]>
<urlset><url><loc>&b;</loc></url><url><loc>https://news.example/ok</loc></url></urlset>"""
    sitemap = parse_sitemap(bomb, URL)
    assert [e.url for e in sitemap.entries] == ["https://news.example/ok"]


def test_a_huge_sitemap_is_read_up_to_the_cap_and_says_so() -> None:
    rows = "".join(f"<url><loc>https://news.example/{n}</loc></url>" for n in range(60))
    sitemap = parse_sitemap(f"<urlset {NS}>{rows}</urlset>".encode(), URL, max_urls=50)
    assert len(sitemap.entries) == 50
    assert sitemap.entries[-1].url == "https://news.example/49"
    assert sitemap.problem == "sitemap lists more than 50 URLs: the first 50 read"


def test_the_sniff_tells_sitemaps_from_pages_and_feeds() -> None:
    assert looks_like_sitemap(NEWS_SITEMAP)
    assert looks_like_sitemap(f"<sitemapindex {NS}></sitemapindex>".encode())
    assert not looks_like_sitemap(b"<!DOCTYPE html><html><body>urlset</body></html>")
    assert not looks_like_sitemap(b'<rss version="2.0"><channel/></rss>')
