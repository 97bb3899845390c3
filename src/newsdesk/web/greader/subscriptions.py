"""Subscriptions and labels: listing, unread counts, subscribing, editing, quick add."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData

from newsdesk.errors import FeedError, FetchError
from newsdesk.model import Feed, User
from newsdesk.web.errors import api_error
from newsdesk.web.folders import client_folders, folder_of
from newsdesk.web.greader.ids import LABEL, READING_LIST, STARRED, normal_stream, parse_stream
from newsdesk.web.greader.items import usec
from newsdesk.web.greader.params import flag_param
from newsdesk.web.greader.routing import ok, route
from newsdesk.web.icons import feed_icons, icon_address
from newsdesk.web.state import get_store

if TYPE_CHECKING:
    from newsdesk.store import Store


@route("/reader/api/0/subscription/list", ["GET"])
def subscription_list(request: Request, user: User, form: FormData) -> Response:
    subscriptions = []
    store = get_store(request)
    feeds = store.list_feeds()
    icons = feed_icons(store, feeds, with_data=False)
    for feed in feeds:
        subscriptions.append(
            {
                "id": f"feed/{feed.id}",
                "title": feed.display_name,
                "categories": [
                    {"id": LABEL + folder_of(feed), "label": folder_of(feed), "type": "folder"}
                ],
                "url": feed.url,
                "kind": feed.kind,  # newsdesk's own: "feed", or "sitemap"
                "htmlUrl": feed.site_url or "",
                "iconUrl": icon_address(request, icons.get(feed.id)),
                "firstitemmsec": str(usec(feed.created_at) // 1000),
            }
        )
    return JSONResponse({"subscriptions": subscriptions})


@route("/reader/api/0/tag/list", ["GET"])
def tag_list(request: Request, user: User, form: FormData) -> Response:
    tags: list[dict[str, str]] = [{"id": STARRED}]
    for folder in client_folders(get_store(request).list_feeds()):
        tags.append({"id": LABEL + folder, "label": folder, "type": "folder"})
    return JSONResponse({"tags": tags})


@route("/reader/api/0/preference/stream/list", ["GET"])
def stream_preferences(request: Request, user: User, form: FormData) -> Response:
    # NewsFlash asks for the streams' stored orders; newsdesk keeps none (lists sort by name)
    return JSONResponse({"streamprefs": {}})


@route("/reader/api/0/unread-count", ["GET"], on_loop=True)
def unread_count(request: Request, user: User, form: FormData) -> Response:
    store = get_store(request)
    wanted = flag_param(request.query_params, "duplicates")
    copies = request.app.state.settings.show_duplicates if wanted is None else wanted
    # clients ask on every sync; the answer stands until anything in the database changes
    key = ("greader unread", user.id, copies)
    kept = request.app.state.view_cache.kept
    body = kept(store, key, lambda: JSONResponse(_unread_counts(store, user, copies)).body)
    return Response(body, media_type="application/json")  # kept encoded: the same bytes


def _unread_counts(store: Store, user: User, copies: bool) -> dict[str, Any]:
    # Every count counts what the same stream lists: copies of other articles in all of them or
    # in none, so the feeds' counts add up to their folders' and the reading list's.
    listed = store.unread_counts(user.id, originals_only=not copies)
    newest = store.newest_article_times()
    rows: list[dict[str, Any]] = []
    folder_totals: dict[str, list[int]] = {}
    total, total_newest = 0, 0
    for feed in store.list_feeds():
        stamp = usec(newest.get(feed.id))
        rows.append(
            {
                "id": f"feed/{feed.id}",
                "count": listed.get(feed.id, 0),
                "newestItemTimestampUsec": str(stamp),
            }
        )
        count = listed.get(feed.id, 0)
        slot = folder_totals.setdefault(folder_of(feed), [0, 0])
        slot[0] += count
        slot[1] = max(slot[1], stamp)
        total += count
        total_newest = max(total_newest, stamp)
    for folder, (count, stamp) in sorted(folder_totals.items()):
        rows.append({"id": LABEL + folder, "count": count, "newestItemTimestampUsec": str(stamp)})
    rows.append({"id": READING_LIST, "count": total, "newestItemTimestampUsec": str(total_newest)})
    return {"max": total, "unreadcounts": rows}


def _added(request: Request, url: str, folder: str | None) -> Feed | str:
    """The feed subscribed to, or why it could not be."""
    from newsdesk.pipeline.subscribe import subscribe

    try:
        feed, _ = subscribe(get_store(request), request.app.state.settings, url, folder=folder)
    except (FetchError, FeedError) as exc:
        return f"cannot subscribe to {url}: {exc}"
    return feed


def _subscribe(request: Request, url: str, folder: str | None) -> Feed:
    added = _added(request, url, folder)
    if isinstance(added, str):
        raise api_error(400, added)
    return added


def _label_name(value: str) -> str | None:
    sid = normal_stream(value)
    if not sid:
        return None
    if not sid.startswith(LABEL) or not sid[len(LABEL) :]:
        raise api_error(400, f"{value[:120]!r} is not a label (user/-/label/<name>)")
    return sid[len(LABEL) :]


@route("/reader/api/0/subscription/edit", ["POST"])
def subscription_edit(request: Request, user: User, form: FormData) -> Response:
    action = str(form.get("ac") or "")
    streams = [str(v) for v in form.getlist("s") if str(v)]
    if not streams:
        raise api_error(400, "parameter s: give the subscription (feed/<id> or feed/<url>)")
    titles = [str(v) for v in form.getlist("t")]
    add = _label_name(str(form.get("a") or ""))
    remove = _label_name(str(form.get("r") or ""))
    store = get_store(request)
    request.app.state.view_cache.forget_feeds()  # names and folders change below
    if action == "subscribe":
        for index, sid in enumerate(streams):
            url = sid[5:] if sid.startswith("feed/") else sid
            feed = _subscribe(request, url, add)
            title = titles[index].strip() if index < len(titles) else ""
            if title:
                store.update_feed(feed.id, user_title=title)
        return ok()
    feeds = [parse_stream(request, sid) for sid in streams]
    if any(stream.feed is None for stream in feeds):
        raise api_error(400, "parameter s: only feed/<id> streams can be edited")
    if action == "unsubscribe":
        for stream in feeds:
            store.delete_feed(stream.feed.id)
        return ok()
    if action == "edit":
        for index, stream in enumerate(feeds):
            title = titles[index].strip() if index < len(titles) else ""
            changes: dict[str, Any] = {}
            if title:
                changes["user_title"] = title
            if add:
                changes["folder"] = add
            elif remove and stream.feed.folder == remove:
                changes["folder"] = None
            if changes:
                store.update_feed(stream.feed.id, **changes)
        return ok()
    raise api_error(400, f"parameter ac: {action[:40]!r} is not subscribe, unsubscribe or edit")


@route("/reader/api/0/subscription/quickadd", ["POST"])
def quickadd(request: Request, user: User, form: FormData) -> Response:
    url = str(form.get("quickadd") or request.query_params.get("quickadd") or "").strip()
    if url.startswith("feed/"):
        url = url[5:]
    # a feed that cannot be added is an answer, not a failed call, as FreshRSS gives it
    if not url.startswith(("http://", "https://")):
        return _not_added(url, "not an http(s) URL")
    feed = _added(request, url, None)
    if isinstance(feed, str):
        return _not_added(url, feed)
    return JSONResponse(
        {
            "numResults": 1,
            "query": feed.url,
            "streamId": f"feed/{feed.id}",
            "streamName": feed.display_name,
        }
    )


def _not_added(url: str, why: str) -> Response:
    return JSONResponse({"numResults": 0, "query": url[:2000], "error": why[:500]})
