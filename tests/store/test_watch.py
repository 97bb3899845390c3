"""Kept results are used only while the database is unchanged: a commit from this store, from
another store on the same file (another process, say) or of a read mark changes data_version,
and searches then see the new state at once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.store import Store


def story(n: int, words: str) -> Article:
    published = datetime(2026, 1, n, tzinfo=UTC)
    return Article(url=f"https://example.com/{n}", title=f"Story {n} {words}",
                   text=f"{words} and more", published=published)  # fmt: skip


def ids(store: Store, query: str, **filters: object) -> list[int]:
    return [sa.id for sa, _ in store.search(query, **filters)]


def test_data_version_changes_with_any_commit(store: Store, settings: Settings) -> None:
    first = store.data_version()
    assert first is not None and store.data_version() == first  # reading changes nothing
    store.add_feed("https://example.com/feed")
    second = store.data_version()
    assert second != first
    with Store.open(settings) as other:
        other.add_feed("https://example.com/other")
    assert store.data_version() != second


def test_a_kept_search_is_not_used_after_a_change(store: Store, settings: Settings) -> None:
    one = store.save_article(story(1, "harbour storm"))[0]
    assert ids(store, "harbour storm") == [ids(store, "harbour storm")[0]] == [one]
    two = store.save_article(story(2, "harbour storm"))[0]
    assert sorted(ids(store, "harbour storm")) == [one, two]
    with Store.open(settings) as other:  # another writer on the same file
        three = other.save_article(story(3, "harbour storm"))[0]
    assert sorted(ids(store, "harbour storm")) == [one, two, three]
    # a copy marked by the matcher drops out of the originals at once
    with store._write() as conn:
        conn.execute(text("UPDATE articles SET duplicate_of = :o WHERE id = :c"),
                     {"o": one, "c": three})  # fmt: skip
    assert sorted(ids(store, "harbour storm", originals_only=True)) == [one, two]


def test_any_process_commit_changes_data_version_on_either_database(either_store: Store) -> None:
    """A second Store on the same database stands for another process (another web worker,
    on this machine or another)."""
    first = either_store.data_version()
    assert first is not None and either_store.data_version() == first
    with Store(either_store.url) as other:
        other.add_feed("https://example.com/other")
        seen = either_store.data_version()
        assert seen != first
        assert either_store.data_version() == seen  # nothing more happened
        with other._read() as conn:  # reads change nothing
            conn.execute(text("SELECT count(*) FROM feeds"))
        assert either_store.data_version() == seen
        assert ids(either_store, "harbour storm") == []  # kept while nothing changes
        other.save_article(story(1, "harbour storm"))
        assert either_store.data_version() != seen
    # a search kept by this process sees the other's article
    assert len(ids(either_store, "harbour storm")) == 1
