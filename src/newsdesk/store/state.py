"""Each reader's read and starred marks. A missing row means unread and not starred; no reader
ever sees or changes another's marks (every query is bound to one user_id)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Integer,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    update,
)

from newsdesk.store.base import StoreBase
from newsdesk.store.coltypes import UTCDateTime
from newsdesk.store.listing import ArticleQuery, query_filter
from newsdesk.store.sql import insert_ignore
from newsdesk.store.tables import articles, feeds, user_article_state
from newsdesk.times import to_utc, utcnow

CHUNK = 500
# Built once: every page of the reader asks for the states of its articles, and building the
# statement cost more than running it.
STATES_OF = select(
    user_article_state.c.article_id, user_article_state.c.read, user_article_state.c.starred
).where(
    user_article_state.c.user_id == bindparam("user_id"),
    user_article_state.c.article_id.in_(bindparam("ids", expanding=True)),
)
# The same on SQLite, sent straight to the driver: the reader asks for every page it shows, and
# SQLAlchemy's connection, transaction and expanding-IN steps cost several times the lookup.
# One SELECT is one consistent snapshot without a transaction around it.
SQLITE_STATES_OF = (
    "SELECT article_id, read, starred FROM user_article_state "
    "WHERE user_id = ? AND article_id IN ({})"
)

# On SQLite the database keeps each feed's article count and each reader's read count per feed
# (migration 0004): a feed's unread count is their difference, not a count over the archive.
TALLIED_UNREAD = {
    column: text(
        f"SELECT t.feed_id, t.{column} - coalesce(r.{column}, 0) AS unread FROM feed_tallies t "
        f"LEFT JOIN user_feed_reads r ON r.feed_id = t.feed_id AND r.user_id = :user_id "
        f"JOIN feeds f ON f.id = t.feed_id AND f.removed_at IS NULL "
        f"WHERE t.{column} - coalesce(r.{column}, 0) > 0"
    )
    for column in ("articles", "originals")
}


class StateMixin(StoreBase):
    def article_states(
        self, user_id: int, article_ids: Sequence[int]
    ) -> dict[int, tuple[bool, bool]]:
        """{article id: (read, starred)} for the ids that have a state row (others: unread)."""
        found: dict[int, tuple[bool, bool]] = {}
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return found
        chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
        if self.dialect == "sqlite":
            driver = self.engine.raw_connection()
            try:
                for chunk in chunks:
                    statement = SQLITE_STATES_OF.format(",".join("?" * len(chunk)))
                    for article_id, read, starred in driver.cursor().execute(
                        statement, (user_id, *chunk)
                    ):
                        found[article_id] = (bool(read), bool(starred))
            finally:
                driver.close()
            return found
        with self._read() as conn:
            for chunk in chunks:
                values = {"user_id": user_id, "ids": chunk}
                for article_id, read, starred in conn.execute(STATES_OF, values):
                    found[article_id] = (bool(read), bool(starred))
        return found

    def _set_flag(self, user_id: int, article_ids: Sequence[int], name: str, value: bool) -> None:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return
        state = user_article_state.c
        stamp = utcnow() if value else None
        with self._write() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                known = set(
                    conn.execute(select(articles.c.id).where(articles.c.id.in_(chunk))).scalars()
                )
                rows = [
                    {"user_id": user_id, "article_id": i, "read": False, "starred": False}
                    for i in chunk
                    if i in known
                ]
                insert_ignore(conn, user_article_state, rows, ["user_id", "article_id"])
                conn.execute(
                    update(user_article_state)
                    .where(state.user_id == user_id, state.article_id.in_(known))
                    .values({name: value, f"{name}_at": stamp})
                )

    def set_read(self, user_id: int, article_ids: Sequence[int], read: bool = True) -> None:
        """Ids that name no article are ignored."""
        self._set_flag(user_id, article_ids, "read", read)

    def set_starred(self, user_id: int, article_ids: Sequence[int], starred: bool = True) -> None:
        self._set_flag(user_id, article_ids, "starred", starred)

    def mark_all_read(
        self,
        user_id: int,
        *,
        before: datetime | None = None,
        at: datetime | None = None,
        **filters: Any,
    ) -> int:
        """Mark read every article the user's listing with these filters shows (a feed's,
        a folder's, the starred ones: ArticleQuery's filters) at or before `before` in reading
        order, as read at `at` (now by default: undo_mark_all_read takes it back). Returns how
        many were unread."""
        state = user_article_state.c
        listed, values = query_filter(ArticleQuery(user_id=user_id, **filters))
        conditions = list(listed)
        if before is not None:
            conditions.append(articles.c.sort_at <= bindparam("before", type_=UTCDateTime))
            values["before"] = to_utc(before)
        target = select(articles.c.id).where(*conditions)
        now = to_utc(at) if at is not None else utcnow()
        with self._write() as conn:
            changed = conn.execute(
                update(user_article_state)
                .where(
                    state.user_id == user_id,
                    state.read.is_(False),
                    state.article_id.in_(target),
                )
                .values(read=True, read_at=now),
                values,
            ).rowcount
            fresh = select(
                literal(user_id, Integer),
                articles.c.id,
                literal(True, Boolean),
                literal(False, Boolean),
                literal(now, UTCDateTime),
            ).where(
                *conditions,
                ~exists().where(and_(state.user_id == user_id, state.article_id == articles.c.id)),
            )
            # counted from RETURNING: PostgreSQL's driver gives no rowcount for INSERT ... SELECT
            added = conn.execute(
                insert(user_article_state)
                .from_select(["user_id", "article_id", "read", "starred", "read_at"], fresh)
                .returning(state.article_id),
                values,
            ).all()
        return changed + len(added)

    def undo_mark_all_read(self, user_id: int, at: datetime) -> int:
        """Unread again what mark_all_read(at=at) marked: every article the user read at that
        very moment (one read since has a later time and stays read). Returns how many."""
        state = user_article_state.c
        with self._write() as conn:
            return conn.execute(
                update(user_article_state)
                .where(
                    state.user_id == user_id,
                    state.read.is_(True),
                    state.read_at == bindparam("at", type_=UTCDateTime),
                )
                .values(read=False, read_at=None),
                {"at": to_utc(at)},
            ).rowcount

    def unread_counts(self, user_id: int, *, originals_only: bool = False) -> dict[int, int]:
        """{feed id: unread articles} for the user (feeds with none, and removed feeds, are
        left out); with originals_only, copies of another article are not counted."""
        if self.dialect == "sqlite":
            tallied = TALLIED_UNREAD["originals" if originals_only else "articles"]
            with self._read() as conn:
                rows = conn.execute(tallied, {"user_id": user_id})
                return {feed_id: unread for feed_id, unread in rows}
        state = user_article_state.c
        mine = and_(
            state.user_id == user_id, state.article_id == articles.c.id, state.read.is_(True)
        )
        query = (
            select(articles.c.feed_id, func.count())
            .join(feeds, (feeds.c.id == articles.c.feed_id) & feeds.c.removed_at.is_(None))
            .where(~exists().where(mine))
            .group_by(articles.c.feed_id)
        )
        if originals_only:
            query = query.where(func.coalesce(articles.c.duplicate_of, 0) == 0)
        with self._read() as conn:
            return {feed_id: count for feed_id, count in conn.execute(query)}

    def mark(
        self,
        user_id: int,
        article_ids: Sequence[int],
        *,
        read: bool | None = None,
        starred: bool | None = None,
    ) -> None:
        """Set read and/or starred for these articles in one call; None leaves a mark alone."""
        if read is not None:
            self.set_read(user_id, article_ids, read)
        if starred is not None:
            self.set_starred(user_id, article_ids, starred)
