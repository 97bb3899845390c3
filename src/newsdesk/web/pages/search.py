"""Full-text search, with filters by source, dates and language."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.model import User
from newsdesk.web.pages.common import clean, list_context, reader_or_public
from newsdesk.web.params import MaybeFeedId
from newsdesk.web.state import get_store
from newsdesk.web.viewcache import feed_map
from newsdesk.web.views import ItemView, make_items

router = APIRouter(include_in_schema=False)

SEARCH_LIMIT = 20  # results per page of a search
MAX_SEARCH_PAGE = 10  # the store ranks at most 200 results of one search


def parse_day(value: str | None, name: str) -> date | None:
    value = clean(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise NewsdeskError(f"{name} must be a date like 2025-03-31, not {value[:40]!r}") from None


@router.get("/search")
def search_page(
    request: Request,
    q: str = Query("", max_length=500),
    feed: MaybeFeedId = None,
    since: str | None = Query(None, max_length=40),
    until: str | None = Query(None, max_length=40),
    lang: str | None = Query(None, max_length=35),
    page: int = Query(1, ge=1, le=MAX_SEARCH_PAGE),
    viewer: User | None = Depends(reader_or_public),
):
    settings: Settings = request.app.state.settings
    store = get_store(request)
    query = q.strip()
    lang = clean(lang)
    since_day, until_day = parse_day(since, "From"), parse_day(until, "To")
    ordered = feed_map(request)[1]
    items: list[ItemView] = []
    more = False
    hint = ""
    if query:
        hits = store.search(
            query,
            limit=SEARCH_LIMIT + 1,  # one more tells whether there is a next page
            snippet_limit=SEARCH_LIMIT,
            with_html=False,  # a list shows no body
            offset=(page - 1) * SEARCH_LIMIT,
            originals_only=not settings.show_duplicates,
            feed_id=feed,
            since=datetime.combine(since_day, time.min, UTC) if since_day else None,
            until=datetime.combine(until_day + timedelta(days=1), time.min, UTC)
            if until_day
            else None,
            language=lang,
            user_id=viewer.id if viewer else None,
        )
        more, hits = len(hits) > SEARCH_LIMIT, hits[:SEARCH_LIMIT]
        if not hits and page == 1:
            narrowed = any(v is not None for v in (feed, since_day, until_day, lang))
            hint = store.search_hint(query, narrowed=narrowed)
        feeds = feed_map(request, [h[0].feed_id for h in hits])[0]
        items = make_items(store, [h[0] for h in hits], feeds, viewer, [h[1] for h in hits])
    params = {"q": query, "feed": feed, "since": since_day, "until": until_day, "lang": lang}
    feed_link = "/search.atom?" + urlencode({k: v for k, v in params.items() if v})
    next_url = None
    if more and page < MAX_SEARCH_PAGE:
        next_url = "/search?" + urlencode({**{k: v for k, v in params.items() if v},
                                            "page": page + 1})  # fmt: skip
    return request.app.state.render(
        request,
        "search.html",
        {
            "nav": "search",
            "query": query,
            "items": items,
            "first": (page - 1) * SEARCH_LIMIT + 1,
            "next_url": next_url,
            "feeds": ordered,
            "filters": {"feed": feed, "since": since_day, "until": until_day, "lang": lang},
            "feed_link": feed_link,
            "hint": hint,
            **list_context(request, viewer),
        },
    )
