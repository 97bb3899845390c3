"""Full-text search: FTS5 with bm25 on SQLite, a tsvector table with ts_rank on PostgreSQL, both
holding the same tokens (store.words) and asked the same plan (store.search_plan)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from newsdesk.model import StoredArticle
from newsdesk.store.articles import ArticlesMixin, row_to_stored, stored_select
from newsdesk.store.fts import reindex
from newsdesk.store.query import Query, parse
from newsdesk.store.rows import read_list_articles
from newsdesk.store.search_plan import (
    Plan,
    fts5_expression,
    hint,
    plan,
    tsquery_expression,
    tsquery_scoring,
)
from newsdesk.store.snippet import make_snippet
from newsdesk.store.tables import articles, feeds, user_article_state
from newsdesk.store.watch import WatchMixin

TITLE_WEIGHT = 10.0  # a hit in the headline counts as much as ten in the body
MAX_RESULTS = 200
FTS_TABLE = table("articles_fts", column("rowid"))
PG_FTS = table("articles_fts", column("rowid"), column("document"))
# ts_rank's weights of {D, C, B, A}: the body's tokens carry none (D), the title's A
PG_WEIGHTS = literal_column(f"'{{{1 / TITLE_WEIGHT}, 0, 0, 1.0}}'::float4[]")
LANGUAGES_SECONDS = 30.0  # how long the languages of the stored articles are kept (PostgreSQL)
# the languages of the stored articles, one index seek each
LANGUAGES = text(
    "WITH RECURSIVE found(language) AS (SELECT min(language) FROM articles UNION ALL "
    "SELECT (SELECT min(language) FROM articles WHERE language > found.language) FROM found "
    "WHERE found.language IS NOT NULL) SELECT language FROM found WHERE language IS NOT NULL"
)
FTS = literal_column("articles_fts")  # the table's own name is its hidden column in FTS5
# On SQLite a search ranks only the newest this many of its matches (by id, the order articles
# were stored): bm25 costs microseconds per match, and a common word matches most of the
# archive. Older matches are still found by narrower words or a date range.
RANK_WINDOW = 1000
RANK = func.bm25(FTS, TITLE_WEIGHT, 1.0, 0.0)  # title, body, language form
# A search without filters (the most common kind) sends its two statements straight to SQLite's
# driver, which keeps each prepared per connection: SQLAlchemy's connection, transaction and
# result steps cost about a fifth of the scoring itself. The index reads the newest matches in
# id order and scores only those. One transaction reads one snapshot.
SQLITE_SCORED = (
    f"SELECT rowid, bm25(articles_fts, {TITLE_WEIGHT}, 1.0, 0.0) AS score FROM articles_fts "
    "WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
)
# ...and SQLite sorts them (best first, the newest on a tie) and hands back their ids as one
# row of text: the driver lets go of Python's lock for each row it steps to, and a thread that
# waits to get it back while another request's thread runs Python waits up to the switch
# interval (5 ms) each time, so hundreds of rows made a search's time depend on what else ran
# in its process. An aggregate used as a window function adds the rows in the window's order.
SQLITE_RANKED = (
    "SELECT group_concat(rowid) OVER (ORDER BY score, rowid DESC ROWS BETWEEN UNBOUNDED "
    f"PRECEDING AND UNBOUNDED FOLLOWING) FROM ({SQLITE_SCORED}) LIMIT 1"
)
# the ids among some that a search leaves out, as one row of text too: copies (when only
# originals are wanted) and the articles of unsubscribed feeds that the reader has not starred
SQLITE_COPY = "duplicate_of IS NOT NULL"
SQLITE_UNSUBSCRIBED = (
    "feed_id IN (SELECT id FROM feeds WHERE removed_at IS NOT NULL) AND NOT EXISTS "
    "(SELECT 1 FROM user_article_state WHERE article_id = articles.id AND user_id = ? "
    "AND starred)"
)
SQLITE_LEFT_OUT_AMONG = "SELECT group_concat(id) FROM articles WHERE ({}) AND id IN ({})"
SQLITE_ANY_UNSUBSCRIBED = "SELECT 1 FROM feeds WHERE removed_at IS NOT NULL LIMIT 1"
FOUND_ROWS = stored_select().where(articles.c.id.in_(bindparam("ids", expanding=True)))
SCORE = itemgetter(1)  # of an (id, bm25) row
SNIPPET_CACHE_MAX_TEXT = 20_000  # longer texts are not kept for their snippets


class Rankings:
    """The result ids of recent SQLite searches, each with the data_version it was found at.

    Ranking is most of a search's cost and the same search is run again and again (the next
    page, the reader coming back, a feed reader polling a search feed); a kept ranking is used
    only while nothing in the database has changed since."""

    SIZE = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: OrderedDict[tuple[Any, ...], tuple[int, list[int]]] = OrderedDict()

    def get(self, key: tuple[Any, ...], version: int) -> list[int] | None:
        with self._lock:
            hit = self._found.get(key)
            if hit is None or hit[0] != version:
                return None
            self._found.move_to_end(key)
            return hit[1]

    def put(self, key: tuple[Any, ...], version: int, ids: list[int]) -> None:
        with self._lock:
            self._found[key] = (version, ids)
            while len(self._found) > self.SIZE:
                self._found.popitem(last=False)


@lru_cache(maxsize=1024)
def _kept_snippet(text: str, query: str, language: str | None) -> str:
    # a result's snippet depends only on its text, language and the query: the same search
    # shows the same snippets again
    return make_snippet(text, parsed_query(query), language)


@lru_cache(maxsize=256)
def parsed_query(query: str) -> Query:
    """parse(query), kept: each of a page's results needs it for its snippet. The same object
    is handed out again, so callers must not change it."""
    return parse(query)


def snippet_of(text: str, query: str, language: str | None = None) -> str:
    if len(text) > SNIPPET_CACHE_MAX_TEXT:
        return make_snippet(text, parsed_query(query), language)
    return _kept_snippet(text, query, language)


class SearchMixin(ArticlesMixin, WatchMixin):
    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        feed_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        language: str | None = None,
        originals_only: bool = False,
        offset: int = 0,
        snippets: bool = True,
        snippet_limit: int | None = None,
        with_html: bool = True,
        user_id: int | None = None,
    ) -> list[tuple[StoredArticle, str]]:
        """Best matches first, each with an HTML-safe snippet (<mark> around hits; "" when
        `snippets` is False, and after the first `snippet_limit` results: a page that asks for
        one result more than it shows, to know whether there is a next one, need not make its
        snippet). Any text is a valid query; one with no searchable word finds nothing.
        `with_html=False`: the articles come without their body's HTML (`article.html` is ""),
        read by a narrower statement, for a list that shows no body. The articles of an
        unsubscribed feed are not found, but those the reader `user_id` starred are, as in
        every list."""
        parsed = parsed_query(query)
        if not parsed:
            return []
        limit, offset = max(1, min(limit, MAX_RESULTS)), max(0, offset)
        narrowed = {"feed_id": feed_id, "since": since, "until": until, "language": language}
        key = (query, tuple(narrowed.values()), originals_only, limit, offset, user_id)
        version = self.data_version()
        ids = self._rankings.get(key, version) if version is not None else None
        if ids is None:
            ids = self._search_ids(parsed, narrowed, originals_only, limit, offset, user_id)
            if version is not None:
                self._rankings.put(key, version, ids)
        found = self._found_articles(ids, with_html)
        shown = len(found) if snippet_limit is None else max(0, snippet_limit)
        if not snippets:
            shown = 0
        return [
            (
                item,
                snippet_of(
                    item.article.text or item.article.description or "",
                    query,
                    item.article.language,
                ),
            )  # fmt: skip
            if number < shown
            else (item, "")
            for number, item in enumerate(found)
        ]

    def _found_articles(self, ids: list[int], with_html: bool) -> list[StoredArticle]:
        """The articles of `ids` in that order (any deleted since they were found left out)."""
        if not ids:
            return []
        if not with_html and self.dialect == "sqlite":
            with self._driver_read() as cursor:
                by_id = read_list_articles(cursor, ids)
        else:
            with self._read() as conn:
                rows = conn.execute(FOUND_ROWS, {"ids": ids}).all()
            by_id = {row.id: row_to_stored(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    @contextmanager
    def _driver_read(self) -> Iterator[Any]:
        """A cursor of SQLite's driver inside one read transaction (one snapshot). The driver
        keeps each statement prepared per connection: SQLAlchemy's connection, transaction and
        result steps cost about a fifth of a search's scoring."""
        driver = self.engine.raw_connection()
        try:
            cursor = driver.cursor()
            cursor.execute("BEGIN")
            try:
                yield cursor
            finally:
                cursor.execute("COMMIT")  # a read: nothing to keep or undo
        finally:
            driver.close()

    @property
    def _rankings(self) -> Rankings:
        rankings = self.__dict__.get("_search_rankings")
        if rankings is None:
            rankings = self.__dict__.setdefault("_search_rankings", Rankings())
        return rankings

    def _search_ids(
        self,
        parsed: Query,
        narrowed: dict[str, Any],
        originals_only: bool,
        limit: int,
        offset: int,
        user_id: int | None,
    ) -> list[int]:
        reader = user_id if user_id is not None else 0  # no user: nothing is starred
        language = narrowed["language"]
        found = plan(parsed, [language] if language is not None else self.search_languages())
        if self.dialect != "sqlite":
            with self._read() as conn:
                if any(value is not None for value in narrowed.values()):
                    kept = [*_filters(*narrowed.values(), originals_only), ~_unsubscribed(reader)]
                    return _postgres_ranked(conn, found, kept, limit, offset)
                # as on SQLite: the newest matches ranked from the index alone, then copies
                # and unsubscribed feeds' articles dropped from the best few
                ranked = _postgres_ranked(conn, found, [], RANK_WINDOW + offset, 0)
                tests = [_unsubscribed(reader)]
                if originals_only:
                    tests.append(articles.c.duplicate_of.is_not(None))

                def left_out(batch: list[int]) -> set[int]:
                    among = select(articles.c.id).where(articles.c.id.in_(batch), or_(*tests))
                    return set(conn.execute(among).scalars())

                return _kept(ranked, offset, limit, left_out)
        expression = fts5_expression(found)
        if expression is None:
            return []
        if not any(value is not None for value in narrowed.values()):
            with self._driver_read() as cursor:
                return _sqlite_ranked(cursor, expression, originals_only, reader, limit, offset)
        with self._read() as conn:
            return _sqlite_narrowed(conn, expression, narrowed, originals_only, reader,
                                    limit, offset)  # fmt: skip

    def search_languages(self) -> list[str | None]:
        """The languages of the stored articles (None for those without one), which a search
        without a language filter stems its words in. Kept while the database is unchanged
        (SQLite) or for LANGUAGES_SECONDS."""
        version = self.data_version()
        kept = self.__dict__.get("_search_languages")
        now = time.monotonic()
        if kept is not None and (
            kept[0] == version if version is not None else now - kept[1] < LANGUAGES_SECONDS
        ):
            return kept[2]
        with self._read() as conn:
            languages: list[str | None] = [None, *conn.execute(LANGUAGES).scalars()]
        self.__dict__["_search_languages"] = (version, now, languages)
        return languages

    def search_sql(self, query: str, limit: int = 20) -> tuple[str, tuple[Any, ...]] | None:
        """The statement (and its parameters) the database runs to rank an unfiltered search
        of `query`, for timing the database alone (benchmarks/search.py); None when nothing
        can match."""
        found = plan(parsed_query(query), self.search_languages())
        if self.dialect == "sqlite":
            expression = fts5_expression(found)
            return None if expression is None else (SQLITE_RANKED, (expression, RANK_WINDOW))
        statement = _postgres_statement(found, [], RANK_WINDOW, 0)
        if statement is None:
            return None
        compiled = statement.compile(self.engine, compile_kwargs={"literal_binds": True})
        return str(compiled), ()

    def search_hint(self, query: str, *, narrowed: bool = False) -> str:
        """What to try when `query` found nothing (one sentence to show): fewer words, no
        quotes, a prefix like pirat*, no filters (when `narrowed`)."""
        return hint(parsed_query(query), self.search_languages(), narrowed)

    def rebuild_search_index(self) -> int:
        """Index every article again (after a change to how text is indexed); returns how many.
        Runs in one transaction: searches see the old index until it is done."""
        with self._write() as conn:
            return reindex(conn)


def _postgres_ranked(
    conn: Connection, found: Plan, kept: list[ColumnElement[bool]], limit: int, offset: int
) -> list[int]:
    statement = _postgres_statement(found, kept, limit, offset)
    return [] if statement is None else list(conn.execute(statement).scalars())


def _postgres_statement(
    found: Plan, kept: list[ColumnElement[bool]], limit: int, offset: int
) -> Select[Any] | None:
    """Best first among the newest RANK_WINDOW matches that pass the tests `kept`, as on
    SQLite: the GIN index finds them, ts_rank scores only those. None: nothing can match."""
    expression, scoring = tsquery_expression(found), tsquery_scoring(found)
    if expression is None or scoring is None:
        return None
    document, rowid = PG_FTS.c.document, PG_FTS.c.rowid
    matches = document.op("@@", is_comparison=True)(cast(bindparam("q", expression), TSQUERY))
    source = PG_FTS.join(articles, articles.c.id == rowid) if kept else PG_FTS
    window = (
        select(rowid, document)
        .select_from(source)
        .where(matches, *kept)
        .order_by(rowid.desc())
        .limit(RANK_WINDOW + offset)
        .subquery()
    )
    rank = func.ts_rank(PG_WEIGHTS, window.c.document, cast(bindparam("s", scoring), TSQUERY))
    return (
        select(window.c.rowid)
        .order_by(rank.desc(), window.c.rowid.desc())
        .limit(limit)
        .offset(offset)
    )


def _best_first(scored: list[Any]) -> list[int]:
    """Ids of (id, bm25) rows given newest (highest id) first, best first (bm25 is lower for a
    better match), newest on a tie: Python's sort is stable, so sorting by the score alone keeps
    the newest first among equal scores, without a key tuple made for every match."""
    return [row[0] for row in sorted(scored, key=SCORE)]


def _unsubscribed(reader: int) -> ColumnElement[bool]:
    """An article of an unsubscribed feed that `reader` has not starred: no search finds it."""
    state = user_article_state.c
    removed = select(feeds.c.id).where(feeds.c.removed_at.is_not(None))
    starred = exists().where(
        state.article_id == articles.c.id, state.user_id == reader, state.starred.is_(True)
    )
    return articles.c.feed_id.in_(removed) & ~starred


def _sqlite_ranked(
    cursor: Any, expression: str, originals_only: bool, reader: int, limit: int, offset: int
) -> list[int]:
    """Best first among the newest RANK_WINDOW matches, found, scored and sorted inside the
    full-text index alone (a join would read every match's article row). Copies and the
    articles of unsubscribed feeds are dropped from the best few afterwards, looking further
    down when they were too many. `cursor`: the driver's."""
    found = cursor.execute(SQLITE_RANKED, (expression, RANK_WINDOW + offset)).fetchone()
    ranked = [int(article_id) for article_id in found[0].split(",")] if found else []
    wanted = offset + limit
    tests, values = ([SQLITE_COPY], []) if originals_only else ([], [])
    if cursor.execute(SQLITE_ANY_UNSUBSCRIBED).fetchone():
        tests.append(f"({SQLITE_UNSUBSCRIBED})")
        values.append(reader)
    if not tests:
        return ranked[offset:wanted]
    left_out = " OR ".join(tests)

    def dropped(batch: list[int]) -> set[int]:
        statement = SQLITE_LEFT_OUT_AMONG.format(left_out, ",".join("?" * len(batch)))
        listed = cursor.execute(statement, [*values, *batch]).fetchone()[0]
        return {int(article_id) for article_id in listed.split(",")} if listed else set()

    return _kept(ranked, offset, limit, dropped)


def _kept(
    ranked: list[int], offset: int, limit: int, dropped: Callable[[list[int]], set[int]]
) -> list[int]:
    """The page `offset`, `limit` of the ranked ids less those `dropped` says are left out,
    asked of the best few first and further down when they were too many."""
    wanted = offset + limit
    kept: list[int] = []
    start, size = 0, wanted + wanted // 2 + 5  # more when a third or more were left out
    while len(kept) < wanted and start < len(ranked):
        batch = ranked[start : start + size]
        left_out = dropped(batch)
        kept.extend(article_id for article_id in batch if article_id not in left_out)
        start, size = start + size, size * 4
    return kept[offset:wanted]


def _sqlite_narrowed(
    conn: Connection,
    expression: str,
    filters: dict[str, Any],
    originals_only: bool,
    reader: int,
    limit: int,
    offset: int,
) -> list[int]:
    """Best first among the newest RANK_WINDOW matches that pass the filters (source, dates,
    language). Source, dates and copies are sets of ids read from indexes, so no match's
    article row is read for them; the language is read from the row."""
    c, rowid = articles.c, FTS_TABLE.c.rowid
    # "+ 0": tested on the index's output; a bare rowid IN (...) would be handed to the index,
    # which then runs the whole search once for every id in the set
    tested = rowid + 0
    source: Any = FTS_TABLE
    conditions: list[ColumnElement[bool]] = [FTS.op("MATCH")(expression)]
    if filters["feed_id"] is not None:
        conditions.append(tested.in_(select(c.id).where(c.feed_id == filters["feed_id"])))
    if filters["since"] is not None or filters["until"] is not None:
        period = select(c.id)
        if filters["since"] is not None:
            period = period.where(c.sort_at >= filters["since"])
        if filters["until"] is not None:
            period = period.where(c.sort_at < filters["until"])
        span = period.with_only_columns(func.min(c.id), func.max(c.id))
        lowest, highest = conn.execute(span).one()
        if lowest is None:
            return []
        # the period's range of ids, which the index itself skips to; then the exact set
        conditions += [rowid >= lowest, rowid <= highest, tested.in_(period)]
    if filters["language"] is not None:
        source = FTS_TABLE.join(articles, c.id == rowid)
        conditions.append(c.language == filters["language"])
    if originals_only:
        conditions.append(tested.not_in(select(c.id).where(c.duplicate_of.is_not(None))))
    conditions.append(tested.not_in(select(c.id).where(_unsubscribed(reader))))
    scored = (
        select(rowid, RANK)
        .select_from(source)
        .where(*conditions)
        .order_by(rowid.desc())
        .limit(RANK_WINDOW + offset)
    )
    return _best_first(conn.execute(scored).all())[offset : offset + limit]


def _filters(
    feed_id: int | None,
    since: datetime | None,
    until: datetime | None,
    language: str | None,
    originals_only: bool,
) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if feed_id is not None:
        filters.append(articles.c.feed_id == feed_id)
    if since is not None:
        filters.append(articles.c.sort_at >= since)
    if until is not None:
        filters.append(articles.c.sort_at < until)
    if language is not None:
        filters.append(articles.c.language == language)
    if originals_only:
        filters.append(articles.c.duplicate_of.is_(None))
    return filters
