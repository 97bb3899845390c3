"""known_entries: a feed's entry keys and URL keys looked up in one read."""

from __future__ import annotations

from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.entries import CHUNK


def test_known_entries_names_seen_keys_and_stored_urls(store: Store) -> None:
    a, _ = store.add_feed("https://a.example/feed")
    b, _ = store.add_feed("https://b.example/feed")
    first, _ = store.save_article(
        Article(url="https://news.example/one", title="One", text="One."),
        feed_id=a.id,
        entry_keys=["guid:1", "url:news.example/one"],
    )
    second, _ = store.save_article(
        Article(
            url="https://news.example/two?utm_source=rss",
            canonical_url="https://news.example/2",
            title="Two",
            text="Two.",
        ),
        feed_id=b.id,
        entry_keys=["guid:2"],
    )
    known = store.known_entries(
        a.id,
        ["guid:1", "guid:2", "url:news.example/one", "url:news.example/new"],
        ["news.example/one", "news.example/two", "news.example/2", "news.example/new"],
    )
    # guid:2 was given by feed b, not by feed a
    assert known.seen == {"guid:1": first, "url:news.example/one": first}
    # found by its own URL key and by its canonical one; an unknown URL is left out
    assert known.stored == {
        "news.example/one": first,
        "news.example/two": second,
        "news.example/2": second,
    }
    assert store.known_entries(b.id, ["guid:1"]).seen == {}


def test_many_keys_are_read_in_chunks(store: Store) -> None:
    feed, _ = store.add_feed("https://a.example/feed")
    ids = {}
    for n in (0, CHUNK + 7):
        ids[n], _ = store.save_article(
            Article(url=f"https://news.example/{n}", title=str(n), text="x"),
            feed_id=feed.id,
            entry_keys=[f"guid:{n}"],
        )
    keys = [f"guid:{n}" for n in range(2 * CHUNK)]
    urls = [f"news.example/{n}" for n in range(2 * CHUNK)]
    known = store.known_entries(feed.id, keys, urls)
    assert known.seen == {f"guid:{n}": ids[n] for n in ids}
    assert known.stored == {f"news.example/{n}": ids[n] for n in ids}
