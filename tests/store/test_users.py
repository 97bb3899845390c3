from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.model import Article
from newsdesk.store import Store

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
HASHER = PasswordHasher(time_cost=1, memory_cost=8192)


def test_accounts_keep_hashes_only(store: Store) -> None:
    alice = store.create_user("alice", HASHER.hash("correct horse"), is_admin=True)
    bob = store.create_user("bob", HASHER.hash("battery staple"))
    assert store.count_users() == 2
    assert [u.username for u in store.list_users()] == ["alice", "bob"]
    assert store.get_user(alice.id).is_admin and not store.get_user(bob.id).is_admin
    assert store.find_user("bob").id == bob.id
    stored = store.user_password_hash(alice.id)
    assert "correct horse" not in stored and HASHER.verify(stored, "correct horse")
    store.set_user_password(alice.id, HASHER.hash("new one"))
    assert HASHER.verify(store.user_password_hash(alice.id), "new one")
    with pytest.raises(NewsdeskError, match="already exists"):
        store.create_user("alice", HASHER.hash("x"))
    with pytest.raises(NotFoundError):
        store.find_user("carol")
    with pytest.raises(NotFoundError):
        store.set_user_password(999, "x")


def test_api_password_and_fever_key(store: Store) -> None:
    user = store.create_user("alice", HASHER.hash("pw"))
    assert store.user_api_password_hash(user.id) is None
    fever = hashlib.md5(b"alice:api-secret").hexdigest()
    store.set_api_password(user.id, HASHER.hash("api-secret"), fever)
    assert HASHER.verify(store.user_api_password_hash(user.id), "api-secret")
    assert store.user_by_fever_key(fever).id == user.id
    with pytest.raises(NotFoundError):
        store.user_by_fever_key(hashlib.md5(b"alice:wrong").hexdigest())


def test_api_tokens(store: Store) -> None:
    alice = store.create_user("alice", "h1")
    bob = store.create_user("bob", "h2")
    token_hash = hashlib.sha256(b"nd_secret").hexdigest()
    token_id = store.create_api_token(alice.id, token_hash, "phone")
    assert store.user_by_token_hash(token_hash).id == alice.id
    with pytest.raises(NotFoundError):
        store.user_by_token_hash(hashlib.sha256(b"guess").hexdigest())
    with pytest.raises(NotFoundError):  # bob cannot revoke alice's token
        store.delete_api_token(bob.id, token_id)
    store.delete_api_token(alice.id, token_id)
    with pytest.raises(NotFoundError):
        store.user_by_token_hash(token_hash)


def test_api_tokens_are_listed_per_user_without_secrets(store: Store) -> None:
    alice = store.create_user("alice", "h1")
    bob = store.create_user("bob", "h2")
    first_hash = hashlib.sha256(b"nd_first").hexdigest()
    first = store.create_api_token(alice.id, first_hash, "phone")
    second = store.create_api_token(alice.id, hashlib.sha256(b"nd_second").hexdigest(), "")
    store.create_api_token(bob.id, hashlib.sha256(b"nd_bob").hexdigest(), "bob's")
    listed = store.list_api_tokens(alice.id)
    assert [(t.id, t.name) for t in listed] == [(second, ""), (first, "phone")]
    assert all(t.last_used_at is None and t.created_at.tzinfo is not None for t in listed)
    assert not any(first_hash in repr(t) for t in listed)  # the hash never leaves the store
    store.user_by_token_hash(first_hash)
    used = {t.id: t.last_used_at for t in store.list_api_tokens(alice.id)}
    assert used[first] is not None and used[first] >= listed[1].created_at
    assert used[second] is None
    store.user_by_token_hash(first_hash)  # used again within the minute: the time stays
    assert store.list_api_tokens(alice.id)[1].last_used_at == used[first]
    assert [t.name for t in store.list_api_tokens(bob.id)] == ["bob's"]


def _articles(store: Store) -> tuple[int, int, list[int]]:
    a, _ = store.add_feed("https://a.example/feed", folder="News")
    b, _ = store.add_feed("https://b.example/feed")
    ids = []
    for number in range(4):
        ids.append(
            store.save_article(
                Article(url=f"https://a.example/{number}"),
                feed_id=a.id,
                fetched_at=NOW - timedelta(hours=number),
            )[0]
        )
    for number in range(3):
        ids.append(
            store.save_article(
                Article(url=f"https://b.example/{number}"),
                feed_id=b.id,
                fetched_at=NOW - timedelta(hours=number),
            )[0]
        )
    return a.id, b.id, ids


def test_read_and_starred_marks_are_per_user(store: Store) -> None:
    feed_a, feed_b, ids = _articles(store)
    alice = store.create_user("alice", "h1")
    bob = store.create_user("bob", "h2")
    assert store.unread_counts(alice.id) == {feed_a: 4, feed_b: 3}

    store.mark(alice.id, ids[:2], read=True, starred=True)
    store.set_read(alice.id, [ids[4], 999_999])  # an unknown id is ignored
    assert store.article_states(alice.id, ids[:3]) == {ids[0]: (True, True), ids[1]: (True, True)}
    assert store.article_states(bob.id, ids) == {}
    assert store.unread_counts(alice.id) == {feed_a: 2, feed_b: 2}
    assert store.unread_counts(bob.id) == {feed_a: 4, feed_b: 3}

    store.mark(alice.id, [ids[0]], read=False)
    assert store.article_states(alice.id, [ids[0]]) == {ids[0]: (False, True)}
    assert store.article_ids(user_id=alice.id, starred=True) == [ids[0], ids[1]]
    assert store.article_ids(user_id=bob.id, starred=True) == []
    starred = store.list_articles(user_id=alice.id, starred=True)
    assert [s.id for s in starred] == [ids[0], ids[1]]
    unread = store.list_articles(user_id=alice.id, read=False, feed_id=feed_a)
    assert [s.id for s in unread] == [ids[0], ids[2], ids[3]]
    assert len(store.list_articles(user_id=bob.id, read=False)) == 7


def test_mark_all_read_by_feed_folder_and_time(store: Store) -> None:
    feed_a, feed_b, ids = _articles(store)
    alice = store.create_user("alice", "h1")
    bob = store.create_user("bob", "h2")
    store.set_starred(alice.id, [ids[3]])
    assert store.mark_all_read(alice.id, folder="News", before=NOW - timedelta(hours=2)) == 2
    assert store.unread_counts(alice.id) == {feed_a: 2, feed_b: 3}
    assert store.article_states(alice.id, [ids[3]]) == {ids[3]: (True, True)}  # still starred
    assert store.mark_all_read(alice.id, feed_id=feed_b) == 3
    assert store.mark_all_read(alice.id) == 2
    assert store.mark_all_read(alice.id) == 0
    assert store.unread_counts(alice.id) == {}
    assert store.unread_counts(bob.id) == {feed_a: 4, feed_b: 3}


def test_user_and_api_password_hash_in_one_read(store: Store) -> None:
    alice = store.create_user("alice", "h1", api_password_hash="api-hash", fever_api_key="0" * 32)
    store.create_user("bob", "h2")
    assert store.find_user_with_api_password_hash("alice") == (alice, "api-hash")
    assert store.find_user_with_api_password_hash("bob")[1] is None
    with pytest.raises(NotFoundError):
        store.find_user_with_api_password_hash("carol")
