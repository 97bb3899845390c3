"""The related-articles service on a real SQLite store: what is related, and what never is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.model import Article
from newsdesk.store import Store
from tests.match.test_stories import CHILE, FOLLOW_UP, FOOTBALL, JAPAN, PERU_1, PERU_2
from tests.store.matches import record_match

T0 = datetime.now(UTC) - timedelta(days=2)


def _save(store: Store, texts: dict[str, tuple[str, str]]) -> dict[str, int]:
    ids = {}
    for number, (name, (title, text)) in enumerate(texts.items()):
        feed, _ = store.add_feed(f"https://outlet{number}.example/feed")
        moment = T0 + timedelta(hours=number)
        ids[name] = store.save_article(
            Article(url=f"https://outlet{number}.example/a", title=title, text=text,
                    published=moment),
            feed_id=feed.id, fetched_at=moment,
        )[0]  # fmt: skip
    return ids


def _group(
    store: Store, members: dict[str, list[int]], copies: dict[int, int] | None = None
) -> dict[str, int]:
    """Stories (by title) holding the given articles, and copies (copy: original), recorded
    as the matching step records them."""
    copies = copies or {}
    made = {}
    for title, ids in members.items():
        made[title] = store.create_story(title, first_seen=T0)
        for article_id in ids:
            record_match(store, article_id, made[title], original_id=copies.get(article_id),
                         title=title)  # fmt: skip
    return made


@pytest.fixture
def quakes(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    ids = _save(store, {"peru": PERU_1, "japan": JAPAN, "football": FOOTBALL, "chile": CHILE,
                        "peru2": PERU_2, "follow": FOLLOW_UP})  # fmt: skip
    made = _group(store, {
        "peru": [ids["peru"], ids["peru2"], ids["follow"]], "japan": [ids["japan"]],
        "football": [ids["football"]], "chile": [ids["chile"]],
    })  # fmt: skip
    return ids, made


def test_another_earthquake_is_related_never_football_or_copper(
    store: Store, quakes: tuple[dict[str, int], dict[str, int]]
) -> None:
    ids, made = quakes
    found = store.related_stories(ids["peru"])
    assert made["japan"] in [story.story_id for story in found]
    assert not {made["peru"], made["football"], made["chile"]} & {s.story_id for s in found}
    assert {story.title for story in found} == {"japan"}
    assert store.related_stories(ids["football"]) == []
    assert store.related_stories(ids["japan"])[0].story_id == made["peru"]  # both ways


def test_related_articles_are_the_story_first_then_neighbours(
    store: Store, quakes: tuple[dict[str, int], dict[str, int]]
) -> None:
    ids, _ = quakes
    related = store.related_articles(store.get_article(ids["peru"]))
    assert [(r.item.id, r.same_story) for r in related] == [
        (ids["follow"], True),
        (ids["peru2"], True),
        (ids["japan"], False),
    ]  # the story's coverage newest first, then its neighbours
    assert 0 < related[-1].score < 1
    assert store.related_articles(store.get_article(ids["chile"])) == []
    assert len(store.related_articles(store.get_article(ids["peru"]), limit=1)) == 1


def test_copies_and_their_stories_are_never_related(store: Store) -> None:
    ids = _save(store, {"peru": PERU_1, "japan": JAPAN, "copy": PERU_2})
    made = _group(store, {"own": [ids["peru"]], "japan": [ids["japan"]], "copy's": [ids["copy"]]},
                  copies={ids["copy"]: ids["peru"]})  # fmt: skip
    # the copy is the original's best neighbour, and its story would be the best related one
    assert {story.story_id for story in store.related_stories(ids["peru"])} == {made["japan"]}
    items = {r.item.id for r in store.related_articles(store.get_article(ids["peru"]))}
    assert items == {ids["japan"]}
    from_copy = {story.story_id for story in store.related_stories(ids["copy"])}
    assert not {made["own"], made["copy's"]} & from_copy
    assert ids["peru"] not in {
        r.item.id for r in store.related_articles(store.get_article(ids["copy"]))
    }
    with pytest.raises(NotFoundError):
        store.related_stories(424242)
