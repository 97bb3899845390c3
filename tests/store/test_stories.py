from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from newsdesk.errors import NotFoundError
from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.tables import articles, stories
from tests.store.matches import record_match

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def save(store: Store, url: str, site: str, hours: int) -> int:
    article = Article(url=url, site_name=site, title="Flood")
    return store.save_article(article, fetched_at=NOW - timedelta(hours=hours))[0]


def test_story_membership_and_counts(store: Store) -> None:
    a = save(store, "https://one.example/flood", "One", 5)
    b = save(store, "https://two.example/flood", "Two", 3)
    c = save(store, "https://one.example/flood-update", "One", 1)
    # made as the matching step makes one: when its first article is placed
    story = store.create_story("Floods in the north", first_seen=NOW - timedelta(hours=5))
    for article_id in (a, b, c):
        record_match(store, article_id, story)
    got = store.get_story(story)
    assert got.article_ids == [a, b, c] and got.outlets == ["One", "Two"]
    assert got.first_seen == NOW - timedelta(hours=5) and got.last_seen == NOW - timedelta(hours=1)
    assert [s.id for s in store.list_articles(story_id=story)] == [c, b, a]
    # the second outlet's report moves to another story as a later one joins that
    other = store.create_story("Storm", first_seen=NOW)
    d = save(store, "https://three.example/storm", "Three", 0)
    record_match(store, d, other, moves=[(b, other)])
    assert store.get_story(story).outlets == ["One"]
    assert store.get_story(other).article_ids == [b, d]
    assert [s.id for s in store.list_stories()] == [other, story]
    with pytest.raises(NotFoundError):
        store.get_story(other + 1)


def test_duplicates_count_their_copies(store: Store) -> None:
    original = save(store, "https://wire.example/x", "Wire", 3)
    copy1 = save(store, "https://one.example/x", "One", 2)
    copy2 = save(store, "https://two.example/x", "Two", 1)
    story = store.create_story("Flood", first_seen=NOW - timedelta(hours=3))
    record_match(store, original, story)
    record_match(store, copy1, story, original_id=original)
    record_match(store, copy2, story, original_id=original)
    assert store.get_article(original).copies == 2
    assert store.get_article(copy1).duplicate_of == original
    ids = [s.id for s in store.list_articles(originals_only=True)]
    assert ids == [original]
    store.clear_matches(since=NOW - timedelta(hours=1, minutes=30))  # copy2 to be decided again
    assert store.get_article(copy2).duplicate_of is None
    assert store.get_article(original).copies == 1


def stored_counts(store: Store, story_id: int) -> tuple[int, int, datetime, datetime]:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(stories.c.article_count, stories.c.outlet_count, stories.c.first_seen,
                   stories.c.last_seen).where(stories.c.id == story_id)
        ).one()
    return tuple(row)  # type: ignore[return-value]


def recounted(store: Store, story_id: int) -> tuple[int, int, datetime, datetime]:
    """The counts a full aggregate over the story's articles gives."""
    got = store.get_story(story_id)
    with store.engine.connect() as conn:
        first, last = conn.execute(
            select(func.min(articles.c.sort_at), func.max(articles.c.sort_at)).where(
                articles.c.story_id == story_id
            )
        ).one()
    return len(got.article_ids), len(got.outlets), first, last


def test_counts_follow_each_match_and_merge_without_a_recount(store: Store) -> None:
    first = store.create_story("", first_seen=NOW - timedelta(hours=4))
    second = store.create_story("", first_seen=NOW - timedelta(hours=6))
    plan = [  # (url, site, hours ago, story)
        ("https://one.example/a", "One", 4, first),
        ("https://two.example/a", "Two", 2, first),
        ("https://one.example/b", "One", 1, first),
        ("https://three.example/a", None, 6, second),
        ("https://two.example/b", "Two", 5, second),
    ]
    ids = []
    for url, site, hours, story_id in plan:
        article_id = store.save_article(
            Article(url=url, site_name=site, title="Flood"), fetched_at=NOW - timedelta(hours=hours)
        )[0]
        ids.append(article_id)
        with store.match_recorder() as recorder:
            recorder.record(article_id, signature=b"", original_id=None, story_id=story_id,
                            story_title="Flood")
        assert stored_counts(store, story_id) == recounted(store, story_id)
    assert stored_counts(store, first)[:2] == (3, 2)
    assert stored_counts(store, second)[:2] == (2, 2)  # the host names a site without a name

    # a copy joining while `second` folds into `first`: counts follow, `second` is gone
    copy = store.save_article(Article(url="https://four.example/a", site_name="Four",
                                      title="Flood"), fetched_at=NOW)[0]
    with store.match_recorder() as recorder:
        recorder.record(copy, signature=b"", original_id=ids[0], story_id=first,
                        story_title="Floods", merges=[(second, first)])
    assert stored_counts(store, first) == recounted(store, first)
    assert stored_counts(store, first)[:2] == (6, 4)
    assert store.get_article(ids[0]).copies == 1
    assert store.get_story(first).title == "Floods"
    with pytest.raises(NotFoundError):
        store.get_story(second)
    assert store.story_redirect(second) == first  # the merged id leads to the story it joined
    assert store.story_redirect(first) is None

    # clearing part of the matches counts the story again from what is left
    store.clear_matches(since=NOW - timedelta(hours=1, minutes=30))
    assert stored_counts(store, first) == recounted(store, first)
    assert stored_counts(store, first)[0] == 4


def test_moved_articles_are_counted_in_their_new_story_and_an_emptied_story_goes(
    store: Store,
) -> None:
    first = store.create_story("", first_seen=NOW - timedelta(hours=5))
    second = store.create_story("", first_seen=NOW - timedelta(hours=4))
    plan = [("https://one.example/a", "One", 5, first), ("https://two.example/a", "Two", 4, second),
            ("https://three.example/a", "Three", 3, second)]
    ids = []
    for url, site, hours, story_id in plan:
        ids.append(save(store, url, site, hours))
        with store.match_recorder() as recorder:
            recorder.record(ids[-1], signature=b"", original_id=None, story_id=story_id,
                            story_title="Flood")
    newcomer = save(store, "https://four.example/a", "Four", 0)
    with store.match_recorder() as recorder:
        recorder.record(newcomer, signature=b"", original_id=None, story_id=first,
                        story_title="Floods", moves=[(ids[1], first)])
    assert store.get_article(ids[1]).story_id == first
    assert stored_counts(store, first) == recounted(store, first)
    assert stored_counts(store, first)[:2] == (3, 3)
    assert stored_counts(store, second) == recounted(store, second)
    assert store.get_story(second).article_ids == [ids[2]]

    last = save(store, "https://five.example/a", "Five", 0)
    with store.match_recorder() as recorder:  # its last article leaves: the story goes
        recorder.record(last, signature=b"", original_id=None, story_id=first,
                        story_title="Floods", moves=[(ids[2], first)])
    with pytest.raises(NotFoundError):
        store.get_story(second)
    assert store.story_redirect(second) == first  # where its last article went
    assert stored_counts(store, first)[:2] == (5, 5)
    assert stored_counts(store, first) == recounted(store, first)


def test_stories_made_in_one_transaction_count_every_join_and_move(store: Store) -> None:
    ids = [
        save(store, f"https://{site}.example/{n}", site.title(), hours)
        for n, (site, hours) in enumerate([("one", 5), ("one", 4), ("two", 3), ("two", 2)])
    ]
    late = save(store, "https://two.example/late", "Two", 1)
    with store.match_recorder() as recorder:
        flood = recorder.create_story("", first_seen=NOW - timedelta(hours=5))
        for article_id in ids[:3]:  # the first joins an empty story, the others one with rows
            recorder.record(article_id, signature=b"", original_id=None, story_id=flood,
                            story_title="Flood")
        # a story made now takes a moved article, then a new one joins it
        split = recorder.create_story("", first_seen=NOW - timedelta(hours=3))
        recorder.record(ids[3], signature=b"", original_id=None, story_id=flood,
                        story_title="Flood", moves=[(ids[2], split)],
                        retitle={split: "Storm surge"}.get)
    assert store.get_story(split).title == "Storm surge"  # cut off with a headline of its own
    with store.match_recorder() as recorder:
        recorder.record(late, signature=b"", original_id=None, story_id=split,
                        story_title="Storm")
    assert stored_counts(store, flood) == recounted(store, flood)
    assert stored_counts(store, flood)[:2] == (3, 2)
    assert stored_counts(store, split) == recounted(store, split)
    assert stored_counts(store, split)[:2] == (2, 1)
    assert store.get_story(split).outlets == ["Two"]


def test_a_chain_of_merges_redirects_every_old_id_to_the_story_left(store: Store) -> None:
    made = [store.create_story("", first_seen=NOW - timedelta(hours=h)) for h in (3, 2, 1)]
    for n, story_id in enumerate(made):
        article_id = save(store, f"https://s{n}.example/a", f"S{n}", 3 - n)
        with store.match_recorder() as recorder:
            recorder.record(article_id, signature=b"", original_id=None, story_id=story_id,
                            story_title="Flood")
    newcomer = save(store, "https://new.example/a", "New", 0)
    with store.match_recorder() as recorder:  # 3 into 2, then 2 into 1: 3 leads to 1 at once
        recorder.record(newcomer, signature=b"", original_id=None, story_id=made[0],
                        story_title="Flood", merges=[(made[2], made[1]), (made[1], made[0])])
    assert [store.story_redirect(i) for i in made] == [None, made[0], made[0]]
    assert len(store.get_story(made[0]).article_ids) == 4
