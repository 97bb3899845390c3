"""What every page needs but rarely changes, kept per worker: the feed list, each article's
related stories, and listings and counts while the database stays as it was."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from time import monotonic as time_now
from typing import TYPE_CHECKING, Any

from fastapi import Request

from newsdesk.model import Feed, ReadingSettings, StoredArticle, User
from newsdesk.store import ArticleQuery
from newsdesk.web.kept import KeptWhileUnchanged
from newsdesk.web.state import get_store
from newsdesk.web.views import feed_name

if TYPE_CHECKING:
    from newsdesk.store import Store
    from newsdesk.store.related import RelatedStory
    from newsdesk.store.story_river import StoryItem


FeedMap = tuple[dict[int, Feed], list[Feed], list[str]]


def load_feed_map(store: Store) -> FeedMap:
    """Every feed by id (removed ones too: starred articles keep naming their origin), and the
    subscribed ones by name, and their folders."""
    every = store.list_feeds(with_removed=True)
    feeds = [f for f in every if f.removed_at is None]
    ordered = sorted(feeds, key=lambda f: feed_name(f).lower())
    folders = sorted({f.folder for f in feeds if f.folder}, key=str.lower)
    return {f.id: f for f in every}, ordered, folders


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
        self._related: OrderedDict[int, tuple[float, list[RelatedStory]]] = OrderedDict()
        self._kept = KeptWhileUnchanged(self.KEPT_SIZE)

    def kept(
        self, store: Store, key: Any, compute: Callable[[], Any], *, keep_none: bool = True
    ) -> Any:
        """compute(), kept under `key` while the database stays as it was (a None answer only
        if `keep_none`)."""
        return self._kept.get(store, key, compute, keep_none=keep_none)

    def listing(
        self, store: Store, query: ArticleQuery, *, limit: int, after: str | None
    ) -> list[StoredArticle]:
        """store.list_articles(query, ...), kept while the database stays as it was."""
        key = ("listing", query, limit, after)
        found = self.kept(store, key, lambda: store.list_articles(query, limit=limit, after=after))
        return list(found)

    def stories(
        self, store: Store, query: ArticleQuery, *, limit: int, after: str | None
    ) -> list[StoryItem]:
        """store.story_river(query, ...), kept while the database stays as it was."""
        key = ("stories", query, limit, after)
        found = self.kept(store, key, lambda: store.story_river(query, limit=limit, after=after))
        return list(found)

    def reading(self, store: Store, user_id: int) -> ReadingSettings:
        """store.reading_settings(user_id), kept while the database stays as it was."""
        return self.kept(store, ("reading", user_id), lambda: store.reading_settings(user_id))

    def feeds(self, store: Store, need: Iterable[int | None] = ()) -> FeedMap:
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

    def related_stories(self, store: Store, article_id: int) -> list[RelatedStory]:
        """store.related_stories(article_id), kept some minutes."""
        now = time_now()
        with self._lock:
            hit = self._related.get(article_id)
            if hit and now - hit[0] < self.RELATED_SECONDS:
                self._related.move_to_end(article_id)
                return hit[1]
        found = store.related_stories(article_id)
        with self._lock:
            self._related[article_id] = (now, found)
            while len(self._related) > self.RELATED_SIZE:
                self._related.popitem(last=False)
        return found


def feed_map(request: Request, need: Iterable[int | None] = ()) -> FeedMap:
    """The kept feed list, fresh enough to know every feed id in `need`."""
    return request.app.state.view_cache.feeds(get_store(request), need)


def reading_settings(request: Request, viewer: User | None) -> ReadingSettings:
    """The viewer's reading settings (a visitor's are the defaults)."""
    if viewer is None:
        return ReadingSettings()
    return request.app.state.view_cache.reading(get_store(request), viewer.id)
