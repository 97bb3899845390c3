"""The JSON API under /api/v1: feeds, articles, search, OPML, tokens.

Authentication: `Authorization: Bearer <token>` (POST /api/v1/tokens makes one for a signed-in
user), or the browser session with the X-CSRF-Token header for writes. Every failure is a 4xx
JSON {"error": "..."}. The OpenAPI document at /openapi.json describes all of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from newsdesk.config import Settings
from newsdesk.errors import FeedError, FetchError, NotFoundError, OPMLError
from newsdesk.feeds import opml
from newsdesk.model import Feed, StoredArticle, Story, User
from newsdesk.store.paging import cursor_of
from newsdesk.times import to_utc
from newsdesk.web.auth.identity import require_api_user
from newsdesk.web.auth.tokens import new_token
from newsdesk.web.bodies import AuthenticatedRoute
from newsdesk.web.errors import ERROR_RESPONSES, api_error
from newsdesk.web.moved import MOVED, moved_story
from newsdesk.web.params import (
    ArticleId,
    FeedId,
    MaybeBool,
    MaybeFeedId,
    MaybeMoment,
    MaybeStoryId,
    Moment,
    StoryId,
    TokenId,
)
from newsdesk.web.sanitize import article_html
from newsdesk.web.state import get_settings, get_store

router = APIRouter(
    prefix="/api/v1", route_class=AuthenticatedRoute, tags=["api v1"], responses=ERROR_RESPONSES
)

CurrentUser = Annotated[User, Depends(require_api_user)]


# --- models ---------------------------------------------------------------------------------


class FeedOut(BaseModel):
    id: int
    url: str
    title: str = Field(description="the name shown: the reader's own name, else the feed's")
    feed_title: str | None
    user_title: str | None
    kind: str = Field(
        description='"feed" (RSS, Atom, JSON Feed) or "sitemap" (a site without a feed)'
    )
    site_url: str | None
    folder: str | None
    icon_url: str | None
    last_fetched_at: datetime | None
    next_fetch_at: datetime | None
    last_error: str | None
    error_count: int
    paused: bool
    retired: bool
    licensed_full_text: bool
    created_at: datetime | None

    @classmethod
    def of(cls, feed: Feed) -> FeedOut:
        return cls(
            id=feed.id,
            url=feed.url,
            title=feed.display_name,
            feed_title=feed.title,
            user_title=feed.user_title,
            kind=feed.kind,
            site_url=feed.site_url,
            folder=feed.folder,
            icon_url=feed.icon_url,
            last_fetched_at=feed.last_fetched_at,
            next_fetch_at=feed.next_fetch_at,
            last_error=feed.last_error,
            error_count=feed.error_count,
            paused=feed.paused,
            retired=feed.retired,
            licensed_full_text=feed.licensed_full_text,
            created_at=feed.created_at,
        )


class FeedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(
        min_length=1,
        max_length=2000,
        description="a feed URL or a site's URL (a site without a feed: its sitemap)",
    )
    folder: str | None = Field(None, max_length=200)


class FeedUpdate(BaseModel):
    """Only the fields sent change; null clears a name or a folder."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, max_length=500, description="the reader's own name")
    folder: str | None = Field(None, max_length=200)
    paused: bool | None = None
    licensed_full_text: bool | None = None


class RefreshOut(BaseModel):
    feeds: int
    new_articles: int
    not_modified: int
    errors: list[str]


class ArticleSummary(BaseModel):
    id: int
    feed_id: int | None
    feed_title: str | None
    url: str
    canonical_url: str | None
    title: str | None
    authors: list[str]
    published: datetime | None
    updated: datetime | None
    fetched_at: datetime | None
    language: str | None
    site_name: str | None
    image: str | None
    description: str | None
    story_id: int | None
    duplicate_of: int | None
    copies: int
    read: bool
    starred: bool


class ArticleOut(ArticleSummary):
    image_caption: str | None
    text: str
    html: str = Field(description="the body as sanitised HTML")


class StoryOut(BaseModel):
    id: int
    title: str = Field(description="the representative headline")
    first_seen: datetime
    last_seen: datetime
    article_count: int
    outlets: list[str] = Field(description="who covered it, in order of first coverage")
    article_ids: list[int] = Field(description="its articles in time order")


class RelatedOut(BaseModel):
    story_id: int
    title: str
    score: float = Field(
        description="the share of the article's key terms the story's best "
        "related article has, 0 to 1"
    )


class StoryDetail(StoryOut):
    articles: list[ArticleSummary] = Field(description="its articles in time order")


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    next_cursor: str | None = Field(description="pass as `cursor` for the next, older page")


class SearchHit(BaseModel):
    article: ArticleSummary
    snippet: str = Field(description="HTML-safe text with <mark> around the words found")


class SearchOut(BaseModel):
    query: str
    items: list[SearchHit]
    next_offset: int | None = Field(
        None, description="pass as `offset` for the next page (null: nothing more)"
    )
    hint: str | None = Field(
        None, description="what to try when nothing was found (fewer words, a prefix like pirat*)"
    )


class StateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    read: bool | None = None
    starred: bool | None = None


class StateOut(BaseModel):
    id: int
    read: bool
    starred: bool


class MarkReadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    feed_id: FeedId | None = None
    folder: str | None = Field(None, max_length=200)
    before: Moment | None = Field(None, description="only articles older than this")


class MarkReadOut(BaseModel):
    marked: int


class ImportOut(BaseModel):
    added: int
    existing: int
    errors: list[str]


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field("", max_length=200, description="what the token is for")


class NewTokenOut(BaseModel):
    id: int = Field(description="DELETE /api/v1/tokens/{id} revokes it")
    name: str
    token: str = Field(description="shown once; send it as 'Authorization: Bearer <token>'")


class TokenOut(BaseModel):
    id: int = Field(description="DELETE /api/v1/tokens/{id} revokes it")
    name: str
    created_at: datetime
    last_used_at: datetime | None = Field(description="to the minute; null if never used")


class UserOut(BaseModel):
    id: int
    username: str
    is_admin: bool


# --- helpers --------------------------------------------------------------------------------


def summary_of(stored: StoredArticle, read: bool, starred: bool) -> dict:
    article = stored.article
    return {
        "id": stored.id,
        "feed_id": stored.feed_id,
        "feed_title": stored.feed_title,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published,
        "updated": article.updated,
        "fetched_at": stored.fetched_at,
        "language": article.language,
        "site_name": article.site_name,
        "image": article.image,
        "description": article.description,
        "story_id": stored.story_id,
        "duplicate_of": stored.duplicate_of,
        "copies": stored.copies,
        "read": read,
        "starred": starred,
    }


def summaries(request: Request, user: User, articles: list[StoredArticle]) -> list[ArticleSummary]:
    states = get_store(request).article_states(user.id, [stored.id for stored in articles])
    out = []
    for stored in articles:
        read, starred = states.get(stored.id, (False, False))
        out.append(ArticleSummary(**summary_of(stored, read, starred)))
    return out


# --- account and tokens ---------------------------------------------------------------------


@router.get("/me", response_model=UserOut, summary="The caller's account")
def me(user: CurrentUser) -> UserOut:
    return UserOut(id=user.id, username=user.username, is_admin=user.is_admin)


@router.post("/tokens", response_model=NewTokenOut, status_code=201, summary="Create a token")
def create_token(request: Request, user: CurrentUser, body: TokenIn | None = None) -> NewTokenOut:
    name = (body.name if body else "").strip()
    token, token_hash = new_token()
    token_id = get_store(request).create_api_token(user.id, token_hash, name)
    return NewTokenOut(id=token_id, name=name, token=token)


@router.get("/tokens", response_model=list[TokenOut], summary="The caller's tokens, newest first")
def list_tokens(request: Request, user: CurrentUser) -> list[TokenOut]:
    """Names and times only: a token itself is shown once, when it is made, and never again."""
    return [
        TokenOut(id=t.id, name=t.name, created_at=t.created_at, last_used_at=t.last_used_at)
        for t in get_store(request).list_api_tokens(user.id)
    ]


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke a token")
def delete_token(request: Request, token_id: TokenId, user: CurrentUser) -> Response:
    get_store(request).delete_api_token(user.id, token_id)
    return Response(status_code=204)


# --- feeds ----------------------------------------------------------------------------------


@router.get("/feeds", response_model=list[FeedOut], summary="List the sources")
def list_feeds(request: Request, user: CurrentUser) -> list[FeedOut]:
    return [FeedOut.of(feed) for feed in get_store(request).list_feeds()]


@router.post(
    "/feeds",
    response_model=FeedOut,
    status_code=201,
    summary="Add a source by feed URL or site URL",
    responses={200: {"model": FeedOut, "description": "Already a source"}},
)
def add_feed(
    request: Request,
    response: Response,
    body: FeedCreate,
    user: CurrentUser,
    settings: Settings = Depends(get_settings),
) -> FeedOut:
    from newsdesk.pipeline.subscribe import subscribe

    folder = body.folder.strip() if body.folder and body.folder.strip() else None
    try:
        feed, created = subscribe(get_store(request), settings, body.url.strip(), folder=folder)
    except (FetchError, FeedError) as exc:
        raise api_error(400, f"cannot subscribe to {body.url.strip()}: {exc}") from None
    if not created:
        response.status_code = 200
    return FeedOut.of(feed)


@router.get("/feeds/{feed_id}", response_model=FeedOut, summary="One source")
def get_feed(request: Request, feed_id: FeedId, user: CurrentUser) -> FeedOut:
    return FeedOut.of(get_store(request).get_feed(feed_id))


@router.patch("/feeds/{feed_id}", response_model=FeedOut, summary="Rename, move, pause a source")
def update_feed(request: Request, feed_id: FeedId, body: FeedUpdate, user: CurrentUser) -> FeedOut:
    store = get_store(request)
    store.get_feed(feed_id)
    changes: dict[str, object] = {}
    sent = body.model_fields_set
    if "title" in sent:
        changes["user_title"] = (body.title or "").strip() or None
    if "folder" in sent:
        changes["folder"] = (body.folder or "").strip() or None
    for flag in ("paused", "licensed_full_text"):
        if flag in sent:
            value = getattr(body, flag)
            if value is None:
                raise api_error(422, f"body {flag}: must be true or false")
            changes[flag] = value
    if not changes:
        return FeedOut.of(store.get_feed(feed_id))
    request.app.state.view_cache.forget_feeds()
    return FeedOut.of(store.update_feed(feed_id, **changes))


@router.delete("/feeds/{feed_id}", status_code=204, summary="Remove a source")
def delete_feed(request: Request, feed_id: FeedId, user: CurrentUser) -> Response:
    store = get_store(request)
    store.get_feed(feed_id)
    store.delete_feed(feed_id)
    request.app.state.view_cache.forget_feeds()
    return Response(status_code=204)


def _refresh(request: Request, settings: Settings, feed_ids: list[int] | None) -> RefreshOut:
    from newsdesk.pipeline.poll import poll

    report = poll(get_store(request), settings, feed_ids=feed_ids, force=True)
    return RefreshOut(
        feeds=report.feeds,
        new_articles=report.new_articles,
        not_modified=report.not_modified,
        errors=list(report.errors),
    )


@router.post("/feeds/{feed_id}/refresh", response_model=RefreshOut, summary="Fetch a source now")
def refresh_feed(
    request: Request,
    feed_id: FeedId,
    user: CurrentUser,
    settings: Settings = Depends(get_settings),
) -> RefreshOut:
    get_store(request).get_feed(feed_id)
    return _refresh(request, settings, [feed_id])


@router.post("/feeds/refresh", response_model=RefreshOut, summary="Fetch every source now")
def refresh_all(
    request: Request, user: CurrentUser, settings: Settings = Depends(get_settings)
) -> RefreshOut:
    return _refresh(request, settings, None)


# --- articles -------------------------------------------------------------------------------


def _show_copies(settings: Settings, duplicates: bool | None) -> bool:
    """Copies of other articles are listed when asked (duplicates=true) or configured so."""
    return settings.show_duplicates if duplicates is None else duplicates


@router.get("/articles", response_model=ArticlePage, summary="Articles, newest first")
def list_articles(
    request: Request,
    user: CurrentUser,
    settings: Settings = Depends(get_settings),
    feed_id: Annotated[MaybeFeedId, Query(description="only this source")] = None,
    folder: str | None = Query(None, max_length=200, description="only sources in this folder"),
    since: Annotated[MaybeMoment, Query(description="published at or after (ISO 8601)")] = None,
    until: Annotated[MaybeMoment, Query(description="published before (ISO 8601)")] = None,
    language: str | None = Query(None, max_length=35, description="language code, e.g. en"),
    unread: bool = Query(False, description="only articles the caller has not read"),
    starred: bool = Query(False, description="only articles the caller starred"),
    story_id: Annotated[MaybeStoryId, Query(description="only this story's coverage")] = None,
    duplicates: Annotated[
        MaybeBool, Query(description="also list copies (default: settings)")
    ] = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = Query(None, max_length=200, description="next_cursor of the last page"),
) -> ArticlePage:
    store = get_store(request)
    try:
        articles = store.list_articles(
            feed_id=feed_id,
            folder=folder,
            since=to_utc(since),
            until=to_utc(until),
            language=language,
            story_id=story_id,
            limit=limit + 1,
            after=cursor,
            originals_only=not _show_copies(settings, duplicates) and story_id is None,
            user_id=user.id,
            read=False if unread else None,
            starred=True if starred else None,
        )
    except ValueError as exc:
        raise api_error(400, f"query parameter cursor: {exc}") from None
    more = len(articles) > limit
    articles = articles[:limit]
    next_cursor = cursor_of(articles[-1]) if more and articles else None
    return ArticlePage(items=summaries(request, user, articles), next_cursor=next_cursor)


@router.get("/articles/{article_id}", response_model=ArticleOut, summary="One article, in full")
def get_article(request: Request, article_id: ArticleId, user: CurrentUser) -> ArticleOut:
    stored = get_store(request).get_article(article_id)
    [summary] = summaries(request, user, [stored])
    article = stored.article
    return ArticleOut(
        **summary.model_dump(),
        image_caption=article.image_caption,
        text=article.text,
        html=article_html(article.html, article.text, base_url=article.url),
    )


@router.patch("/articles/{article_id}", response_model=StateOut, summary="Mark read or starred")
def set_state(
    request: Request, article_id: ArticleId, body: StateIn, user: CurrentUser
) -> StateOut:
    store = get_store(request)
    store.get_article(article_id)
    if body.read is not None:
        store.set_read(user.id, [article_id], body.read)
    if body.starred is not None:
        store.set_starred(user.id, [article_id], body.starred)
    read, starred = store.article_states(user.id, [article_id]).get(article_id, (False, False))
    return StateOut(id=article_id, read=read, starred=starred)


def _state_route(field: str, value: bool):
    def change(request: Request, article_id: ArticleId, user: CurrentUser) -> StateOut:
        return set_state(request, article_id, StateIn(**{field: value}), user)

    return change


for _path, _field, _value, _summary in (
    ("/articles/{article_id}/read", "read", True, "Mark read"),
    ("/articles/{article_id}/unread", "read", False, "Mark unread"),
    ("/articles/{article_id}/star", "starred", True, "Star"),
    ("/articles/{article_id}/unstar", "starred", False, "Unstar"),
):
    router.add_api_route(
        _path,
        _state_route(_field, _value),
        methods=["POST"],
        response_model=StateOut,
        summary=_summary,
        name=f"article_{_path.rsplit('/', 1)[-1]}",
    )


@router.post("/articles/mark-read", response_model=MarkReadOut, summary="Mark many as read")
def mark_read(request: Request, user: CurrentUser, body: MarkReadIn | None = None) -> MarkReadOut:
    body = body or MarkReadIn()
    store = get_store(request)
    if body.feed_id is not None:
        store.get_feed(body.feed_id)
    marked = store.mark_all_read(
        user.id, feed_id=body.feed_id, folder=body.folder, before=to_utc(body.before)
    )
    return MarkReadOut(marked=marked)


# --- search ---------------------------------------------------------------------------------


@router.get("/search", response_model=SearchOut, summary="Full-text search, best first")
def search(
    request: Request,
    user: CurrentUser,
    q: str = Query(..., min_length=1, max_length=500, description='words, "phrases", -not'),
    feed_id: MaybeFeedId = None,
    since: MaybeMoment = None,
    until: MaybeMoment = None,
    language: str | None = Query(None, max_length=35),
    duplicates: Annotated[
        MaybeBool, Query(description="also find copies (default: settings)")
    ] = None,
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000, description="next_offset of the last page"),
    settings: Settings = Depends(get_settings),
) -> SearchOut:
    if not q.strip():
        raise api_error(400, "query parameter q: give at least one word to search for")
    found = get_store(request).search(
        q,
        limit=limit + 1,
        offset=offset,
        feed_id=feed_id,
        since=to_utc(since),
        until=to_utc(until),
        language=language,
        originals_only=not _show_copies(settings, duplicates),
        snippet_limit=limit,
        user_id=user.id,
    )
    more, found = len(found) > limit, found[:limit]
    hint = None
    if not found and not offset:
        narrowed = any(v is not None for v in (feed_id, since, until, language))
        hint = get_store(request).search_hint(q, narrowed=narrowed)
    articles = summaries(request, user, [stored for stored, _ in found])
    return SearchOut(
        query=q,
        items=[
            SearchHit(article=article, snippet=snippet)
            for article, (_, snippet) in zip(articles, found, strict=True)
        ],
        next_offset=offset + limit if more else None,
        hint=hint,
    )


# --- stories ------------------------------------------------------------------------------


def story_out(story: Story) -> StoryOut:
    return StoryOut(
        id=story.id,
        title=story.title,
        first_seen=story.first_seen,
        last_seen=story.last_seen,
        article_count=len(story.article_ids),
        outlets=list(story.outlets),
        article_ids=list(story.article_ids),
    )


@router.get("/stories", response_model=list[StoryOut], summary="Stories, latest coverage first")
def list_stories(
    request: Request,
    user: CurrentUser,
    response: Response,
    since: Annotated[MaybeMoment, Query(description="covered at or after (ISO 8601)")] = None,
    limit: int = Query(50, ge=1, le=200),
    before: Annotated[
        MaybeStoryId, Query(description="the last story of the previous page")
    ] = None,
) -> list[StoryOut]:
    """A longer list says so: its next page's address is in the `Link` header (rel="next")."""
    found = get_store(request).list_stories(since=to_utc(since), limit=limit + 1, before=before)
    if len(found) > limit:
        found = found[:limit]
        following = request.url.include_query_params(before=found[-1].id)
        response.headers["Link"] = f'<{following}>; rel="next"'
    return [story_out(s) for s in found]


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    summary="One story's coverage (a story merged into another redirects there)",
    responses=MOVED,
)
def get_story(request: Request, story_id: StoryId, user: CurrentUser) -> StoryDetail | Response:
    store = get_store(request)
    try:
        story = store.get_story(story_id)
    except NotFoundError:
        if (moved := moved_story(request, store, story_id)) is not None:
            return moved
        raise
    members = {stored.id: stored for stored in store.get_articles(story.article_ids)}
    ordered = [members[i] for i in story.article_ids if i in members]
    return StoryDetail(**story_out(story).model_dump(), articles=summaries(request, user, ordered))


@router.get(
    "/articles/{article_id}/related",
    response_model=list[RelatedOut],
    summary="Stories of the weeks around an article most related to it (not its own, not its "
    "copies')",
)
def related_stories(
    request: Request,
    article_id: ArticleId,
    user: CurrentUser,
    limit: int = Query(5, ge=1, le=20),
) -> list[RelatedOut]:
    found = get_store(request).related_stories(article_id, limit=limit)  # 404 for an unknown id
    return [RelatedOut(story_id=r.story_id, title=r.title, score=r.score) for r in found]


# --- OPML -----------------------------------------------------------------------------------


@router.get(
    "/opml",
    summary="Export the sources as OPML",
    response_class=Response,
    responses={200: {"content": {"text/x-opml": {"schema": {"type": "string"}}}}},
)
def export_opml(request: Request, user: CurrentUser) -> Response:
    text = opml.export_opml(get_store(request).list_feeds())
    return Response(text.encode("utf-8"), media_type="text/x-opml; charset=utf-8")


@router.post(
    "/opml",
    response_model=ImportOut,
    summary="Import sources from an OPML file (the request body)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/x-opml": {"schema": {"type": "string"}},
                "application/xml": {"schema": {"type": "string"}},
                "text/xml": {"schema": {"type": "string"}},
            },
        }
    },
)
async def import_opml(
    request: Request, user: CurrentUser, settings: Settings = Depends(get_settings)
) -> ImportOut:
    from starlette.concurrency import run_in_threadpool

    from newsdesk.pipeline.subscribe import import_opml_bytes

    content = b""
    async for chunk in request.stream():
        content += chunk
        if len(content) > opml.MAX_OPML_BYTES:
            raise api_error(413, opml.TOO_LARGE)
    if not content.strip():
        raise api_error(400, "body: send the OPML file as the request body")
    try:
        report = await run_in_threadpool(import_opml_bytes, get_store(request), settings, content)
    except OPMLError as exc:
        raise api_error(400, f"body: {exc}") from None
    return ImportOut(added=report.added, existing=report.existing, errors=list(report.errors))
