"""parse_feed on small inline documents of every format and on broken input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.errors import FeedError
from newsdesk.extract.article import extract_article
from newsdesk.feeds import parse_feed

FEED_URL = "https://news.example/feeds/main.xml"

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>The  Daily &amp; Co</title><link>/</link><description>All the news</description>
  <language>en-GB</language><ttl>45</ttl>
  <item>
    <title>Biden &amp;amp; Putin   to &lt;b&gt;hold&lt;/b&gt;
      call</title>
    <link>/world/2021/12/04/biden-putin</link>
    <guid isPermaLink="false">dp-1001</guid>
    <pubDate>Sat, 04 Dec 2021 18:53:00 -0500</pubDate>
    <description>&lt;p&gt;The US and Russian leaders &lt;a href="/x"&gt;will discuss&lt;/a&gt;
      Ukraine.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Full text <img src="/img/map.jpg"></p><p>Second.</p>]]>
    </content:encoded>
    <author>jane.doe@news.example (Jane Doe)</author>
    <category>World</category><category>Europe</category><category>World</category>
    <media:content url="/img/lead.jpg" medium="image"/>
    <media:thumbnail url="/img/thumb.jpg"/>
  </item>
  <item>
    <title>Guid only</title>
    <guid>https://news.example/guid-is-a-link</guid>
    <pubDate>Sun, 05 Dec 2021 08:00:00 GMT</pubDate>
    <enclosure url="https://cdn.news.example/p.jpg" type="image/jpeg" length="100"/>
    <dc:creator>Bob Roe</dc:creator>
  </item>
  <item>
    <title>No link at all</title>
    <guid isPermaLink="false">opaque-3</guid>
  </item>
</channel>
</rss>"""


def test_rss20_entries_are_complete_and_absolute() -> None:
    feed = parse_feed(RSS20, FEED_URL, "application/rss+xml", "utf-8")
    assert feed.format == "rss20"
    assert feed.title == "The Daily & Co"
    assert feed.site_url == "https://news.example/"
    assert feed.language == "en-gb"
    assert feed.ttl_seconds == 45 * 60
    assert [e.url for e in feed.entries] == [
        "https://news.example/world/2021/12/04/biden-putin",
        "https://news.example/guid-is-a-link",
    ]
    first, second = feed.entries
    assert first.guid == "dp-1001"
    assert first.title == "Biden & Putin to hold call"
    assert first.published == datetime(2021, 12, 4, 18, 53, tzinfo=timezone(timedelta(hours=-5)))
    assert first.published.utcoffset() == timedelta(hours=-5)
    assert first.summary == "The US and Russian leaders will discuss Ukraine."
    assert first.content_html is not None
    assert 'src="https://news.example/img/map.jpg"' in first.content_html
    assert first.authors == ["Jane Doe"]
    assert first.image == "https://news.example/img/lead.jpg"
    assert first.categories == ["World", "Europe"]
    assert first.language == "en-gb"
    assert second.published == datetime(2021, 12, 5, 8, 0, tzinfo=UTC)
    assert second.image == "https://cdn.news.example/p.jpg"
    assert second.authors == ["Bob Roe"]
    assert second.content_html is None


def test_rss091_and_092() -> None:
    rss091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>http://old.example/</link>
<description>d</description><language>en-us</language>
<item><title>First</title><link>http://old.example/1</link><description>One &amp; two</description>
</item></channel></rss>"""
    feed = parse_feed(rss091, "http://old.example/rss.xml")
    assert feed.format == "rss091"
    assert feed.entries[0].summary == "One & two"
    assert feed.entries[0].language == "en-us"
    rss092 = b"""<rss version="0.92"><channel><title>T</title><link>http://e.example/</link>
<item><title>A</title><link>a.html</link><enclosure url="/a.png" type="image/png" length="1"/>
</item></channel></rss>"""
    feed = parse_feed(rss092, "http://e.example/feeds/rss092.xml")
    assert feed.format == "rss092"
    # relative links resolve against the feed document's URL
    assert feed.entries[0].url == "http://e.example/feeds/a.html"
    assert feed.entries[0].image == "http://e.example/a.png"


def test_rdf_rss090_and_rss10_with_syndication_period() -> None:
    rss090 = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>T</title>
<link>http://e.example/</link></channel><item><title>A</title><link>http://e.example/a</link>
</item></rdf:RDF>"""
    assert parse_feed(rss090, "http://e.example/rss090.rdf").format == "rss090"
    rss10 = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel rdf:about="http://e.example/"><title>T</title><link>http://e.example/</link>
<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency></channel>
<item rdf:about="http://e.example/a"><title>A</title><link>http://e.example/a</link>
<dc:date>2021-12-04T18:53:00+05:30</dc:date><dc:creator>Ann Lee</dc:creator>
<dc:subject>Science</dc:subject></item></rdf:RDF>"""
    feed = parse_feed(rss10, "http://e.example/rss10.rdf")
    assert feed.format == "rss10"
    assert feed.ttl_seconds == 900
    entry = feed.entries[0]
    assert entry.published is not None
    assert entry.published.utcoffset() == timedelta(hours=5, minutes=30)
    assert entry.authors == ["Ann Lee"]
    assert entry.categories == ["Science"]


def test_atom03_and_atom10() -> None:
    atom03 = b"""<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title>
<link rel="alternate" type="text/html" href="http://e.example/"/>
<entry><title>A</title><link rel="alternate" type="text/html" href="http://e.example/a"/>
<id>tag:e.example,2021:a</id><issued>2021-12-04T18:53:00-05:00</issued>
<modified>2021-12-04T19:53:00-05:00</modified><summary>Short</summary>
<content type="text/html" mode="escaped">&lt;p&gt;Long&lt;/p&gt;</content>
<author><name>Ann Lee</name><email>ann@e.example</email></author></entry></feed>"""
    feed = parse_feed(atom03, "http://e.example/atom03.xml")
    assert feed.format == "atom03"
    entry = feed.entries[0]
    assert entry.summary == "Short"
    assert entry.content_html == "<p>Long</p>"
    assert entry.authors == ["Ann Lee"]
    assert entry.updated == datetime(2021, 12, 4, 19, 53, tzinfo=timezone(timedelta(hours=-5)))
    atom10 = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Le T</title>
<link href="http://e.example/"/><id>urn:x</id><updated>2021-12-04T18:53:00Z</updated>
<entry><title type="html">A &amp;amp; B</title><link rel="alternate" href="articles/1"/>
<link rel="enclosure" type="image/webp" href="/i.webp"/>
<id>tag:1</id><published>2021-12-04T18:53:00+01:00</published>
<updated>2021-12-05T09:00:00+01:00</updated>
<content type="html">&lt;p&gt;Texte &lt;b&gt;complet&lt;/b&gt;&lt;/p&gt;</content>
<category term="monde" label="Monde"/></entry></feed>"""
    feed = parse_feed(atom10, "http://e.example/feeds/atom10.xml")
    assert feed.format == "atom10"
    assert feed.language == "fr"
    entry = feed.entries[0]
    # Atom resolves against xml:base, which is the feed's own URL here
    assert entry.url == "http://e.example/feeds/articles/1"
    assert entry.title == "A & B"
    assert entry.summary == "Texte complet"
    assert entry.content_html == "<p>Texte <b>complet</b></p>"
    assert entry.language == "fr"
    assert entry.categories == ["Monde"]
    assert entry.image == "http://e.example/i.webp"
    assert entry.published is not None and entry.updated is not None
    assert entry.updated > entry.published


def _json_feed(version: str, **extra: object) -> bytes:
    data = {
        "version": version,
        "title": "JSON &amp; Co",
        "home_page_url": "https://j.example/",
        "feed_url": "https://j.example/feed.json",
        "language": "en-US",
        "items": [
            {
                "id": "1",
                "url": "/posts/1",
                "title": "  First   post ",
                "content_html": "<p>Hello <em>world</em></p>",
                "date_published": "2021-12-04T18:53:00-08:00",
                "date_modified": "2021-12-05T10:00:00+09:00",
                "image": "/img/1.png",
                "tags": ["news", "news", "tech"],
                **extra,
            },
            {"id": "https://j.example/posts/2", "content_text": "Plain\n\nTwo paras"},
            {"id": "no-url", "content_text": "skipped"},
        ],
    }
    return json.dumps(data).encode()


def test_json_feed_10_and_11() -> None:
    v10 = parse_feed(
        _json_feed("https://jsonfeed.org/version/1", author={"name": "Ann", "url": "x"}),
        "https://j.example/feed.json",
    )
    assert v10.format == "json10"
    assert v10.title == "JSON & Co"
    assert v10.site_url == "https://j.example/"
    first = v10.entries[0]
    assert first.url == "https://j.example/posts/1"
    assert first.title == "First post"
    assert first.authors == ["Ann"]
    assert first.published is not None
    assert first.published.utcoffset() == timedelta(hours=-8)
    assert first.updated is not None and first.updated.utcoffset() == timedelta(hours=9)
    assert first.summary == "Hello world"
    assert first.image == "https://j.example/img/1.png"
    assert first.categories == ["news", "tech"]
    assert first.language == "en-us"
    assert [e.url for e in v10.entries] == [
        "https://j.example/posts/1",
        "https://j.example/posts/2",
    ]
    assert v10.entries[1].content_html == "<p>Plain</p><p>Two paras</p>"
    v11 = parse_feed(
        _json_feed("https://jsonfeed.org/version/1.1", authors=[{"name": "A"}, {"name": "B"}]),
        "https://j.example/feed.json",
        "application/feed+json",
    )
    assert v11.format == "json11"
    assert v11.entries[0].authors == ["A", "B"]


def test_json_that_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match="not a JSON Feed"):
        parse_feed(b'{"hello": "world"}', "https://j.example/api")
    with pytest.raises(FeedError, match="not a readable JSON Feed"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1", ', "https://j.example/f")


def test_html_page_instead_of_feed() -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>Home</title></head><body><p>Hi</p></body></html>"
    with pytest.raises(FeedError, match="is an HTML page, not a feed") as info:
        parse_feed(page, "https://news.example/", "text/html")
    assert "https://news.example/" in str(info.value)
    assert "\n" not in str(info.value)
    # even without a doctype and with a wrong content type
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(b"<html><body>x</body></html>", "https://news.example/feed", "application/xml")


def test_malformed_feed_is_recovered() -> None:
    broken = b"""<rss version="2.0"><channel><title>T & co</title><link>http://e.example/</link>
<item><title>One <b>bold</title><link>http://e.example/1</link></item>
<item><title>Two</title><link>http://e.example/2</link></item></channel>"""
    feed = parse_feed(broken, "http://e.example/rss")
    assert feed.format == "rss20"
    assert [e.url for e in feed.entries] == ["http://e.example/1", "http://e.example/2"]


def test_totally_broken_feed_gives_one_line_reason() -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(b'<rss version="2.0"><chan', "http://e.example/rss")
    message = str(info.value)
    assert message.startswith("http://e.example/rss is not a readable feed: ")
    assert "\n" not in message
    with pytest.raises(FeedError, match="not a readable feed"):
        parse_feed(b"\x00\x01garbage\xff<<<", "http://e.example/rss")


def test_empty_feed_and_no_feed() -> None:
    empty = b'<rss version="2.0"><channel><title>T</title><link>http://e.example/</link></channel></rss>'
    feed = parse_feed(empty, "http://e.example/rss")
    assert feed.format == "rss20" and feed.entries == []
    with pytest.raises(FeedError, match="holds no RSS, Atom or JSON feed"):
        parse_feed(b'<?xml version="1.0"?><sitemap><url/></sitemap>', "http://e.example/x.xml")
    with pytest.raises(FeedError, match="empty"):
        parse_feed(b"  \n", "http://e.example/x.xml")


TEMPLATE = (
    '<?xml version="1.0" encoding="{decl}"?><rss version="2.0"><channel><title>Café Zürich</title>'
    "<link>http://e.example/</link><item><title>Déjà vu — “quoted” 5 €</title>"
    "<link>http://e.example/a</link></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("real", "declared", "http"),
    [
        ("cp1252", "utf-8", "utf-8"),  # latin text claiming to be UTF-8
        ("cp1252", "utf-8", None),
        ("utf-8", "iso-8859-1", "iso-8859-1"),  # UTF-8 text claiming to be latin-1
        ("utf-8", "utf-8", "windows-1252"),
        ("utf-16", "utf-16", None),  # with a BOM
        ("cp1252", "windows-1252", None),
    ],
)
def test_wrong_or_missing_charset(real: str, declared: str, http: str | None) -> None:
    content = TEMPLATE.format(decl=declared).encode(real)
    feed = parse_feed(content, "http://e.example/rss", "application/rss+xml", http)
    assert feed.title == "Café Zürich"
    assert feed.entries[0].title == "Déjà vu — “quoted” 5 €"


def test_cjk_and_utf8_bom() -> None:
    doc = (
        '<?xml version="1.0" encoding="shift_jis"?><rss version="2.0"><channel>'
        "<title>東京新聞</title>"
        "<link>http://t.example/</link><item><title>地震 速報</title><link>/a</link></item>"
        "</channel></rss>"
    )
    feed = parse_feed(doc.encode("shift_jis"), "http://t.example/rss")
    assert feed.entries[0].title == "地震 速報"
    utf8 = b"\xef\xbb\xbf" + doc.replace("shift_jis", "utf-8").encode()
    feed = parse_feed(utf8, "http://t.example/rss", None, "shift_jis")
    assert feed.title == "東京新聞"


def test_only_web_links_reach_entries() -> None:
    doc = b"""<rss version="2.0"><channel><title>T</title><link>javascript:alert(1)</link>
<item><title>Bad</title><link>javascript:alert(1)</link></item>
<item><title>Data</title><link>data:text/html,hi</link></item>
<item><title>Relative guid</title><guid isPermaLink="false">dp-7</guid></item>
<item><title>Good</title><link>https://e.example/ok</link>
<media:content xmlns:media="http://search.yahoo.com/mrss/" url="file:///etc/passwd" medium="image"/>
</item></channel></rss>"""
    feed = parse_feed(doc, "https://e.example/rss")
    assert feed.site_url is None
    assert [e.url for e in feed.entries] == ["https://e.example/ok"]
    assert feed.entries[0].image is None
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "1", "url": "javascript:x"}, {"id": "2", "url": "ok", "image": "data:x"}],
    }
    entries = parse_feed(json.dumps(data).encode(), "https://j.example/f/feed.json").entries
    assert [(e.url, e.image) for e in entries] == [("https://j.example/f/ok", None)]


def test_hostile_markup_in_a_feed_reaches_no_field_and_no_article() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>
      <title>&lt;script&gt;steal()&lt;/script&gt;Storm
        &lt;b onmouseover="x()"&gt;warning&lt;/b&gt;</title>
      <link>https://news.example/storm</link>
      <description>&lt;img src=x onerror="steal()"&gt;Gales
        &lt;script&gt;steal()&lt;/script&gt;due</description>
      <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[
        <p onclick="steal()">Gales are due <script>steal()</script>tonight.</p>
        <p><a href="javascript:steal()">Read</a> the <iframe src="https://evil.example/"></iframe>
        forecast.</p>]]></content:encoded>
    </item></channel></rss>"""
    (entry,) = parse_feed(feed, FEED_URL).entries
    assert entry.title == "Storm warning"
    assert entry.summary == "Gales due"
    article = extract_article(entry.content_html or "", entry.url, entry=entry)  # a feed copy
    html = article.html or ""
    for hostile in ("steal", "script", "onclick", "javascript", "iframe", "evil.example"):
        assert hostile not in html and hostile not in (article.text or "")
    assert "Gales are due" in html and "tonight." in html
