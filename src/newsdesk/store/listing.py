"""The one article query: which articles a list shows, in which order, page by page.

Every interface lists through it (the reader's river, the JSON API, the Google Reader API,
Fever, the output feeds), so they all give the same answer for the same filter, and every
filter runs in SQL.

    store.list_articles(folder="World", user_id=me, read=False, limit=50)
    store.list_articles(ArticleQuery(starred=True, user_id=me, oldest_first=True), after=cursor)
    store.article_ids(user_id=me, read=False)        # the same query, ids only

Reading order is (sort_at, id), newest first unless `oldest_first`; `by_id` orders by id, the
order articles were stored, for clients that page by id (Fever); `by_fetch` by (fetched_at, id),
when newsdesk got them, for clients that sync by crawl time (Google Reader). A page goes on
from the cursor of the previous page's last article (newsdesk.store.cursor_of / next_cursor;
cursor_of(item, crawl_order=True) in crawl order), in either order.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, select, tuple_

from newsdesk.model import StoredArticle
from newsdesk.store.articles import row_to_stored, stored_select
from newsdesk.store.base import StoreBase
from newsdesk.store.paging import decode_cursor
from newsdesk.store.tables import articles, feeds, user_article_state
from newsdesk.times import to_utc

MAX_PAGE = 1000  # articles in one page at most
MAX_IDS = 50000  # ids in one article_ids answer at most


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Which articles, in which order. None (or False) leaves a filter out.

    `read` and `starred` are about the reader `user_id`: read=False lists what they have not
    read, starred=True what they starred (without a user every article is unread and not
    starred). `since` is inclusive, `until` exclusive, both on the reading-order time;
    `fetched_from` and `fetched_to` bound (both inclusive) when newsdesk got the article, as
    sync clients ask ("what came since my last sync", whatever its publish time).
    `above_id` / `below_id` bound the ids (exclusive), as Fever's since_id and max_id do.
    Hashable: a listing's answer can be kept under its query.
    """

    feed_id: int | None = None
    folder: str | None = None
    unfiled: bool = False  # the feeds in no folder: alone, or beside `folder`'s
    language: str | None = None
    story_id: int | None = None
    copies_of: int | None = None  # only the copies of this original
    since: datetime | None = None
    until: datetime | None = None
    fetched_from: datetime | None = None
    fetched_to: datetime | None = None
    above_id: int | None = None
    below_id: int | None = None
    originals_only: bool = False  # leave out copies of other articles
    user_id: int | None = None
    read: bool | None = None
    starred: bool | None = None
    oldest_first: bool = False
    by_id: bool = False
    by_fetch: bool = False  # crawl order: when newsdesk got them (fetched_at, id)

    def with_(self, **changes: Any) -> ArticleQuery:
        return replace(self, **changes)


# the filters whose value goes into the statement as a bound parameter
_VALUED = (
    "feed_id", "folder", "language", "story_id", "copies_of", "since", "until", "fetched_from",
    "fetched_to", "above_id", "below_id",
)  # fmt: skip
_MOMENTS = ("since", "until", "fetched_from", "fetched_to")
_FLAGS = tuple(f.name for f in fields(ArticleQuery) if f.name not in (*_VALUED, "user_id"))


# what a statement selects: whole articles, their ids, or where each sits and in which story
# (the story river's walk, newsdesk.store.story_river)
ROWS, IDS, PLACES = "rows", "ids", "places"
_PLACE_COLUMNS = (articles.c.id, articles.c.story_id, articles.c.sort_at)


def _shape(query: ArticleQuery, paged: bool, selects: str) -> tuple[Any, ...]:
    present = tuple(name for name in _VALUED if getattr(query, name) is not None)
    return present, tuple(getattr(query, name) for name in _FLAGS), paged, selects


@lru_cache(maxsize=512)
def _conditions(present: tuple[str, ...], flags: tuple[Any, ...]) -> tuple[Any, ...]:
    """The WHERE conditions of one shape of query, its values as bound parameters."""
    flag = dict(zip(_FLAGS, flags, strict=True))
    c = articles.c
    found: list[Any] = []
    if "feed_id" in present:
        found.append(c.feed_id == bindparam("feed_id"))
    filed = feeds.c.folder == bindparam("folder") if "folder" in present else None
    if flag["unfiled"]:
        filed = feeds.c.folder.is_(None) if filed is None else filed | feeds.c.folder.is_(None)
    if filed is not None:
        found.append(c.feed_id.in_(select(feeds.c.id).where(filed)))
    if "language" in present:
        found.append(c.language == bindparam("language"))
    if "story_id" in present:
        found.append(c.story_id == bindparam("story_id"))
    if "copies_of" in present:
        found.append(c.duplicate_of == bindparam("copies_of"))
    if "since" in present:
        found.append(c.sort_at >= bindparam("since", type_=c.sort_at.type))
    if "until" in present:
        found.append(c.sort_at < bindparam("until", type_=c.sort_at.type))
    if "fetched_from" in present:
        found.append(c.fetched_at >= bindparam("fetched_from", type_=c.fetched_at.type))
    if "fetched_to" in present:
        found.append(c.fetched_at <= bindparam("fetched_to", type_=c.fetched_at.type))
    if "above_id" in present:
        found.append(c.id > bindparam("above_id"))
    if "below_id" in present:
        found.append(c.id < bindparam("below_id"))
    if not flag["starred"]:
        # an unsubscribed feed's articles leave every list but the starred ones
        removed = select(feeds.c.id).where(feeds.c.removed_at.is_not(None))
        found.append(func.coalesce(c.feed_id, 0).not_in(removed))
    if flag["originals_only"]:
        # wrapped in coalesce so SQLite walks the (sort_at, id) index instead of picking the
        # unselective duplicate_of index and sorting the whole table
        found.append(func.coalesce(c.duplicate_of, 0) == 0)
    # an alias, so a statement on the state table itself (mark_all_read) never correlates to it
    state = user_article_state.alias("marks").c
    mine = (state.user_id == bindparam("reader")) & (state.article_id == c.id)
    for mark in ("read", "starred"):
        wanted = flag[mark]
        if wanted is not None:
            marked = exists().where(mine, getattr(state, mark).is_(True))
            found.append(marked if wanted else ~marked)
    return tuple(found)


@lru_cache(maxsize=512)
def _statement(
    present: tuple[str, ...], flags: tuple[Any, ...], paged: bool, selects: str
) -> Select[Any]:
    """The statement for one shape of query, its values as bound parameters: built once per
    shape (building a statement costs more than running it)."""
    flag = dict(zip(_FLAGS, flags, strict=True))
    c = articles.c
    chosen = {
        ROWS: stored_select,
        IDS: lambda: select(c.id),
        PLACES: lambda: select(*_PLACE_COLUMNS),
    }
    query = chosen[selects]().where(*_conditions(present, flags))
    oldest_first = flag["oldest_first"]
    if flag["by_id"]:
        if paged:
            after = bindparam("last_id")
            query = query.where(c.id > after if oldest_first else c.id < after)
        order = [c.id.asc() if oldest_first else c.id.desc()]
    else:
        moment = c.fetched_at if flag["by_fetch"] else c.sort_at
        if paged:
            position = tuple_(moment, c.id)
            after = tuple_(bindparam("stamp", type_=moment.type), bindparam("last_id"))
            query = query.where(position > after if oldest_first else position < after)
        order = [moment.asc(), c.id.asc()] if oldest_first else [moment.desc(), c.id.desc()]
    return query.order_by(*order).limit(bindparam("limit"))


def query_filter(query: ArticleQuery) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The query's conditions on the articles table and their values, for a statement of its
    own (marking everything a listing shows as read, say)."""
    present, flags, _, _ = _shape(query, False, IDS)
    return _conditions(present, flags), _values(query)


def _values(query: ArticleQuery) -> dict[str, Any]:
    values = {name: getattr(query, name) for name in _VALUED}
    for name in _MOMENTS:
        if values[name] is not None:
            values[name] = to_utc(values[name])
    values["reader"] = query.user_id  # not "user_id": a column of the state table
    return values


def _query(query: ArticleQuery | None, filters: dict[str, Any]) -> ArticleQuery:
    """The query, or ArticleQuery(**filters), with `filters` changed."""
    if query is None:
        return ArticleQuery(**filters)
    return query.with_(**filters) if filters else query


def _run(
    query: ArticleQuery, after: str | None, limit: int, selects: str
) -> tuple[Select[Any], dict[str, Any]]:
    """The statement and its values; a bad cursor raises CursorError."""
    values = _values(query)
    values["limit"] = limit
    if after:
        values["stamp"], values["last_id"] = decode_cursor(after)
    return _statement(*_shape(query, bool(after), selects)), values


class ListingMixin(StoreBase):
    def list_articles(
        self,
        query: ArticleQuery | None = None,
        *,
        limit: int = 50,
        after: str | None = None,
        **filters: Any,
    ) -> list[StoredArticle]:
        """One page of the query's articles (or of ArticleQuery(**filters)), in its order,
        going on after the cursor `after` (the last article of the previous page)."""
        statement, values = _run(_query(query, filters), after, max(1, min(limit, MAX_PAGE)), ROWS)
        with self._read() as conn:
            return [row_to_stored(row) for row in conn.execute(statement, values)]

    def article_ids(
        self,
        query: ArticleQuery | None = None,
        *,
        limit: int = MAX_IDS,
        after: str | None = None,
        **filters: Any,
    ) -> list[int]:
        """The ids list_articles would list, in its order, without reading the articles."""
        statement, values = _run(_query(query, filters), after, max(1, min(limit, MAX_IDS)), IDS)
        with self._read() as conn:
            return list(conn.execute(statement, values).scalars())

    def article_places(
        self, query: ArticleQuery, *, limit: int, after: str | None = None
    ) -> list[tuple[int, int | None, datetime]]:
        """(id, story id, reading-order time) of the articles list_articles would list, in its
        order: where each sits and in which story, without reading the articles."""
        statement, values = _run(query, after, max(1, min(limit, MAX_PAGE)), PLACES)
        with self._read() as conn:
            return [(row[0], row[1], to_utc(row[2])) for row in conn.execute(statement, values)]

    def count_listed(self, query: ArticleQuery | None = None, **filters: Any) -> int:
        """How many articles the query lists in all (Fever's total_items, say): the same
        conditions as list_articles, counted."""
        conditions, values = query_filter(_query(query, filters))
        statement = select(func.count()).select_from(articles).where(*conditions)
        with self._read() as conn:
            return conn.execute(statement, values).scalar_one()
