from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import FeedError, NotFoundError
from newsdesk.model import Article
from newsdesk.store import Store

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "variant",
    [
        "http://example.com/feed.xml",
        "https://www.example.com/feed.xml",
        "https://example.com/feed.xml/",
        "https://example.com/feed.xml?utm_source=newsletter&utm_medium=email",
        "HTTPS://Example.COM/feed.xml#top",
        "example.com/feed.xml",
    ],
)
def test_trivial_variants_of_a_feed_url_are_one_feed(store: Store, variant: str) -> None:
    feed, created = store.add_feed("https://example.com/feed.xml", title="Example")
    assert created
    again, created_again = store.add_feed(variant)
    assert not created_again
    assert again.id == feed.id and again.url == "https://example.com/feed.xml"
    assert len(store.list_feeds()) == 1


def test_different_feeds_stay_apart(store: Store) -> None:
    a, _ = store.add_feed("https://example.com/feed.xml")
    b, _ = store.add_feed("https://example.com/feed.xml?section=sport")
    c, _ = store.add_feed("https://example.org/feed.xml")
    assert len({a.id, b.id, c.id}) == 3


def test_add_feed_rejects_what_is_not_a_url(store: Store) -> None:
    with pytest.raises(FeedError, match="not a feed URL"):
        store.add_feed("ftp://example.com/feed")
    assert store.list_feeds() == []


def test_find_feed_by_id_url_or_title(store: Store) -> None:
    feed, _ = store.add_feed("https://example.com/rss", title="Example News", folder="World")
    assert store.find_feed(str(feed.id)).id == feed.id
    assert store.find_feed("http://www.example.com/rss/").id == feed.id
    assert store.find_feed("Example News").id == feed.id
    store.update_feed(feed.id, user_title="My Example")
    assert store.find_feed("My Example").id == feed.id
    with pytest.raises(NotFoundError):
        store.find_feed("Nothing Like It")
    with pytest.raises(NotFoundError):
        store.get_feed(feed.id + 100)


def test_due_feeds(store: Store) -> None:
    never, _ = store.add_feed("https://a.example/feed")
    overdue, _ = store.add_feed("https://b.example/feed")
    later, _ = store.add_feed("https://c.example/feed")
    paused, _ = store.add_feed("https://d.example/feed")
    retired, _ = store.add_feed("https://e.example/feed")
    store.record_fetch(
        overdue.id, fetched_at=NOW - timedelta(hours=2), next_fetch_at=NOW - timedelta(minutes=1)
    )
    store.record_fetch(later.id, fetched_at=NOW, next_fetch_at=NOW + timedelta(hours=1))
    store.update_feed(paused.id, paused=True)
    store.record_fetch(
        retired.id,
        fetched_at=NOW,
        next_fetch_at=NOW - timedelta(hours=1),
        error="410 Gone",
        error_count=1,
        retired=True,
    )
    assert [f.id for f in store.due_feeds(NOW)] == [never.id, overdue.id]
    assert [f.id for f in store.due_feeds(NOW + timedelta(hours=2))] == [
        never.id,
        overdue.id,
        later.id,
    ]


def test_record_fetch_keeps_validators_and_records_errors(store: Store) -> None:
    feed, _ = store.add_feed("https://example.com/feed")
    store.record_fetch(
        feed.id,
        fetched_at=NOW,
        next_fetch_at=NOW + timedelta(hours=1),
        interval_seconds=3600,
        etag='"abc"',
        last_modified="Sat, 01 Mar 2025",
        title="Example",
        site_url="https://example.com/",
    )
    store.record_fetch(
        feed.id,
        fetched_at=NOW + timedelta(hours=1),
        next_fetch_at=NOW + timedelta(hours=3),
        error="HTTP 503",
        error_count=1,
    )
    got = store.get_feed(feed.id)
    assert got.etag == '"abc"' and got.last_modified == "Sat, 01 Mar 2025"
    assert got.title == "Example" and got.interval_seconds == 3600
    assert got.last_error == "HTTP 503" and got.error_count == 1
    assert got.last_fetched_at == NOW + timedelta(hours=1)
    assert got.next_fetch_at == NOW + timedelta(hours=3)
    assert got.next_fetch_at.tzinfo is not None
    with pytest.raises(NotFoundError):
        store.record_fetch(999, fetched_at=NOW, next_fetch_at=NOW)


def test_update_feed_changes_only_what_is_given(store: Store) -> None:
    feed, _ = store.add_feed("https://example.com/feed", title="Own", folder="Tech")
    updated = store.update_feed(feed.id, user_title="Mine", licensed_full_text=True)
    assert (updated.user_title, updated.folder, updated.licensed_full_text) == (
        "Mine",
        "Tech",
        True,
    )
    updated = store.update_feed(feed.id, folder=None)
    assert updated.folder is None and updated.user_title == "Mine"


def test_unsubscribed_feed_leaves_every_list_but_starred(either_store: Store) -> None:
    store = either_store
    feed, _ = store.add_feed("https://example.com/feed", title="Example")
    other, _ = store.add_feed("https://other.example/feed", title="Other")
    user = store.create_user("ann", "pw-ann-123456")
    kept, _ = store.save_article(
        Article(url="https://example.com/a", title="A"), feed_id=feed.id, entry_keys=["a"]
    )
    gone, _ = store.save_article(
        Article(url="https://example.com/b", title="B"), feed_id=feed.id, entry_keys=["b"]
    )
    stays, _ = store.save_article(
        Article(url="https://other.example/c", title="C"), feed_id=other.id, entry_keys=["c"]
    )
    store.set_starred(user.id, [kept], True)
    store.delete_feed(feed.id)
    assert [f.id for f in store.list_feeds()] == [other.id]
    assert store.article_ids(user_id=user.id) == [stays]
    assert store.article_ids(user_id=user.id, read=False) == [stays]
    assert store.article_ids() == [stays]
    assert store.article_ids(user_id=user.id, starred=True) == [kept]
    assert set(store.unread_counts(user.id)) == {other.id}
    starred = store.get_article(kept)  # keeps its origin
    assert starred.feed_id == feed.id and starred.feed_title == "Example"
    assert gone in [a.id for a in store.get_articles([gone])]  # still there by id
    with pytest.raises(NotFoundError):
        store.get_feed(feed.id)
    with pytest.raises(NotFoundError):
        store.delete_feed(feed.id)
    assert feed.id not in [f.id for f in store.due_feeds(NOW + timedelta(days=1))]
    # subscribing again brings the feed back under its id, due for a poll, with its articles
    back, created = store.add_feed("https://example.com/feed/")
    assert created and back.id == feed.id and back.next_fetch_at is None
    assert set(store.article_ids(user_id=user.id)) == {kept, gone, stays}


def test_feed_ids_are_never_reused(either_store: Store) -> None:
    store = either_store
    first, _ = store.add_feed("https://a.example/feed")
    second, _ = store.add_feed("https://b.example/feed")
    store.delete_feed(second.id)
    third, _ = store.add_feed("https://c.example/feed")
    assert third.id not in (first.id, second.id)


def test_counts_and_recent_entry_times(store: Store) -> None:
    a, _ = store.add_feed("https://a.example/feed")
    b, _ = store.add_feed("https://b.example/feed")
    for day in range(5):
        published = NOW - timedelta(days=day)
        store.save_article(
            Article(url=f"https://a.example/{day}", published=published),
            feed_id=a.id,
            fetched_at=NOW,
        )
    store.save_article(
        Article(url="https://b.example/1"), feed_id=b.id, fetched_at=NOW - timedelta(days=10)
    )
    assert store.feed_article_counts(NOW - timedelta(days=2, hours=1)) == {a.id: 3}
    assert store.feed_article_counts(NOW - timedelta(days=30)) == {a.id: 5, b.id: 1}
    times = store.recent_entry_times(a.id, limit=3)
    assert times == [NOW, NOW - timedelta(days=1), NOW - timedelta(days=2)]


def test_a_sitemap_source_keeps_its_kind_and_state(either_store: Store) -> None:
    store = either_store
    feed, created = store.add_feed("https://example.com/sitemap_index.xml", kind="sitemap")
    assert created and feed.kind == "sitemap" and feed.source_state is None
    assert store.add_feed("https://example.com/feed.xml")[0].kind == "feed"
    state = {"docs": {"https://example.com/news.xml": {"etag": '"a1"', "news": True}}}
    now = datetime.now(UTC)
    store.record_fetch(feed.id, fetched_at=now, next_fetch_at=now, source_state=state)
    store.record_fetch(feed.id, fetched_at=now, next_fetch_at=now)  # None keeps it
    again = store.get_feed(feed.id)
    assert again.kind == "sitemap" and again.source_state == state
    # unsubscribed and followed again: its state starts afresh
    store.delete_feed(feed.id)
    back, created = store.add_feed("https://example.com/sitemap_index.xml", kind="sitemap")
    assert created and back.id == feed.id and back.source_state is None
    # a feed found to be a sitemap at its poll
    assert store.update_feed(store.find_feed("https://example.com/feed.xml").id,
                             kind="sitemap").kind == "sitemap"  # fmt: skip
