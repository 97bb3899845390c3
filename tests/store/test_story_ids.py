"""Story ids that hold when the stored grouping is decided again (as `regroup` does: read the
first articles, clear, record the new decisions, keep the ids), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.model import Article
from newsdesk.store import Store

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def group(store: Store, groups: list[list[int]]) -> list[int]:
    """Record each group of articles as one new story; the story ids."""
    made = []
    for members in groups:
        story_id = store.create_story("", first_seen=NOW)
        with store.match_recorder() as recorder:
            for article_id in members:
                recorder.record(article_id, signature=b"", original_id=None, story_id=story_id,
                                story_title="Flood")
        made.append(story_id)
    return made


def regrouped(store: Store, groups: list[list[int]]) -> None:
    firsts = store.first_articles_of_stories()
    store.clear_matches()
    kept = store.story_ids()
    group(store, groups)
    store.keep_story_ids(firsts, kept=kept)


def story_of(store: Store, article_id: int) -> int:
    story_id = store.get_article(article_id).story_id
    assert story_id is not None
    return story_id


def test_ids_hold_through_a_regroup_a_merge_and_a_split(either_store: Store) -> None:
    store = either_store
    ids = [
        store.save_article(Article(url=f"https://s{n}.example/a", title="Flood"),
                           fetched_at=NOW + timedelta(hours=n))[0]
        for n in range(6)
    ]
    a, b, c = group(store, [[ids[0], ids[1]], [ids[2], ids[3]], [ids[4], ids[5]]])

    regrouped(store, [[ids[0], ids[1]], [ids[2], ids[3]], [ids[4], ids[5]]])  # the same
    assert [story_of(store, i) for i in ids] == [a, a, b, b, c, c]
    assert {store.story_redirect(s) for s in (a, b, c)} == {None}

    # b and c decided as one story: it keeps b's id (its earliest article's), c redirects
    regrouped(store, [[ids[0], ids[1]], [ids[5], ids[2], ids[3], ids[4]]])
    assert [story_of(store, i) for i in ids] == [a, a, b, b, b, b]
    assert store.story_redirect(c) == b
    assert store.get_story(b).article_ids == ids[2:]

    # split again: the part of the earliest article keeps b, the other takes a new id
    regrouped(store, [[ids[0], ids[1]], [ids[2], ids[3]], [ids[4], ids[5]]])
    new = story_of(store, ids[4])
    assert [story_of(store, i) for i in ids] == [a, a, b, b, new, new]
    assert new not in (a, b) and store.story_redirect(b) is None
    assert store.story_redirect(c) == b  # still the story its first article is in

    # a and b decided as one story: it keeps a's id (its earliest article's), b redirects
    regrouped(store, [[ids[0], ids[1], ids[2], ids[3]], [ids[4], ids[5]]])
    assert [story_of(store, i) for i in ids] == [a, a, a, a, new, new]
    assert store.story_redirect(b) == a and store.story_redirect(c) == a
