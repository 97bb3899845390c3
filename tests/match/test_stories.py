from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from newsdesk.match import stories
from newsdesk.match.features import article_features
from newsdesk.match.stories import StoryIndex, StoryParams

DEFAULTS = StoryParams()

T0 = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)

PERU_1 = (
    "Magnitude 7.1 earthquake strikes southern Peru near Arequipa",
    "A magnitude 7.1 earthquake struck southern Peru early on Tuesday near the city of Arequipa, "
    "the Peruvian Geophysical Institute said. Officials in Arequipa reported 12 deaths and "
    "damaged colonial churches. President Dina Boluarte flew to Arequipa to inspect the damage.",
)
PERU_2 = (
    "Peru quake death toll rises to 18 as Arequipa counts damage",
    "The death toll from the magnitude 7.1 earthquake in southern Peru rose to 18, authorities "
    "in Arequipa said on Tuesday evening. Rescue teams searched collapsed homes in Arequipa "
    "province and President Dina Boluarte declared a state of emergency in the region.",
)
JAPAN = (
    "Magnitude 6.2 earthquake shakes Hokkaido in northern Japan",
    "A magnitude 6.2 earthquake shook Hokkaido in northern Japan on Tuesday, the Japan "
    "Meteorological Agency said. Trains around Sapporo were halted and 3 people were injured "
    "in Sapporo. No tsunami warning was issued for the Hokkaido coast.",
)
FOLLOW_UP = (
    "Arequipa rebuilds churches damaged in Peru earthquake",
    "Days after the magnitude 7.1 earthquake, Arequipa began repairs on churches damaged in the "
    "Peru disaster. President Dina Boluarte promised funds for Arequipa as the death toll "
    "stood at 18.",
)
FOOTBALL = (
    "Newcastle beat Arsenal 2-1 in Premier League thriller",
    "Alexander Isak scored twice as Newcastle beat Arsenal 2-1 at St James' Park on Saturday, "
    "lifting Newcastle into the Premier League top four. Arsenal manager Mikel Arteta said his "
    "side lacked sharpness.",
)
CHILE = (
    "Chile copper mine strike halts output at Escondida",
    "Workers at the Escondida copper mine in Chile went on strike, halting output at the world's "
    "largest copper mine, BHP said. The Escondida union demands a bonus after record profits.",
)


def _add(index: StoryIndex, article_id: int, article: tuple[str, str], hours: float, outlet: str):
    title, text = article
    return index.add(article_id, title, text, T0 + timedelta(hours=hours), outlet=outlet)


def test_two_earthquakes_on_one_day_stay_two_stories() -> None:
    index = StoryIndex()
    peru = _add(index, 1, PERU_1, 0, "a.example")
    japan = _add(index, 2, JAPAN, 1, "b.example")
    peru_again = _add(index, 3, PERU_2, 2, "c.example")
    assert peru.created and japan.created
    assert japan.story_id != peru.story_id
    assert peru_again.story_id == peru.story_id and not peru_again.created


def test_a_follow_up_joins_its_story_and_the_story_lists_its_coverage() -> None:
    index = StoryIndex()
    first = _add(index, 1, PERU_1, 0, "a.example")
    _add(index, 2, JAPAN, 1, "b.example")
    _add(index, 3, PERU_2, 3, "c.example")
    follow = _add(index, 4, FOLLOW_UP, 40, "d.example")
    assert follow.story_id == first.story_id
    story = index.story(first.story_id)
    assert story is not None
    assert story.article_ids == (1, 3, 4)
    assert story.outlets == ("a.example", "c.example", "d.example")
    assert story.title in {PERU_1[0], PERU_2[0], FOLLOW_UP[0]}
    assert story.first_seen == T0 and story.last_seen == T0 + timedelta(hours=40)


def test_stories_close_when_they_leave_the_window() -> None:
    index = StoryIndex(StoryParams(window_hours=24))
    first = _add(index, 1, PERU_1, 0, "a.example")
    later = _add(index, 2, PERU_2, 30, "b.example")  # beyond the window: a new story
    assert later.story_id != first.story_id
    assert index.story(first.story_id) is None


def test_restoring_assignments_keeps_story_ids() -> None:
    index = StoryIndex(next_id=50)
    index.add(1, *PERU_1, T0, story_id=7)
    index.add(2, *PERU_2, T0, story_id=7)
    assert index.story(7).article_ids == (1, 2)
    fresh = index.add(3, *FOOTBALL, T0)
    assert fresh.story_id == 50


def test_new_story_ids_can_come_from_the_caller() -> None:
    made: list[datetime] = []

    def new_id(first_seen: datetime) -> int:
        made.append(first_seen)
        return 1000 + len(made)

    index = StoryIndex(new_id=new_id)
    assert index.add(1, *PERU_1, T0).story_id == 1001
    assert index.add(2, *FOOTBALL, T0 + timedelta(hours=1)).story_id == 1002
    assert made == [T0, T0 + timedelta(hours=1)]


def test_converging_stories_merge_and_report_it() -> None:
    index = StoryIndex()
    # Two headline-only items too thin to join, then the full report that ties them together.
    a = index.add(1, "Arequipa quake", "", T0)
    b = index.add(2, "Peru Boluarte emergency", "", T0)
    assert a.story_id != b.story_id
    seen = {a.story_id, b.story_id}
    for article_id, article in enumerate((PERU_1, PERU_2, FOLLOW_UP), start=3):
        result = index.add(article_id, *article, T0 + timedelta(hours=article_id))
        for merge in result.merges:
            assert merge.merged in seen | {result.story_id}
            seen.discard(merge.merged)
    assert len({index.story_of(i) for i in range(3, 6)}) == 1


def _quake_articles() -> list[tuple[str, str, str, datetime]]:
    """(group, headline, body, published) of the fixture publisher's two earthquakes."""
    from tests.sites.pages.content import QUAKES

    return [
        (story.group, story.headline, "\n\n".join(story.paragraphs), story.published)
        for story in QUAKES
    ]


def test_two_earthquakes_stay_apart_in_every_arrival_order() -> None:
    quakes = _quake_articles()
    assert {group for group, *_ in quakes} == {"quake-peru", "quake-turkey"}
    for order in permutations(range(len(quakes))):
        index = StoryIndex()
        for step, i in enumerate(order):
            _, title, text, _ = quakes[i]
            index.add(i, title, text, T0 + timedelta(minutes=10 * step))
        final = {
            group: {index.story_of(i) for i, (g, *_) in enumerate(quakes) if g == group}
            for group in ("quake-peru", "quake-turkey")
        }
        assert all(len(ids) == 1 for ids in final.values()), (order, final)
        assert final["quake-peru"] != final["quake-turkey"], order


def test_two_earthquakes_stay_apart_in_publication_order() -> None:
    quakes = sorted(_quake_articles(), key=lambda q: q[3])
    index = StoryIndex()
    stories: dict[str, set[int]] = {}
    for i, (group, title, text, published) in enumerate(quakes):
        stories.setdefault(group, set()).add(index.add(i, title, text, published).story_id)
    assert len(stories["quake-peru"]) == 1 and len(stories["quake-turkey"]) == 1
    assert stories["quake-peru"] != stories["quake-turkey"]


def test_numbers_that_disagree_cut_the_score_of_a_look_alike() -> None:
    index = StoryIndex()
    peru = _add(index, 1, PERU_1, 0, "a.example")
    other_numbers = (PERU_1[0].replace("7.1", "5.4"),
                     PERU_1[1].replace("7.1", "5.4").replace("12 deaths", "40 deaths"))
    no_numbers = (PERU_1[0].replace("7.1 ", ""),
                  PERU_1[1].replace("magnitude 7.1 ", "").replace("12 deaths", "deaths"))
    same = index.similar_stories(article_features(*PERU_1), T0)[0]
    conflict = index.similar_stories(article_features(*other_numbers), T0)[0]
    silent = index.similar_stories(article_features(*no_numbers), T0)[0]
    assert same[1] == conflict[1] == silent[1] == peru.story_id
    # same words, other magnitude and toll: another quake, scored down; no numbers: no conflict
    assert conflict[0] <= DEFAULTS.number_conflict * same[0]
    assert silent[0] > DEFAULTS.number_conflict * same[0]


REID = [
    ("Tara Reid checks into Promises rehab in Malibu",
     "Actress Tara Reid checked herself into the Promises Treatment Center in Malibu, her "
     "representative Jack Ketsoyan told People magazine. Reid asked for privacy for her family."),
    ("Tara Reid enters rehab at Promises",
     "Tara Reid has entered the Promises Treatment Center in Malibu, her rep Jack Ketsoyan said. "
     "Friends of Reid said the actress made the decision herself."),
    ("Reid seeks treatment at Malibu clinic",
     "The American Pie actress Tara Reid is being treated at Promises in Malibu, Jack Ketsoyan "
     "told People. He would not say what Reid was being treated for."),
]
LOHAN = ("Lindsay Lohan checks into Betty Ford rehab",
         "Actress Lindsay Lohan checked herself into the Betty Ford clinic in Rancho Mirage, her "
         "representative Steve Honig told People magazine. Lohan asked for privacy for her family.")


def _reid_story(params: StoryParams = DEFAULTS) -> tuple[StoryIndex, int]:
    """An index holding other events and Tara Reid's stay in rehab, and the stay's story."""
    index = StoryIndex(params)
    for i, article in enumerate((PERU_1, JAPAN, FOOTBALL, CHILE)):
        _add(index, 100 + i, article, 0, "o.example")
    reid = {_add(index, i, article, i, f"{i}.example").story_id for i, article in enumerate(REID)}
    assert len(reid) == 1
    return index, reid.pop()


def test_a_report_holding_the_story_s_recurring_names_scores_higher_than_a_look_alike() -> None:
    index, reid = _reid_story()
    words, reid_without = _reid_story(StoryParams(anchor_bonus=0.0))
    assert reid_without == reid
    follow_up = article_features(
        "Friends rally round Reid",
        "Friends of Tara Reid said the actress is doing well at Promises in Malibu.",
    )
    lohan = article_features(*LOHAN)
    anchored = [index.similar_stories(features, T0)[0] for features in (follow_up, lohan)]
    words_only = [words.similar_stories(features, T0)[0] for features in (follow_up, lohan)]
    assert {story for _, story in anchored + words_only} == {reid}
    # the follow-up names the actress, the clinic and the town the story keeps naming: its score
    # is raised in full; another actress in another clinic shares words and none of them
    assert anchored[0][0] == pytest.approx((1 + DEFAULTS.anchor_bonus) * words_only[0][0])
    assert anchored[1][0] == pytest.approx(words_only[1][0])
    assert anchored[1][0] < DEFAULTS.join_score
    assert _add(index, 10, LOHAN, 4, "l.example").created



def test_a_report_without_the_story_s_lead_name_is_not_raised_by_its_anchors() -> None:
    index, reid = _reid_story()
    words, reid_without = _reid_story(StoryParams(anchor_bonus=0.0))
    assert reid_without == reid
    story = index._stories[reid]
    assert index._story_lead_name(story) == "reid"
    # the clinic, the town and the agent the story keeps naming, but another patient: another
    # stay at the same clinic, which holds the anchors both stays would share
    other_patient = article_features(
        "Lohan enters Promises in Malibu",
        "Lindsay Lohan entered the Promises Treatment Center in Malibu, Jack Ketsoyan told "
        "People magazine. Lohan asked for privacy.",
    )
    same_patient = article_features(
        "Reid enters Promises in Malibu",
        "Tara Reid entered the Promises Treatment Center in Malibu, Jack Ketsoyan told People "
        "magazine. Reid asked for privacy.",
    )
    scored = [index.similar_stories(f, T0)[0] for f in (other_patient, same_patient)]
    words_only = [words.similar_stories(f, T0)[0] for f in (other_patient, same_patient)]
    assert {s for _, s in scored + words_only} == {story.id}
    assert scored[0][0] == pytest.approx(words_only[0][0])  # no raise without "Reid"
    assert scored[1][0] == pytest.approx((1 + DEFAULTS.anchor_bonus) * words_only[1][0])


def test_the_headline_is_the_most_central_one_and_follows_the_story() -> None:
    index = StoryIndex()
    # an off-centre first headline, then fuller reports: the headline moves to a central one
    story_id = index.add(1, "Pictures of the week", "Photographs from around the world this "
                         "week, from a gallery opening to a flower show in Arequipa.", T0).story_id
    for article_id, article in enumerate((PERU_1, PERU_2, FOLLOW_UP), start=2):
        index.add(article_id, *article, T0 + timedelta(hours=article_id), story_id=story_id)
    summary = index.story(story_id)
    assert summary is not None and summary.title != "Pictures of the week"
    assert summary.title in {PERU_1[0], PERU_2[0], FOLLOW_UP[0]}
    # the elected headline is the member closest to the centroid among all members
    story = index._stories[story_id]
    best = max(story.members, key=lambda m: index._centrality(story, m))
    assert summary.title == best.title


def test_a_headline_only_member_never_empties_the_story_headline() -> None:
    index = StoryIndex()
    first = index.add(1, *PERU_1, T0)
    index.add(2, "", PERU_2[1], T0 + timedelta(hours=1), story_id=first.story_id)
    assert index.story(first.story_id).title == PERU_1[0]


def test_an_article_filed_under_the_wrong_story_moves_when_the_latest_are_weighed_again() -> None:
    index = StoryIndex(StoryParams(refine_every=2))
    # as restored from a store: the second Peru report was filed under the Chile strike
    index.add(1, *PERU_1, T0, story_id=10)
    index.add(2, *CHILE, T0 + timedelta(hours=1), story_id=20)
    index.add(3, *PERU_2, T0 + timedelta(hours=2), story_id=20)
    first = _add(index, 4, FOLLOW_UP, 3, "d.example")  # the first decided: no weighing yet
    assert first.moves == () and first.story_id == 10
    second = _add(index, 5, FOOTBALL, 4, "e.example")
    assert [(m.article_id, m.into) for m in second.moves] == [(3, 10)]
    assert index.story_of(3) == 10
    assert index.story(10).article_ids == (1, 3, 4)
    assert index.story(20).article_ids == (2,)
    assert index.story(20).title == CHILE[0]


def test_a_story_left_without_articles_is_closed() -> None:
    index = StoryIndex(StoryParams(refine_every=1))
    index.add(1, *PERU_1, T0, story_id=10)
    index.add(2, *PERU_2, T0 + timedelta(hours=1), story_id=20)  # a story of its own, wrongly
    moved = _add(index, 3, FOLLOW_UP, 2, "c.example")
    assert {(m.article_id, m.into) for m in moved.moves} == {(2, 10)}
    assert index.story(20) is None and index.story_of(2) == 10
    assert moved.story_id == 10


RAHMAN = ("Klitschko stops Rahman in seventh round to keep heavyweight titles",
          "Wladimir Klitschko stopped Hasim Rahman in the seventh round in Mannheim to keep his "
          "heavyweight titles. Rahman, a former champion, was outboxed from the start and Rahman "
          "barely landed a punch before the referee stopped the fight.")
THOMPSON = ("Klitschko stops Thompson in sixth round to keep heavyweight titles",
            "Wladimir Klitschko stopped Tony Thompson in the sixth round in Bern to keep his "
            "heavyweight titles. Thompson, a former challenger, was outboxed from the start and "
            "Thompson barely landed a punch before the referee stopped the fight.")
RAHMAN_AGAIN = ("Rahman stopped by Klitschko in seventh round",
                "Hasim Rahman was stopped in the seventh round by Wladimir Klitschko in Mannheim. "
                "Rahman was outboxed from the start and Rahman barely landed a punch before the "
                "referee stopped the fight to keep Klitschko's heavyweight titles.")


def test_a_report_whose_lead_name_and_the_story_s_miss_each_other_is_scored_down() -> None:
    index = StoryIndex()
    fight = _add(index, 1, RAHMAN, 0, "a.example")
    uncut = StoryIndex(StoryParams(lead_name_conflict=1.0))
    assert _add(uncut, 1, RAHMAN, 0, "a.example").story_id == fight.story_id
    other = article_features(*THOMPSON)  # the same champion, another opponent: another fight
    again = article_features(*RAHMAN_AGAIN)  # the same fight told again
    cut = index.similar_stories(other, T0, placing=True)
    kept = index.similar_stories(again, T0, placing=True)
    related = index.similar_stories(other, T0)  # still related: not cut
    whole = uncut.similar_stories(other, T0, placing=True)
    kept_whole = uncut.similar_stories(again, T0, placing=True)
    assert cut[0][1] == whole[0][1] == kept[0][1] == fight.story_id
    assert cut[0][0] == pytest.approx(DEFAULTS.lead_name_conflict * whole[0][0])
    assert related[0][0] == pytest.approx(whole[0][0])
    assert kept[0][0] == pytest.approx(kept_whole[0][0])  # its lead name is the story's


def test_the_lead_name_is_the_name_a_report_weighs_most() -> None:
    index = StoryIndex()
    _add(index, 1, RAHMAN, 0, "a.example")
    vector = index.vocabulary.weigh(article_features(*THOMPSON).weights)
    assert stories._lead_name(vector) == "thompson"
    assert stories._lead_name(index.vocabulary.weigh({"quake": 1.0, "n:7.1": 1.0})) is None
    story = index._stories[index.story_of(1)]
    assert index._story_lead_name(story) == "rahman"


RAHMAN_3 = ("Rahman loses to Klitschko in Mannheim",
            "Hasim Rahman lost to Wladimir Klitschko in Mannheim on Saturday night. The former "
            "champion Rahman could not answer the jab and the fight in Mannheim ended in the "
            "seventh round.")
THOMPSON_AGAIN = ("Thompson stopped by Klitschko in sixth round",
                  "Tony Thompson was stopped in the sixth round by Wladimir Klitschko in Bern. "
                  "Thompson was outboxed from the start and Thompson barely landed a punch before "
                  "the referee stopped the fight to keep Klitschko's heavyweight titles.")
THOMPSON_3 = ("Thompson loses to Klitschko in Bern",
              "Tony Thompson lost to Wladimir Klitschko in Bern on Saturday night. The challenger "
              "Thompson could not answer the jab and the fight in Bern ended in the sixth round.")
TWO_FIGHTS = (RAHMAN, RAHMAN_AGAIN, RAHMAN_3, THOMPSON, THOMPSON_AGAIN, THOMPSON_3)


def _two_fights_in_one_story(index: StoryIndex) -> None:
    # as restored from a store: Thompson's first report joined the Rahman fight's young story
    # and the rest of its coverage followed
    for article_id, article in enumerate(TWO_FIGHTS, start=1):
        index.add(article_id, *article, T0 + timedelta(hours=article_id), story_id=10)


@pytest.mark.parametrize("rule", [True, False])
def test_a_story_holding_two_events_is_cut_in_two_when_the_latest_are_weighed_again(
    rule: bool,
) -> None:
    split_cross = DEFAULTS.split_cross if rule else 0.0
    index = StoryIndex(StoryParams(refine_every=1, split_cross=split_cross))
    _two_fights_in_one_story(index)
    weighed = _add(index, 7, CHILE, 7, "g.example")
    if not rule:
        assert weighed.moves == ()
        assert index.story(10).article_ids == (1, 2, 3, 4, 5, 6)
        return
    # the group of the story's first report keeps it; the other fight's reports leave together
    assert sorted(m.article_id for m in weighed.moves) == [4, 5, 6]
    into = {m.into for m in weighed.moves}
    assert len(into) == 1 and into != {10, weighed.story_id}
    split = into.pop()
    assert index.story(10).article_ids == (1, 2, 3)
    assert index.story(split).article_ids == (4, 5, 6)
    assert "Thompson" in index.story(split).title
    assert "Rahman" in index.story(10).title
    # a later report of either fight joins its own
    assert _add(index, 8, RAHMAN, 8, "h.example").story_id == 10
    assert _add(index, 9, THOMPSON_3, 9, "i.example").story_id == split


def test_one_event_s_coverage_is_not_cut_in_two() -> None:
    index = StoryIndex(StoryParams(refine_every=1))
    for article_id, article in enumerate(TWO_FIGHTS[:3] + (RAHMAN, RAHMAN_AGAIN, RAHMAN_3), 1):
        index.add(article_id, *article, T0 + timedelta(hours=article_id), story_id=10)
    assert _add(index, 7, CHILE, 7, "g.example").moves == ()
    assert index.story(10).article_ids == (1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize("rule", [True, False])
def test_stories_that_read_as_two_events_are_not_merged(rule: bool) -> None:
    # a merge score of 0: centroids alone would merge them
    split_cross = DEFAULTS.split_cross if rule else 0.0
    index = StoryIndex(StoryParams(merge_score=0.0, split_cross=split_cross, refine_every=0))
    for article_id, article in enumerate(TWO_FIGHTS, start=1):
        index.add(article_id, *article, T0 + timedelta(hours=article_id),
                  story_id=10 if article_id <= 3 else 20)
    joined = _add(index, 7, RAHMAN_AGAIN, 7, "g.example")
    assert joined.story_id == 10
    if rule:
        assert joined.merges == ()
        assert index.story(20).article_ids == (4, 5, 6)
    else:
        assert [(m.merged, m.into) for m in joined.merges] == [(20, 10)]


@pytest.mark.parametrize("first_id", [1, 99])
def test_the_latest_placed_are_weighed_again_whatever_their_ids(first_id: int) -> None:
    # only the one placed before the newest is weighed again
    index = StoryIndex(StoryParams(refine_every=1, refine_latest=1))
    index.add(50, *PERU_1, T0, story_id=10)
    index.add(60, *CHILE, T0 + timedelta(hours=1), story_id=20)
    # placed last before the newest, filed under the Chile strike: an id lower or higher than
    # the others (a replay, an import) does not change which article is weighed again
    index.add(first_id, *PERU_2, T0 + timedelta(hours=2), story_id=20)
    weighed = _add(index, 70, FOLLOW_UP, 3, "d.example")
    assert weighed.story_id == 10
    assert [(m.article_id, m.into) for m in weighed.moves] == [(first_id, 10)]


def test_a_short_report_joins_an_established_story_from_the_short_join_score() -> None:
    # join_score out of reach: only the short reports' threshold can place a newcomer
    params = StoryParams(join_score=9, short_join_score=0.05, merge_score=9, refine_every=0)
    peru_2_headline = (PERU_2[0], "")
    index = StoryIndex(params)
    first = _add(index, 1, PERU_1, 0, "a.example").story_id
    # a story of one report says too little to take in a headline on the lower threshold
    assert _add(index, 2, peru_2_headline, 1, "b.example").story_id != first
    index = StoryIndex(params)
    first = _add(index, 1, PERU_1, 0, "a.example").story_id
    assert index.add(2, PERU_2[0], PERU_2[1], T0, outlet="b.example", story_id=first)
    assert _add(index, 3, peru_2_headline, 2, "c.example").story_id == first
    # with a body the article says enough to be held to join_score
    assert _add(index, 4, (PERU_2[0], PERU_2[1]), 3, "d.example").story_id != first


HEADLINES_PERU = [
    "Magnitude 7.1 earthquake strikes southern Peru near Arequipa",
    "Peru earthquake: death toll rises to 18 in Arequipa",
    "Arequipa earthquake damages colonial churches",
    "Boluarte flies to Arequipa after 7.1 quake",
    "Peru declares emergency after Arequipa earthquake",
]
HEADLINES_JAPAN = [
    "Magnitude 6.2 earthquake shakes Hokkaido in northern Japan",
    "Japan quake: trains halted around Sapporo",
    "Hokkaido earthquake injures 3, no tsunami warning",
    "6.2 quake hits northern Japan",
]


@pytest.mark.parametrize("interleaved", [False, True])
def test_two_earthquakes_told_in_headlines_only_stay_two_stories(interleaved: bool) -> None:
    items = [(t, "peru") for t in HEADLINES_PERU] + [(t, "japan") for t in HEADLINES_JAPAN]
    if interleaved:
        items = [items[i // 2 + (i % 2) * len(HEADLINES_PERU)] for i in range(8)] + [items[4]]
    index = StoryIndex()
    for n, (title, _) in enumerate(items):
        index.add(n, title, "", T0 + timedelta(minutes=10 * n), outlet=f"o{n}.example")
    stories: dict[str, set[int | None]] = {}
    for n, (_, event) in enumerate(items):
        stories.setdefault(event, set()).add(index.story_of(n))
    assert stories["peru"].isdisjoint(stories["japan"])
    assert len(stories["japan"]) == 1
