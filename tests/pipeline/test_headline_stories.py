"""Stories from headlines alone, as many feeds and paywalled pages give them: articles with a
headline and no body, saved to a real store and grouped by the matching step as polling does,
then read back from the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.pipeline.matching import MatchStep
from newsdesk.store import Store

T0 = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)

# one event, ten outlets, ten headlines written each its own way
FLOOD = [
    "Floods hit Valencia as torrential rain swamps eastern Spain",
    "Valencia flooding: at least 52 dead after storm batters Spain",
    "Spain floods: rescuers search for missing in Valencia region",
    "Deadly flash floods sweep through Valencia, Spain",
    "Spanish PM Sánchez declares three days of mourning after Valencia floods",
    "Valencia floods death toll rises to 52 as cars swept away",
    "Torrential rain in Valencia leaves dozens dead, roads cut",
    "Spain: Valencia residents trapped on rooftops as floodwaters rise",
    "At least 52 killed in Valencia floods, Spain's worst in decades",
    "Army deployed to Valencia after deadly floods",
]

# two look-alike events on one day: earthquakes, other places, magnitudes and tolls
PERU = [
    "Magnitude 7.1 earthquake strikes southern Peru near Arequipa",
    "Peru earthquake: 7.1 quake shakes Arequipa, homes damaged",
    "Strong earthquake in Peru's Arequipa region kills 3",
    "Arequipa quake: Peru counts damage after magnitude 7.1 tremor",
    "Peru: three dead as 7.1 earthquake hits Arequipa",
]
TURKEY = [
    "Magnitude 5.9 earthquake strikes eastern Turkey near Malatya",
    "Turkey earthquake: 5.9 quake shakes Malatya, buildings collapse",
    "Strong earthquake in Turkey's Malatya province injures 40",
    "Malatya quake: Turkey counts damage after magnitude 5.9 tremor",
    "Turkey: 40 injured as 5.9 earthquake hits Malatya",
]


def headline(outlet: str, title: str, minutes: int) -> Article:
    return Article(
        url=f"https://{outlet}.example/news/{minutes}",
        title=title,
        text="",
        site_name=outlet,
        published=T0 + timedelta(minutes=minutes),
    )


def stories_of(store: Store, ids: list[int]) -> set[int | None]:
    return {article.story_id for article in store.get_articles(ids)}


def match_as_polled(store: Store, settings: Settings, articles: list[Article]) -> list[int]:
    """Save the articles in order and match them a few at a time, as polls hand them over."""
    step = MatchStep.open(store, settings)
    ids = [store.save_article(article)[0] for article in articles]
    for start in range(0, len(ids), 3):
        step.match_many(ids[start : start + 3])
    assert store.count_unmatched() == 0
    return ids


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Store, Settings]]:
    settings = Settings(data_dir=tmp_path)
    opened = Store.open(settings)
    yield opened, settings
    opened.close()


def test_ten_headlines_of_one_event_form_one_story(store: tuple[Store, Settings]) -> None:
    db, settings = store
    articles = [headline(f"outlet{i}", title, 9 * i) for i, title in enumerate(FLOOD)]
    ids = match_as_polled(db, settings, articles)
    (story_id,) = stories_of(db, ids)
    story = db.get_story(story_id)
    assert sorted(story.article_ids) == sorted(ids)
    assert len(story.outlets) == 10


@pytest.mark.parametrize("interleave", [False, True], ids=["one-then-other", "interleaved"])
def test_two_look_alike_earthquakes_from_headlines_stay_two(
    store: tuple[Store, Settings], interleave: bool
) -> None:
    db, settings = store
    if interleave:
        titles = [title for pair in zip(PERU, TURKEY, strict=True) for title in pair]
    else:
        titles = PERU + TURKEY
    articles = [headline(f"outlet{i}", title, 11 * i) for i, title in enumerate(titles)]
    ids = dict(zip(titles, match_as_polled(db, settings, articles), strict=True))
    peru = stories_of(db, [ids[title] for title in PERU])
    turkey = stories_of(db, [ids[title] for title in TURKEY])
    assert len(peru) == 1 and len(turkey) == 1 and None not in peru | turkey
    assert peru != turkey
