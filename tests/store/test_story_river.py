"""The river by story, on SQLite and on PostgreSQL: each story once, placed by its newest listed
article, paged without repeats or gaps, under the article river's filters and unread marks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.model import Article
from newsdesk.store import ArticleQuery, Store
from tests.store.matches import record_match

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def save(store: Store, url: str, hours: int, **fields: object) -> int:
    article = Article(url=url, title=str(fields.pop("title", url)), **fields)  # type: ignore[arg-type]
    return store.save_article(article, fetched_at=NOW - timedelta(hours=hours))[0]


def build(store: Store) -> dict[str, int]:
    """Three stories interleaved in time, a copy, and an article in no story."""
    ids: dict[str, int] = {}
    flood = store.create_story("", first_seen=NOW - timedelta(hours=9))
    storm = store.create_story("", first_seen=NOW - timedelta(hours=8))
    quake = store.create_story("", first_seen=NOW - timedelta(hours=7))
    plan = [  # name, hours ago, story, title, original, site
        ("flood-a", 9, flood, "Flood in the north", None, "One"),
        ("storm-a", 8, storm, "Storm Elin arrives", None, "One"),
        ("quake-a", 7, quake, "Quake in Peru", None, "Two"),
        ("flood-b", 6, flood, "Northern flood", None, "Two"),
        ("flood-copy", 5, flood, "Flood in the north", "flood-a", "Three"),
        ("storm-b", 4, storm, "Elin: the storm", None, "Two"),
        ("quake-b", 2, quake, "Peru shaken", None, "Three"),
    ]
    for name, hours, story, title, original, site in plan:
        image = "https://one.example/flood.jpg" if name == "flood-b" else None
        ids[name] = save(store, f"https://{site.lower()}.example/{name}", hours, title=title,
                         site_name=site, image=image, language="en",
                         text="First sentence. Second sentence.")  # fmt: skip
        record_match(store, ids[name], story, title=plan[[p[2] for p in plan].index(story)][3],
                     original_id=ids[original] if original else None)  # fmt: skip
    ids["lone"] = save(store, "https://two.example/lone", 3, title="Unmatched", language="de")
    ids.update(flood=flood, storm=storm, quake=quake)
    return ids


@pytest.mark.parametrize("walk", [1, 2, 200])
def test_each_story_once_by_its_newest_article_paged_without_repeats(
    either_store: Store, walk: int
) -> None:
    store = either_store
    ids = build(store)
    every = store.story_river(ArticleQuery(), limit=10, walk=walk)
    assert [item.story_id for item in every] == [ids["quake"], None, ids["storm"], ids["flood"]]
    quake, lone, _, flood = every
    assert quake.newest == NOW - timedelta(hours=2)
    assert (flood.title, flood.articles, flood.outlets) == ("Flood in the north", 3, 3)
    # the lead: the article whose headline the story took, the original before its copy
    assert flood.lead.id == ids["flood-a"]
    assert flood.image == "https://one.example/flood.jpg"  # the lead has none: the story's
    assert lone.lead.id == ids["lone"] and lone.title == "Unmatched" and lone.articles == 1

    pages, after = [], None
    while True:
        page = store.story_river(ArticleQuery(), limit=1, after=after, walk=walk)
        if not page:
            break
        pages.append(page[0].story_id)
        after = page[-1].cursor
    assert pages == [item.story_id for item in every]


def test_filters_are_the_article_rivers_and_unread_counts_match(either_store: Store) -> None:
    store = either_store
    ids = build(store)
    reader = store.create_user("reader", "hash")
    originals = ArticleQuery(originals_only=True, language="en", user_id=reader.id)
    assert [item.articles for item in store.story_river(originals)] == [2, 2, 3]
    store.set_read(reader.id, [ids["quake-b"], ids["storm-a"], ids["storm-b"]])
    unread = originals.with_(read=False)
    items = store.story_river(unread, walk=1)
    # storm is read whole and leaves; quake stays while one of its articles is unread
    assert [item.story_id for item in items] == [ids["flood"], ids["quake"]]
    assert [item.unread for item in items] == [2, 1]  # flood's copy is not listed
    assert items[1].newest == NOW - timedelta(hours=7)  # placed by its unread article
    listed = store.article_ids(unread)
    assert sum(item.unread for item in items) == len(listed)
    # marking a story read marks every article of it, copies too
    store.mark_all_read(reader.id, story_id=ids["flood"])
    assert [item.story_id for item in store.story_river(unread)] == [ids["quake"]]
    assert store.article_states(reader.id, [ids["flood-copy"]])[ids["flood-copy"]][0] is True
    # a feed-less filter on another language: only the lone German article
    german = store.story_river(ArticleQuery(language="de"))
    assert [(item.story_id, item.lead.id) for item in german] == [(None, ids["lone"])]
