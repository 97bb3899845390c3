"""Full-text output feeds: every view as Atom, RSS 2.0 and JSON Feed 1.1, and /opml.

    /all.{atom,rss,json}              everything, newest first
    /feeds/{id}.{atom,rss,json}       one source
    /folders/{name}.{atom,rss,json}   one folder
    /search.{atom,rss,json}?q=...     a search, best first
    /starred.{atom,rss,json}          the caller's starred articles (authenticated)
    /stories/{id}.{atom,rss,json}     the coverage of one story
    /opml                             the sources

One builder (`build_document`) turns a view into a format-neutral `FeedDocument`; the writers in
`newsdesk.feeds.writers` serialise it. Anonymous readers get these only in public mode, and then
the full text only of sources licensed for it. Conditional GET (ETag, Last-Modified) answers 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from newsdesk import __version__
from newsdesk.config import Settings
from newsdesk.feeds.opml import export_opml
from newsdesk.feeds.text import teaser
from newsdesk.feeds.writers import MEDIA_TYPES, WRITERS, FeedDocument, FeedItem
from newsdesk.model import Feed, StoredArticle, User
from newsdesk.times import as_utc, utcnow
from newsdesk.urls import is_web_url
from newsdesk.web.auth.identity import optional_viewer
from newsdesk.web.deps import base_url
from newsdesk.web.errors import ERROR_RESPONSES, ApiRoute, api_error
from newsdesk.web.moved import MOVED, moved_story
from newsdesk.web.params import FeedId, MaybeBool, StoryId
from newsdesk.web.sanitize import article_html
from newsdesk.web.state import get_settings, get_store

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

FEED_CONTENT = {"content": {media.split(";")[0]: {"schema": {"type": "string"}}
                            for media in MEDIA_TYPES.values()}}  # fmt: skip

router = APIRouter(route_class=ApiRoute, tags=["output feeds"], responses=ERROR_RESPONSES)


# --- a view as a document ------------------------------------------------------------------


def item_from_article(
    stored: StoredArticle, feed: Feed | None, base_url: str, full_text: bool
) -> FeedItem:
    article = stored.article
    plain_teaser = teaser(article.description or article.text.split("\n\n")[0] or None, 500)
    if full_text:
        content = article_html(article.html, article.text, base_url=article.url)
    else:
        content = f"<p>{escape(plain_teaser or '')}</p>" if plain_teaser else ""
        source = feed.name if feed else article.site_name
        content += (
            f'<p><a href="{escape(article.url)}" rel="noopener noreferrer nofollow">'
            f"Read it at {escape(source or 'the publisher')}</a></p>"
        )
    published = as_utc(article.published)
    updated = as_utc(article.updated) or published or as_utc(stored.fetched_at) or utcnow()
    return FeedItem(
        id=f"{base_url}/articles/{stored.id}",
        url=article.canonical_url or article.url,
        title=article.title or article.url,
        content_html=content,
        summary=plain_teaser,
        published=published,
        updated=updated,
        authors=list(article.authors),
        image=article.image if is_web_url(article.image) else None,
        language=article.language,
        source_title=feed.name if feed else stored.feed_title,
    )


def build_document(
    *,
    title: str,
    path: str,
    description: str,
    base_url: str,
    articles: list[StoredArticle],
    feeds: dict[int, Feed],
    full_text_for: Callable[[Feed | None], bool],
    query: str = "",
) -> FeedDocument:
    """The shared data of the three formats: one place decides what an item says."""
    items = [
        item_from_article(
            stored,
            feeds.get(stored.feed_id) if stored.feed_id is not None else None,
            base_url,
            full_text_for(feeds.get(stored.feed_id) if stored.feed_id is not None else None),
        )
        for stored in articles
    ]
    updated = max((item.updated for item in items), default=datetime(2000, 1, 1, tzinfo=UTC))
    return FeedDocument(
        id=f"{base_url}{path}",
        title=f"{title} · newsdesk",
        self_url=f"{base_url}{path}",
        home_url=base_url + "/",
        updated=updated,
        description=description,
        items=items,
        query=query,
    )


# --- serving, with conditional GET ----------------------------------------------------------


def _validators(fmt: str, key: str, articles: list[StoredArticle]) -> tuple[str, datetime | None]:
    digest = hashlib.sha256(f"{__version__}|{fmt}|{key}".encode())
    newest: datetime | None = None
    for stored in articles:
        article = stored.article
        digest.update(f"|{stored.id}:{stored.fetched_at}:{article.updated}".encode())
        fetched = as_utc(stored.fetched_at)
        if fetched and (newest is None or fetched > newest):
            newest = fetched
    return f'"{digest.hexdigest()[:32]}"', newest


def _not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = request.headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


@dataclass(slots=True)
class Viewer:
    user: User | None
    public: bool  # anonymous reading allowed (public mode)

    def full_text_for(self, feed: Feed | None) -> bool:
        return self.user is not None or bool(feed and feed.licensed_full_text)


def reader(request: Request, settings: Settings = Depends(get_settings)) -> Viewer:
    """Who reads an output feed; anonymous only in public mode."""
    user = optional_viewer(request)
    if user is None and not settings.public_mode:
        raise api_error(
            401,
            "sign in, or send a token or the API password with HTTP Basic",
            {"WWW-Authenticate": 'Basic realm="newsdesk"'},
        )
    return Viewer(user=user, public=user is None)


def check_format(fmt: str) -> str:
    if fmt not in WRITERS:
        raise api_error(404, f"unknown feed format {fmt!r}: use .atom, .rss or .json")
    return fmt


def serve(
    request: Request,
    *,
    fmt: str,
    title: str,
    path: str,
    description: str,
    articles: list[StoredArticle],
    viewer: Viewer,
    settings: Settings,
    query: str = "",
) -> Response:
    check_format(fmt)
    key = f"{path}{query}|{viewer.user.id if viewer.user else 'public'}"
    etag, last_modified = _validators(fmt, key, articles)
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-cache" if viewer.user else "public, no-cache",
        "Vary": "Authorization, Cookie",
    }
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    if _not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    store = get_store(request)
    feeds = {feed.id: feed for feed in store.list_feeds()}
    doc = build_document(
        title=title,
        path=path,
        description=description,
        base_url=base_url(request, settings),
        articles=articles,
        feeds=feeds,
        full_text_for=viewer.full_text_for,
        query=query,
    )
    return Response(WRITERS[fmt](doc), media_type=MEDIA_TYPES[fmt], headers=headers)


Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="how many articles, newest first")


Duplicates = Annotated[
    MaybeBool, Query(description="also list copies of other articles (default: settings)")
]


def _originals(settings: Settings, duplicates: bool | None = None) -> bool:
    return not (settings.show_duplicates if duplicates is None else duplicates)


@router.get("/all.{fmt}", summary="Every article", responses={200: FEED_CONTENT})
def all_articles(
    request: Request,
    fmt: str,
    limit: int = Limit,
    duplicates: Duplicates = None,
    viewer: Viewer = Depends(reader),
    settings: Settings = Depends(get_settings),
) -> Response:
    check_format(fmt)
    articles = get_store(request).list_articles(
        limit=limit, originals_only=_originals(settings, duplicates)
    )
    return serve(request, fmt=fmt, title="All articles", path="/all",
                 description="Every article newsdesk has gathered, newest first.",
                 articles=articles, viewer=viewer, settings=settings)  # fmt: skip


@router.get("/feeds/{feed_id}.{fmt}", summary="One source", responses={200: FEED_CONTENT})
def feed_articles(
    request: Request,
    feed_id: FeedId,
    fmt: str,
    limit: int = Limit,
    viewer: Viewer = Depends(reader),
    settings: Settings = Depends(get_settings),
) -> Response:
    check_format(fmt)
    store = get_store(request)
    feed = store.get_feed(feed_id)
    name = feed.display_name
    articles = store.list_articles(feed_id=feed_id, limit=limit)
    return serve(request, fmt=fmt, title=name, path=f"/feeds/{feed_id}",
                 description=f"Articles from {name}.",
                 articles=articles, viewer=viewer, settings=settings)  # fmt: skip


@router.get("/folders/{folder}.{fmt}", summary="One folder", responses={200: FEED_CONTENT})
def folder_articles(
    request: Request,
    folder: str,
    fmt: str,
    limit: int = Limit,
    duplicates: Duplicates = None,
    viewer: Viewer = Depends(reader),
    settings: Settings = Depends(get_settings),
) -> Response:
    check_format(fmt)
    store = get_store(request)
    if not any(feed.folder == folder for feed in store.list_feeds()):
        raise api_error(404, f"no folder named {folder!r}")
    articles = store.list_articles(
        folder=folder, limit=limit, originals_only=_originals(settings, duplicates)
    )
    return serve(request, fmt=fmt, title=folder, path=f"/folders/{folder}",
                 description=f"Articles from the sources in {folder}.",
                 articles=articles, viewer=viewer, settings=settings)  # fmt: skip


@router.get("/search.{fmt}", summary="A search", responses={200: FEED_CONTENT})
def search_articles(
    request: Request,
    fmt: str,
    q: str = Query(..., min_length=1, max_length=500, description="words to find"),
    limit: int = Limit,
    duplicates: Duplicates = None,
    viewer: Viewer = Depends(reader),
    settings: Settings = Depends(get_settings),
) -> Response:
    check_format(fmt)
    if not q.strip():
        raise api_error(400, "query parameter q: give at least one word to search for")
    found = get_store(request).search(  # a feed carries the full text, not snippets
        q,
        limit=limit,
        originals_only=_originals(settings, duplicates),
        snippets=False,
        user_id=viewer.user.id if viewer.user else None,
    )
    return serve(request, fmt=fmt, title=f"Search: {q}", path="/search",
                 description=f"Articles matching {q!r}, best first.",
                 articles=[stored for stored, _ in found], viewer=viewer,
                 settings=settings, query="?" + urlencode({"q": q}))  # fmt: skip


@router.get("/starred.{fmt}", summary="Your starred articles", responses={200: FEED_CONTENT})
def starred_articles(
    request: Request,
    fmt: str,
    limit: int = Limit,
    viewer: Viewer = Depends(reader),
    settings: Settings = Depends(get_settings),
) -> Response:
    check_format(fmt)
    if viewer.user is None:
        raise api_error(401, "starred articles are personal: sign in or send credentials",
                        {"WWW-Authenticate": 'Basic realm="newsdesk"'})  # fmt: skip
    articles = get_store(request).list_articles(
        user_id=viewer.user.id, starred=True, limit=limit
    )
    return serve(request, fmt=fmt, title="Starred", path="/starred",
                 description=f"Articles {viewer.user.username} starred.",
                 articles=articles, viewer=viewer, settings=settings)  # fmt: skip


@router.get(
    "/stories/{story_id}.{fmt}",
    summary="One story (a story merged into another redirects there)",
    responses={200: FEED_CONTENT, **MOVED},
)
def story_articles(
    request: Request,
    story_id: StoryId,
    fmt: str,
    limit: int = Limit,
    viewer: Viewer = Depends(reader),
    settings: Settings = Depends(get_settings),
) -> Response:
    check_format(fmt)
    store = get_store(request)
    articles = store.list_articles(story_id=story_id, limit=limit)
    if not articles:
        if (moved := moved_story(request, store, story_id)) is not None:
            return moved
        raise api_error(404, f"no story {story_id}")
    return serve(request, fmt=fmt, title=articles[0].article.title or f"Story {story_id}",
                 path=f"/stories/{story_id}", description="Every outlet's coverage of one story.",
                 articles=articles, viewer=viewer, settings=settings)  # fmt: skip


@router.get(
    "/opml",
    summary="The sources as OPML",
    responses={200: {"content": {"text/x-opml": {"schema": {"type": "string"}}}}},
)
def opml(request: Request, viewer: Viewer = Depends(reader)) -> Response:
    text = export_opml(get_store(request).list_feeds())
    return Response(
        text.encode("utf-8"),
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="newsdesk.opml"'},
    )
