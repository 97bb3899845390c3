"""Full-text search: FTS5 with bm25 on SQLite, text search expressions on PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    func,
    literal_column,
    not_,
    or_,
    select,
    table,
)

from newsdesk.model import StoredArticle
from newsdesk.store.articles import ArticlesMixin
from newsdesk.store.fts import index_article
from newsdesk.store.query import SEGMENTED, Query, Term, fts5_match, parse
from newsdesk.store.snippet import make_snippet
from newsdesk.store.tables import articles

TITLE_WEIGHT = 10.0  # a hit in the headline counts as much as ten in the body
MAX_RESULTS = 200
FTS_TABLE = table("articles_fts", column("rowid"))
FTS = literal_column("articles_fts")  # the table's own name is its hidden column in FTS5


class SearchMixin(ArticlesMixin):
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
    ) -> list[tuple[StoredArticle, str]]:
        """Best matches first, each with an HTML-safe snippet (<mark> around hits).
        Any text is a valid query; one with no searchable word finds nothing."""
        parsed = parse(query)
        if not parsed:
            return []
        if self.dialect == "sqlite":
            ranked = self._sqlite_ranked(parsed)
        else:
            ranked = self._postgres_ranked(parsed)
        if ranked is None:
            return []
        filters = _filters(feed_id, since, until, language, originals_only)
        ranked = ranked.where(*filters).limit(max(1, min(limit, MAX_RESULTS)))
        ranked = ranked.offset(max(0, offset))
        with self._read() as conn:
            ids = list(conn.execute(ranked).scalars())
        return [
            (item, make_snippet(item.article.text or item.article.description or "", parsed))
            for item in self.get_articles(ids)
        ]

    def rebuild_search_index(self) -> int:
        """Index every article again (after a change to how text is indexed); returns how many.
        Runs in one transaction: searches see the old index until it is done."""
        if self.dialect != "sqlite":
            return 0  # PostgreSQL's expression index follows the table by itself
        columns = (articles.c.id, articles.c.title, articles.c.text, articles.c.description)
        count = 0
        with self._write() as conn:
            conn.exec_driver_sql("DELETE FROM articles_fts")
            last = 0
            while True:
                batch = conn.execute(
                    select(*columns).where(articles.c.id > last).order_by(articles.c.id).limit(500)
                ).all()
                if not batch:
                    return count
                for row in batch:
                    index_article(conn, row.id, row.title, row.text or row.description or "")
                count += len(batch)
                last = batch[-1].id

    @staticmethod
    def _sqlite_ranked(parsed: Query) -> Select[Any] | None:
        expression = fts5_match(parsed)
        if expression is None:
            return None
        rank = func.bm25(FTS, TITLE_WEIGHT, 1.0)
        return (
            select(articles.c.id)
            .select_from(articles.join(FTS_TABLE, FTS_TABLE.c.rowid == articles.c.id))
            .where(FTS.op("MATCH")(expression))
            .order_by(rank, articles.c.id.desc())
        )

    @staticmethod
    def _postgres_ranked(parsed: Query) -> Select[Any]:
        title = func.coalesce(articles.c.title, "")
        body = func.coalesce(articles.c.text, "")
        # the same expression as the GIN index of migration 0001, so the index is used
        document = func.to_tsvector("simple", title + " " + body)
        weighted = func.setweight(func.to_tsvector("simple", title), "A").op("||")(
            func.setweight(func.to_tsvector("simple", body), "B")
        )

        def matches(term: Term) -> ColumnElement[bool]:
            if SEGMENTED.search(term.text):  # no word breaks to search by: substring match
                pattern = (
                    "%"
                    + term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                    + "%"
                )
                return or_(title.ilike(pattern, escape="\\"), body.ilike(pattern, escape="\\"))
            return document.op("@@", is_comparison=True)(func.phraseto_tsquery("simple", term.text))

        condition = and_(*(or_(*map(matches, group)) for group in parsed.groups))
        if parsed.excluded:
            condition = and_(condition, not_(or_(*map(matches, parsed.excluded))))
        words = " ".join(term.text for term in parsed.terms)
        rank = func.ts_rank(weighted, func.plainto_tsquery("simple", words))
        return select(articles.c.id).where(condition).order_by(rank.desc(), articles.c.id.desc())


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
