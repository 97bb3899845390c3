"""Users, their secrets (hashes only), API tokens, and each user's read/starred state.

Hashing is done by the caller (newsdesk.web.auth); this module stores and looks up the hashes.
A missing state row means unread and not starred.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Integer, Row, and_, exists, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.model import User
from newsdesk.store.base import StoreBase, utcnow
from newsdesk.store.coltypes import UTCDateTime, to_utc
from newsdesk.store.sql import insert_ignore
from newsdesk.store.tables import api_tokens, articles, feeds, user_article_state, users

CHUNK = 500


def row_to_user(row: Row[Any]) -> User:
    return User(
        id=row.id, username=row.username, is_admin=bool(row.is_admin), created_at=row.created_at
    )


USER_COLUMNS = (users.c.id, users.c.username, users.c.is_admin, users.c.created_at)


class UsersMixin(StoreBase):
    # --- accounts -----------------------------------------------------------------------

    def count_users(self) -> int:
        with self._read() as conn:
            return conn.execute(select(func.count()).select_from(users)).scalar_one()

    def create_user(
        self,
        username: str,
        password_hash: str,
        *,
        is_admin: bool = False,
        api_password_hash: str | None = None,
        fever_api_key: str | None = None,
    ) -> User:
        try:
            with self._write() as conn:
                user_id = conn.execute(
                    insert(users).values(
                        username=username,
                        password_hash=password_hash,
                        api_password_hash=api_password_hash,
                        fever_api_key=fever_api_key,
                        is_admin=is_admin,
                        created_at=utcnow(),
                    )
                ).inserted_primary_key[0]
        except IntegrityError:
            raise NewsdeskError(f"a user named {username!r} already exists") from None
        return self.get_user(user_id)

    def _one_user(self, where: Any, missing: str) -> User:
        with self._read() as conn:
            row = conn.execute(select(*USER_COLUMNS).where(where)).first()
        if row is None:
            raise NotFoundError(missing)
        return row_to_user(row)

    def get_user(self, user_id: int) -> User:
        return self._one_user(users.c.id == user_id, f"no user with id {user_id}")

    def find_user(self, username: str) -> User:
        return self._one_user(users.c.username == username, f"no user named {username!r}")

    def list_users(self) -> list[User]:
        with self._read() as conn:
            rows = conn.execute(select(*USER_COLUMNS).order_by(users.c.username))
            return [row_to_user(row) for row in rows]

    def _user_value(self, user_id: int, column: Any) -> Any:
        with self._read() as conn:
            row = conn.execute(select(column).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFoundError(f"no user with id {user_id}")
        return row[0]

    def user_password_hash(self, user_id: int) -> str:
        return self._user_value(user_id, users.c.password_hash)

    def user_api_password_hash(self, user_id: int) -> str | None:
        return self._user_value(user_id, users.c.api_password_hash)

    def _update_user(self, user_id: int, **values: Any) -> None:
        with self._write() as conn:
            done = conn.execute(update(users).where(users.c.id == user_id).values(**values))
        if done.rowcount == 0:
            raise NotFoundError(f"no user with id {user_id}")

    def set_user_password(self, user_id: int, password_hash: str) -> None:
        self._update_user(user_id, password_hash=password_hash)

    def set_api_password(self, user_id: int, api_password_hash: str, fever_api_key: str) -> None:
        self._update_user(user_id, api_password_hash=api_password_hash, fever_api_key=fever_api_key)

    def user_by_fever_key(self, api_key: str) -> User:
        return self._one_user(users.c.fever_api_key == api_key, "no user with that Fever key")

    # --- API tokens -----------------------------------------------------------------------

    def create_api_token(self, user_id: int, token_hash: str, name: str = "") -> int:
        with self._write() as conn:
            return conn.execute(
                insert(api_tokens).values(
                    user_id=user_id, token_hash=token_hash, name=name, created_at=utcnow()
                )
            ).inserted_primary_key[0]

    def user_by_token_hash(self, token_hash: str) -> User:
        with self._write() as conn:
            row = conn.execute(
                select(*USER_COLUMNS, api_tokens.c.id.label("token_id"))
                .select_from(users.join(api_tokens, api_tokens.c.user_id == users.c.id))
                .where(api_tokens.c.token_hash == token_hash)
            ).first()
            if row is None:
                raise NotFoundError("no such API token")
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.id == row.token_id)
                .values(last_used_at=utcnow())
            )
        return row_to_user(row)

    def delete_api_token(self, user_id: int, token_id: int) -> None:
        with self._write() as conn:
            done = conn.execute(
                api_tokens.delete().where(
                    api_tokens.c.id == token_id, api_tokens.c.user_id == user_id
                )
            )
        if done.rowcount == 0:
            raise NotFoundError(f"no API token with id {token_id}")

    # --- read / starred -------------------------------------------------------------------

    def article_states(
        self, user_id: int, article_ids: Sequence[int]
    ) -> dict[int, tuple[bool, bool]]:
        """{article id: (read, starred)} for the ids that have a state row (others: unread)."""
        state = user_article_state.c
        found: dict[int, tuple[bool, bool]] = {}
        ids = list(dict.fromkeys(article_ids))
        with self._read() as conn:
            for start in range(0, len(ids), CHUNK):
                rows = conn.execute(
                    select(state.article_id, state.read, state.starred).where(
                        state.user_id == user_id, state.article_id.in_(ids[start : start + CHUNK])
                    )
                )
                for row in rows:
                    found[row.article_id] = (bool(row.read), bool(row.starred))
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
        feed_id: int | None = None,
        folder: str | None = None,
        before: datetime | None = None,
    ) -> int:
        """Mark read every article (of a feed or folder) at or before `before` in reading order.
        Returns how many were unread."""
        state = user_article_state.c
        conditions = []
        if feed_id is not None:
            conditions.append(articles.c.feed_id == feed_id)
        if folder is not None:
            conditions.append(
                articles.c.feed_id.in_(select(feeds.c.id).where(feeds.c.folder == folder))
            )
        if before is not None:
            conditions.append(articles.c.sort_at <= to_utc(before))
        target = select(articles.c.id).where(*conditions)
        now = utcnow()
        with self._write() as conn:
            changed = conn.execute(
                update(user_article_state)
                .where(
                    state.user_id == user_id,
                    state.read.is_(False),
                    state.article_id.in_(target),
                )
                .values(read=True, read_at=now)
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
            added = conn.execute(
                insert(user_article_state).from_select(
                    ["user_id", "article_id", "read", "starred", "read_at"], fresh
                )
            ).rowcount
        return changed + added

    def article_ids(
        self, *, user_id: int, unread: bool = False, starred: bool = False, limit: int = 50000
    ) -> list[int]:
        """Ids (newest first) of the user's unread, or starred, articles."""
        state = user_article_state.c
        mine = and_(state.user_id == user_id, state.article_id == articles.c.id)
        query = select(articles.c.id)
        if unread:
            query = query.where(~exists().where(mine, state.read.is_(True)))
        if starred:
            query = query.where(exists().where(mine, state.starred.is_(True)))
        query = query.order_by(articles.c.sort_at.desc(), articles.c.id.desc()).limit(limit)
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def unread_counts(self, user_id: int) -> dict[int, int]:
        """{feed id: unread articles} for the user (feeds with none are left out)."""
        state = user_article_state.c
        mine = and_(
            state.user_id == user_id, state.article_id == articles.c.id, state.read.is_(True)
        )
        query = (
            select(articles.c.feed_id, func.count())
            .where(articles.c.feed_id.is_not(None), ~exists().where(mine))
            .group_by(articles.c.feed_id)
        )
        with self._read() as conn:
            return {feed_id: count for feed_id, count in conn.execute(query)}
