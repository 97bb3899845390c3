"""Writers of the three output formats: Atom 1.0, RSS 2.0 and JSON Feed 1.1, from one
format-neutral FeedDocument. Pure: a document in, bytes out.

    render_atom(doc)   WRITERS["json"](doc)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from lxml import etree

from newsdesk import __version__

MEDIA_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- the format-neutral document ------------------------------------------------------------


@dataclass(slots=True)
class FeedItem:
    id: str  # a stable IRI
    url: str
    title: str
    content_html: str
    summary: str | None
    published: datetime | None
    updated: datetime
    authors: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    source_title: str | None = None


@dataclass(slots=True)
class FeedDocument:
    id: str
    title: str
    self_url: str  # this document, without its format suffix
    home_url: str
    updated: datetime
    description: str
    items: list[FeedItem]
    query: str = ""  # e.g. "?q=words", after the format suffix

    def link(self, fmt: str) -> str:
        return f"{self.self_url}.{fmt}{self.query}"


# --- the three writers ----------------------------------------------------------------------


def _xml_text(value: str | None) -> str:
    return _NOT_XML.sub("", value or "")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, tag, {k: _xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def render_atom(doc: FeedDocument) -> bytes:
    atom = f"{{{ATOM_NS}}}"
    root = etree.Element(atom + "feed", nsmap={None: ATOM_NS})
    _sub(root, atom + "id", doc.id)
    _sub(root, atom + "title", doc.title)
    _sub(root, atom + "subtitle", doc.description)
    _sub(root, atom + "updated", _iso(doc.updated))
    _sub(root, atom + "link", rel="self", type="application/atom+xml", href=doc.link("atom"))
    _sub(root, atom + "link", rel="alternate", type="text/html", href=doc.home_url)
    _sub(_sub(root, atom + "author"), atom + "name", "newsdesk")
    _sub(root, atom + "generator", "newsdesk", version=__version__)
    for item in doc.items:
        entry = _sub(root, atom + "entry")
        _sub(entry, atom + "id", item.id)
        _sub(entry, atom + "title", item.title, type="text")
        _sub(entry, atom + "link", rel="alternate", type="text/html", href=item.url)
        _sub(entry, atom + "updated", _iso(item.updated))
        if item.published:
            _sub(entry, atom + "published", _iso(item.published))
        for name in item.authors:
            _sub(_sub(entry, atom + "author"), atom + "name", name)
        if item.summary:
            _sub(entry, atom + "summary", item.summary, type="text")
        _sub(entry, atom + "content", item.content_html, type="html")
        if item.source_title:
            source = _sub(entry, atom + "source")
            _sub(source, atom + "title", item.source_title)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def render_rss(doc: FeedDocument) -> bytes:
    root = etree.Element("rss", version="2.0", nsmap={"atom": ATOM_NS, "content": CONTENT_NS,
                                                      "dc": DC_NS})  # fmt: skip
    channel = _sub(root, "channel")
    _sub(channel, "title", doc.title)
    _sub(channel, "link", doc.home_url)
    _sub(channel, "description", doc.description)
    _sub(channel, f"{{{ATOM_NS}}}link", rel="self", type="application/rss+xml",
         href=doc.link("rss"))  # fmt: skip
    _sub(channel, "lastBuildDate", format_datetime(doc.updated.astimezone(UTC), usegmt=True))
    _sub(channel, "generator", f"newsdesk {__version__}")
    for item in doc.items:
        node = _sub(channel, "item")
        _sub(node, "title", item.title)
        _sub(node, "link", item.url)
        _sub(node, "guid", item.id, isPermaLink="false")
        if item.published:
            _sub(node, "pubDate", format_datetime(item.published.astimezone(UTC), usegmt=True))
        for name in item.authors:
            _sub(node, f"{{{DC_NS}}}creator", name)
        _sub(node, "description", item.summary or item.content_html)
        _sub(node, f"{{{CONTENT_NS}}}encoded", item.content_html)
        if item.source_title:
            _sub(node, "source", item.source_title, url=doc.link("rss"))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def render_json(doc: FeedDocument) -> bytes:
    items = []
    for item in doc.items:
        data: dict[str, Any] = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "content_html": item.content_html,
            "date_modified": _iso(item.updated),
        }
        if item.summary:
            data["summary"] = item.summary
        if item.published:
            data["date_published"] = _iso(item.published)
        if item.authors:
            data["authors"] = [{"name": name} for name in item.authors]
        if item.image:
            data["image"] = item.image
        if item.language:
            data["language"] = item.language
        items.append(data)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": doc.title,
        "home_page_url": doc.home_url,
        "feed_url": doc.link("json"),
        "description": doc.description,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


WRITERS: dict[str, Callable[[FeedDocument], bytes]] = {
    "atom": render_atom,
    "rss": render_rss,
    "json": render_json,
}
