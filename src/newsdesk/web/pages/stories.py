"""Stories: the latest ones (/stories), one story's whole coverage (/stories/{id}), and marking a
story read. A story merged into another answers with a permanent redirect to it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from newsdesk.config import Settings
from newsdesk.errors import NotFoundError
from newsdesk.inputs import MAX_ID
from newsdesk.model import User
from newsdesk.store import ArticleQuery
from newsdesk.times import as_utc
from newsdesk.web.auth.csrf import csrf_protect
from newsdesk.web.deps import require_user
from newsdesk.web.moved import moved_story
from newsdesk.web.pages.article import StateForm, accepts_json, state_form, story_articles
from newsdesk.web.pages.common import clean, list_context, reader_or_public, safe_next
from newsdesk.web.state import get_store
from newsdesk.web.viewcache import feed_map
from newsdesk.web.views import ItemView, make_items, make_story_views

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 30
TIMELINE_BARS = 12  # the coverage timeline's columns at most
TIMELINE_LEVELS = 4  # heights a column can take (CSS: .timeline [data-level])


@router.get("/stories")
async def latest_stories(
    request: Request,
    before: str | None = Query(None, max_length=200),
    viewer: User | None = Depends(reader_or_public),
):
    settings: Settings = request.app.state.settings
    store = get_store(request)
    query = ArticleQuery(
        originals_only=not settings.show_duplicates, user_id=viewer.id if viewer else None
    )
    found = request.app.state.view_cache.stories(store, query, limit=PAGE_SIZE, after=clean(before))
    feeds = feed_map(request, [story.lead.feed_id for story in found])[0]
    next_url = None
    if len(found) == PAGE_SIZE:
        next_url = "/stories?" + urlencode({"before": found[-1].cursor})
    return request.app.state.render(
        request,
        "stories.html",
        {
            "nav": "stories",
            "stories": make_story_views(store, found, feeds, viewer),
            "next_url": next_url,
            **list_context(request, viewer),
        },
    )


@dataclass(slots=True)
class Coverage:
    """One original report of a story with the copies folded under it."""

    item: ItemView
    copies: list[ItemView] = field(default_factory=list)


@dataclass(slots=True)
class Bar:
    """One column of the coverage timeline: the articles from `start` to `end`."""

    start: datetime
    end: datetime
    count: int
    level: int  # 0 (none) to TIMELINE_LEVELS, the column's height


@router.get("/stories/{story_id:int}")
def story_page(
    request: Request,
    story_id: int = Path(ge=1, le=MAX_ID),
    viewer: User | None = Depends(reader_or_public),
):
    store = get_store(request)
    members = story_articles(store, story_id)
    if not members:
        if (moved := moved_story(request, store, story_id)) is not None:
            return moved
        raise NotFoundError(f"no story with id {story_id}")
    story = store.get_story(story_id)
    feeds = feed_map(request, [sa.feed_id for sa in members])[0]
    items = make_items(store, members, feeds, viewer)
    coverage = fold_copies(items)
    lead = next((c.item for c in coverage if c.item.sa.article.title == story.title), None)
    lead = lead or coverage[0].item
    related = request.app.state.view_cache.related_stories(store, lead.sa.id)
    outlets = list(dict.fromkeys(item.source for item in items))
    return request.app.state.render(
        request,
        "story.html",
        {
            "nav": "stories",
            "story": story,
            "title": story.title or lead.sa.article.title or lead.sa.article.url,
            "lead": lead,
            "coverage": coverage,
            "count": len(items),
            "outlets": outlets,
            "first": items[0],
            "unread": sum(1 for item in items if not item.read),
            "timeline": timeline([item.when for item in items if item.when is not None]),
            "related": related,
            "here": f"/stories/{story_id}",
            "public": viewer is None,
        },
    )


def fold_copies(items: list[ItemView]) -> list[Coverage]:
    """Originals in time order, each with its copies (copies of an article not listed are
    originals here)."""
    listed = {item.sa.id for item in items}
    folded: dict[int, Coverage] = {}
    for item in items:
        original = item.sa.duplicate_of
        if original is None or original not in listed:
            folded[item.sa.id] = Coverage(item)
    for item in items:
        if item.sa.id not in folded:
            folded[item.sa.duplicate_of].copies.append(item)  # type: ignore[index]
    return list(folded.values())


def timeline(moments: list[datetime]) -> list[Bar]:
    """Up to TIMELINE_BARS equal spans from the first article to the last, with how many
    articles each holds."""
    if not moments:
        return []
    times = sorted(as_utc(moment) for moment in moments)
    first, last = times[0], times[-1]
    bars = min(TIMELINE_BARS, len(times)) if last > first else 1
    width = (last - first) / bars
    counts = [0] * bars
    for moment in times:
        index = min(bars - 1, int((moment - first) / width)) if width else 0
        counts[index] += 1
    top = max(counts)
    return [
        Bar(
            start=first + width * index,
            end=first + width * (index + 1),
            count=count,
            level=math.ceil(count / top * TIMELINE_LEVELS) if count else 0,
        )
        for index, count in enumerate(counts)
    ]


@router.post("/stories/{story_id:int}/read", dependencies=[Depends(csrf_protect)])
def mark_story(
    request: Request,
    story_id: int = Path(ge=1, le=MAX_ID),
    form: StateForm = Depends(state_form),
    user: User = Depends(require_user),
):
    """Mark every article of the story read (value=1) or unread (value=0), copies too."""
    store = get_store(request)
    store.get_story(story_id)  # 404 for an unknown story
    if form.on:
        store.mark_all_read(user.id, story_id=story_id)
    else:
        store.set_read(user.id, store.article_ids(story_id=story_id), False)
    if accepts_json(request):
        return JSONResponse({"id": story_id, "read": form.on})
    return RedirectResponse(safe_next(form.next), status_code=303)
