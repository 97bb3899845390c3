"""The lxml feed reader gives what feedparser gives: every fixture feed and generated ones."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from newsdesk.feeds import parse_feed
from newsdesk.feeds.parse import feed_from, read_loosely
from newsdesk.feeds.xmlfeed import read_xml
from newsdesk.model import ParsedFeed
from tests.sites.pages.feeds import PATHS, RENDERERS, Channel, Item
from tests.sites.publisher import SITES, Publisher

XML_FORMATS = [fmt for fmt in RENDERERS if not fmt.startswith("json")]


def both_readings(document: bytes, url: str) -> tuple[ParsedFeed, ParsedFeed]:
    """(lxml reader's ParsedFeed, feedparser's) for one UTF-8 document."""
    fast = read_xml(document, url)
    assert fast is not None, "a well-formed feed must not need feedparser"
    return feed_from(fast, url), feed_from(read_loosely(document, url), url)


def markup(value: str | None) -> Any:
    """HTML compared by its elements, attributes and text, not by how it is serialised."""
    if value is None:
        return None
    nodes = lxml_html.fragments_fromstring(value)
    shape: list[Any] = []
    for node in nodes:
        if isinstance(node, str):
            shape.append(node)
            continue
        for element in node.iter():
            shape.append((element.tag, sorted(element.attrib.items()), element.text, element.tail))
    return shape


def assert_same(fast: ParsedFeed, slow: ParsedFeed) -> None:
    for field in dataclasses.fields(ParsedFeed):
        if field.name != "entries":
            assert getattr(fast, field.name) == getattr(slow, field.name), field.name
    assert len(fast.entries) == len(slow.entries)
    for mine, theirs in zip(fast.entries, slow.entries, strict=True):
        assert markup(mine.content_html) == markup(theirs.content_html)
        assert dataclasses.replace(mine, content_html=None) == dataclasses.replace(
            theirs, content_html=None
        )


@pytest.mark.parametrize("fmt", XML_FORMATS)
@pytest.mark.parametrize("site", list(SITES))
def test_every_fixture_feed_reads_as_feedparser_reads_it(site: str, fmt: str) -> None:
    publisher = Publisher()
    for number, state in enumerate(publisher._states.values(), start=2):
        state.base = f"http://127.0.0.{number}:8000"
    body, encoding = publisher.render_feed(site, fmt)
    url = publisher.feed_url(site, fmt)
    fast, slow = both_readings(body.encode(encoding).replace(b"iso-8859-1", b"utf-8"), url)
    assert fast.entries, "fixture feeds have entries"
    assert_same(fast, slow)


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    min_size=1,
    max_size=40,
).filter(str.strip)
_WORD = st.text("abcdefghijklmnopqrstuvwxyzéü東京", min_size=1, max_size=10)
_URL = st.one_of(
    st.builds(lambda w: f"https://news.example/{w}", _WORD),
    st.builds(lambda w: f"/{w}/story", _WORD),
    st.builds(lambda w: f"{w}.html", _WORD),
)
_WHEN = st.builds(
    lambda day, minutes, offset: datetime(2024, 3, 1, tzinfo=timezone(timedelta(hours=offset)))
    + timedelta(days=day, minutes=minutes),
    st.integers(0, 400),
    st.integers(0, 1439),
    st.integers(-11, 12),
)


@st.composite
def _content(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        text = draw(_TEXT).replace("&", "&amp;").replace("<", "&lt;")
        link = draw(st.one_of(st.none(), _URL))
        image = draw(st.one_of(st.none(), _URL))
        anchor = f'<a href="{link}">{text}</a>' if link else text
        picture = f'<img src="{image}" alt="">' if image else ""
        parts.append(f"<p>{picture}{anchor} <b>{draw(_WORD)}</b></p>")
    return "".join(parts)


@st.composite
def _item(draw: st.DrawFn) -> Item:
    path = draw(_URL)
    url = path if path.startswith("https://") else "https://news.example/" + path.lstrip("/")
    guid = draw(st.sampled_from([url, f"tag:news.example,2024:{draw(_WORD)}"]))
    return Item(
        title=draw(st.one_of(_TEXT, st.builds(lambda t: f"<b>{t}</b> &amp; co", _WORD))),
        url=url,
        path=path,
        guid=guid,
        guid_is_permalink=guid == url,
        published=draw(_WHEN),
        updated=draw(st.one_of(st.none(), _WHEN)),
        summary=draw(_TEXT),
        content_html=draw(_content()),
        authors=draw(st.lists(_TEXT, max_size=3)),
        tags=draw(st.lists(_TEXT, max_size=3)),
        image=draw(st.one_of(st.none(), st.builds("https://img.example/{}.jpg".format, _WORD))),
        language=draw(st.sampled_from(["en", "fr", "ja"])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(XML_FORMATS),
    items=st.lists(_item(), min_size=1, max_size=4),
    title=_TEXT,
    language=st.sampled_from(["en", "fr-CA", "ja"]),
)
def test_generated_feeds_read_as_feedparser_reads_them(
    fmt: str, items: list[Item], title: str, language: str
) -> None:
    channel = Channel(
        title=title,
        site_url="https://news.example/",
        feed_url="https://news.example/feeds" + PATHS[fmt],
        description="All the news",
        language=language,
        updated=datetime(2024, 3, 1, tzinfo=UTC),
    )
    fast, slow = both_readings(RENDERERS[fmt](channel, items).encode(), channel.feed_url)
    assert_same(fast, slow)


def test_atom_xhtml_content_xml_base_and_media_group() -> None:
    doc = b"""<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"
 xml:base="https://news.example/section/"><title type="xhtml"><div
 xmlns="http://www.w3.org/1999/xhtml">Front <em>page</em></div></title>
<entry xml:base="2024/"><title>Harbour</title><link href="harbour.html"/><id>tag:h</id>
<updated>2024-03-01T10:00:00+01:00</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Crews at the
 <a href="../map.html">harbour</a> <img src="wall.jpg"/></p></div></content>
<media:group><media:content url="lead.jpg" medium="image"/></media:group></entry></feed>"""
    fast, slow = both_readings(doc, "https://news.example/feeds/atom.xml")
    # feedparser resolves media URLs against the document, ignoring xml:base; links follow it
    assert slow.entries[0].image == "https://news.example/feeds/lead.jpg"
    slow.entries[0].image = fast.entries[0].image
    assert_same(fast, slow)
    assert fast.title == "Front page"
    (entry,) = fast.entries
    assert entry.url == "https://news.example/section/2024/harbour.html"
    assert entry.image == "https://news.example/section/2024/lead.jpg"
    assert entry.content_html is not None
    assert 'href="https://news.example/section/map.html"' in entry.content_html
    assert 'src="https://news.example/section/2024/wall.jpg"' in entry.content_html
    assert "xmlns" not in entry.content_html and "<div" not in entry.content_html


def test_atom03_base64_content_is_decoded() -> None:
    doc = b"""<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title>
<entry><title>A</title><link rel="alternate" type="text/html" href="http://e.example/a"/>
<content type="text/html" mode="base64">PHA+SGVsbG8gPGI+d29ybGQ8L2I+PC9wPg==</content>
</entry></feed>"""
    fast, slow = both_readings(doc, "http://e.example/atom.xml")
    assert fast.entries[0].content_html == "<p>Hello <b>world</b></p>"
    assert_same(fast, slow)


@pytest.mark.parametrize(
    "doc",
    [
        # HTML entities an RSS 0.91 DTD would define, which lxml leaves unexpanded
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "rss-0.91.dtd">'
        b'<rss version="0.91"><channel><title>A&nbsp;B</title>'
        b"<item><title>One</title><link>http://e.example/1</link></item></channel></rss>",
        # declared entities (the start of a billion laughs)
        b'<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;">]><rss version="2.0"><channel>'
        b"<title>T &b;</title><item><title>One</title><link>http://e.example/1</link></item>"
        b"</channel></rss>",
        # not well-formed
        b'<rss version="2.0"><channel><title>T & co</title><item><title>One <b>bold</title>'
        b"<link>http://e.example/1</link></item></channel>",
        # an element newsdesk does not know as a feed
        b"<urlset><url><loc>http://e.example/1</loc></url></urlset>",
    ],
)
def test_what_lxml_does_not_read_plainly_goes_to_feedparser(doc: bytes) -> None:
    assert read_xml(doc, "http://e.example/rss") is None
    if b"urlset" not in doc:
        feed = parse_feed(doc, "http://e.example/rss")
        assert [entry.url for entry in feed.entries] == ["http://e.example/1"]


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_comments_and_processing_instructions_anywhere(fmt: str) -> None:
    publisher = Publisher()
    for number, state in enumerate(publisher._states.values(), start=2):
        state.base = f"http://127.0.0.{number}:8000"
    body, encoding = publisher.render_feed("harbour-gazette", fmt)
    noted = body.replace("<item", "<!-- ad slot --><?tracker on?><item").replace(
        "<entry", "<!-- ad slot --><?tracker on?><entry"
    )
    noted = noted.replace("</title>", "</title><!-- after the title -->")
    assert noted.count("ad slot") >= 2
    url = publisher.feed_url("harbour-gazette", fmt)
    fast, slow = both_readings(noted.encode(encoding), url)
    assert fast.entries
    assert_same(fast, slow)
