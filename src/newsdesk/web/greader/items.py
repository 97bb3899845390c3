"""Articles as Google Reader items."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request

from newsdesk.model import StoredArticle, User
from newsdesk.times import as_utc
from newsdesk.web.folders import folder_of
from newsdesk.web.greader.ids import LABEL, READ, READING_LIST, STARRED, long_item_id
from newsdesk.web.jsonparts import Verbatim
from newsdesk.web.sanitize import article_html
from newsdesk.web.state import get_store


def usec(moment: datetime | None) -> int:
    if moment is None:
        return 0
    return int(as_utc(moment).timestamp() * 1_000_000)


def items_json(request: Request, user: User, articles: list[StoredArticle]) -> list[dict[str, Any]]:
    store = get_store(request)
    # the reader's short-lived feed list: names and folders, not fetched again for every page
    feeds = request.app.state.view_cache.feeds(store, [s.feed_id for s in articles])[0]
    states = store.article_states(user.id, [stored.id for stored in articles])
    items = []
    for stored in articles:
        article = stored.article
        feed = feeds.get(stored.feed_id) if stored.feed_id is not None else None
        read, starred = states.get(stored.id, (False, False))
        categories = [READING_LIST]
        if feed:
            categories.append(LABEL + folder_of(feed))
        if read:
            categories.append(READ)
        if starred:
            categories.append(STARRED)
        published = article.published or stored.fetched_at
        crawled = usec(stored.fetched_at)  # when newsdesk got it: what ot and nt select on
        body = Verbatim(article_html(article.html, article.text, base_url=article.url))
        link = article.canonical_url or article.url
        items.append(
            {
                "id": long_item_id(stored.id),
                "crawlTimeMsec": str(crawled // 1000),
                "timestampUsec": str(crawled),
                "published": usec(published) // 1_000_000,
                "updated": usec(article.updated or published) // 1_000_000,
                "title": article.title or link,
                "author": ", ".join(article.authors),
                "canonical": [{"href": link}],
                "alternate": [{"href": link, "type": "text/html"}],
                "categories": categories,
                # the body once, as FreshRSS sends it: greader_api reads "content" and
                # "summary" as one field, and both at once fail the whole stream
                "summary": {"direction": "ltr", "content": body},
                "origin": {
                    "streamId": f"feed/{stored.feed_id}" if stored.feed_id else "",
                    "title": feed.display_name if feed else (stored.feed_title or ""),
                    "htmlUrl": (feed.site_url or "") if feed else "",
                },
                "enclosure": (  # href, as Google Reader and FreshRSS name it; url for others
                    [{"href": article.image, "url": article.image, "type": "image"}]
                    if article.image and article.image.startswith(("http://", "https://"))
                    else []
                ),
            }
        )
    return items
