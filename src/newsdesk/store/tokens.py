"""API tokens: only their SHA-256 is kept (the caller hashes; the plain token is shown once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, or_, select, update

from newsdesk.errors import NotFoundError
from newsdesk.model import User
from newsdesk.store.tables import api_tokens, users
from newsdesk.store.users import USER_COLUMNS, UsersMixin, row_to_user
from newsdesk.times import utcnow

# "Last used" is kept to this precision: writing it on every call would make each API request
# wait for the database's write lock.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class ApiToken:
    """What a user may see of one of their tokens: never the token or its hash."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class TokensMixin(UsersMixin):
    def create_api_token(self, user_id: int, token_hash: str, name: str = "") -> int:
        with self._write() as conn:
            return conn.execute(
                insert(api_tokens).values(
                    user_id=user_id, token_hash=token_hash, name=name, created_at=utcnow()
                )
            ).inserted_primary_key[0]

    def list_api_tokens(self, user_id: int) -> list[ApiToken]:
        """The user's tokens, newest first."""
        query = (
            select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.created_at,
                   api_tokens.c.last_used_at)
            .where(api_tokens.c.user_id == user_id)
            .order_by(api_tokens.c.id.desc())
        )  # fmt: skip
        with self._read() as conn:
            return [
                ApiToken(
                    id=row.id,
                    name=row.name or "",
                    created_at=row.created_at,
                    last_used_at=row.last_used_at,
                )
                for row in conn.execute(query)
            ]

    def user_by_token_hash(self, token_hash: str) -> User:
        query = (
            select(*USER_COLUMNS, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
            .select_from(users.join(api_tokens, api_tokens.c.user_id == users.c.id))
            .where(api_tokens.c.token_hash == token_hash)
        )
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFoundError("no such API token")
        now = utcnow()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            stale = now - LAST_USED_PRECISION
            with self._write() as conn:
                conn.execute(
                    update(api_tokens)
                    .where(
                        api_tokens.c.id == row.token_id,
                        or_(api_tokens.c.last_used_at.is_(None), api_tokens.c.last_used_at < stale),
                    )
                    .values(last_used_at=now)
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
