"""Stream contents and item ids, and items by id."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData

from newsdesk.model import StoredArticle, User
from newsdesk.web.errors import api_error
from newsdesk.web.greader.ids import (
    READING_LIST,
    Stream,
    parse_item_ids,
    stream_id_of,
    stream_title,
)
from newsdesk.web.greader.items import items_json, usec
from newsdesk.web.greader.params import MAX_COUNT, listing_of, values
from newsdesk.web.greader.routing import route
from newsdesk.web.greader.streams import stream_articles
from newsdesk.web.jsonparts import JSONParts
from newsdesk.web.state import get_store


@route("/reader/api/0/stream/items/ids", ["GET"])
def stream_item_ids(request: Request, user: User, form: FormData) -> Response:
    if not request.query_params.get("s"):
        raise api_error(400, "parameter s: give the stream whose item ids you want")
    listing = listing_of(request, request.query_params, None)
    articles, continuation = stream_articles(request, user, listing, listing.count)
    body: dict[str, Any] = {
        "itemRefs": [
            {
                "id": str(stored.id),
                "directStreamIds": [f"feed/{stored.feed_id}"] if stored.feed_id else [],
                "timestampUsec": str(usec(stored.fetched_at)),
            }
            for stored in articles
        ]
    }
    if continuation:
        body["continuation"] = continuation
    return JSONResponse(body)


def _contents_response(
    request: Request, user: User, articles: list[StoredArticle], stream: Stream,
    continuation: str | None,
) -> Response:  # fmt: skip
    # no "self": Google Reader sent a list of links, Inoreader an object, and the clients read
    # one or the other (NewsFlash's greader_api fails on the list); FreshRSS sends neither
    body: dict[str, Any] = {
        "direction": "ltr",
        "id": READING_LIST if stream.kind == "reading-list" else stream_id_of(stream),
        "title": stream_title(stream),
        "updated": int(time.time()),
        "author": user.username,
        "items": items_json(request, user, articles),
    }
    if continuation:
        body["continuation"] = continuation
    return JSONParts(body)


@route("/reader/api/0/stream/contents", ["GET"], on_loop=True)
@route("/reader/api/0/stream/contents/{stream_id:path}", ["GET"], on_loop=True)
def stream_contents(request: Request, user: User, form: FormData) -> Response:
    stream_id = request.path_params.get("stream_id")
    if stream_id is not None:
        stream_id = unquote(stream_id)
    listing = listing_of(request, request.query_params, stream_id)
    count = min(listing.count, MAX_COUNT)
    articles, continuation = stream_articles(request, user, listing, count)
    return _contents_response(request, user, articles, listing.stream, continuation)


@route("/reader/api/0/stream/items/contents", ["GET", "POST"])
def stream_items_contents(request: Request, user: User, form: FormData) -> Response:
    raw_ids = values(request, form, "i")
    if not raw_ids:
        raise api_error(400, "parameter i: give at least one item id")
    if len(raw_ids) > MAX_COUNT:
        raise api_error(400, f"parameter i: at most {MAX_COUNT} items per call")
    ids = parse_item_ids(raw_ids)
    articles = get_store(request).get_articles(ids)
    order = request.query_params.get("r") or form.get("r")
    articles.sort(key=lambda s: (s.article.published or s.fetched_at or datetime.min, s.id),
                  reverse=order != "o")  # fmt: skip
    return _contents_response(request, user, articles, Stream("reading-list"), None)
