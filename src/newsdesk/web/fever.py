"""The Fever API at /api/fever.php (FreshRSS's path), for Reeder, Unread, ReadKit, Fluent Reader.

Every call is POST (or GET) /api/fever.php?api&<what> with api_key = md5("user:apipassword")
in the form. A wrong key answers {"api_version": 3, "auth": 0}, as the protocol wants.
Groups are folders (feeds in none are in "Uncategorized", as in FreshRSS); a folder's id is a
stable number derived from its name.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from newsdesk.inputs import check_id, parse_id, parse_int, timestamp_moment
from newsdesk.model import Feed, StoredArticle, User
from newsdesk.store import Store
from newsdesk.times import as_utc, utcnow
from newsdesk.web.auth.identity import fever_user
from newsdesk.web.bodies import small_form
from newsdesk.web.errors import ApiRoute, api_error
from newsdesk.web.folders import client_folders, folder_filter, folder_of
from newsdesk.web.icons import data_uri_body, feed_icons
from newsdesk.web.sanitize import article_html
from newsdesk.web.state import get_store

router = APIRouter(route_class=ApiRoute, include_in_schema=False)

API_VERSION = 3
PAGE = 50


def group_id(folder: str) -> int:
    """A folder's Fever group id: positive, stable across restarts and other folders' changes."""
    return zlib.crc32(folder.encode("utf-8")) % 2_000_000_000 + 1


def _timestamp(moment: datetime | None) -> int:
    if moment is None:
        return 0
    return int(as_utc(moment).timestamp())


def _param(request: Request, form: FormData, name: str) -> str | None:
    value = form.get(name)
    if value is None:
        value = request.query_params.get(name)
    return None if value is None else str(value)


def _has(request: Request, form: FormData, name: str) -> bool:
    return name in request.query_params or name in form


def _int(request: Request, form: FormData, name: str, default: int | None = None) -> int:
    raw = _param(request, form, name)
    if raw is None or raw.strip() == "":
        if default is None:
            raise api_error(400, f"parameter {name}: required")
        return default
    return parse_int(raw, f"parameter {name}")


def _ids(raw: str) -> list[int]:
    ids = [parse_id(part, "item") for part in raw.split(",") if part.strip()]
    if len(ids) > PAGE:
        raise api_error(400, f"parameter with_ids: at most {PAGE} ids per call")
    return ids


# --- answers --------------------------------------------------------------------------------


def base(request: Request) -> dict[str, Any]:
    feeds = get_store(request).list_feeds()
    refreshed = max((_timestamp(feed.last_fetched_at) for feed in feeds), default=0)
    return {"api_version": API_VERSION, "auth": 1, "last_refreshed_on_time": refreshed}


def feeds_groups(feeds: list[Feed]) -> list[dict[str, Any]]:
    by_folder: dict[str, list[str]] = {}
    for feed in feeds:
        by_folder.setdefault(folder_of(feed), []).append(str(feed.id))
    return [
        {"group_id": group_id(folder), "feed_ids": ",".join(ids)}
        for folder, ids in sorted(by_folder.items())
    ]


def groups(feeds: list[Feed]) -> list[dict[str, Any]]:
    return [{"id": group_id(folder), "title": folder} for folder in client_folders(feeds)]


def feeds_json(feeds: list[Feed]) -> list[dict[str, Any]]:
    return [
        {
            "id": feed.id,
            "favicon_id": feed.id,  # each feed's favicon has its id (favicons())
            "title": feed.display_name,
            "url": feed.url,
            "site_url": feed.site_url or "",
            "is_spark": 0,
            "last_updated_on_time": _timestamp(feed.last_fetched_at),
        }
        for feed in feeds
    ]


def favicons(store: Store, feeds: list[Feed]) -> list[dict[str, Any]]:
    """One favicon per feed, with the feed's id: its site's icon as polling kept it, else
    newsdesk's default one, as "<type>;base64,<bytes>"."""
    icons = feed_icons(store, feeds, with_data=True)
    return [{"id": feed.id, "data": data_uri_body(icons.get(feed.id))} for feed in feeds]


def items_json(request: Request, user: User, articles: list[StoredArticle]) -> list[dict]:
    states = get_store(request).article_states(user.id, [stored.id for stored in articles])
    items = []
    for stored in articles:
        article = stored.article
        read, starred = states.get(stored.id, (False, False))
        items.append(
            {
                "id": stored.id,
                "feed_id": stored.feed_id or 0,
                "title": article.title or article.url,
                "author": ", ".join(article.authors),
                "html": article_html(article.html, article.text, base_url=article.url),
                "url": article.canonical_url or article.url,
                "is_saved": int(starred),
                "is_read": int(read),
                "created_on_time": _timestamp(article.published or stored.fetched_at),
            }
        )
    return items


def originals_only(request: Request) -> bool:
    """Copies of other articles are left out of listings unless NEWSDESK_SHOW_DUPLICATES is
    set, as in the river (items asked for by id are always given)."""
    return not request.app.state.settings.show_duplicates


def select_items(request: Request, form: FormData) -> list[StoredArticle]:
    store = get_store(request)
    if _has(request, form, "with_ids"):
        return store.get_articles(_ids(_param(request, form, "with_ids") or ""))
    originals = originals_only(request)
    if _has(request, form, "max_id"):
        max_id = _int(request, form, "max_id", 0)
        before = check_id(max_id, "item") if max_id else None
        return store.list_articles(below_id=before, by_id=True, limit=PAGE,
                                   originals_only=originals)  # fmt: skip
    since_id = _int(request, form, "since_id", 0)
    after = check_id(since_id, "item") if since_id else 0
    return store.list_articles(above_id=after, by_id=True, oldest_first=True, limit=PAGE,
                               originals_only=originals)  # fmt: skip


def unread_ids(request: Request, user: User) -> str:
    store = get_store(request)
    return _joined(
        store.article_ids(user_id=user.id, read=False, originals_only=originals_only(request))
    )


def _joined(ids: list[int]) -> str:
    return ",".join(str(i) for i in ids)


def mark(request: Request, user: User, form: FormData, answer: dict[str, Any]) -> None:
    store = get_store(request)
    what = _param(request, form, "mark")
    action = _param(request, form, "as")
    target = _int(request, form, "id")
    if what in ("item", "feed"):
        check_id(target, what)
    if what == "item":
        if action not in ("read", "unread", "saved", "unsaved"):
            raise api_error(400, f"parameter as: {action!r} is not read, unread, saved, unsaved")
        if store.get_articles([target]):
            if action in ("read", "unread"):
                store.set_read(user.id, [target], action == "read")
            else:
                store.set_starred(user.id, [target], action == "saved")
        if action in ("saved", "unsaved"):
            answer["saved_item_ids"] = _joined(store.article_ids(user_id=user.id, starred=True))
        else:
            answer["unread_item_ids"] = unread_ids(request, user)
        return
    if action != "read":
        raise api_error(400, f"parameter as: a {what} can only be marked read")
    before_raw = _int(request, form, "before", 0)
    before = timestamp_moment(before_raw, "parameter before") if before_raw > 0 else utcnow()
    if what == "feed":
        store.get_feed(target)
        store.mark_all_read(user.id, feed_id=target, before=before)
    elif what == "group":
        if target == 0:  # the "Kindling" super group: every feed
            store.mark_all_read(user.id, before=before)
        else:
            folder = {group_id(name): name for name in client_folders(store.list_feeds())}
            if target not in folder:
                raise api_error(404, f"no group {target}")
            store.mark_all_read(user.id, before=before, **folder_filter(folder[target]))
    else:
        raise api_error(400, f"parameter mark: {what!r} is not item, feed or group")
    answer["unread_item_ids"] = unread_ids(request, user)


def answer(request: Request, form: FormData) -> Response:
    user = fever_user(request, _param(request, form, "api_key"))
    if user is None:
        return JSONResponse({"api_version": API_VERSION, "auth": 0})
    store = get_store(request)
    body = base(request)
    feeds = store.list_feeds()
    if _has(request, form, "groups"):
        body["groups"] = groups(feeds)
        body["feeds_groups"] = feeds_groups(feeds)
    if _has(request, form, "feeds"):
        body["feeds"] = feeds_json(feeds)
        body["feeds_groups"] = feeds_groups(feeds)
    if _has(request, form, "favicons"):
        body["favicons"] = favicons(store, feeds)
    if _has(request, form, "items"):
        body["items"] = items_json(request, user, select_items(request, form))
        body["total_items"] = store.count_listed(originals_only=originals_only(request))
    if _has(request, form, "links"):
        body["links"] = []  # Fever's "hot links" are not a newsdesk feature
    if _has(request, form, "unread_item_ids"):
        body["unread_item_ids"] = unread_ids(request, user)
    if _has(request, form, "saved_item_ids"):
        body["saved_item_ids"] = _joined(store.article_ids(user_id=user.id, starred=True))
    if _param(request, form, "mark"):
        mark(request, user, form, body)
    return JSONResponse(body)


@router.api_route("/api/fever.php", methods=["GET", "POST"])
async def fever(request: Request) -> Response:
    # the api_key is in the form: what is read before it is checked is capped small
    form = await small_form(request) if request.method == "POST" else FormData()
    if "api" not in request.query_params and "api" not in form:
        raise api_error(400, "this is the Fever API: call /api/fever.php?api with an api_key")
    return await run_in_threadpool(answer, request, form)
