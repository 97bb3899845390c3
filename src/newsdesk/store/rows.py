"""Articles read for a list of results, straight through SQLite's driver.

A list (the search page) shows an article's headline, source, time, image and teaser or
snippet, never its body's HTML: reading each row whole, through SQLAlchemy's result and type
steps, cost more than finding the results. The statement here names every column but `html`
and converts the values as the table's column types do (see row_to_stored in articles.py, whose
StoredArticle this one equals but for `article.html`, which is "").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from newsdesk.model import Article, StoredArticle

# the columns in the order list_article takes them
LIST_COLUMNS = (
    "a.id, a.feed_id, coalesce(f.user_title, f.title), a.guid, a.url, a.canonical_url, a.title, "
    "a.authors, a.published, a.updated, a.language, a.site_name, a.image, a.image_caption, "
    "a.description, a.text, a.method, a.fetched_at, a.duplicate_of, a.story_id, a.copies"
)
LIST_ROWS = (
    f"SELECT {LIST_COLUMNS} FROM articles AS a LEFT OUTER JOIN feeds AS f ON f.id = a.feed_id "
    "WHERE a.id IN ({})"
)


def _iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _utc(value: str | datetime | None) -> datetime | None:
    # UTCDateTime on SQLite: UTC text without an offset, read back as an aware UTC datetime
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def list_article(row: Sequence[Any]) -> StoredArticle:
    """One row of LIST_ROWS as a StoredArticle without its body's HTML."""
    (article_id, feed_id, feed_title, guid, url, canonical_url, title, authors, published,
     updated, language, site_name, image, image_caption, description, text, method, fetched_at,
     duplicate_of, story_id, copies) = row  # fmt: skip
    article = Article(
        url=url,
        canonical_url=canonical_url,
        title=title,
        authors=list(json.loads(authors) or []) if authors is not None else [],
        published=_iso(published),
        updated=_iso(updated),
        language=language,
        site_name=site_name,
        image=image,
        image_caption=image_caption,
        description=description,
        text=text or "",
        html="",
        method=method or "",
    )
    return StoredArticle(
        id=article_id,
        feed_id=feed_id,
        feed_title=feed_title,
        article=article,
        guid=guid,
        fetched_at=_utc(fetched_at),
        duplicate_of=duplicate_of,
        story_id=story_id,
        copies=copies,
    )


def read_list_articles(cursor: Any, ids: Sequence[int]) -> dict[int, StoredArticle]:
    """The articles of `ids` (those that exist) by id, read with the driver's `cursor`."""
    if not ids:
        return {}
    rows = cursor.execute(LIST_ROWS.format(",".join("?" * len(ids))), list(ids)).fetchall()
    return {row[0]: list_article(row) for row in rows}
