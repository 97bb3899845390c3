"""Render one site's items in each feed format. Plain string building, one function a format."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr


@dataclass
class Channel:
    title: str
    site_url: str
    feed_url: str
    description: str
    language: str
    updated: datetime
    encoding: str = "utf-8"


@dataclass
class Item:
    title: str
    url: str  # absolute, possibly with tracking parameters or another scheme
    path: str  # the same link relative to the site root
    guid: str
    guid_is_permalink: bool
    published: datetime
    updated: datetime | None
    summary: str
    content_html: str
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str | None = None  # absolute
    language: str = "en"


def _x(text: str) -> str:
    return escape(text)


def _decl(channel: Channel) -> str:
    return f'<?xml version="1.0" encoding="{channel.encoding}"?>\n'


def _cdata(html: str) -> str:
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss090(channel: Channel, items: list[Item]) -> str:
    parts = [
        _decl(channel),
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://my.netscape.com/rdf/simple/0.9/">\n',
        f"<channel><title>{_x(channel.title)}</title><link>{_x(channel.site_url)}</link>"
        f"<description>{_x(channel.description)}</description></channel>\n",
    ]
    for item in items:
        parts.append(f"<item><title>{_x(item.title)}</title><link>{_x(item.url)}</link></item>\n")
    parts.append("</rdf:RDF>\n")
    return "".join(parts)


def rss091(channel: Channel, items: list[Item]) -> str:
    parts = [
        _decl(channel),
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n',
        '<rss version="0.91"><channel>\n',
        f"<title>{_x(channel.title)}</title><link>{_x(channel.site_url)}</link>"
        f"<description>{_x(channel.description)}</description>"
        f"<language>{channel.language}</language>\n",
    ]
    for item in items:
        parts.append(
            f"<item><title>{_x(item.title)}</title><link>{_x(item.url)}</link>"
            f"<description>{_x(item.summary)}</description></item>\n"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts)


def rss092(channel: Channel, items: list[Item]) -> str:
    parts = [
        _decl(channel),
        '<rss version="0.92"><channel>\n',
        f"<title>{_x(channel.title)}</title><link>{_x(channel.site_url)}</link>"
        f"<description>{_x(channel.description)}</description>"
        f"<language>{channel.language}</language>\n",
    ]
    for item in items:
        parts.append(f"<item><title>{_x(item.title)}</title><link>{_x(item.url)}</link>")
        parts.append(f"<description>{_x(item.summary)}</description>")
        parts += [f"<category>{_x(tag)}</category>" for tag in item.tags]
        if item.image:
            parts.append(
                f'<enclosure url={quoteattr(item.image)} length="1024" type="image/jpeg"/>'
            )
        parts.append("</item>\n")
    parts.append("</channel></rss>\n")
    return "".join(parts)


def rss10(channel: Channel, items: list[Item]) -> str:
    seq = "".join(f"<rdf:li rdf:resource={quoteattr(i.url)}/>" for i in items)
    parts = [
        _decl(channel),
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/">\n',
        f"<channel rdf:about={quoteattr(channel.feed_url)}><title>{_x(channel.title)}</title>"
        f"<link>{_x(channel.site_url)}</link><description>{_x(channel.description)}</description>"
        f"<dc:language>{channel.language}</dc:language>"
        "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>\n",
    ]
    for item in items:
        parts.append(
            f"<item rdf:about={quoteattr(item.url)}><title>{_x(item.title)}</title>"
            f"<link>{_x(item.url)}</link><description>{_x(item.summary)}</description>"
            f"<dc:date>{item.published.isoformat()}</dc:date>"
        )
        parts += [f"<dc:creator>{_x(a)}</dc:creator>" for a in item.authors]
        parts += [f"<dc:subject>{_x(t)}</dc:subject>" for t in item.tags]
        parts.append(f"<content:encoded>{_cdata(item.content_html)}</content:encoded></item>\n")
    parts.append("</rdf:RDF>\n")
    return "".join(parts)


def rss20(channel: Channel, items: list[Item]) -> str:
    parts = [
        _decl(channel),
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"'
        ' xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n',
        f"<title>{_x(channel.title)}</title><link>{_x(channel.site_url)}</link>"
        f"<description>{_x(channel.description)}</description>"
        f"<language>{channel.language}</language><ttl>30</ttl>"
        f"<lastBuildDate>{format_datetime(channel.updated)}</lastBuildDate>"
        f'<atom:link href={quoteattr(channel.feed_url)} rel="self" type="application/rss+xml"/>\n',
    ]
    for item in items:
        permalink = "true" if item.guid_is_permalink else "false"
        parts.append(
            f"<item><title>{_x(item.title)}</title><link>{_x(item.url)}</link>"
            f'<guid isPermaLink="{permalink}">{_x(item.guid)}</guid>'
            f"<pubDate>{format_datetime(item.published)}</pubDate>"
            f"<description>{_x(item.summary)}</description>"
            f"<content:encoded>{_cdata(item.content_html)}</content:encoded>"
        )
        parts += [f"<dc:creator>{_x(a)}</dc:creator>" for a in item.authors]
        parts += [f"<category>{_x(t)}</category>" for t in item.tags]
        if item.image:
            parts.append(f'<media:content url={quoteattr(item.image)} medium="image"/>')
        parts.append("</item>\n")
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)


def atom03(channel: Channel, items: list[Item]) -> str:
    parts = [
        _decl(channel),
        f'<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:lang="{channel.language}">\n',
        f"<title>{_x(channel.title)}</title>"
        f'<link rel="alternate" type="text/html" href={quoteattr(channel.site_url)}/>'
        f"<tagline>{_x(channel.description)}</tagline>"
        f"<modified>{channel.updated.isoformat()}</modified>\n",
    ]
    for item in items:
        parts.append(
            f"<entry><title>{_x(item.title)}</title>"
            f'<link rel="alternate" type="text/html" href={quoteattr(item.url)}/>'
            f"<id>{_x(item.guid)}</id><issued>{item.published.isoformat()}</issued>"
            f"<modified>{(item.updated or item.published).isoformat()}</modified>"
        )
        parts += [f"<author><name>{_x(a)}</name></author>" for a in item.authors]
        parts.append(
            f"<summary>{_x(item.summary)}</summary>"
            f'<content type="text/html" mode="escaped">{_x(item.content_html)}</content>'
            "</entry>\n"
        )
    parts.append("</feed>\n")
    return "".join(parts)


def atom10(channel: Channel, items: list[Item]) -> str:
    parts = [
        _decl(channel),
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{channel.language}">\n',
        f"<title>{_x(channel.title)}</title><subtitle>{_x(channel.description)}</subtitle>"
        f'<link rel="alternate" type="text/html" href={quoteattr(channel.site_url)}/>'
        f'<link rel="self" href={quoteattr(channel.feed_url)}/>'
        f"<id>{_x(channel.site_url)}/</id><updated>{channel.updated.isoformat()}</updated>\n",
    ]
    for item in items:
        # links relative to the feed document, as many Atom feeds write them
        parts.append(
            f'<entry><title type="text">{_x(item.title)}</title>'
            f'<link rel="alternate" type="text/html" href={quoteattr(item.path)}/>'
            f"<id>{_x(item.guid)}</id><published>{item.published.isoformat()}</published>"
            f"<updated>{(item.updated or item.published).isoformat()}</updated>"
        )
        parts += [f"<author><name>{_x(a)}</name></author>" for a in item.authors]
        parts += [f"<category term={quoteattr(t)}/>" for t in item.tags]
        if item.image:
            parts.append(f'<link rel="enclosure" type="image/jpeg" href={quoteattr(item.image)}/>')
        parts.append(
            f'<summary type="text">{_x(item.summary)}</summary>'
            f'<content type="html">{_x(item.content_html)}</content></entry>\n'
        )
    parts.append("</feed>\n")
    return "".join(parts)


def _json(channel: Channel, items: list[Item], version: str) -> str:
    v11 = version == "1.1"
    data: dict[str, object] = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": channel.title,
        "home_page_url": channel.site_url,
        "feed_url": channel.feed_url,
        "description": channel.description,
    }
    if v11:
        data["language"] = channel.language
    entries = []
    for item in items:
        entry: dict[str, object] = {
            "id": item.guid,
            "url": item.url,
            "title": item.title,
            "summary": item.summary,
            "content_html": item.content_html,
            "date_published": item.published.isoformat(),
        }
        if item.updated:
            entry["date_modified"] = item.updated.isoformat()
        if item.image:
            entry["image"] = item.image
        if item.tags:
            entry["tags"] = item.tags
        if item.authors and v11:
            entry["authors"] = [{"name": a} for a in item.authors]
        elif item.authors:
            entry["author"] = {"name": item.authors[0]}
        if v11:
            entry["language"] = item.language
        entries.append(entry)
    data["items"] = entries
    return json.dumps(data, ensure_ascii=False, indent=1)


def json10(channel: Channel, items: list[Item]) -> str:
    return _json(channel, items, "1")


def json11(channel: Channel, items: list[Item]) -> str:
    return _json(channel, items, "1.1")


RENDERERS: dict[str, Callable[[Channel, list[Item]], str]] = {
    "rss090": rss090,
    "rss091": rss091,
    "rss092": rss092,
    "rss10": rss10,
    "rss20": rss20,
    "atom03": atom03,
    "atom10": atom10,
    "json10": json10,
    "json11": json11,
}
# where each format is served on every site, and its media type
PATHS = {
    "rss090": "/rss090.rdf",
    "rss091": "/rss091.xml",
    "rss092": "/rss092.xml",
    "rss10": "/rss10.rdf",
    "rss20": "/rss20.xml",
    "atom03": "/atom03.xml",
    "atom10": "/atom10.xml",
    "json10": "/feed10.json",
    "json11": "/feed11.json",
}
MEDIA_TYPES = {
    "rss090": "application/rdf+xml",
    "rss091": "application/rss+xml",
    "rss092": "application/rss+xml",
    "rss10": "application/rdf+xml",
    "rss20": "application/rss+xml",
    "atom03": "application/atom+xml",
    "atom10": "application/atom+xml",
    "json10": "application/feed+json",
    "json11": "application/feed+json",
}
