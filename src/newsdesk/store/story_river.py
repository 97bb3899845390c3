"""The river by story: one item per story (the coverage of one event), in the order of its
newest article that a listing shows, with the same filters as every article list.

    page = store.story_river(ArticleQuery(folder="World", user_id=me, read=False), limit=30)
    more = store.story_river(query, limit=30, after=page[-1].cursor)

It walks the one article query (newsdesk.store.listing) in reading order and keeps the first
article of each story it meets, so a filter (feed, folder, language, unread, starred, copies)
means exactly what it means in the article river: a story is listed when the article river
would list one of its articles, and its unread count is how many of those the reader has not
read, so both rivers hold the same unread articles. An article in no story (not matched yet) is
an item of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select, tuple_

from newsdesk.model import StoredArticle
from newsdesk.store.listing import ArticleQuery, ListingMixin, query_filter
from newsdesk.store.paging import decode_cursor, encode_cursor
from newsdesk.store.tables import articles, stories
from newsdesk.times import to_utc

WALK = 200  # articles read at a time at most while walking the listing
CHUNK = 500  # story ids in one IN (...) list


@dataclass(frozen=True, slots=True)
class StoryItem:
    """One item of the story river."""

    story_id: int | None  # None: an article in no story yet, an item of its own
    title: str  # the story's headline (its most central member's), else the lead's
    lead: StoredArticle  # its best article the listing shows: teaser and link come from it
    image: str | None  # the lead's image, else the first of the story's listed articles' images
    newest: datetime  # the time of its newest listed article
    articles: int  # articles in the story, copies included
    outlets: int
    unread: int  # the reader's unread articles of it that the listing shows (0 with no reader)
    article_ids: tuple[int, ...]  # its articles the listing shows, newest first
    cursor: str  # where the next page goes on (pass as `after`)


@dataclass(slots=True)
class _Found:
    article_id: int
    story_id: int | None
    at: datetime


class StoryRiverMixin(ListingMixin):
    def story_river(
        self,
        query: ArticleQuery,
        *,
        limit: int = 30,
        after: str | None = None,
        walk: int = WALK,
    ) -> list[StoryItem]:
        """One page of stories, each placed by its newest article `query` lists, going on
        after the cursor `after` (the last item's); a bad cursor raises CursorError. `walk`:
        how many articles are read at a time."""
        limit = max(1, min(limit, 200))
        found = self._walk(query, limit, after, max(1, walk))
        if not found:
            return []
        story_ids = [f.story_id for f in found if f.story_id is not None]
        return self._items(query, found, story_ids)

    def _walk(self, query: ArticleQuery, limit: int, after: str | None, walk: int) -> list[_Found]:
        """The first article of each story met walking the listing from `after`, `limit` of
        them; stories with an article before `after` were listed on an earlier page."""
        found: dict[int, _Found] = {}  # by story id, or minus the article id of a lone one
        earlier: set[int] = set()
        cursor = after
        # most stories have one listed article: a first step a little over `limit` is enough
        step = min(walk, limit + limit // 2 + 1)
        while len(found) < limit:
            places = self.article_places(query, limit=step, after=cursor)
            if after is not None:
                met = {story for _, story, _ in places if story is not None}
                earlier |= self._stories_listed_before(query, met - found.keys() - earlier, after)
            for article_id, story_id, at in places:
                key = story_id if story_id is not None else -article_id
                if key in found or key in earlier:
                    continue
                found[key] = _Found(article_id, story_id, at)
                if len(found) == limit:
                    break
            if len(places) < step:
                break
            last_id, _, last_at = places[-1]
            cursor = encode_cursor(last_at, last_id)
            step = min(walk, step * 2)
        return list(found.values())

    def _stories_listed_before(
        self, query: ArticleQuery, story_ids: set[int], after: str
    ) -> set[int]:
        """Those of `story_ids` with an article `query` lists before the cursor `after`."""
        if not story_ids:
            return set()
        conditions, values = query_filter(query)
        stamp, last_id = decode_cursor(after)
        statement = _listed_before_statement(conditions, query.oldest_first)
        values.update(stamp=stamp, last_id=last_id)
        listed: set[int] = set()
        with self._read() as conn:
            for chunk in _chunks(sorted(story_ids)):
                listed.update(conn.execute(statement, {**values, "ids": chunk}).scalars())
        return listed

    def _items(
        self, query: ArticleQuery, found: list[_Found], story_ids: list[int]
    ) -> list[StoryItem]:
        heads = self._story_heads(story_ids)
        # the lead and the counts come from what the listing shows of each story, read or not
        shown = query.with_(read=None, starred=None)
        members = self._listed_members(shown, story_ids)
        unread = self._unread_of(query, story_ids, [f.article_id for f in found])
        leads: dict[int, int] = {}
        images: dict[int, str | None] = {}
        for f in found:
            rows = members.get(f.story_id, []) if f.story_id is not None else []
            head = heads.get(f.story_id) if f.story_id is not None else None
            best = _best(rows, head[0] if head else None)
            leads[f.article_id] = best["id"] if best else f.article_id
            images[f.article_id] = _image(best, rows)
        stored = {sa.id: sa for sa in self.get_articles(list(leads.values()))}
        items = []
        for f in found:
            lead = stored.get(leads[f.article_id])
            if lead is None:  # removed meanwhile
                continue
            rows = members.get(f.story_id, []) if f.story_id is not None else []
            head = heads.get(f.story_id) if f.story_id is not None else None
            title, count, outlets = head if head else (lead.article.title or "", 1, 1)
            ids = tuple(row["id"] for row in rows) or (lead.id,)
            items.append(
                StoryItem(
                    story_id=f.story_id,
                    title=title or lead.article.title or lead.article.url,
                    lead=lead,
                    image=images[f.article_id] if f.story_id is not None else lead.article.image,
                    newest=f.at,
                    articles=count,
                    outlets=outlets,
                    unread=unread.get(f.story_id if f.story_id is not None else -f.article_id, 0),
                    article_ids=ids,
                    cursor=encode_cursor(f.at, f.article_id),
                )
            )
        return items

    def _story_heads(self, story_ids: Sequence[int]) -> dict[int, tuple[str, int, int]]:
        """{story id: (headline, articles, outlets)}."""
        statement = _HEADS
        heads: dict[int, tuple[str, int, int]] = {}
        with self._read() as conn:
            for chunk in _chunks(story_ids):
                for row in conn.execute(statement, {"ids": chunk}):
                    heads[row.id] = (row.title, row.article_count, row.outlet_count)
        return heads

    def _listed_members(
        self, query: ArticleQuery, story_ids: Sequence[int]
    ) -> dict[int, list[dict[str, Any]]]:
        """{story id: its articles `query` lists, newest first}: what picking a lead needs."""
        conditions, values = query_filter(query)
        statement = _members_statement(conditions)
        members: dict[int, list[dict[str, Any]]] = {}
        with self._read() as conn:
            for chunk in _chunks(story_ids):
                for row in conn.execute(statement, {**values, "ids": chunk}):
                    members.setdefault(row.story_id, []).append(dict(row._mapping))
        return members

    def _unread_of(
        self, query: ArticleQuery, story_ids: Sequence[int], article_ids: Sequence[int]
    ) -> dict[int, int]:
        """{story id, or minus a lone article's id: the reader's unread articles of it that
        `query` lists}; empty without a reader."""
        if query.user_id is None:
            return {}
        conditions, values = query_filter(query.with_(read=False))
        statement = _unread_statement(conditions)
        counts: dict[int, int] = {}
        with self._read() as conn:
            for chunk in _chunks(story_ids) or [[]]:
                chunk_values = {**values, "ids": chunk, "lone": list(article_ids)}
                for story_key, count in conn.execute(statement, chunk_values):
                    counts[story_key] = count
        return counts


# Statements built once (per shape of query: query_filter gives one conditions tuple per shape),
# as the article query's are: building a statement costs more than running it.
_HEADS = select(
    stories.c.id, stories.c.title, stories.c.article_count, stories.c.outlet_count
).where(stories.c.id.in_(bindparam("ids", expanding=True)))


@lru_cache(maxsize=256)
def _listed_before_statement(conditions: tuple[Any, ...], oldest_first: bool) -> Select[Any]:
    position = tuple_(articles.c.sort_at, articles.c.id)
    cursor = tuple_(bindparam("stamp", type_=articles.c.sort_at.type), bindparam("last_id"))
    # the article at the cursor itself was listed: it placed the last item
    before = position <= cursor if oldest_first else position >= cursor
    story = articles.c.story_id
    chosen = story.in_(bindparam("ids", expanding=True))
    return select(story).distinct().where(*conditions, before, chosen)


@lru_cache(maxsize=256)
def _members_statement(conditions: tuple[Any, ...]) -> Select[Any]:
    c = articles.c
    return (
        select(c.id, c.story_id, c.title, c.duplicate_of, c.image, c.sort_at)
        .where(*conditions, c.story_id.in_(bindparam("ids", expanding=True)))
        .order_by(c.sort_at.desc(), c.id.desc())
    )


@lru_cache(maxsize=256)
def _unread_statement(conditions: tuple[Any, ...]) -> Select[Any]:
    c = articles.c
    key = func.coalesce(c.story_id, -c.id)
    chosen = c.story_id.in_(bindparam("ids", expanding=True)) | (
        c.story_id.is_(None) & c.id.in_(bindparam("lone", expanding=True))
    )
    return select(key, func.count()).where(*conditions, chosen).group_by(key)


def _best(rows: list[dict[str, Any]], headline: str | None) -> dict[str, Any] | None:
    """The story's best listed article: the one whose headline the story took, an original
    before a copy, then the earliest (who reported first)."""
    if not rows:
        return None
    return min(
        rows,
        key=lambda r: (
            r["title"] != headline,
            r["duplicate_of"] is not None,
            to_utc(r["sort_at"]),
            r["id"],
        ),
    )


def _image(best: dict[str, Any] | None, rows: list[dict[str, Any]]) -> str | None:
    if best is not None and best["image"]:
        return best["image"]
    return next((r["image"] for r in reversed(rows) if r["image"]), None)


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    every = list(ids)
    return [every[start : start + CHUNK] for start in range(0, len(every), CHUNK)]
