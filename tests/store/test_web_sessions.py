"""Signed-in browsers' sessions, on SQLite and on PostgreSQL: made, found by their key's hash,
listed, seen at most once a minute, ended one by one or all but one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from newsdesk.errors import NotFoundError
from newsdesk.store import Store
from newsdesk.store.tables import web_sessions
from newsdesk.times import utcnow


def test_sessions_are_found_listed_and_ended(either_store: Store) -> None:
    store = either_store
    reader = store.create_user("reader", "hash")
    other = store.create_user("other", "hash")
    first = store.create_session(reader.id, "a" * 64, user_agent="Firefox", address="10.0.0.1")
    second = store.create_session(reader.id, "b" * 64, user_agent="x" * 1000, address="::1")
    theirs = store.create_session(other.id, "c" * 64)

    user, session = store.session_user("a" * 64)
    assert (user.id, user.username, session.id) == (reader.id, "reader", first)
    assert (session.user_agent, session.address) == ("Firefox", "10.0.0.1")
    assert session.created_at == session.last_seen_at
    assert {s.id for s in store.list_sessions(reader.id)} == {first, second}
    assert len(store.session_user("b" * 64)[1].user_agent) == 300

    with pytest.raises(NotFoundError):
        store.end_session(reader.id, theirs)  # another user's session is not theirs to end
    store.end_session(reader.id, first)
    with pytest.raises(NotFoundError):
        store.session_user("a" * 64)
    with pytest.raises(NotFoundError):
        store.end_session(reader.id, first)

    third = store.create_session(reader.id, "d" * 64)
    assert store.end_sessions(reader.id, keep=third) == 1
    assert [s.id for s in store.list_sessions(reader.id)] == [third]
    assert store.end_sessions(reader.id) == 1
    assert store.list_sessions(reader.id) == []
    assert [s.id for s in store.list_sessions(other.id)] == [theirs]


def test_last_seen_is_written_at_most_once_a_minute(either_store: Store) -> None:
    store = either_store
    reader = store.create_user("reader", "hash")
    made = store.create_session(reader.id, "a" * 64, address="10.0.0.1")
    _, fresh = store.session_user("a" * 64)
    assert not store.touch_session(fresh, "10.0.0.2")  # seen moments ago: nothing written
    earlier = utcnow() - timedelta(minutes=5)
    with store.engine.begin() as conn:
        conn.execute(
            update(web_sessions).where(web_sessions.c.id == made).values(last_seen_at=earlier)
        )
    _, stale = store.session_user("a" * 64)
    assert store.touch_session(stale, "10.0.0.2")
    _, seen = store.session_user("a" * 64)
    assert seen.last_seen_at > earlier and seen.address == "10.0.0.2"
    assert not store.touch_session(stale, "10.0.0.3")  # another worker got there first


def test_expired_sessions_go_when_the_user_signs_in_again(either_store: Store) -> None:
    store = either_store
    reader = store.create_user("reader", "hash")
    old = store.create_session(reader.id, "a" * 64)
    with store.engine.begin() as conn:
        conn.execute(
            update(web_sessions)
            .where(web_sessions.c.id == old)
            .values(last_seen_at=utcnow() - timedelta(days=40))
        )
    new = store.create_session(reader.id, "b" * 64, forget_before=utcnow() - timedelta(days=30))
    assert [s.id for s in store.list_sessions(reader.id)] == [new]

