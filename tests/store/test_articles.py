from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.model import Article
from newsdesk.store import Store

FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def make(url: str, **fields: object) -> Article:
    fields.setdefault("title", "A headline")
    fields.setdefault("text", "First paragraph.\n\nSecond paragraph.")
    return Article(url=url, **fields)  # type: ignore[arg-type]


def test_save_and_read_back_every_field(store: Store) -> None:
    feed, _ = store.add_feed("https://news.example/feed", title="News")
    store.update_feed(feed.id, user_title="My News")
    tokyo = timezone(timedelta(hours=9))
    article = Article(
        url="https://news.example/2025/03/quake?utm_source=rss",
        canonical_url="https://news.example/2025/03/quake",
        title="Quake hits Tokyo",
        authors=["A. Writer", "B. Reporter"],
        published=datetime(2025, 3, 1, 18, 30, tzinfo=tokyo),
        updated=datetime(2025, 3, 1, 19, 0, tzinfo=tokyo),
        language="en",
        site_name="News",
        image="https://news.example/quake.jpg",
        image_caption="A street in Tokyo",
        description="A strong quake.",
        text="A strong quake hit Tokyo.\n\nNo damage was reported.",
        html="<p>A strong quake hit Tokyo.</p><p>No damage was reported.</p>",
        method="newsdesk",
    )
    article_id, created = store.save_article(
        article, feed_id=feed.id, guid="urn:1", entry_keys=["urn:1"], fetched_at=FETCHED
    )
    assert created
    stored = store.get_article(article_id)
    assert stored.article == article
    assert stored.article.published.utcoffset() == timedelta(hours=9)  # the page's own offset
    assert stored.feed_id == feed.id and stored.feed_title == "My News"
    assert stored.guid == "urn:1" and stored.fetched_at == FETCHED
    assert (stored.duplicate_of, stored.story_id, stored.copies) == (None, None, 0)
    assert store.count_articles() == 1
    with pytest.raises(NotFoundError):
        store.get_article(article_id + 1)


def test_saving_twice_is_idempotent_and_links_new_entry_keys(store: Store) -> None:
    feed, _ = store.add_feed("https://news.example/feed")
    article = make("https://news.example/a")
    first = store.save_article(article, feed_id=feed.id, entry_keys=["guid-1"])
    second = store.save_article(article, feed_id=feed.id, entry_keys=["guid-1", "guid-2"])
    assert first == (first[0], True) and second == (first[0], False)
    assert store.count_articles() == 1
    assert store.known_entries(feed.id, ["guid-2"]).seen == {"guid-2": first[0]}
    assert store.known_entries(feed.id, ["unknown", "guid-1"]).seen == {"guid-1": first[0]}
    assert store.known_entries(feed.id, ["unknown"]).seen == {}
    assert store.known_entries(feed.id, []).seen == {}
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM articles_fts").scalar() == 1


def test_entry_keys_belong_to_their_feed(store: Store) -> None:
    a, _ = store.add_feed("https://a.example/feed")
    b, _ = store.add_feed("https://b.example/feed")
    article_id, _ = store.save_article(
        make("https://wire.example/story"), feed_id=a.id, entry_keys=["shared-guid"]
    )
    assert store.known_entries(b.id, ["shared-guid"]).seen == {}
    again, created = store.save_article(
        make("https://wire.example/story"), feed_id=b.id, entry_keys=["shared-guid"]
    )
    assert (again, created) == (article_id, False)
    assert store.known_entries(b.id, ["shared-guid"]).seen == {"shared-guid": article_id}
    assert store.get_article(article_id).feed_id == a.id  # the first feed keeps it


@pytest.mark.parametrize(
    "variant",
    [
        make("http://www.news.example/story/"),
        make("https://news.example/story?utm_campaign=x&fbclid=1#comments"),
        make("https://amp.news.example/story.amp", canonical_url="https://news.example/story"),
        make("https://m.news.example/s/1", canonical_url="http://news.example/story/"),
    ],
)
def test_trivial_url_variants_and_canonicals_are_one_article(
    store: Store, variant: Article
) -> None:
    original, _ = store.save_article(make("https://news.example/story"))
    assert store.save_article(variant) == (original, False)
    assert store.count_articles() == 1
    assert store.find_article_by_url("news.example/story/") == original


def test_an_article_is_found_by_its_own_url_after_saving_with_a_canonical(store: Store) -> None:
    original, _ = store.save_article(
        make("https://amp.news.example/x", canonical_url="https://news.example/x")
    )
    assert store.save_article(make("https://amp.news.example/x")) == (original, False)


def test_home_page_canonical_does_not_fold_a_site(store: Store) -> None:
    one, _ = store.save_article(
        make("https://site.example/a", canonical_url="https://site.example/")
    )
    two, created = store.save_article(
        make("https://site.example/b", canonical_url="https://site.example/")
    )
    assert created and one != two


def test_bad_input_is_one_clear_error(store: Store) -> None:
    with pytest.raises(NewsdeskError, match="not an http"):
        store.save_article(make("javascript:alert(1)"))
    with pytest.raises(NotFoundError, match="no feed"):
        store.save_article(make("https://news.example/x"), feed_id=42)
    assert store.count_articles() == 0


def test_future_dates_sort_by_fetch_time_and_naive_dates_read_back_naive(store: Store) -> None:
    future = FETCHED + timedelta(days=300)
    a, _ = store.save_article(
        make("https://n.example/future", published=future), fetched_at=FETCHED
    )
    b, _ = store.save_article(
        make("https://n.example/naive", published=datetime(2025, 3, 1, 11)), fetched_at=FETCHED
    )
    assert store.get_article(a).article.published == future
    assert store.get_article(b).article.published == datetime(2025, 3, 1, 11)
    assert [s.id for s in store.list_articles()] == [a, b]
