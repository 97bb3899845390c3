"""Articles read for a list of results, straight through SQLite's driver.

A list (the search page) shows an article's headline, source, time, image and teaser or
snippet, never its body's HTML: reading each row whole, through SQLAlchemy's result and type
steps, cost more than finding the results. The statement here names every column but `html`
and converts the values as the table's column types do, then makes the StoredArticle as
row_to_stored does (one builder, store.articles.stored_from_values): it equals the whole row's
but for `article.html`, which is "".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsdesk.model import StoredArticle
from newsdesk.store.articles import stored_from_values
from newsdesk.times import to_utc

# the columns in the order list_article takes them, and the names stored_from_values knows them by
LIST_COLUMNS = (
    "a.id, a.feed_id, coalesce(f.user_title, f.title), a.guid, a.url, a.canonical_url, a.title, "
    "a.authors, a.published, a.updated, a.language, a.site_name, a.image, a.image_caption, "
    "a.description, a.text, a.method, a.fetched_at, a.duplicate_of, a.story_id, a.copies"
)
LIST_NAMES = (
    "id", "feed_id", "feed_title", "guid", "url", "canonical_url", "title", "authors",
    "published", "updated", "language", "site_name", "image", "image_caption", "description",
    "text", "method", "fetched_at", "duplicate_of", "story_id", "copies",
)  # fmt: skip
LIST_ROWS = (
    f"SELECT {LIST_COLUMNS} FROM articles AS a LEFT OUTER JOIN feeds AS f ON f.id = a.feed_id "
    "WHERE a.id IN ({})"
)


def list_article(row: Sequence[Any]) -> StoredArticle:
    """One row of LIST_ROWS as a StoredArticle without its body's HTML."""
    values = dict(zip(LIST_NAMES, row, strict=True))
    # what the JSON and UTCDateTime column types do on the way out
    authors = values["authors"]
    values["authors"] = json.loads(authors) if authors is not None else []
    fetched_at = values["fetched_at"]
    if isinstance(fetched_at, str):
        fetched_at = datetime.fromisoformat(fetched_at)
    values["fetched_at"] = to_utc(fetched_at) if fetched_at is not None else None
    values["html"] = None
    return stored_from_values(values)


def read_list_articles(cursor: Any, ids: Sequence[int]) -> dict[int, StoredArticle]:
    """The articles of `ids` (those that exist) by id, read with the driver's `cursor`."""
    if not ids:
        return {}
    rows = cursor.execute(LIST_ROWS.format(",".join("?" * len(ids))), list(ids)).fetchall()
    return {row[0]: list_article(row) for row in rows}
