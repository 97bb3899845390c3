"""Marking items: edit-tag (read, kept-unread, starred) and mark-all-as-read."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from newsdesk.model import User
from newsdesk.times import utcnow
from newsdesk.web.errors import api_error
from newsdesk.web.folders import folder_filter
from newsdesk.web.greader.ids import (
    IGNORED_TAGS,
    KEPT_UNREAD,
    LABEL,
    READ,
    STARRED,
    normal_stream,
    parse_item_ids,
    parse_stream,
)
from newsdesk.web.greader.params import exact_moment, int_param, values
from newsdesk.web.greader.routing import ok, route
from newsdesk.web.state import get_store


def tag_changes(adds: list[str], removes: list[str]) -> tuple[bool | None, bool | None]:
    """(read, starred) to set, None for "leave as is"; kept-unread is the opposite of read."""
    read: bool | None = None
    starred: bool | None = None
    for tags, adding in ((adds, True), (removes, False)):
        for raw in tags:
            tag = normal_stream(raw)
            if tag == READ:
                value = adding
            elif tag == KEPT_UNREAD:
                value = not adding
            elif tag == STARRED:
                if starred is not None and starred != adding:
                    raise api_error(400, "starred cannot be added and removed at once")
                starred = adding
                continue
            elif tag in IGNORED_TAGS or tag.startswith(LABEL):
                continue
            else:
                raise api_error(400, f"unsupported tag {raw[:120]!r}")
            if read is not None and read != value:
                raise api_error(400, "read and kept-unread cannot be set the opposite way at once")
            read = value
    return read, starred


@route("/reader/api/0/edit-tag", ["POST"])
def edit_tag(request: Request, user: User, form: FormData) -> Response:
    raw_ids = values(request, form, "i")
    if not raw_ids:
        raise api_error(400, "parameter i: give at least one item id")
    adds, removes = values(request, form, "a"), values(request, form, "r")
    if not adds and not removes:
        raise api_error(400, "parameters a and r: give a tag to add or remove")
    read, starred = tag_changes(adds, removes)
    ids = parse_item_ids(raw_ids)
    store = get_store(request)
    known = [stored.id for stored in store.get_articles(ids)]
    if read is not None and known:
        store.set_read(user.id, known, read)
    if starred is not None and known:
        store.set_starred(user.id, known, starred)
    return ok()


@route("/reader/api/0/mark-all-as-read", ["POST"])
def mark_all_as_read(request: Request, user: User, form: FormData) -> Response:
    sid = str(form.get("s") or request.query_params.get("s") or "")
    if not sid:
        raise api_error(400, "parameter s: give the stream to mark as read")
    stream = parse_stream(request, sid)
    ts = int_param(form, "ts", 0)
    before = exact_moment(ts) or utcnow()
    store = get_store(request)
    # ts is the newest timestampUsec the client saw: a crawl time, as ot and nt are
    if stream.kind == "feed" and stream.feed:
        store.mark_all_read(user.id, feed_id=stream.feed.id, fetched_to=before)
    elif stream.kind == "label" and stream.folder:
        store.mark_all_read(user.id, fetched_to=before, **folder_filter(stream.folder))
    elif stream.kind == "reading-list":
        store.mark_all_read(user.id, fetched_to=before)
    elif stream.kind == "starred":
        store.mark_all_read(user.id, starred=True, fetched_to=before)
    return ok()
