"""save_articles: a group of new articles stored in one transaction."""

from __future__ import annotations

import pytest

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.articles import EntryLink, NewArticle


def page(path: str, **fields: object) -> Article:
    fields.setdefault("text", f"{path}.")
    return Article(url=f"https://news.example/{path}", title=path, **fields)


def test_a_group_is_stored_in_order_and_a_repeat_links_to_the_first(store: Store) -> None:
    feed, _ = store.add_feed("https://news.example/feed")
    saved = store.save_articles(
        [
            NewArticle(page("a"), feed.id, "g-a", ["guid:a"]),
            NewArticle(page("b"), feed.id, "g-b", ["guid:b"]),
            # the same page again under another GUID (and with tracking parameters)
            NewArticle(page("a?utm_source=rss"), feed.id, "g-a2", ["guid:a2"]),
        ]
    )
    (a, a_new), (b, b_new), (again, again_new) = saved
    assert (a_new, b_new, again_new) == (True, True, False)
    assert again == a and a != b and a < b
    assert store.count_articles() == 2
    known = store.known_entries(feed.id, ["guid:a", "guid:b", "guid:a2"])
    assert known.seen == {"guid:a": a, "guid:b": b, "guid:a2": a}
    assert store.get_article(b).guid == "g-b" and store.get_article(b).feed_id == feed.id


def test_a_group_is_stored_whole_or_not_at_all(store: Store) -> None:
    feed, _ = store.add_feed("https://news.example/feed")
    with pytest.raises(NotFoundError):
        store.save_articles(
            [NewArticle(page("a"), feed.id, None, ["guid:a"]), NewArticle(page("b"), feed.id + 9)]
        )
    with pytest.raises(NewsdeskError):
        store.save_articles(
            [NewArticle(page("a"), feed.id), NewArticle(Article(url="ftp://news.example/x"))]
        )
    assert store.count_articles() == 0
    assert store.known_entries(feed.id, ["guid:a"]).seen == {}
    assert store.save_articles([]) == []


def test_save_article_is_a_group_of_one(store: Store) -> None:
    first = store.save_article(page("a"), entry_keys=["guid:a"])
    assert store.save_articles([NewArticle(page("a"))]) == [(first[0], False)]


def test_a_group_finds_stored_pages_by_canonical_or_url_and_indexes_the_new_ones(
    store: Store,
) -> None:
    feed, _ = store.add_feed("https://news.example/feed")
    stored, _ = store.save_article(page("story", text="harbour gale"))
    saved = store.save_articles(
        [
            NewArticle(page("amp/story", canonical_url="https://news.example/story"), feed.id),
            NewArticle(page("quay", text="quay flooding"), feed.id),
            NewArticle(page("tide", text="tide record"), feed.id),
            NewArticle(page("tide", text="tide record"), feed.id),  # the same page twice
        ]
    )
    (amp, amp_new), (quay, quay_new), (tide, tide_new), (tide2, tide2_new) = saved
    assert amp == stored and not amp_new
    assert quay_new and tide_new and not tide2_new and tide2 == tide
    assert store.count_articles() == 3
    for word, article_id in (("flooding", quay), ("record", tide), ("gale", stored)):
        assert [found.id for found, _ in store.search(word)] == [article_id]


def test_an_entry_link_points_a_feed_at_a_stored_article_as_it_is(store: Store) -> None:
    first, _ = store.add_feed("https://news.example/feed")
    second, _ = store.add_feed("https://other.example/feed")
    stored = store.save_articles([NewArticle(page("a"), first.id, "g-a", ["guid:a"], None, b"s")])
    ((article_id, _),) = stored
    saved = store.save_articles(
        [EntryLink(article_id, second.id, ["guid:x", "url:news.example/a"]),
         NewArticle(page("b"), second.id, "g-b", ["guid:b"])]
    )
    assert saved[0] == (article_id, False) and saved[1][1] is True
    assert store.known_entries(second.id, ["guid:x", "url:news.example/a"]).seen == {
        "guid:x": article_id,
        "url:news.example/a": article_id,
    }
    kept = store.get_article(article_id)
    assert (kept.feed_id, kept.guid, kept.article.text) == (first.id, "g-a", "a.")
    assert store.match_row(article_id).signature == b"s"  # saved with the article
