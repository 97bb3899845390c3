"""Unread counts from the tallies the database keeps (migration 0004) agree with counting the
articles themselves after every kind of change: new articles, read marks set and cleared,
mark all as read, copies marked and unmarked, articles moved, deleted, feeds unsubscribed and
users deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from newsdesk.model import Article
from newsdesk.store import Store

COUNTED = """
SELECT a.feed_id, count(*) FROM articles a
WHERE a.feed_id IN (SELECT id FROM feeds WHERE removed_at IS NULL) {originals}
  AND NOT EXISTS (SELECT 1 FROM user_article_state s
                  WHERE s.user_id = :user AND s.article_id = a.id AND s.read)
GROUP BY a.feed_id
"""


def counted(store: Store, user_id: int, originals_only: bool) -> dict[int, int]:
    where = "AND coalesce(a.duplicate_of, 0) = 0" if originals_only else ""
    with store._read() as conn:
        rows = conn.execute(text(COUNTED.format(originals=where)), {"user": user_id})
        return {feed_id: count for feed_id, count in rows}


def agree(store: Store, *users: int) -> None:
    for user_id in users:
        for originals_only in (False, True):
            expected = counted(store, user_id, originals_only)
            assert store.unread_counts(user_id, originals_only=originals_only) == expected


def sql(store: Store, statement: str, **values: object) -> None:
    with store._write() as conn:
        conn.execute(text(statement), values)


def add(store: Store, feed_id: int, n: int) -> int:
    published = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
    article = Article(url=f"https://example.com/{feed_id}/{n}", title=f"Story {n}",
                      text=f"Body {n}", published=published)  # fmt: skip
    return store.save_article(article, feed_id=feed_id)[0]


def test_tallies_follow_every_change(store: Store) -> None:
    ann = store.create_user("ann", "x").id
    bob = store.create_user("bob", "x").id
    one = store.add_feed("https://example.com/one")[0].id
    two = store.add_feed("https://example.com/two")[0].id
    ids = [add(store, one, n) for n in range(6)] + [add(store, two, n) for n in range(6, 10)]
    agree(store, ann, bob)
    assert store.unread_counts(ann) == {one: 6, two: 4}

    store.set_read(ann, ids[:3])
    store.set_read(ann, ids[:2])  # again: nothing changes
    store.set_starred(bob, ids[:4])  # starred, not read
    agree(store, ann, bob)
    assert store.unread_counts(ann)[one] == 3

    store.set_read(ann, ids[1:2], False)
    store.mark(bob, [ids[0], ids[7]], read=True)
    agree(store, ann, bob)

    # copies: one article becomes a copy of another, then an original again
    sql(store, "UPDATE articles SET duplicate_of = :o WHERE id = :c", o=ids[0], c=ids[2])
    sql(store, "UPDATE articles SET duplicate_of = :o WHERE id = :c", o=ids[6], c=ids[7])
    agree(store, ann, bob)
    assert store.unread_counts(bob, originals_only=True)[two] == 3
    sql(store, "UPDATE articles SET duplicate_of = NULL WHERE id = :c", c=ids[2])
    agree(store, ann, bob)

    # an article moved to the other feed, with its read marks
    sql(store, "UPDATE articles SET feed_id = :f WHERE id = :a", f=two, a=ids[0])
    agree(store, ann, bob)

    store.mark_all_read(bob, feed_id=one)
    agree(store, ann, bob)
    assert one not in store.unread_counts(bob)

    # deleted: a read article, a read mark, a user; a feed unsubscribed (its articles leave)
    sql(store, "DELETE FROM articles WHERE id = :a", a=ids[1])
    sql(store, "DELETE FROM user_article_state WHERE user_id = :u AND article_id = :a",
        u=bob, a=ids[7])  # fmt: skip
    agree(store, ann, bob)
    add(store, two, 20)
    store.delete_feed(one)
    agree(store, ann, bob)
    assert set(store.unread_counts(ann)) == {two}
    sql(store, "DELETE FROM users WHERE id = :u", u=bob)
    agree(store, ann)
    store.mark_all_read(ann)
    agree(store, ann)
    assert store.unread_counts(ann) == {}
