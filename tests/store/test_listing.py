"""The one article query against a plain Python reference over every row: each filter
combination, in both orders and by id, paged with cursors, on a real SQLite file and on the
PostgreSQL server of 127.0.0.1:5432 (database `test`, a schema of its own)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.store import ArticleQuery, Store, cursor_of, next_cursor
from newsdesk.store.articles import NewArticle
from newsdesk.store.tables import articles, feeds, stories, user_article_state
from tests.store.postgres import postgres_schema

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
# few distinct times, so many articles share one and ties are broken by id
TIMES = [NOW - timedelta(hours=h) for h in (0, 1, 1, 2, 5, 30)]


@dataclass(frozen=True)
class Row:
    id: int
    feed_id: int | None
    folder: str | None
    language: str | None
    story_id: int | None
    sort_at: datetime
    duplicate_of: int | None


@dataclass
class Archive:
    store: Store
    rows: list[Row]
    marks: dict[tuple[int, int], tuple[bool, bool]]  # (user, article): (read, starred)
    feed_ids: list[int]
    story_ids: list[int]
    user_ids: list[int]


def seed(store: Store) -> Archive:
    rng = random.Random(15)
    world, _ = store.add_feed("https://w.example/feed", folder="World")
    more, _ = store.add_feed("https://m.example/feed", folder="World")
    sport, _ = store.add_feed("https://s.example/feed", folder="Sport")
    plain, _ = store.add_feed("https://p.example/feed")
    feed_ids = [world.id, more.id, sport.id, plain.id]
    items = []
    for number in range(70):
        published = rng.choice([*TIMES, None, NOW + timedelta(days=1)])  # unknown, or future
        article = Article(
            url=f"https://a.example/{number}",
            title=f"Article {number}",
            published=published,
            language=rng.choice(["en", "fr", None]),
            text="Text.",
        )
        feed_id = rng.choice([*feed_ids, None])
        fetched = rng.choice(TIMES)
        items.append(NewArticle(article, feed_id=feed_id, fetched_at=fetched))
    ids = [article_id for article_id, _ in store.save_articles(items)]
    with store.engine.begin() as conn:
        story_ids = [
            conn.execute(
                stories.insert().values(title=f"Story {n}", first_seen=NOW, last_seen=NOW)
            ).inserted_primary_key[0]
            for n in range(2)
        ]
        for article_id in ids:
            story = rng.choice([*story_ids, None, None])
            original = rng.choice([i for i in ids if i < article_id] or [None])
            copy = original if rng.random() < 0.25 else None
            conn.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(story_id=story, duplicate_of=copy)
            )
    users = [store.create_user("alice", "h1").id, store.create_user("bob", "h2").id]
    for user_id in users:
        store.set_read(user_id, rng.sample(ids, 30))
        store.set_starred(user_id, rng.sample(ids, 15))
        store.set_read(user_id, rng.sample(ids, 5), False)  # a row that says unread
    with store.engine.connect() as conn:
        folders = dict(conn.execute(select(feeds.c.id, feeds.c.folder)).all())
        rows = [
            Row(r.id, r.feed_id, folders.get(r.feed_id), r.language, r.story_id,
                r.sort_at, r.duplicate_of)
            for r in conn.execute(select(articles))
        ]  # fmt: skip
        state = user_article_state.c
        marks = {
            (r.user_id, r.article_id): (r.read, r.starred)
            for r in conn.execute(select(state.user_id, state.article_id, state.read,
                                         state.starred))
        }  # fmt: skip
    return Archive(store, rows, marks, feed_ids, story_ids, users)


def reference(archive: Archive, q: ArticleQuery) -> list[int]:
    """What the query must list, filtered and sorted in Python over every row."""

    def keep(row: Row) -> bool:
        read, starred = archive.marks.get((q.user_id, row.id), (False, False))
        return all((
            q.feed_id is None or row.feed_id == q.feed_id,
            q.folder is None or row.folder == q.folder,
            q.language is None or row.language == q.language,
            q.story_id is None or row.story_id == q.story_id,
            q.copies_of is None or row.duplicate_of == q.copies_of,
            q.since is None or row.sort_at >= q.since,
            q.until is None or row.sort_at < q.until,
            q.above_id is None or row.id > q.above_id,
            q.below_id is None or row.id < q.below_id,
            not q.originals_only or row.duplicate_of is None,
            q.read is None or read == q.read,
            q.starred is None or starred == q.starred,
        ))  # fmt: skip

    def key(row: Row) -> Any:
        return row.id if q.by_id else (row.sort_at, row.id)

    kept = sorted(filter(keep, archive.rows), key=key, reverse=not q.oldest_first)
    return [row.id for row in kept]


def every_page(store: Store, query: ArticleQuery, limit: int) -> list[int]:
    listed: list[int] = []
    cursor = None
    for _ in range(200):
        page = store.list_articles(query, limit=limit, after=cursor)
        listed += [item.id for item in page]
        if len(page) < limit:
            return listed
        cursor = next_cursor(page)
    raise AssertionError("paging never ended")


def queries(archive: Archive) -> st.SearchStrategy[ArticleQuery]:
    times = [*TIMES, NOW + timedelta(days=1), NOW - timedelta(minutes=30)]
    top = max(row.id for row in archive.rows)

    def maybe(values: list[Any]) -> st.SearchStrategy[Any]:
        return st.none() | st.sampled_from(values)

    return st.builds(
        ArticleQuery,
        feed_id=maybe([*archive.feed_ids, 9999]),
        folder=maybe(["World", "Sport", "Nowhere"]),
        language=maybe(["en", "fr", "de"]),
        story_id=maybe(archive.story_ids),
        copies_of=maybe([row.duplicate_of or row.id for row in archive.rows]),
        since=maybe(times),
        until=maybe(times),
        above_id=st.none() | st.integers(0, top),
        below_id=st.none() | st.integers(1, top + 1),
        originals_only=st.booleans(),
        user_id=maybe(archive.user_ids),
        read=st.none() | st.booleans(),
        starred=st.none() | st.booleans(),
        oldest_first=st.booleans(),
        by_id=st.booleans(),
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(
    request: pytest.FixtureRequest, migrated_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Archive]:
    if request.param == "sqlite":
        data_dir = tmp_path_factory.mktemp("listing")
        shutil.copyfile(migrated_db, data_dir / "newsdesk.db")
        store = Store.open(Settings(data_dir=data_dir))
        yield seed(store)
        store.close()
        return
    with postgres_schema() as url:
        store = Store(url)
        store.migrate()
        yield seed(store)
        store.close()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), limit=st.integers(1, 9))
def test_every_filter_in_either_order_pages_as_the_reference(
    archive: Archive, data: st.DataObject, limit: int
) -> None:
    query = data.draw(queries(archive))
    expected = reference(archive, query)
    assert every_page(archive.store, query, limit) == expected
    assert archive.store.article_ids(query) == expected
    assert archive.store.article_ids(query, limit=limit) == expected[:limit]


def test_the_archive_covers_every_filter(archive: Archive) -> None:
    """The reference test means something only if each filter both keeps and drops rows."""
    rows = archive.rows
    assert {row.folder for row in rows} >= {"World", "Sport", None}
    assert any(row.feed_id is None for row in rows)
    assert {row.story_id for row in rows} >= {*archive.story_ids, None}
    assert 5 < sum(row.duplicate_of is not None for row in rows) < 40
    assert len({row.sort_at for row in rows}) < len(rows) / 3  # many ties
    marks = list(archive.marks.values())
    assert {read for read, _ in marks} == {True, False} == {starred for _, starred in marks}


def test_filters_as_keywords_or_as_a_query(archive: Archive) -> None:
    store = archive.store
    query = ArticleQuery(folder="World", user_id=archive.user_ids[0], read=False)
    listed = [item.id for item in store.list_articles(query, limit=100)]
    assert listed == [item.id for item in store.list_articles(limit=100, **_fields(query))]
    assert listed == reference(archive, query)
    older = [item.id for item in store.list_articles(query, limit=100, oldest_first=True)]
    assert older == listed[::-1]


def _fields(query: ArticleQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in ArticleQuery.__dataclass_fields__}


def test_mark_all_read_marks_what_the_listing_shows(archive: Archive) -> None:
    """Last in this file: it changes the marks the tests above read."""
    store, reader = archive.store, archive.user_ids[1]
    shown = ArticleQuery(folder="World", starred=True, user_id=reader)
    before = TIMES[2]
    target = {i for i in reference(archive, shown) if _row(archive, i).sort_at <= before}
    unread = reference(archive, ArticleQuery(user_id=reader, read=False))
    assert store.mark_all_read(reader, folder="World", starred=True, before=before) == len(
        target & set(unread)
    )
    assert store.article_ids(user_id=reader, read=False) == [i for i in unread if i not in target]
    assert store.mark_all_read(reader, folder="World", starred=True, before=before) == 0


def _row(archive: Archive, article_id: int) -> Row:
    return next(row for row in archive.rows if row.id == article_id)


def test_crawl_order_lists_by_when_newsdesk_got_them(either_store: Store) -> None:
    """by_fetch: newest got first (a late item published long ago before older ones got
    earlier), ties by id, paged by cursor_of(..., crawl_order=True) both ways."""
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    got = {"a": now - timedelta(hours=3), "b": now - timedelta(hours=1),
           "c": now - timedelta(hours=2), "d": now - timedelta(hours=1)}  # fmt: skip
    ids = {}
    for name, moment in got.items():
        published = now - timedelta(days=30) if name == "b" else moment
        ids[name], _ = either_store.save_article(
            Article(url=f"https://n.example/{name}", title=name, published=published),
            fetched_at=moment,
        )
    newest_got = [ids["d"], ids["b"], ids["c"], ids["a"]]
    query = ArticleQuery(by_fetch=True)
    assert [s.id for s in either_store.list_articles(query)] == newest_got
    reading = [s.id for s in either_store.list_articles(ArticleQuery())]
    assert reading.index(ids["b"]) == 3  # published a month ago: last in reading order
    paged: list[int] = []
    after = None
    while True:
        page = either_store.list_articles(query, limit=1, after=after)
        if not page:
            break
        paged.append(page[0].id)
        after = cursor_of(page[0], crawl_order=True)
    assert paged == newest_got
    oldest = query.with_(oldest_first=True)
    first = either_store.list_articles(oldest, limit=2)
    rest = either_store.list_articles(oldest, after=cursor_of(first[-1], crawl_order=True))
    assert [s.id for s in first + rest] == newest_got[::-1]
