"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) -> ParsedFeed."""

from __future__ import annotations

import json
from typing import Any

from newsdesk.errors import FeedError
from newsdesk.feeds.text import collapse, html_teaser, html_to_text, teaser, text_to_html
from newsdesk.model import Entry, ParsedFeed
from newsdesk.times import parse_date
from newsdesk.urls import web_url


def parse_json_feed(text: str, url: str) -> ParsedFeed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(f"{url} is not a readable JSON Feed: {exc}", url=url) from None
    version = str(data.get("version") or "") if isinstance(data, dict) else ""
    if "jsonfeed.org/version/" not in version:
        raise FeedError(f"{url} is JSON but not a JSON Feed (no jsonfeed.org version)", url=url)
    fmt = "json11" if version.rstrip("/").endswith("/1.1") else "json10"
    site_url = web_url(url, data.get("home_page_url"))
    base = url  # relative URLs resolve against where the document was fetched, as in XML feeds
    language = _text(data.get("language"))
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError(f"{url} is a JSON Feed without an items list", url=url)
    feed_authors = _authors(data)
    entries = []
    for item in items:
        if isinstance(item, dict):
            entry = _entry(item, base, language, feed_authors)
            if entry is not None:
                entries.append(entry)
    return ParsedFeed(
        format=fmt,
        title=html_to_text(_text(data.get("title"))),
        site_url=site_url,
        description=html_to_text(_text(data.get("description"))),
        language=language.lower() if language else None,
        icon=web_url(url, data.get("icon") or data.get("favicon")),
        entries=entries,
    )


def _entry(
    item: dict[str, Any], base: str, language: str | None, feed_authors: list[str]
) -> Entry | None:
    guid = collapse(str(item["id"])) if item.get("id") is not None else None
    link = web_url(base, item.get("url")) or web_url(base, item.get("external_url"))
    if link is None and guid and guid.startswith(("http://", "https://")):
        link = web_url(base, guid)
    if link is None:
        return None
    content_html = _text(item.get("content_html"))
    content_text = _text(item.get("content_text"))
    if content_html is None and content_text:
        content_html = text_to_html(content_text)
    summary = html_to_text(_text(item.get("summary"))) or (
        teaser(collapse(content_text[:4000])) if content_text else html_teaser(content_html)
    )
    image = item.get("image") or item.get("banner_image") or _image_attachment(item)
    item_language = _text(item.get("language")) or language
    return Entry(
        url=link,
        guid=guid,
        title=html_to_text(_text(item.get("title"))),
        published=parse_date(_text(item.get("date_published")), source="feed")
        or parse_date(_text(item.get("date_modified")), source="feed"),
        updated=parse_date(_text(item.get("date_modified")), source="feed"),
        summary=summary,
        content_html=content_html,
        authors=_authors(item) or feed_authors,
        image=web_url(base, image),
        language=item_language.lower() if item_language else None,
        categories=[
            t for t in dict.fromkeys(collapse(str(t)) for t in item.get("tags") or []) if t
        ],
    )


def _authors(obj: dict[str, Any]) -> list[str]:
    people = obj.get("authors")  # 1.1
    if not isinstance(people, list):
        people = [obj["author"]] if isinstance(obj.get("author"), dict) else []  # 1.0
    names = [collapse(str(p.get("name") or "")) for p in people if isinstance(p, dict)]
    return [n for n in dict.fromkeys(names) if n]


def _image_attachment(item: dict[str, Any]) -> str | None:
    for attachment in item.get("attachments") or []:
        if isinstance(attachment, dict) and str(attachment.get("mime_type", "")).startswith(
            "image/"
        ):
            return attachment.get("url")
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
