"""The HTML reader: river of news, article page, search, sources, per-user read/starred state.

Anonymous visitors are sent to /login, except in public mode, where they may read the river,
articles and search with headline, teaser and a link to the publisher (the full text only of
sources licensed for it).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from time import monotonic as time_now
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    File,
    Form,
    Path,
    Query,
    Request,
    UploadFile,
)
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from newsdesk.config import Settings
from newsdesk.errors import FeedError, FetchError, NewsdeskError, NotFoundError, OPMLError
from newsdesk.feeds.text import teaser as cut_teaser
from newsdesk.model import Feed, StoredArticle, User
from newsdesk.store.paging import next_cursor, sort_time
from newsdesk.web.auth import csrf_protect, safe_next
from newsdesk.web.deps import LoginRequired, current_user, require_user
from newsdesk.web.sanitize import article_html, sanitize_html

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 30
MAX_ID = 2**63 - 1  # ids are SQL BIGINTs; a larger number is bad input, not a crash
SEARCH_LIMIT = 20  # results per page of a search
MAX_SEARCH_PAGE = 10  # the store ranks at most 200 results of one search
OPERATOR_EVERY = 5  # the operator's block appears after every this many items
MAX_OPML_BYTES = 5 * 1024 * 1024
WORDS_PER_MINUTE = 230
RELATED_LIMIT = 6
RELATED_TERMS = 6  # key terms an article's related search is built from
RELATED_WINDOW = timedelta(days=30)


# --- presentation helpers (also template globals) -------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def relative_time(moment: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "5 min ago", "3 h ago", "2 d ago", "in 10 min", or a date for older times."""
    if moment is None:
        return ""
    moment = _aware(moment)
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    ahead = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        text = f"{int(seconds // 60)} min"
    elif seconds < 86400:
        text = f"{int(seconds // 3600)} h"
    elif seconds < 7 * 86400:
        text = f"{int(seconds // 86400)} d"
    else:
        return _day(moment.astimezone(UTC))
    return f"in {text}" if ahead else f"{text} ago"


def exact_time(moment: datetime | None) -> str:
    """The full date and time, in the offset the source gave (UTC when it gave none)."""
    if moment is None:
        return ""
    return _exact_time(moment)


# English names, as strftime's %A, %B and %b give them in the C locale: strftime costs several
# times more than formatting the numbers ourselves, and a page of results shows 20 new times
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _day(moment: datetime) -> str:
    """strftime("%-d %b %Y")."""
    return f"{moment.day} {MONTHS[moment.month - 1][:3]} {moment.year}"


@lru_cache(maxsize=8192)
def _exact_time(moment: datetime) -> str:
    # an article's time never changes: each page shows the same few again
    moment = _aware(moment)
    if moment.utcoffset():
        zone = moment.strftime("%z")
        label = f"UTC{zone[:3]}:{zone[3:]}"
    else:
        label = "UTC"
    return (
        f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}, "
        f"{moment.hour:02d}:{moment.minute:02d} {label}"
    )


def source_badge(item: ItemView) -> Markup:
    """The source's icon (or its initial) and name."""
    return _badge(item.source, item.icon)


@lru_cache(maxsize=4096)
def _badge(source: str, icon_url: str | None) -> Markup:
    # one per source, not one per item of every page: formatting Markup is slow
    name = escape(source)
    if icon_url:
        icon = Markup(
            '<img class="favicon" src="{}" alt="" width="16" height="16" '
            'referrerpolicy="no-referrer" loading="lazy">'
        ).format(icon_url)
    else:
        icon = Markup('<span class="letter" aria-hidden="true">{}</span>').format(
            (source[:1] or "?").upper()
        )
    return Markup('<span class="source">{} {}</span>').format(icon, name)


def base_url(request: Request, settings: Settings) -> str:
    if settings.base_url:
        return settings.base_url.rstrip("/")
    return str(request.base_url).rstrip("/")


def feed_name(feed: Feed | None, fallback: str | None = None) -> str:
    if feed is None:
        return fallback or "unknown source"
    return feed.user_title or feed.title or fallback or urlsplit(feed.url).hostname or feed.url


def feed_icon(feed: Feed | None) -> str | None:
    if feed is None:
        return None
    if feed.icon_url and urlsplit(feed.icon_url).scheme in ("http", "https"):
        return feed.icon_url
    return None


# --- the view of one article in a list -----------------------------------------------------


@dataclass(slots=True)
class ItemView:
    sa: StoredArticle
    source: str
    icon: str | None
    when: datetime | None
    teaser: str | None
    full: bool  # the full text may be shown to this viewer
    read: bool = False
    starred: bool = False
    snippet: str | None = None  # HTML-safe search snippet with <mark>


def article_time(sa: StoredArticle) -> datetime | None:
    published = sa.article.published
    if published is not None and sa.fetched_at is not None:
        # show the page's own time, unless it claims a moment after we fetched it
        return published if _aware(published) <= _aware(sa.fetched_at) else sa.fetched_at
    return published or sa.fetched_at


def item_teaser(sa: StoredArticle) -> str | None:
    text = sa.article.description or sa.article.text
    if not text:
        return None
    return _teaser(text)


@lru_cache(maxsize=8192)
def _teaser(text: str) -> str | None:
    # lists show the same articles again and again; their teasers need not be cut again
    return cut_teaser(" ".join(text.split()), 280)


def make_items(
    store: Any,
    articles: list[StoredArticle],
    feeds: dict[int, Feed],
    viewer: User | None,
    snippets: list[str] | None = None,
) -> list[ItemView]:
    states = states_for(store, viewer, [sa.id for sa in articles])
    items = []
    for index, sa in enumerate(articles):
        feed = feeds.get(sa.feed_id) if sa.feed_id is not None else None
        read, starred = states.get(sa.id, (False, False))
        items.append(
            ItemView(
                sa=sa,
                source=feed_name(feed, sa.feed_title or sa.article.site_name),
                icon=feed_icon(feed),
                when=article_time(sa),
                # a search result shows its snippet instead of the teaser
                teaser=None if snippets and snippets[index] else item_teaser(sa),
                full=viewer is not None or bool(feed and feed.licensed_full_text),
                read=read,
                starred=starred,
                snippet=snippets[index] if snippets else None,
            )
        )
    return items


# --- per-user state (the store keeps it; these name the calls in one place) -----------------


def states_for(store: Any, viewer: User | None, ids: list[int]) -> dict[int, tuple[bool, bool]]:
    if viewer is None or not ids:
        return {}
    return store.article_states(viewer.id, ids)


# --- who may see what -----------------------------------------------------------------------


async def reader_or_public(request: Request) -> User | None:
    """The signed-in user; None for an anonymous visitor in public mode; else sign in first."""
    user = current_user(request)
    if user is None and not request.app.state.settings.public_mode:
        raise LoginRequired()
    return user


def operator_block(settings: Settings) -> str:
    return sanitize_html(settings.public_block_html) if settings.public_block_html else ""


FeedMap = tuple[dict[int, Feed], list[Feed], list[str]]


def load_feed_map(store: Any) -> FeedMap:
    feeds = store.list_feeds()
    ordered = sorted(feeds, key=lambda f: feed_name(f).lower())
    folders = sorted({f.folder for f in feeds if f.folder}, key=str.lower)
    return {f.id: f for f in feeds}, ordered, folders


class ViewCache:
    """What every page needs but rarely changes: the feed list (names, icons, licences) for a
    few seconds, each article's related stories for some minutes, and the river's recent
    listings and the client APIs' unread counts for as long as nothing in the database changes
    (store.data_version). Edits made
    through the web clear the feed list at once; a feed the list does not know yet reloads it."""

    FEEDS_SECONDS = 5.0
    RELATED_SECONDS = 600.0
    RELATED_SIZE = 2000
    KEPT_SIZE = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._feeds: tuple[float, FeedMap] | None = None
        self._related: OrderedDict[int, tuple[float, list[StoredArticle]]] = OrderedDict()
        self._kept: OrderedDict[Any, tuple[int, Any]] = OrderedDict()

    def kept(
        self, store: Any, key: Any, compute: Callable[[], Any], *, keep_none: bool = True
    ) -> Any:
        """compute(), kept under `key` while the database stays as it was (a None answer only
        if `keep_none`)."""
        version = store.data_version()
        if version is None:
            return compute()
        with self._lock:
            hit = self._kept.get(key)
            if hit is not None and hit[0] == version:
                self._kept.move_to_end(key)
                return hit[1]
        # computed after the version was read: what is kept is at least as new as its version
        value = compute()
        if value is None and not keep_none:
            return value
        with self._lock:
            self._kept[key] = (version, value)
            while len(self._kept) > self.KEPT_SIZE:
                self._kept.popitem(last=False)
        return value

    def listing(self, store: Any, **filters: Any) -> list[StoredArticle]:
        """store.list_articles(**filters), kept while the database stays as it was."""
        key = ("listing", *sorted(filters.items()))
        return list(self.kept(store, key, lambda: store.list_articles(**filters)))

    def feeds(self, store: Any, need: Iterable[int | None] = ()) -> FeedMap:
        now = time_now()
        with self._lock:
            cached = self._feeds
        if cached and now - cached[0] < self.FEEDS_SECONDS:
            known = cached[1][0]
            if all(feed_id is None or feed_id in known for feed_id in need):
                return cached[1]
        fresh = load_feed_map(store)
        with self._lock:
            self._feeds = (now, fresh)
        return fresh

    def forget_feeds(self) -> None:
        with self._lock:
            self._feeds = None

    def related(self, store: Any, sa: StoredArticle) -> list[StoredArticle]:
        now = time_now()
        with self._lock:
            hit = self._related.get(sa.id)
            if hit and now - hit[0] < self.RELATED_SECONDS:
                self._related.move_to_end(sa.id)
                return hit[1]
        found = related_articles(store, sa)
        with self._lock:
            self._related[sa.id] = (now, found)
            while len(self._related) > self.RELATED_SIZE:
                self._related.popitem(last=False)
        return found


def feed_map(request: Request, need: Iterable[int | None] = ()) -> FeedMap:
    return request.app.state.view_cache.feeds(request.app.state.store, need)


def here_url(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


# --- river ----------------------------------------------------------------------------------


# A coroutine, so it runs on the event loop: its listing and feed list are nearly always kept
# (ViewCache) and its states are one indexed read, so handing it to a worker thread cost more
# CPU (the thread switch and the two threads taking turns at the GIL) than the page itself.
@router.get("/")
async def river(
    request: Request,
    feed: int | None = Query(None, ge=1, le=MAX_ID),
    folder: str | None = Query(None, max_length=200),
    lang: str | None = Query(None, max_length=35),
    unread: bool = False,
    starred: bool = False,
    before: str | None = Query(None, max_length=200),
    viewer: User | None = Depends(reader_or_public),
):
    settings: Settings = request.app.state.settings
    store = request.app.state.store
    folder, lang = clean(folder), clean(lang)
    if viewer is None:
        unread = starred = False
    feeds, ordered, folders = feed_map(request, [feed])
    if feed is not None and feed not in feeds:
        raise NotFoundError(f"no source with id {feed}")
    articles = request.app.state.view_cache.listing(
        store,
        feed_id=feed,
        folder=folder,
        language=lang,
        limit=PAGE_SIZE,
        before=clean(before),
        originals_only=not settings.show_duplicates,
        user_id=viewer.id if viewer else None,
        unread_only=unread,
        starred_only=starred,
    )
    feeds = feed_map(request, [sa.feed_id for sa in articles])[0]
    items = make_items(store, articles, feeds, viewer)
    filters = {"feed": feed, "folder": folder, "lang": lang, "unread": unread, "starred": starred}
    next_url = None
    if len(articles) == PAGE_SIZE:
        params = {k: v for k, v in filters.items() if v}
        params = {k: (1 if v is True else v) for k, v in params.items()}
        params["before"] = next_cursor(articles)
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
    if articles and articles[0].fetched_at is not None:
        upto = sort_time(articles[0].article.published, articles[0].fetched_at).isoformat()
    return request.app.state.render(
        request,
        "river.html",
        {
            "nav": "starred" if starred else "river",
            "heading": heading,
            "items": items,
            "feeds": ordered,
            "folders": folders,
            "filters": filters,
            "next_url": next_url,
            "here": here_url(request),
            "upto": upto,
            "feed_link": feed_link,
            "public": viewer is None,
            "operator_block": operator_block(settings) if viewer is None else "",
            "operator_every": OPERATOR_EVERY,
        },
    )


# --- article --------------------------------------------------------------------------------

STOPWORDS = frozenset(
    """about above after again against also although among another around because been before
    being below between both could does doing down during each either even every from further
    have having here hers herself himself into itself just more most much must myself neither
    nor only other ours ourselves over same says said should since some such than that their
    theirs them themselves then there these they this those though through under until upon very
    was were what when where which while whom whose will with within without would your yours
    yourself year years week today yesterday tomorrow news people told like make made""".split()
)
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def key_terms(title: str | None, text: str | None, limit: int = 8) -> list[str]:
    """The words that say what an article is about: frequent in its text, weighted to the title."""
    counts: Counter[str] = Counter()
    for word in WORD.findall((text or "")[:20000].lower()):
        if word not in STOPWORDS:
            counts[word] += 1
    for word in WORD.findall((title or "").lower()):
        if word not in STOPWORDS:
            counts[word] += 3
    return [word for word, _ in counts.most_common(limit)]


def related_query(terms: list[str]) -> str:
    """A search that needs two of the key terms: (t1 OR t3 OR ...) AND (t2 OR t4 OR ...).

    Asking for any one term would rank half the archive; two interleaved groups keep the
    candidates few and already related, the strongest terms split between the groups."""
    first, second = terms[0::2], terms[1::2]
    return " OR ".join(first) + " " + " OR ".join(second)


def related_articles(store: Any, sa: StoredArticle) -> list[StoredArticle]:
    """Articles about the same thing: same story first, then full-text neighbours that share at
    least two of this article's key terms, from the weeks around it. Never filler."""
    found: list[StoredArticle] = []
    seen = {sa.id}
    if sa.duplicate_of is not None:
        seen.add(sa.duplicate_of)
    if sa.story_id is not None:
        for other in store.list_articles(story_id=sa.story_id, limit=RELATED_LIMIT + 1):
            if other.id not in seen and other.duplicate_of not in seen:
                seen.add(other.id)
                found.append(other)
    terms = key_terms(sa.article.title, sa.article.text, limit=RELATED_TERMS)
    if len(found) >= RELATED_LIMIT or len(terms) < 2:
        return found[:RELATED_LIMIT]
    when = article_time(sa) or datetime.now(UTC)
    hits = store.search(
        related_query(terms),
        limit=RELATED_LIMIT * 3,
        since=when - RELATED_WINDOW,
        until=when + RELATED_WINDOW,
        snippets=False,
    )
    own_title = (sa.article.title or "").strip().lower()
    for other, _ in hits:
        if other.id in seen or other.duplicate_of in seen:
            continue
        if own_title and (other.article.title or "").strip().lower() == own_title:
            continue  # a copy of this very article
        words = set(WORD.findall(f"{other.article.title} {other.article.text}".lower()))
        if len(words.intersection(terms)) < 2:
            continue
        seen.add(other.id)
        found.append(other)
        if len(found) >= RELATED_LIMIT:
            break
    return found


def also_reported(store: Any, sa: StoredArticle) -> list[StoredArticle]:
    """Other copies of this very article (its original, or the copies that point to it)."""
    copies: list[StoredArticle] = []
    if sa.duplicate_of is not None:
        with contextlib.suppress(NotFoundError):
            copies.append(store.get_article(sa.duplicate_of))
    if sa.story_id is not None and (sa.copies or sa.duplicate_of is not None):
        original = sa.duplicate_of or sa.id
        for other in store.list_articles(story_id=sa.story_id, limit=50):
            if other.id != sa.id and other.duplicate_of == original:
                copies.append(other)
    return copies


def reading_minutes(text: str) -> int:
    return max(1, round(len(text.split()) / WORDS_PER_MINUTE))


@router.get("/articles/{article_id}")
def article_page(
    request: Request,
    article_id: int = Path(ge=1, le=MAX_ID),
    viewer: User | None = Depends(reader_or_public),
):
    store = request.app.state.store
    sa = store.get_article(article_id)
    related_found = request.app.state.view_cache.related(store, sa)
    also_found = also_reported(store, sa)
    feeds = feed_map(request, [o.feed_id for o in [sa, *related_found, *also_found]])[0]
    item = make_items(store, [sa], feeds, viewer)[0]
    if viewer is not None and not item.read:
        store.set_read(viewer.id, [sa.id], True)  # opening an article reads it
        item.read = True
    body = (
        article_html(sa.article.html, sa.article.text, base_url=sa.article.url) if item.full else ""
    )
    related = make_items(store, related_found, feeds, None)
    also = make_items(store, also_found, feeds, None)
    return request.app.state.render(
        request,
        "article.html",
        {
            "it": item,
            "full": item.full and bool(body),
            "body_html": body,
            "minutes": reading_minutes(sa.article.text),
            "related": related,
            "also": also,
            "public": viewer is None,
        },
    )


# --- search ---------------------------------------------------------------------------------


def parse_day(value: str | None, name: str) -> date | None:
    value = clean(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise NewsdeskError(f"{name} must be a date like 2025-03-31, not {value[:40]!r}") from None


@router.get("/search")
def search_page(
    request: Request,
    q: str = Query("", max_length=500),
    feed: int | None = Query(None, ge=1, le=MAX_ID),
    since: str | None = Query(None, max_length=40),
    until: str | None = Query(None, max_length=40),
    lang: str | None = Query(None, max_length=35),
    page: int = Query(1, ge=1, le=MAX_SEARCH_PAGE),
    viewer: User | None = Depends(reader_or_public),
):
    settings: Settings = request.app.state.settings
    store = request.app.state.store
    query = q.strip()
    lang = clean(lang)
    since_day, until_day = parse_day(since, "From"), parse_day(until, "To")
    ordered = feed_map(request)[1]
    items: list[ItemView] = []
    more = False
    if query:
        hits = store.search(
            query,
            limit=SEARCH_LIMIT + 1,  # one more tells whether there is a next page
            snippet_limit=SEARCH_LIMIT,
            with_html=False,  # a list shows no body
            offset=(page - 1) * SEARCH_LIMIT,
            originals_only=not settings.show_duplicates,
            feed_id=feed,
            since=datetime.combine(since_day, time.min, UTC) if since_day else None,
            until=datetime.combine(until_day + timedelta(days=1), time.min, UTC)
            if until_day
            else None,
            language=lang,
        )
        more, hits = len(hits) > SEARCH_LIMIT, hits[:SEARCH_LIMIT]
        feeds = feed_map(request, [h[0].feed_id for h in hits])[0]
        items = make_items(store, [h[0] for h in hits], feeds, viewer, [h[1] for h in hits])
    params = {"q": query, "feed": feed, "since": since_day, "until": until_day, "lang": lang}
    feed_link = "/search.atom?" + urlencode({k: v for k, v in params.items() if v})
    next_url = None
    if more and page < MAX_SEARCH_PAGE:
        next_url = "/search?" + urlencode({**{k: v for k, v in params.items() if v},
                                            "page": page + 1})  # fmt: skip
    return request.app.state.render(
        request,
        "search.html",
        {
            "nav": "search",
            "query": query,
            "items": items,
            "first": (page - 1) * SEARCH_LIMIT + 1,
            "next_url": next_url,
            "feeds": ordered,
            "filters": {"feed": feed, "since": since_day, "until": until_day, "lang": lang},
            "feed_link": feed_link,
            "here": here_url(request),
            "public": viewer is None,
            "operator_block": operator_block(settings) if viewer is None else "",
            "operator_every": OPERATOR_EVERY,
        },
    )


# --- read / starred -------------------------------------------------------------------------


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def state_answer(request: Request, user: User, article_id: int, target: str) -> Response:
    if wants_json(request):
        read, starred = request.app.state.store.article_states(user.id, [article_id]).get(
            article_id, (False, False)
        )
        return JSONResponse({"id": article_id, "read": read, "starred": starred})
    return RedirectResponse(safe_next(target), status_code=303)


def flag(value: str) -> bool:
    if value not in ("0", "1"):
        raise NewsdeskError("value must be 1 (set) or 0 (clear)")
    return value == "1"


@router.post("/articles/{article_id}/star", dependencies=[Depends(csrf_protect)])
def star(
    request: Request,
    article_id: int = Path(ge=1, le=MAX_ID),
    value: str = Form("1", max_length=5),
    next: str = Form("/", max_length=2000),
    user: User = Depends(require_user),
):
    store = request.app.state.store
    store.get_article(article_id)  # 404 for an unknown id
    store.set_starred(user.id, [article_id], flag(value))
    return state_answer(request, user, article_id, next)


@router.post("/articles/{article_id}/read", dependencies=[Depends(csrf_protect)])
def mark_read(
    request: Request,
    article_id: int = Path(ge=1, le=MAX_ID),
    value: str = Form("1", max_length=5),
    next: str = Form("/", max_length=2000),
    user: User = Depends(require_user),
):
    store = request.app.state.store
    store.get_article(article_id)
    store.set_read(user.id, [article_id], flag(value))
    return state_answer(request, user, article_id, next)


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
            until = _aware(datetime.fromisoformat(upto.strip()))
        except ValueError:
            raise NewsdeskError(f"upto must be an ISO date and time, not {upto[:40]!r}") from None
    request.app.state.store.mark_all_read(
        user.id, feed_id=feed_id, folder=clean(folder), before=until
    )
    return RedirectResponse(safe_next(next), status_code=303)


# --- sources --------------------------------------------------------------------------------


@dataclass(slots=True)
class SourceRow:
    feed: Feed
    name: str
    icon: str | None
    per_day: str


def sources_context(store: Any) -> dict[str, Any]:
    feeds = sorted(
        store.list_feeds(), key=lambda f: ((f.folder or "").lower(), feed_name(f).lower())
    )
    week = datetime.now(UTC) - timedelta(days=7)
    counts = store.feed_article_counts(week)
    rows = []
    for feed in feeds:
        created = feed.created_at and _aware(feed.created_at)
        days = 7.0
        if created and created > week:
            days = max(1.0, (datetime.now(UTC) - created).total_seconds() / 86400)
        per_day = counts.get(feed.id, 0) / days
        rows.append(SourceRow(feed, feed_name(feed), feed_icon(feed), f"{per_day:.1f}"))
    folders = sorted({f.folder for f in feeds if f.folder}, key=str.lower)
    return {"nav": "sources", "rows": rows, "folders": folders}


def render_sources(request: Request, status: int = 200, **extra: Any) -> Response:
    context = sources_context(request.app.state.store)
    context.update(extra)
    return request.app.state.render(request, "sources.html", context, status_code=status)


@router.get("/sources")
def sources_page(
    request: Request,
    added: int | None = Query(None, ge=1, le=MAX_ID),
    user: User = Depends(require_user),
):
    flash = None
    if added is not None:
        try:
            name = feed_name(request.app.state.store.get_feed(added))
            flash = f"Added {name}. Its articles are on the way."
        except NotFoundError:
            flash = None
    return render_sources(request, flash=flash)


def fetch_new_feed(store: Any, settings: Settings, feed_id: int) -> None:
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

    store = request.app.state.store
    settings = request.app.state.settings
    if not url.strip():
        return render_sources(request, 400, error="Enter the address of a feed or a site.")
    try:
        feed, created = await subscribe_async(store, settings, url.strip(), clean(folder))
    except (FetchError, FeedError) as exc:
        return render_sources(request, 400, error=f"Could not add {url.strip()}: {exc}")
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
    store, settings = request.app.state.store, request.app.state.settings
    try:
        report = import_opml_bytes(store, settings, content)
    except OPMLError as exc:
        return render_sources(
            request, 400, error=f"Could not read {file.filename or 'the file'}: {exc}"
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
    request.app.state.store.update_feed(
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
    store = request.app.state.store
    store.get_feed(feed_id)
    store.delete_feed(feed_id)
    request.app.state.view_cache.forget_feeds()
    return RedirectResponse("/sources", status_code=303)
