"""The sources page: the feeds with their articles per day; add, import, rename, pause, remove."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    File,
    Form,
    Path,
    Request,
    UploadFile,
)
from fastapi.responses import RedirectResponse, Response

from newsdesk.config import Settings
from newsdesk.errors import FeedError, FetchError, NotFoundError, OPMLError
from newsdesk.feeds.opml import MAX_OPML_BYTES
from newsdesk.inputs import MAX_ID
from newsdesk.model import Feed, User
from newsdesk.times import as_utc, utcnow
from newsdesk.web.auth.csrf import csrf_protect
from newsdesk.web.deps import require_user
from newsdesk.web.pages.common import clean
from newsdesk.web.params import MaybeFeedId
from newsdesk.web.state import get_store
from newsdesk.web.views import feed_icon, feed_name

if TYPE_CHECKING:
    from newsdesk.store import Store

router = APIRouter(include_in_schema=False)


@dataclass(slots=True)
class SourceRow:
    feed: Feed
    name: str
    icon: str | None
    per_day: str


def sources_context(store: Store) -> dict[str, Any]:
    feeds = sorted(
        store.list_feeds(), key=lambda f: ((f.folder or "").lower(), feed_name(f).lower())
    )
    week = utcnow() - timedelta(days=7)
    counts = store.feed_article_counts(week)
    rows = []
    for feed in feeds:
        created = feed.created_at and as_utc(feed.created_at)
        days = 7.0
        if created and created > week:
            days = max(1.0, (utcnow() - created).total_seconds() / 86400)
        per_day = counts.get(feed.id, 0) / days
        rows.append(SourceRow(feed, feed_name(feed), feed_icon(feed), f"{per_day:.1f}"))
    folders = sorted({f.folder for f in feeds if f.folder}, key=str.lower)
    return {"nav": "sources", "rows": rows, "folders": folders}


def render_sources(request: Request, status: int = 200, **extra: Any) -> Response:
    """The sources page, also as the answer to its forms (the address stays /sources)."""
    context = sources_context(get_store(request))
    context["page_url"] = "/sources"
    context.update(extra)
    return request.app.state.render(request, "sources.html", context, status_code=status)


@router.get("/sources")
def sources_page(
    request: Request,
    added: MaybeFeedId = None,
    user: User = Depends(require_user),
):
    flash = None
    if added is not None:
        try:
            name = feed_name(get_store(request).get_feed(added))
            flash = f"Added {name}. Its articles are on the way."
        except NotFoundError:
            flash = None
    return render_sources(request, flash=flash)


def fetch_new_feed(store: Store, settings: Settings, feed_id: int) -> None:
    """Fetch a just-added feed at once, so its articles appear without waiting for the poller."""
    from newsdesk.pipeline.poll import poll

    poll(store, settings, feed_ids=[feed_id], force=True)


@router.post("/sources", dependencies=[Depends(csrf_protect)])
async def add_source(
    request: Request,
    background: BackgroundTasks,
    url: str = Form("", max_length=2000),
    folder: str = Form("", max_length=200),
    user: User = Depends(require_user),
):
    from newsdesk.pipeline.subscribe import subscribe_async

    store = get_store(request)
    settings = request.app.state.settings
    typed = {"typed_url": url.strip(), "typed_folder": folder.strip()}  # kept on a failure
    if not url.strip():
        return render_sources(request, 400, error="Enter the address of a feed or a site.")
    try:
        feed, created = await subscribe_async(store, settings, url.strip(), clean(folder))
    except (FetchError, FeedError) as exc:
        return render_sources(request, 400, error=f"Could not add {url.strip()}: {exc}", **typed)
    if not created:
        return render_sources(request, flash=f"{feed_name(feed)} is already one of your sources.")
    request.app.state.view_cache.forget_feeds()
    background.add_task(fetch_new_feed, store, settings, feed.id)
    return RedirectResponse(f"/sources?added={feed.id}", status_code=303)


@router.post("/sources/import", dependencies=[Depends(csrf_protect)])
async def import_opml(
    request: Request,
    file: UploadFile = File(...),
    user: User = Depends(require_user),
):
    from newsdesk.pipeline.subscribe import import_opml_bytes

    content = await file.read(MAX_OPML_BYTES + 1)
    if len(content) > MAX_OPML_BYTES:
        return render_sources(request, 413, error="That OPML file is over 5 MB.")
    if not content.strip():
        return render_sources(request, 400, error="That file is empty; choose an OPML file.")
    store, settings = get_store(request), request.app.state.settings
    try:
        report = import_opml_bytes(store, settings, content)
    except OPMLError as exc:
        return render_sources(
            request, 400, error=f"Could not import {file.filename or 'that file'}: {exc.plain}."
        )
    flash = f"Imported {report.added} new source{'s' if report.added != 1 else ''}"
    if report.existing:
        flash += f"; {report.existing} already there"
    request.app.state.view_cache.forget_feeds()
    return render_sources(request, flash=flash + ".", import_errors=report.errors[:50])


@router.post("/sources/{feed_id}", dependencies=[Depends(csrf_protect)])
def edit_source(
    request: Request,
    feed_id: int = Path(ge=1, le=MAX_ID),
    title: str = Form("", max_length=300),
    folder: str = Form("", max_length=200),
    paused: str = Form(""),
    licensed_full_text: str = Form(""),
    user: User = Depends(require_user),
):
    get_store(request).update_feed(
        feed_id,
        user_title=clean(title),
        folder=clean(folder),
        paused=bool(paused),
        licensed_full_text=bool(licensed_full_text),
    )
    request.app.state.view_cache.forget_feeds()
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{feed_id}/delete", dependencies=[Depends(csrf_protect)])
def delete_source(
    request: Request,
    feed_id: int = Path(ge=1, le=MAX_ID),
    user: User = Depends(require_user),
):
    store = get_store(request)
    store.get_feed(feed_id)
    store.delete_feed(feed_id)
    request.app.state.view_cache.forget_feeds()
    return RedirectResponse("/sources", status_code=303)
