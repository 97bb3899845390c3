"""Article -> the `--json` shape every part of newsdesk prints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsdesk.model import Article

JSON_FIELDS = (
    "input", "url", "canonical_url", "title", "authors", "published", "updated", "language",
    "site_name", "image", "text", "method",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def article_to_json(article: Article, input: str | None = None) -> dict[str, Any]:
    """The public JSON form, fields in their fixed order; datetimes ISO 8601 with their offset.

    ``input`` is what the user named (a URL or a file); it defaults to the article's URL.
    """
    return {
        "input": input if input is not None else article.url,
        "url": article.url or None,  # a page read from a file without --url has none
        "canonical_url": article.canonical_url,
        "title": article.title,
        "authors": list(article.authors),
        "published": _iso(article.published),
        "updated": _iso(article.updated),
        "language": article.language,
        "site_name": article.site_name,
        "image": article.image,
        "text": article.text,
        "method": article.method,
    }
