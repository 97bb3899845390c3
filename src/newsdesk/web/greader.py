"""The Google Reader API under /api/greader, as FreshRSS and Miniflux speak it.

Clients are given http://HOST:PORT/api/greader as the server. They sign in with
POST accounts/ClientLogin (Email, Passwd = the user's API password), then send
"Authorization: GoogleLogin auth=<user/token>" on every call.

Streams: user/-/state/com.google/{reading-list,starred,read}, feed/<id or url>,
user/-/label/<folder>. Item ids go out in long form (tag:google.com,2005:reader/item/<16 hex>)
in items and as decimals in itemRefs; both, and the bare 16-hex form, are accepted back.
Continuation tokens are opaque: the store's keyset cursor (or an offset for r=o).

Copies of other articles (duplicates) are left out of stream listings unless
NEWSDESK_SHOW_DUPLICATES is set; a feed's own stream lists all it gave. stream/contents and
stream/items/ids take newsdesk's `duplicates=true|false` to decide per request, like /api/v1.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams

from newsdesk.config import Settings
from newsdesk.errors import FeedError, FetchError, NotFoundError
from newsdesk.model import Feed, StoredArticle, User
from newsdesk.store.paging import cursor_of
from newsdesk.web.api_auth import (
    ApiRoute,
    api_error,
    check_api_password,
    googlelogin_token,
    greader_action_token,
    greader_auth_token,
    greader_user_for_token,
)
from newsdesk.web.jsonparts import JSONParts, Verbatim
from newsdesk.web.sanitize import article_html

router = APIRouter(prefix="/api/greader", route_class=ApiRoute, include_in_schema=False)

ITEM_PREFIX = "tag:google.com,2005:reader/item/"
STATE = "user/-/state/com.google/"
LABEL = "user/-/label/"
READING_LIST = STATE + "reading-list"
READ = STATE + "read"
STARRED = STATE + "starred"
KEPT_UNREAD = STATE + "kept-unread"
IGNORED_TAGS = {STATE + "broadcast", STATE + "like", STATE + "tracking-kept-unread"}
DEFAULT_COUNT = 20
MAX_COUNT = 1000
MAX_IDS = 10000  # ids listed at most for one call, as Miniflux caps them
SCAN_BATCH = 200
ASCENDING_CAP = 5000  # articles gathered at most to answer oldest-first (r=o) calls


def unauthorized(message: str = "Unauthorized") -> Response:
    return JSONResponse(
        {"error": message},
        status_code=401,
        headers={"Google-Bad-Token": "true", "X-Reader-Google-Bad-Token": "true"},
    )


# --- ids and streams ------------------------------------------------------------------------


def long_item_id(article_id: int) -> str:
    return f"{ITEM_PREFIX}{article_id:016x}"


def parse_item_id(value: str) -> int:
    """Long form (padded or not), bare 16-hex (Reeder) or decimal (Liferea, itemRefs)."""
    text = value.strip()
    try:
        if text.startswith(ITEM_PREFIX):
            number = int(text[len(ITEM_PREFIX) :], 16)
        elif len(text) == 16 and all(ch in "0123456789abcdefABCDEF" for ch in text):
            number = int(text, 16)
        else:
            number = int(text, 10)
    except ValueError:
        raise api_error(400, f"item id {value[:80]!r} is not a Google Reader item id") from None
    if number <= 0 or number >= 2**63:
        raise api_error(400, f"item id {value[:80]!r} is out of range")
    return number


def normal_stream(stream_id: str) -> str:
    """user/<digits>/... is the same as user/-/..."""
    if stream_id.startswith("user/"):
        head, _, rest = stream_id[5:].partition("/")
        if head.isdigit() or head == "-":
            return "user/-/" + rest
    return stream_id


@dataclass(slots=True)
class Stream:
    kind: str  # reading-list, starred, read, feed, label
    feed: Feed | None = None
    folder: str | None = None


def parse_stream(request: Request, stream_id: str) -> Stream:
    store = request.app.state.store
    sid = normal_stream(stream_id.strip())
    if sid in ("", READING_LIST):
        return Stream("reading-list")
    if sid == STARRED:
        return Stream("starred")
    if sid == READ:
        return Stream("read")
    if sid.startswith("feed/"):
        ref = sid[5:]
        try:
            feed = store.get_feed(int(ref)) if ref.isdigit() else store.find_feed(ref)
            return Stream("feed", feed=feed)
        except NotFoundError:
            raise api_error(404, f"no subscription {sid!r}") from None
    if sid.startswith(LABEL):
        folder = sid[len(LABEL) :]
        if not folder:
            raise api_error(400, "a label stream needs a name")
        return Stream("label", folder=folder)
    raise api_error(400, f"unknown stream {stream_id[:120]!r}")


# --- request parameters ---------------------------------------------------------------------


def _int(params: QueryParams | FormData, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(str(raw))
    except ValueError:
        raise api_error(400, f"parameter {name}: {str(raw)[:40]!r} is not a whole number") from None


def _moment(seconds: int) -> datetime | None:
    if seconds <= 0:
        return None
    if seconds > 10**14:  # microseconds, as some clients send
        seconds //= 10**6
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise api_error(400, f"time {seconds} is out of range") from None


@dataclass(slots=True)
class Listing:
    stream: Stream
    count: int
    ascending: bool
    since: datetime | None
    until: datetime | None
    continuation: str | None
    exclude: set[str] = field(default_factory=set)
    include: set[str] = field(default_factory=set)
    duplicates: bool | None = None  # list copies of other articles too; None: the default


TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _flag(params: QueryParams, name: str) -> bool | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    value = raw.strip().lower()
    if value in TRUE_WORDS or value in FALSE_WORDS:
        return value in TRUE_WORDS
    raise api_error(400, f"parameter {name}: {raw[:40]!r} is not true or false")


def listing_of(request: Request, params: QueryParams, stream_id: str | None) -> Listing:
    sid = stream_id if stream_id is not None else params.get("s", READING_LIST)
    count = _int(params, "n", DEFAULT_COUNT)
    if count < 1:
        raise api_error(400, "parameter n: must be at least 1")
    return Listing(
        stream=parse_stream(request, sid),
        count=min(count, MAX_IDS),
        ascending=params.get("r") == "o",
        since=_moment(_int(params, "ot", 0)),
        until=_moment(_int(params, "nt", 0)),
        continuation=params.get("c") or None,
        exclude={normal_stream(x) for x in params.getlist("xt")},
        include={normal_stream(x) for x in params.getlist("it")},
        duplicates=_flag(params, "duplicates"),
    )


def originals_only(settings: Settings, listing: Listing) -> bool:
    """Whether copies of other articles are left out: as the request says (duplicates=true or
    false), else as NEWSDESK_SHOW_DUPLICATES says, except that a feed's own stream lists
    everything that feed gave."""
    if listing.duplicates is not None:
        return not listing.duplicates
    return not settings.show_duplicates and listing.stream.kind != "feed"


# --- finding a stream's articles ------------------------------------------------------------


def fetch_page(
    request: Request, user: User, listing: Listing, batch: int, before: str | None
) -> list[StoredArticle]:
    store = request.app.state.store
    stream = listing.stream
    settings: Settings = request.app.state.settings
    wanted = {stream.kind} | {
        {READ: "read", STARRED: "starred"}.get(target, "") for target in listing.include
    }
    try:
        return store.list_articles(
            feed_id=stream.feed.id if stream.feed else None,
            folder=stream.folder,
            since=listing.since,
            until=listing.until,
            limit=batch,
            before=before,
            originals_only=originals_only(settings, listing),
            user_id=user.id,
            unread_only=READ in listing.exclude,
            starred_only="starred" in wanted,
        )
    except ValueError:
        raise api_error(400, f"continuation {before[:60]!r} was not handed out here") from None


def state_filter(
    request: Request, user: User, listing: Listing
) -> Callable[[list[StoredArticle]], list[StoredArticle]] | None:
    """Filters the store cannot apply in SQL: only-read and not-starred."""
    only_read = listing.stream.kind == "read" or READ in listing.include
    not_starred = STARRED in listing.exclude
    if not (only_read or not_starred):
        return None
    store = request.app.state.store

    def keep(page: list[StoredArticle]) -> list[StoredArticle]:
        states = store.article_states(user.id, [stored.id for stored in page])
        kept = []
        for stored in page:
            read, starred = states.get(stored.id, (False, False))
            if (only_read and not read) or (not_starred and starred):
                continue
            kept.append(stored)
        return kept

    return keep


def stream_articles(
    request: Request, user: User, listing: Listing, count: int
) -> tuple[list[StoredArticle], str | None]:
    """Up to `count` articles of the listing and the continuation for the next call."""
    keep = state_filter(request, user, listing)
    if listing.ascending:
        return _ascending(request, user, listing, count, keep)
    if keep is None:
        page = fetch_page(request, user, listing, count + 1, listing.continuation)
        more = len(page) > count
        page = page[:count]
        return page, (cursor_of(page[-1]) if more and page else None)
    found: list[StoredArticle] = []
    cursor = listing.continuation
    for _ in range(50):  # bounded scan: a sparse filter answers with fewer items, not forever
        page = fetch_page(request, user, listing, SCAN_BATCH, cursor)
        for stored in keep(page):
            found.append(stored)
            if len(found) == count:
                return found, cursor_of(stored)
        if len(page) < SCAN_BATCH:
            return found, None
        cursor = cursor_of(page[-1])
    return found, cursor


def _ascending(
    request: Request,
    user: User,
    listing: Listing,
    count: int,
    keep: Callable[[list[StoredArticle]], list[StoredArticle]] | None,
) -> tuple[list[StoredArticle], str | None]:
    offset = 0
    if listing.continuation:
        if not listing.continuation.startswith("o") or not listing.continuation[1:].isdigit():
            raise api_error(400, "continuation was not handed out for an oldest-first listing")
        offset = int(listing.continuation[1:])
    gathered: list[StoredArticle] = []
    cursor = None
    while len(gathered) < ASCENDING_CAP:
        page = fetch_page(request, user, listing, SCAN_BATCH, cursor)
        gathered.extend(keep(page) if keep else page)
        if len(page) < SCAN_BATCH:
            break
        cursor = cursor_of(page[-1])
    gathered.reverse()
    chosen = gathered[offset : offset + count]
    more = offset + count < len(gathered)
    return chosen, (f"o{offset + count}" if more else None)


# --- items ----------------------------------------------------------------------------------


def _usec(moment: datetime | None) -> int:
    if moment is None:
        return 0
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return int(aware.timestamp() * 1_000_000)


def items_json(request: Request, user: User, articles: list[StoredArticle]) -> list[dict[str, Any]]:
    store = request.app.state.store
    # the reader's short-lived feed list: names and folders, not fetched again for every page
    feeds = request.app.state.view_cache.feeds(store, [s.feed_id for s in articles])[0]
    states = store.article_states(user.id, [stored.id for stored in articles])
    items = []
    for stored in articles:
        article = stored.article
        feed = feeds.get(stored.feed_id) if stored.feed_id is not None else None
        read, starred = states.get(stored.id, (False, False))
        categories = [READING_LIST]
        if feed and feed.folder:
            categories.append(LABEL + feed.folder)
        if read:
            categories.append(READ)
        if starred:
            categories.append(STARRED)
        published = article.published or stored.fetched_at
        body = Verbatim(article_html(article.html, article.text, base_url=article.url))
        link = article.canonical_url or article.url
        items.append(
            {
                "id": long_item_id(stored.id),
                "crawlTimeMsec": str(_usec(stored.fetched_at) // 1000),
                "timestampUsec": str(_usec(published)),
                "published": _usec(published) // 1_000_000,
                "updated": _usec(article.updated or published) // 1_000_000,
                "title": article.title or link,
                "author": ", ".join(article.authors),
                "canonical": [{"href": link}],
                "alternate": [{"href": link, "type": "text/html"}],
                "categories": categories,
                "summary": {"direction": "ltr", "content": body},
                "content": {"direction": "ltr", "content": body},
                "origin": {
                    "streamId": f"feed/{stored.feed_id}" if stored.feed_id else "",
                    "title": (feed.user_title or feed.title or feed.url)
                    if feed
                    else (stored.feed_title or ""),
                    "htmlUrl": (feed.site_url or "") if feed else "",
                },
                "enclosure": (
                    [{"url": article.image, "type": "image"}]
                    if article.image and article.image.startswith(("http://", "https://"))
                    else []
                ),
            }
        )
    return items


def stream_title(stream: Stream) -> str:
    if stream.feed:
        return stream.feed.user_title or stream.feed.title or stream.feed.url
    if stream.folder:
        return stream.folder
    return {"starred": "Starred", "read": "Read"}.get(stream.kind, "Reading list")


# --- authentication and the shape of a route ---------------------------------------------


def greader_user(request: Request, form: FormData) -> User | None:
    """The caller, from the GoogleLogin header (or a POST's T field, as Miniflux allows)."""
    token = googlelogin_token(request)
    if token is None:
        value = form.get("T")
        token = value if isinstance(value, str) and "/" in value else None
    user = greader_user_for_token(request, token) if token else None
    if user is not None:
        request.scope["newsdesk.greader_token"] = token
    return user


async def _form(request: Request) -> FormData:
    if request.method != "POST":
        return FormData()
    return await request.form()


Handler = Callable[[Request, User, FormData], Response]


def route(path: str, methods: list[str], *, on_loop: bool = False) -> Callable[[Handler], Handler]:
    """Register a sync handler: the form is read first, then the handler (which reads the
    store, and may fetch a feed) runs in a worker thread with the authenticated user. A short
    read whose answer is nearly always kept runs on the event loop instead (`on_loop`): the
    hand-off to a thread cost more CPU than the call."""

    def register(handler: Handler) -> Handler:
        def authenticated(request: Request, form: FormData) -> Response:
            user = greader_user(request, form)
            if user is None:
                return unauthorized()
            return handler(request, user, form)

        async def endpoint(request: Request) -> Response:
            form = await _form(request)
            if on_loop:
                return authenticated(request, form)
            return await run_in_threadpool(authenticated, request, form)

        endpoint.__name__ = handler.__name__
        router.add_api_route(path, endpoint, methods=methods)
        return handler

    return register


def _values(request: Request, form: FormData, name: str) -> list[str]:
    values = [str(v) for v in form.getlist(name)] or list(request.query_params.getlist(name))
    return [v for v in values if v != ""]


def _ok() -> Response:
    return PlainTextResponse("OK")


# --- routes ---------------------------------------------------------------------------------


@router.post("/accounts/ClientLogin")
async def client_login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("Email") or "").strip()
    password = str(form.get("Passwd") or "")
    if not username or not password:
        return unauthorized("Email and Passwd are required")
    limiter = getattr(request.app.state, "login_limiter", None)
    address = request.client.host if request.client else "unknown"
    if limiter is not None and limiter.retry_after(address, username) > 0:
        return JSONResponse({"error": "too many failed sign-ins; wait and retry"}, status_code=429)
    user = check_api_password(request, username, password)
    if user is None:
        if limiter is not None:
            limiter.failed(address, username)
        return unauthorized("wrong user name or API password")
    if limiter is not None:
        limiter.succeeded(address, username)
    token = greader_auth_token(user, request.app.state.store.user_api_password_hash(user.id))
    if request.query_params.get("output") == "json" or form.get("output") == "json":
        return JSONResponse({"SID": token, "LSID": token, "Auth": token})
    return PlainTextResponse(f"SID={token}\nLSID={token}\nAuth={token}\n")


@route("/reader/api/0/token", ["GET"])
def token(request: Request, user: User, form: FormData) -> Response:
    return PlainTextResponse(greader_action_token(request.scope["newsdesk.greader_token"]))


@route("/reader/api/0/user-info", ["GET"])
def user_info(request: Request, user: User, form: FormData) -> Response:
    return JSONResponse(
        {
            "userId": str(user.id),
            "userName": user.username,
            "userProfileId": str(user.id),
            "userEmail": user.username,
            "isBloggerUser": False,
            "signupTimeSec": int(user.created_at.timestamp()) if user.created_at else 0,
        }
    )


def _folders(feeds: Iterable[Feed]) -> list[str]:
    return sorted({feed.folder for feed in feeds if feed.folder})


@route("/reader/api/0/subscription/list", ["GET"])
def subscription_list(request: Request, user: User, form: FormData) -> Response:
    subscriptions = []
    for feed in request.app.state.store.list_feeds():
        subscriptions.append(
            {
                "id": f"feed/{feed.id}",
                "title": feed.user_title or feed.title or feed.url,
                "categories": (
                    [{"id": LABEL + feed.folder, "label": feed.folder, "type": "folder"}]
                    if feed.folder
                    else []
                ),
                "url": feed.url,
                "htmlUrl": feed.site_url or "",
                "iconUrl": feed.icon_url or "",
                "firstitemmsec": str(_usec(feed.created_at) // 1000),
            }
        )
    return JSONResponse({"subscriptions": subscriptions})


@route("/reader/api/0/tag/list", ["GET"])
def tag_list(request: Request, user: User, form: FormData) -> Response:
    tags: list[dict[str, str]] = [{"id": STARRED}]
    for folder in _folders(request.app.state.store.list_feeds()):
        tags.append({"id": LABEL + folder, "label": folder, "type": "folder"})
    return JSONResponse({"tags": tags})


@route("/reader/api/0/unread-count", ["GET"], on_loop=True)
def unread_count(request: Request, user: User, form: FormData) -> Response:
    store = request.app.state.store
    wanted = _flag(request.query_params, "duplicates")
    copies = request.app.state.settings.show_duplicates if wanted is None else wanted
    # clients ask on every sync; the answer stands until anything in the database changes
    key = ("greader unread", user.id, copies)
    kept = request.app.state.view_cache.kept
    body = kept(store, key, lambda: JSONResponse(_unread_counts(store, user, copies)).body)
    return Response(body, media_type="application/json")  # kept encoded: the same bytes


def _unread_counts(store: Any, user: User, copies: bool) -> dict[str, Any]:
    # Counts match the streams: a feed's stream lists every article it gave, folders and the
    # reading list leave copies out unless duplicates are asked for.
    counts = store.unread_counts(user.id)
    listed = counts if copies else store.unread_counts(user.id, originals_only=True)
    newest = store.newest_article_times()
    rows: list[dict[str, Any]] = []
    folder_totals: dict[str, list[int]] = {}
    total, total_newest = 0, 0
    for feed in store.list_feeds():
        stamp = _usec(newest.get(feed.id))
        rows.append(
            {"id": f"feed/{feed.id}", "count": counts.get(feed.id, 0),
             "newestItemTimestampUsec": str(stamp)}
        )
        count = listed.get(feed.id, 0)
        if feed.folder:
            slot = folder_totals.setdefault(feed.folder, [0, 0])
            slot[0] += count
            slot[1] = max(slot[1], stamp)
        total += count
        total_newest = max(total_newest, stamp)
    for folder, (count, stamp) in sorted(folder_totals.items()):
        rows.append({"id": LABEL + folder, "count": count, "newestItemTimestampUsec": str(stamp)})
    rows.append({"id": READING_LIST, "count": total, "newestItemTimestampUsec": str(total_newest)})
    return {"max": total, "unreadcounts": rows}


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
                "timestampUsec": str(_usec(stored.article.published or stored.fetched_at)),
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
    body: dict[str, Any] = {
        "direction": "ltr",
        "id": READING_LIST if stream.kind == "reading-list" else _stream_id(stream),
        "title": stream_title(stream),
        "self": [{"href": str(request.url)}],
        "updated": int(time.time()),
        "author": user.username,
        "items": items_json(request, user, articles),
    }
    if continuation:
        body["continuation"] = continuation
    return JSONParts(body)


def _stream_id(stream: Stream) -> str:
    if stream.feed:
        return f"feed/{stream.feed.id}"
    if stream.folder:
        return LABEL + stream.folder
    return STATE + stream.kind


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
    raw_ids = _values(request, form, "i")
    if not raw_ids:
        raise api_error(400, "parameter i: give at least one item id")
    if len(raw_ids) > MAX_COUNT:
        raise api_error(400, f"parameter i: at most {MAX_COUNT} items per call")
    ids = [parse_item_id(value) for value in raw_ids]
    articles = request.app.state.store.get_articles(ids)
    order = request.query_params.get("r") or form.get("r")
    articles.sort(key=lambda s: (s.article.published or s.fetched_at or datetime.min, s.id),
                  reverse=order != "o")  # fmt: skip
    return _contents_response(request, user, articles, Stream("reading-list"), None)


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
    raw_ids = _values(request, form, "i")
    if not raw_ids:
        raise api_error(400, "parameter i: give at least one item id")
    adds, removes = _values(request, form, "a"), _values(request, form, "r")
    if not adds and not removes:
        raise api_error(400, "parameters a and r: give a tag to add or remove")
    read, starred = tag_changes(adds, removes)
    ids = [parse_item_id(value) for value in raw_ids]
    store = request.app.state.store
    known = [stored.id for stored in store.get_articles(ids)]
    if read is not None and known:
        store.set_read(user.id, known, read)
    if starred is not None and known:
        store.set_starred(user.id, known, starred)
    return _ok()


@route("/reader/api/0/mark-all-as-read", ["POST"])
def mark_all_as_read(request: Request, user: User, form: FormData) -> Response:
    sid = str(form.get("s") or request.query_params.get("s") or "")
    if not sid:
        raise api_error(400, "parameter s: give the stream to mark as read")
    stream = parse_stream(request, sid)
    ts = _int(form, "ts", 0)
    before = _moment(ts // 1000 if ts > 10**17 else ts) or datetime.now(UTC)  # ns, us or s
    store = request.app.state.store
    if stream.kind == "feed" and stream.feed:
        store.mark_all_read(user.id, feed_id=stream.feed.id, before=before)
    elif stream.kind == "label":
        store.mark_all_read(user.id, folder=stream.folder, before=before)
    elif stream.kind == "reading-list":
        store.mark_all_read(user.id, before=before)
    elif stream.kind == "starred":
        ids = [s.id for s in store.list_articles(user_id=user.id, starred_only=True,
                                                 until=before, limit=1000)]  # fmt: skip
        if ids:
            store.set_read(user.id, ids, True)
    return _ok()


def _subscribe(request: Request, url: str, folder: str | None) -> Feed:
    from newsdesk.pipeline.subscribe import subscribe

    try:
        feed, _ = subscribe(request.app.state.store, request.app.state.settings, url, folder=folder)
    except (FetchError, FeedError) as exc:
        raise api_error(400, f"cannot subscribe to {url}: {exc}") from None
    return feed


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
    store = request.app.state.store
    request.app.state.view_cache.forget_feeds()  # names and folders change below
    if action == "subscribe":
        for index, sid in enumerate(streams):
            url = sid[5:] if sid.startswith("feed/") else sid
            feed = _subscribe(request, url, add)
            title = titles[index].strip() if index < len(titles) else ""
            if title:
                store.update_feed(feed.id, user_title=title)
        return _ok()
    feeds = [parse_stream(request, sid) for sid in streams]
    if any(stream.feed is None for stream in feeds):
        raise api_error(400, "parameter s: only feed/<id> streams can be edited")
    if action == "unsubscribe":
        for stream in feeds:
            store.delete_feed(stream.feed.id)
        return _ok()
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
        return _ok()
    raise api_error(400, f"parameter ac: {action[:40]!r} is not subscribe, unsubscribe or edit")


@route("/reader/api/0/subscription/quickadd", ["POST"])
def quickadd(request: Request, user: User, form: FormData) -> Response:
    url = str(form.get("quickadd") or request.query_params.get("quickadd") or "").strip()
    if url.startswith("feed/"):
        url = url[5:]
    if not url.startswith(("http://", "https://")):
        raise api_error(400, f"parameter quickadd: {url[:120]!r} is not an http(s) URL")
    feed = _subscribe(request, url, None)
    return JSONResponse(
        {
            "numResults": 1,
            "query": feed.url,
            "streamId": f"feed/{feed.id}",
            "streamName": feed.user_title or feed.title or feed.url,
        }
    )
