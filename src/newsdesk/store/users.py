"""User accounts and their secrets, as hashes only.

Hashing and checking passwords is the web layer's job (newsdesk.web.auth.passwords); the store
keeps and finds the hashes, and the Fever key (md5 of "user:apipassword", fixed by that protocol).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.model import User
from newsdesk.store.base import StoreBase
from newsdesk.store.tables import (
    api_tokens,
    user_article_state,
    user_settings,
    users,
    web_sessions,
)
from newsdesk.times import utcnow

USER_COLUMNS = (users.c.id, users.c.username, users.c.is_admin, users.c.created_at)


def row_to_user(row: Row[Any]) -> User:
    return User(
        id=row.id, username=row.username, is_admin=bool(row.is_admin), created_at=row.created_at
    )


class UsersMixin(StoreBase):
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

    def find_user_with_api_password_hash(self, username: str) -> tuple[User, str | None]:
        """The user and their API password hash in one read (Google Reader checks both on
        every call)."""
        query = select(*USER_COLUMNS, users.c.api_password_hash).where(users.c.username == username)
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFoundError(f"no user named {username!r}")
        return row_to_user(row), row.api_password_hash

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

    def delete_user(self, user_id: int) -> None:
        """Remove an account with its read and starred marks, reading settings, API tokens and
        sessions."""
        with self._write() as conn:
            # the rows that hang on the account go first, whether or not the database
            # enforces its cascades
            for table in (user_article_state, user_settings, api_tokens, web_sessions):
                conn.execute(delete(table).where(table.c.user_id == user_id))
            done = conn.execute(delete(users).where(users.c.id == user_id))
        if done.rowcount == 0:
            raise NotFoundError(f"no user with id {user_id}")
