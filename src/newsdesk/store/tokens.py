"""API tokens: only their SHA-256 is kept (the caller hashes; the plain token is shown once)."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from newsdesk.errors import NotFoundError
from newsdesk.model import User
from newsdesk.store.base import utcnow
from newsdesk.store.tables import api_tokens, users
from newsdesk.store.users import USER_COLUMNS, UsersMixin, row_to_user


class TokensMixin(UsersMixin):
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
