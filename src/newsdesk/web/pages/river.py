"""The river of news: every article, one source's or one folder's, unread or starred ones."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.inputs import MAX_ID
from newsdesk.model import RIVER_VIEWS, User
from newsdesk.store import ArticleQuery
from newsdesk.store.paging import next_cursor, sort_time
from newsdesk.times import as_utc, utcnow
from newsdesk.web.auth.csrf import csrf_protect
from newsdesk.web.deps import require_user
from newsdesk.web.pages.common import (
    clean,
    list_context,
    reader_or_public,
    safe_next,
    with_notice,
)
from newsdesk.web.params import Blank, MaybeFeedId
from newsdesk.web.state import get_store
from newsdesk.web.viewcache import feed_map
from newsdesk.web.views import ItemView, StoryView, feed_name, make_items, make_story_views

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 30
# newsdesk.model.RIVER_VIEWS; empty (a form's default) is the reader's own choice
RiverView = Annotated[Literal["stories", "articles"] | None, Blank]


# A coroutine, so it runs on the event loop: its listing and feed list are nearly always kept
# (ViewCache) and its states are one indexed read, so handing it to a worker thread cost more
# CPU (the thread switch and the two threads taking turns at the GIL) than the page itself.
@router.get("/")
async def river(
    request: Request,
    feed: MaybeFeedId = None,
    folder: str | None = Query(None, max_length=200),
    lang: str | None = Query(None, max_length=35),
    unread: bool = False,
    starred: bool = False,
    before: str | None = Query(None, max_length=200),
    view: RiverView = None,  # stories or articles (default: the reader's choice)
    viewer: User | None = Depends(reader_or_public),
):
    settings: Settings = request.app.state.settings
    store = get_store(request)
    folder, lang = clean(folder), clean(lang)
    if viewer is None:
        unread = starred = False
    feeds, ordered, folders = feed_map(request, [feed])
    if feed is not None and (feed not in feeds or feeds[feed].removed_at is not None):
        raise NotFoundError(f"no source with id {feed}")
    query = ArticleQuery(
        feed_id=feed,
        folder=folder,
        language=lang,
        originals_only=not settings.show_duplicates,
        user_id=viewer.id if viewer else None,
        read=False if unread else None,
        starred=True if starred else None,
    )
    cache = request.app.state.view_cache
    chosen = view or (cache.reading(store, viewer.id).river_view if viewer else "stories")
    stories: list[StoryView] = []
    items: list[ItemView] = []
    if chosen == "stories":
        found = cache.stories(store, query, limit=PAGE_SIZE, after=clean(before))
        feeds = feed_map(request, [story.lead.feed_id for story in found])[0]
        stories = make_story_views(store, found, feeds, viewer)
        articles = [story.lead for story in found]
        last = found[-1].cursor if len(found) == PAGE_SIZE else None
    else:
        articles = cache.listing(store, query, limit=PAGE_SIZE, after=clean(before))
        feeds = feed_map(request, [sa.feed_id for sa in articles])[0]
        items = make_items(store, articles, feeds, viewer)
        last = next_cursor(articles) if len(articles) == PAGE_SIZE else None
    filters = {"feed": feed, "folder": folder, "lang": lang, "unread": unread, "starred": starred}
    next_url = None
    if last is not None:
        params = {k: v for k, v in filters.items() if v}
        params = {k: (1 if v is True else v) for k, v in params.items()}
        if view:
            params["view"] = view
        params["before"] = last
        next_url = "/?" + urlencode(params)
    if feed is not None:
        heading = feed_name(feeds[feed])
        feed_link = f"/feeds/{feed}.atom"
    elif folder:
        heading = f"Folder: {folder}"
        feed_link = "/folders/" + quote(folder, safe="") + ".atom"
    else:
        heading = "Starred" if starred else "All articles"
        feed_link = "/starred.atom" if starred else "/all.atom"
    if unread and not starred:
        heading += " (unread)"
    upto = ""
    if stories:
        upto = max(story.story.newest for story in stories).isoformat()
    elif articles and articles[0].fetched_at is not None:
        upto = sort_time(articles[0].article.published, articles[0].fetched_at).isoformat()
    return request.app.state.render(
        request,
        "river.html",
        {
            "nav": "starred" if starred else "river",
            "heading": heading,
            "items": items,
            "stories": stories,
            "view": chosen,
            "view_links": view_links(filters),
            "feeds": ordered,
            "folders": folders,
            "filters": filters,
            "next_url": next_url,
            "upto": upto,
            "feed_link": feed_link,
            "source": feeds[feed] if feed is not None else None,  # its health, when failing
            **list_context(request, viewer),
        },
    )


def view_links(filters: dict[str, Any]) -> dict[str, str]:
    """The river with these filters in each view, for a visitor who cannot save a choice."""
    params = {k: (1 if v is True else v) for k, v in filters.items() if v}
    return {name: "/?" + urlencode({**params, "view": name}) for name in RIVER_VIEWS}


@router.post("/river-view", dependencies=[Depends(csrf_protect)])
def choose_view(
    request: Request,
    view: str = Form(..., max_length=20),
    next: str = Form("/", max_length=2000),
    user: User = Depends(require_user),
):
    """Show the river by story or by article from now on (a reading setting of the reader)."""
    get_store(request).save_reading_settings(user.id, river_view=view)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/mark-all-read", dependencies=[Depends(csrf_protect)])
def mark_all_read(
    request: Request,
    feed: str = Form("", max_length=20),
    folder: str = Form("", max_length=200),
    upto: str = Form("", max_length=64),
    next: str = Form("/", max_length=2000),
    user: User = Depends(require_user),
):
    feed_id = None
    if feed.strip():
        if not feed.strip().isdigit() or int(feed) > MAX_ID:
            raise NewsdeskError(f"feed must be a source id, not {feed[:20]!r}")
        feed_id = int(feed)
    until = None
    if upto.strip():
        try:
            until = as_utc(datetime.fromisoformat(upto.strip()))
        except ValueError:
            raise NewsdeskError(f"upto must be an ISO date and time, not {upto[:40]!r}") from None
    at = utcnow()
    marked = get_store(request).mark_all_read(
        user.id, feed_id=feed_id, folder=clean(folder), before=until, at=at
    )
    # back to the list, which offers to undo it: the moment of marking names what to take back
    notice = {"marked": marked, "undo": at.isoformat()}
    return RedirectResponse(with_notice(safe_next(next), notice), status_code=303)


@router.post("/mark-all-read/undo", dependencies=[Depends(csrf_protect)])
def undo_mark_all_read(
    request: Request,
    at: str = Form("", max_length=64),
    next: str = Form("/", max_length=2000),
    user: User = Depends(require_user),
):
    """Unread again what one "Mark all as read" marked (only this user's marks, only those)."""
    try:
        moment = as_utc(datetime.fromisoformat(at.strip()))
    except ValueError:
        raise NewsdeskError("Nothing to undo: that form did not come from newsdesk.") from None
    unmarked = get_store(request).undo_mark_all_read(user.id, moment)
    return RedirectResponse(with_notice(safe_next(next), {"unmarked": unmarked}), status_code=303)
