"""Stories (the coverage of one event) and duplicate links between articles.

The matching step decides; these only record its decisions and keep the counts right.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, func, insert, select, update

from newsdesk.errors import NotFoundError
from newsdesk.model import Article, Story
from newsdesk.store.articles import article_keys
from newsdesk.store.base import StoreBase
from newsdesk.store.story_ids import redirect_story
from newsdesk.store.tables import articles, stories, story_outlets


def _outlet(site_name: str | None, key: str) -> str:
    return site_name or key.split("/", 1)[0]


def outlet_of(article: Article) -> str:
    """The outlet an article is counted under in its story: its site's name, else its host."""
    return _outlet(article.site_name, article_keys(article)[0])


# one join's statements, built once: building them costs more than running them
_THIS_OUTLET = (story_outlets.c.story_id == bindparam("story")) & (
    story_outlets.c.outlet == bindparam("the_outlet")
)
_OUTLET_ONE_MORE = (
    update(story_outlets).where(_THIS_OUTLET).values(articles=story_outlets.c.articles + 1)
)
_OUTLET_FIRST = insert(story_outlets).values(
    story_id=bindparam("story"), outlet=bindparam("the_outlet"), articles=1
)
_AT = bindparam("at", type_=stories.c.first_seen.type)
_STORY_ONE_MORE = (
    update(stories)
    .where(stories.c.id == bindparam("story"))
    .values(
        article_count=stories.c.article_count + 1,
        outlet_count=stories.c.outlet_count + bindparam("new_outlets"),
        first_seen=case((stories.c.first_seen > _AT, _AT), else_=stories.c.first_seen),
        last_seen=case((stories.c.last_seen < _AT, _AT), else_=stories.c.last_seen),
    )
)
_STORY_ONE_MORE_TITLED = _STORY_ONE_MORE.values(title=bindparam("new_title"))
_INSERT_STORY = insert(stories)


class StoriesMixin(StoreBase):
    def create_story(
        self, title: str, *, first_seen: datetime, last_seen: datetime | None = None
    ) -> int:
        with self._write() as conn:
            return self._insert_story(conn, title, first_seen=first_seen, last_seen=last_seen)

    @staticmethod
    def _insert_story(
        conn: Connection, title: str, *, first_seen: datetime, last_seen: datetime | None = None
    ) -> int:
        values: dict[str, Any] = dict(
            title=title, first_seen=first_seen, last_seen=last_seen or first_seen
        )
        # a new id above every story and old id: AUTOINCREMENT on SQLite (0008), a sequence on
        # PostgreSQL, so an old id never names another story
        return conn.execute(_INSERT_STORY, values).inserted_primary_key[0]

    def get_story(self, story_id: int) -> Story:
        with self._read() as conn:
            row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
            if row is None:
                raise NotFoundError(f"no story with id {story_id}")
            members = conn.execute(
                select(articles.c.id, articles.c.site_name, articles.c.url_key)
                .where(articles.c.story_id == story_id)
                .order_by(articles.c.sort_at, articles.c.id)
            ).all()
        outlets = list(dict.fromkeys(_outlet(m.site_name, m.url_key) for m in members))
        return Story(
            id=row.id,
            title=row.title,
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            article_ids=[m.id for m in members],
            outlets=outlets,
        )

    def list_stories(
        self, *, since: datetime | None = None, limit: int = 50, before: int | None = None
    ) -> list[Story]:
        """Stories most recently added to first; `before`: those listed after that story (the
        last of the previous page)."""
        query = select(stories.c.id).order_by(stories.c.last_seen.desc(), stories.c.id.desc())
        if since is not None:
            query = query.where(stories.c.last_seen >= since)
        with self._read() as conn:
            if before is not None:
                last = conn.execute(
                    select(stories.c.last_seen).where(stories.c.id == before)
                ).scalar()
                if last is None:
                    raise NotFoundError(f"no story with id {before}")
                seen = stories.c.last_seen
                query = query.where((seen < last) | ((seen == last) & (stories.c.id < before)))
            ids = list(conn.execute(query.limit(limit)).scalars())
        return [self.get_story(story_id) for story_id in ids]

    @staticmethod
    def _article_value(conn: Connection, article_id: int, column: Any) -> Any:
        row = conn.execute(select(column).where(articles.c.id == article_id)).first()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return row[0]

    @staticmethod
    def _outlet_expression(conn: Connection) -> Any:
        """The outlet in SQL, as _outlet() names it: the site's name, else the URL key's host."""
        key = articles.c.url_key
        if conn.dialect.name == "postgresql":
            host = func.split_part(key, "/", 1)
        else:
            host = func.substr(key, 1, func.instr(key, "/") - 1)
        return func.coalesce(articles.c.site_name, host)

    @staticmethod
    def _join_story(
        conn: Connection,
        story_id: int,
        *,
        at: datetime,
        outlet: str,
        title: str | None = None,
        first: bool = False,
    ) -> None:
        """Count one more article (already labelled), published `at` by `outlet`, in a
        story: one row of its outlet and one of the story are updated, whatever the story's
        size; `title`: a new headline to set in the same update; `first`: the story has no
        article yet (so no outlet row to update)."""
        params: dict[str, Any] = dict(story=story_id, the_outlet=outlet, at=at)
        bumped = 0 if first else conn.execute(_OUTLET_ONE_MORE, params).rowcount
        if not bumped:
            conn.execute(_OUTLET_FIRST, params)
        params["new_outlets"] = 0 if bumped else 1
        if title is not None:
            params["new_title"] = title
        done = conn.execute(_STORY_ONE_MORE if title is None else _STORY_ONE_MORE_TITLED, params)
        if done.rowcount == 0:
            raise NotFoundError(f"no story with id {story_id}")

    @staticmethod
    def _fold_story(conn: Connection, merged: int, into: int) -> None:
        """Move every article of story `merged` into `into` and remove `merged`; the counts
        follow from the two stories' outlet rows, not from their articles."""
        conn.execute(update(articles).where(articles.c.story_id == merged).values(story_id=into))
        moved = conn.execute(
            select(story_outlets.c.outlet, story_outlets.c.articles).where(
                story_outlets.c.story_id == merged
            )
        ).all()
        conn.execute(delete(story_outlets).where(story_outlets.c.story_id == merged))
        for outlet, count in moved:
            where = (story_outlets.c.story_id == into) & (story_outlets.c.outlet == outlet)
            bumped = conn.execute(
                update(story_outlets).where(where).values(articles=story_outlets.c.articles + count)
            ).rowcount
            if not bumped:
                conn.execute(
                    insert(story_outlets).values(story_id=into, outlet=outlet, articles=count)
                )
        gone = conn.execute(select(stories).where(stories.c.id == merged)).first()
        conn.execute(delete(stories).where(stories.c.id == merged))
        redirect_story(conn, merged, into)
        count, outlets = conn.execute(
            select(func.coalesce(func.sum(story_outlets.c.articles), 0), func.count()).where(
                story_outlets.c.story_id == into
            )
        ).one()
        values: dict[str, Any] = {"article_count": count, "outlet_count": outlets}
        if gone is not None:
            values["first_seen"] = case(
                (stories.c.first_seen > gone.first_seen, gone.first_seen),
                else_=stories.c.first_seen,
            )
            values["last_seen"] = case(
                (stories.c.last_seen < gone.last_seen, gone.last_seen), else_=stories.c.last_seen
            )
        conn.execute(update(stories).where(stories.c.id == into).values(**values))

    @staticmethod
    def _move_article(conn: Connection, article_id: int, into: int) -> int | None:
        """Relabel one article and its copies (a copy is always in its original's story); both
        stories are counted again, and the one it leaves is removed when it has no articles
        left. Returns the story it left."""
        before = StoriesMixin._article_value(conn, article_id, articles.c.story_id)
        moving = (articles.c.id == article_id) | (articles.c.duplicate_of == article_id)
        conn.execute(update(articles).where(moving).values(story_id=into))
        for story_id in {before, into} - {None}:
            if StoriesMixin._recount_or_remove(conn, story_id):
                redirect_story(conn, story_id, into)
        return before

    @staticmethod
    def _recount_or_remove(conn: Connection, story_id: int) -> bool:
        """Count a story again, or remove it when it has no articles left (True)."""
        left = select(articles.c.id).where(articles.c.story_id == story_id).limit(1)
        if conn.execute(left).first() is None:
            conn.execute(delete(story_outlets).where(story_outlets.c.story_id == story_id))
            conn.execute(delete(stories).where(stories.c.id == story_id))
            return True
        StoriesMixin._recount_story(conn, story_id)
        return False

    @staticmethod
    def _recount_story(conn: Connection, story_id: int) -> None:
        """Count a story again from its articles (after edits other than one join: moving an
        article out, clearing matches). Aggregates run in SQL over the story index."""
        outlet = StoriesMixin._outlet_expression(conn)
        conn.execute(delete(story_outlets).where(story_outlets.c.story_id == story_id))
        grouped = (
            select(articles.c.story_id, outlet, func.count())
            .where(articles.c.story_id == story_id)
            .group_by(articles.c.story_id, outlet)
        )
        conn.execute(insert(story_outlets).from_select(["story_id", "outlet", "articles"], grouped))
        count, first_seen, last_seen, outlets = conn.execute(
            select(
                func.count(),
                func.min(articles.c.sort_at),
                func.max(articles.c.sort_at),
                func.count(outlet.distinct()),
            ).where(articles.c.story_id == story_id)
        ).one()
        values: dict[str, Any] = {"article_count": count, "outlet_count": outlets}
        if count:
            values["first_seen"] = first_seen
            values["last_seen"] = last_seen
        done = conn.execute(update(stories).where(stories.c.id == story_id).values(**values))
        if done.rowcount == 0:
            raise NotFoundError(f"no story with id {story_id}")
