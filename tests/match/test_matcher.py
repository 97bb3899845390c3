from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings
from newsdesk.match.matcher import Matcher
from newsdesk.match.stories import StoryParams
from newsdesk.match.traits import article_traits
from newsdesk.model import Article
from tests.match.test_dedup import WIRE
from tests.match.test_stories import FOOTBALL

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
OWN_REPORT = """\
Villagers in the northern province described the night the hillside gave way after days of
torrential rain, as rescue teams reached cut-off villages and the governor confirmed at least
fourteen deaths. Helicopters carried food and medicine to stranded residents while engineers
worked on the washed-out mountain road, and schools stayed closed in four districts."""


def test_a_wire_story_and_its_copies_make_one_story_with_every_outlet() -> None:
    matcher = Matcher()
    first = matcher.add(1, Article(url="https://a.example/1", title="Landslides kill 14",
                                   text=WIRE), at=T0, outlet="a.example")
    copy = matcher.add(2, Article(url="https://b.example/2", title="Rescuers race to villages",
                                  text="By Jane Roe\n\n" + WIRE), at=T0 + timedelta(hours=1),
                       outlet="b.example")
    own = matcher.add(3, Article(url="https://c.example/3", title="Landslides: 14 dead as rain "
                                 "cuts off northern villages", text=OWN_REPORT),
                      at=T0 + timedelta(hours=2), outlet="c.example")
    other = matcher.add(4, Article(url="https://d.example/4", title=FOOTBALL[0],
                                   text=FOOTBALL[1]), at=T0, outlet="d.example")
    assert first.duplicate is None and own.duplicate is None
    assert copy.duplicate is not None and copy.duplicate.original_id == 1
    assert copy.story.story_id == first.story.story_id == own.story.story_id
    assert other.story.story_id != first.story.story_id
    story = matcher.stories.story(first.story.story_id)
    assert story.outlets == ("a.example", "b.example", "c.example")


def test_the_story_settings_reach_the_matcher() -> None:
    strict = StoryParams.from_settings(Settings(story_join_score=0.99, story_window_hours=24))
    assert strict.window_hours == 24 and strict.refine_every == StoryParams().refine_every
    matcher = Matcher(strict)
    first = matcher.add(1, Article(url="https://a.example/1", title="Landslides kill 14",
                                   text=WIRE), at=T0, outlet="a.example")
    own = matcher.add(3, Article(url="https://c.example/3", title="Landslides: 14 dead as rain "
                                 "cuts off northern villages", text=OWN_REPORT),
                      at=T0 + timedelta(hours=2), outlet="c.example")
    assert own.story.created and own.story.story_id != first.story.story_id


def test_precomputed_traits_and_restored_decisions_match_like_add() -> None:
    original = Article(url="https://a.example/1", title="Landslides kill 14", text=WIRE)
    copy = Article(url="https://b.example/2", title="Rescuers race", text="By Jane Roe\n\n" + WIRE)
    restored = Matcher()
    restored.restore_duplicate(1, article_traits(original).signature, None)
    restored.restore_story(1, original.title, original.text, T0, story_id=7, outlet="a.example")
    found = restored.add_traits(2, copy.title, article_traits(copy), at=T0, outlet="b.example")
    assert found.duplicate is not None and found.duplicate.original_id == 1
    assert found.story.story_id == 7 and restored.story_title(7)
    # an original out of the window: its story comes from the caller
    later = Matcher()
    later.restore_duplicate(1, article_traits(original).signature, None)
    stored = later.add_traits(
        2, copy.title, article_traits(copy), at=T0, stored_story={1: 9}.get
    )
    assert stored.story.story_id == 9
