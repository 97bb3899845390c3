"""Signed-in browsers' sessions: only the SHA-256 of each session's key is kept (the key lives
in the browser's cookie). Ending a session deletes its row; the web layer finds none for the
cookie from then on, in every process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update

from newsdesk.errors import NotFoundError
from newsdesk.model import User
from newsdesk.store.tables import users, web_sessions
from newsdesk.store.users import USER_COLUMNS, UsersMixin, row_to_user
from newsdesk.times import utcnow

# "Last seen" is kept to this precision, like an API token's "last used": writing it on every
# page would make each request wait for the database's write lock.
LAST_SEEN_PRECISION = timedelta(minutes=1)
USER_AGENT_MAX = 300

SESSION_COLUMNS = (
    web_sessions.c.id,
    web_sessions.c.user_id,
    web_sessions.c.created_at,
    web_sessions.c.last_seen_at,
    web_sessions.c.user_agent,
    web_sessions.c.address,
)


@dataclass(frozen=True, slots=True)
class WebSession:
    """What a user may see of one of their sessions: never its key."""

    id: int
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    user_agent: str
    address: str


def _session_of(values: Mapping[str, Any], prefix: str = "") -> WebSession:
    """A WebSession from a row's mapping, its columns named with `prefix`."""
    return WebSession(
        id=values[f"{prefix}id"],
        user_id=values[f"{prefix}user_id"],
        created_at=values[f"{prefix}created_at"],
        last_seen_at=values[f"{prefix}last_seen_at"],
        user_agent=values[f"{prefix}user_agent"] or "",
        address=values[f"{prefix}address"] or "",
    )


class SessionsMixin(UsersMixin):
    def create_session(
        self,
        user_id: int,
        key_hash: str,
        *,
        user_agent: str = "",
        address: str = "",
        forget_before: datetime | None = None,
    ) -> int:
        """A new session; the user's sessions not seen since `forget_before` (expired) go."""
        now = utcnow()
        with self._write() as conn:
            if forget_before is not None:
                conn.execute(
                    delete(web_sessions).where(
                        web_sessions.c.user_id == user_id,
                        web_sessions.c.last_seen_at < forget_before,
                    )
                )
            return conn.execute(
                insert(web_sessions).values(
                    user_id=user_id,
                    key_hash=key_hash,
                    created_at=now,
                    last_seen_at=now,
                    user_agent=user_agent[:USER_AGENT_MAX],
                    address=address,
                )
            ).inserted_primary_key[0]

    def session_user(self, key_hash: str) -> tuple[User, WebSession]:
        """The user of a session and the session, in one read; NotFoundError once it ended."""
        query = (
            select(*USER_COLUMNS, *(c.label(f"s_{c.name}") for c in SESSION_COLUMNS))
            .select_from(users.join(web_sessions, web_sessions.c.user_id == users.c.id))
            .where(web_sessions.c.key_hash == key_hash)
        )
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFoundError("no such session")
        session = _session_of(row._mapping, "s_")
        return row_to_user(row), session

    def touch_session(self, session: WebSession, address: str = "") -> bool:
        """Note that the session was seen now (and from where), at most once a
        LAST_SEEN_PRECISION. Returns whether anything was written."""
        now = utcnow()
        if now - session.last_seen_at < LAST_SEEN_PRECISION:
            return False
        with self._write() as conn:
            done = conn.execute(
                update(web_sessions)
                .where(
                    web_sessions.c.id == session.id,
                    web_sessions.c.last_seen_at < now - LAST_SEEN_PRECISION,
                )
                .values(last_seen_at=now, address=address or session.address)
            )
        return done.rowcount > 0

    def list_sessions(self, user_id: int) -> list[WebSession]:
        """The user's sessions, the most recently seen first."""
        query = (
            select(*SESSION_COLUMNS)
            .where(web_sessions.c.user_id == user_id)
            .order_by(web_sessions.c.last_seen_at.desc(), web_sessions.c.id.desc())
        )
        with self._read() as conn:
            return [_session_of(row._mapping) for row in conn.execute(query)]

    def end_session(self, user_id: int, session_id: int) -> None:
        """End one of the user's sessions (another user's is "not found", like a wrong id)."""
        with self._write() as conn:
            done = conn.execute(
                delete(web_sessions).where(
                    web_sessions.c.id == session_id, web_sessions.c.user_id == user_id
                )
            )
        if done.rowcount == 0:
            raise NotFoundError(f"no session with id {session_id}")

    def end_sessions(self, user_id: int, *, keep: int | None = None) -> int:
        """End every session of the user but `keep`; returns how many ended."""
        conditions = [web_sessions.c.user_id == user_id]
        if keep is not None:
            conditions.append(web_sessions.c.id != keep)
        with self._write() as conn:
            return conn.execute(delete(web_sessions).where(*conditions)).rowcount
