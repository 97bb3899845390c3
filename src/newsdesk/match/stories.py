"""Stories: the coverage of one event across outlets, grouped incrementally.

Each article is compared with the stories active in a sliding window (72 hours by default) by
the cosine of tf-idf vectors built from its headline, lead and body words, its names and its
numbers. Names and numbers carry much of the weight, so two earthquakes on one day (different
places, magnitudes, tolls) stay two stories while the follow-ups of each join theirs. It joins
the best story above `join_score` or starts its own; two stories whose centroids converge
past `merge_score` are merged, and the merge is reported so the store can relabel. Every so
often the latest placed are weighed again, and a story whose coverage reads as two events (the
first report of a look-alike joined it, and its coverage followed) is cut in two (see
`split_cross`); the moves are reported too. Every tuning value is a field of `StoryParams`.

With the optional `semantic` extra, an article may also bring a sentence embedding
(newsdesk.match.semantic); with `semantic_weight` > 0 it weighs on the score (see
`semantic_neutral`).
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from newsdesk.match.features import ArticleFeatures, Vocabulary, article_features, dot, norm
from newsdesk.match.text import terms
from newsdesk.times import as_utc

if TYPE_CHECKING:
    from newsdesk.config import Settings


# the weight given to sentence embeddings when they are turned on (NEWSDESK_SEMANTIC); the best
# of those measured on ECB+ (docs/stories.md)
SEMANTIC_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class StoryParams:
    """How stories are grouped. The defaults are the values measured on ECB+ (docs/stories.md);
    `window_hours`, `join_score` and `merge_score` are fed from Settings."""

    window_hours: float = 72  # stories take in articles this long after their last one
    join_score: float = 0.1  # an article joins the best story scoring this, or starts its own
    # An article with fewer body words than short_words (a headline, or a headline and a
    # sentence, as many feeds give them) shares few words with any story even when it reports
    # on it: it joins a story of two members or more from short_join_score.
    short_words: int = 20
    short_join_score: float = 0.03
    merge_score: float = 0.5  # two stories whose centroids converge this far are merged
    # Two stories told mostly in short reports (headlines, a headline and a sentence) share
    # few words even when they report one event: they are merged from short_merge_score.
    short_merge_score: float = 0.2
    top_features: int = 20  # features of an article used to find candidate stories
    max_posting: int = 2000  # a feature shared by more active stories says nothing about which one
    max_candidates: int = 7  # the best story, when there is one, is among the few sharing most
    centroid_size: int = 150  # features kept per story centroid
    member_features: int = 40  # features kept per article for choosing the headline
    name_floor: float = 0.5  # share of the score left when no names or numbers agree
    name_full: float = 0.3  # names-and-numbers cosine at which the score is left whole
    scoring_features: int = 80  # an article's strongest features, enough for its cosine
    # An article whose numbers (toll, magnitude, score, year) are none of a story's numbers, when
    # both give some, is likely another event of the same kind: its score is cut by this factor.
    number_conflict: float = 0.5
    headliners: int = 4  # members kept as candidates for a story's headline
    # A report's lead name is the name word it weighs most (the fighter's opponent, the celebrity,
    # the town); a story's, the one its coverage weighs most. When each is missing from the other
    # altogether, the two are about other people or places: another event of the same kind.
    lead_name_conflict: float = 0.5
    # A story's anchors are the names and numbers that recur in its coverage (in anchor_share of
    # its members, at least two): the fighter's opponent, the player placed on injured reserve,
    # the year. A report holding them is the story's even in few words; another event of the same
    # kind shares the words and some names but few anchors. A newcomer's score is raised by up to
    # anchor_bonus, in full from anchor_full of the anchors' weight (idf).
    anchor_share: float = 0.4
    anchor_bonus: float = 2 / 3
    anchor_full: float = 0.3
    # Every refine_every decided articles (0: never), the refine_latest latest placed are weighed
    # again against their own story and the other candidates, with all the coverage seen since:
    # an article placed early, when its story was a headline or two, moves to the story it fits
    # best now. The cost is bounded whatever the window: one pass every refine_every articles,
    # each article weighed once, soon after arrival. Short passes soon after arrival do better
    # than long ones late (a look-alike's coverage has not piled up yet) and keep the slowest add
    # short; weighing each article twice (200 latest) cost twice as much for the same ECB+ figures.
    refine_every: int = 100
    refine_latest: int = 100
    refine_features: int = 150  # raw features kept per member for weighing it again
    # A story that took in the first report of a look-alike event holds two events: its coverage
    # falls in two groups that read less alike across than within (split_cross of the mean cosine
    # within them), each giving names and numbers of its own (split_own_names, in half its reports
    # and split_elsewhere of the other group's at most: the other fighter, town, year). At each
    # refinement pass such a story is cut in two (2-means over its members' vectors), the group of
    # its first report keeping the story; each group has at least split_min_group reports. Stories
    # beyond split_max_members are established and left alone (the check costs their size squared).
    split_cross: float = 0.7
    split_own_names: int = 3
    split_elsewhere: float = 0.1
    split_min_group: int = 3
    split_max_members: int = 60
    # A story of split_settled members or more is checked again once its coverage grew by
    # split_growth, not at each new member: the check costs its size squared, and a large story's
    # next report seldom changes the groups.
    split_settled: int = 20
    split_growth: float = 1.25
    # How much the articles' sentence embeddings, when given to `add`, weigh on scores (0: not at
    # all). With a weight w, a score is scaled by (1 - w) + w * s / semantic_neutral, s the mean
    # cosine of the article's embedding with those of the story's members: coverage of the same
    # event (ECB+ median 0.74) is raised, a look-alike event (median 0.50) left about even,
    # anything further cut down.
    semantic_weight: float = 0.0
    semantic_neutral: float = 0.5

    @classmethod
    def from_settings(cls, settings: Settings) -> StoryParams:
        return cls(
            window_hours=settings.story_window_hours,
            join_score=settings.story_join_score,
            merge_score=settings.story_merge_score,
            semantic_weight=SEMANTIC_WEIGHT if settings.semantic else 0.0,
        )


DEFAULT_PARAMS = StoryParams()


@dataclass(frozen=True, slots=True)
class Merge:
    """Story `merged` was folded into story `into`: relabel its articles."""

    merged: int
    into: int


@dataclass(frozen=True, slots=True)
class Move:
    """Article `article_id` fits story `into` better now: relabel it."""

    article_id: int
    into: int


@dataclass(frozen=True, slots=True)
class Assignment:
    story_id: int
    created: bool  # the article started this story
    score: float  # similarity to the story it joined (0.0 for a new story)
    title: str  # the story's representative headline now
    merges: tuple[Merge, ...] = ()
    moves: tuple[Move, ...] = ()  # earlier articles that changed story (see refine_every)


@dataclass(slots=True)
class _Member:
    article_id: int
    title: str
    outlet: str | None
    at: datetime
    vector: dict[str, float]  # its strongest raw features
    # its refine_features strongest raw features over its tf-idf length: what it adds to its
    # story's centroid, kept compact (keys shared with the vocabulary, 4-byte weights)
    keys: tuple[str, ...] = ()
    shares: array = field(default_factory=lambda: array("f"))
    embedding: Any = None  # its unit sentence embedding (numpy), when given
    placed: int = 0  # how many articles were added before it: the latest placed are weighed again
    short: bool = False  # fewer body words than short_words


@dataclass(slots=True)
class _Story:
    id: int
    first_seen: datetime
    last_seen: datetime
    centroid: dict[str, float] = field(default_factory=dict)  # sum of member raw features
    members: list[_Member] = field(default_factory=list)
    posted: set[str] = field(default_factory=set)  # features under which it is indexed
    norm: float = 1.0  # of the tf-idf weighted centroid, refreshed when the story changes
    name_norm: float = 1.0  # of its names and numbers alone
    numbers: set[str] = field(default_factory=set)  # every number its members give
    # how many members give each name or number (among their refine_features strongest)
    name_counts: dict[str, int] = field(default_factory=dict)
    # the names and numbers that are anchors with or without any one member; None: to recount
    anchor_pool: tuple[str, ...] | None = None
    split_checked: int = 0  # its member count when last checked for two events (see split_cross)
    lead_name: str | None = None  # the name word its coverage weighs most; None: to find
    # the members whose headlines may represent the story, most central first
    headliners: list[_Member] = field(default_factory=list)
    embedding_sum: Any = None  # of its members' embeddings (numpy), when some have one
    embedded: int = 0  # members with an embedding


@dataclass(frozen=True, slots=True)
class _Probe:
    """An article's side of the cosine with a story: its strongest features with the idf
    folded in, its names and numbers apart, and its lengths."""

    vector: dict[str, float]
    names: list[tuple[str, float]]
    length: float
    name_length: float
    numbers: list[str]
    lead_name: str | None  # the name word it weighs most (see lead_name_conflict)


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]


class StoryIndex:
    """Incremental story grouping over a sliding window of `params.window_hours`."""

    def __init__(
        self,
        params: StoryParams = DEFAULT_PARAMS,
        *,
        next_id: int = 1,
        new_id: Callable[[datetime], int] | None = None,
    ) -> None:
        """`new_id(first_seen)`, when given, names each new story (e.g. by creating its row in
        the store); otherwise ids count up from `next_id`."""
        self.params = params
        self.window = timedelta(hours=params.window_hours)
        self._new_id = new_id
        self.vocabulary = Vocabulary()
        self._next_id = next_id
        self._stories: dict[int, _Story] = {}
        self._postings: dict[str, set[int]] = {}
        self._article_story: dict[int, int] = {}
        # copies and their originals: a copy is never placed or moved on its own, only with its
        # original, so it is always in its original's story
        self._original: dict[int, int] = {}
        self._copies: dict[int, list[int]] = {}
        self._expiry: list[tuple[datetime, int]] = []
        self._now: datetime | None = None
        self._decided = 0  # articles placed by deciding, not restored
        self._added = 0  # articles placed, restored or decided

    def __len__(self) -> int:
        return len(self._stories)

    def add(
        self,
        article_id: int,
        title: str | None,
        text: str,
        at: datetime,
        *,
        outlet: str | None = None,
        story_id: int | None = None,
        copy_of: int | None = None,
        embedding: Any = None,
    ) -> Assignment:
        """Place an article in the story it reports on, or a new one.

        `at` is when it was published (or fetched); naive times are taken as UTC. Give
        `story_id` to restore a stored assignment at start-up instead of deciding again.
        `copy_of`: the original it copies; it joins the original's story (`story_id` when the
        original is no longer in the window) and moves only with it.
        `embedding`: the article's unit sentence embedding (newsdesk.match.semantic), if any.
        """
        features = article_features(title, text)
        return self.add_features(
            article_id,
            title or "",
            features,
            at,
            outlet=outlet,
            story_id=story_id,
            copy_of=copy_of,
            embedding=embedding,
        )

    def add_features(
        self,
        article_id: int,
        title: str,
        features: ArticleFeatures,
        at: datetime,
        *,
        outlet: str | None = None,
        story_id: int | None = None,
        copy_of: int | None = None,
        embedding: Any = None,
    ) -> Assignment:
        at = as_utc(at)
        self._advance(at)
        if copy_of is not None:  # after the window moved: the links must outlive it
            self._original[article_id] = copy_of
            self._copies.setdefault(copy_of, []).append(article_id)
            story_id = self._article_story.get(copy_of, story_id)
        self.vocabulary.add(features)
        vector = self.vocabulary.weigh(features.weights)
        ranked = _strongest_first(vector)
        scored = self._candidates(vector, at, ranked, embedding)
        created = False
        score = 0.0
        if story_id is not None:
            story = self._stories.get(story_id)
            if story is None:
                story = self._new_story(at, story_id)
                created = True
            score = next((s for s, other in scored if other.id == story_id), 0.0)
        elif scored and scored[0][0] >= self._join_score(features, scored[0][1]):
            score, story = scored[0]
        else:
            story = self._new_story(at)
            created = True
        length = norm(vector)
        keys = tuple(key for key, _ in ranked[: self.params.refine_features])
        shares = array("f", [features.weights[key] / length for key in keys])
        strongest = dict(ranked[: self.params.member_features])
        short = features.body_words < self.params.short_words
        member = _Member(
            article_id, title, outlet, at, strongest, keys, shares, embedding, self._added, short
        )
        self._added += 1
        self._join(story, member, features, length)
        merges: tuple[Merge, ...] = ()
        moves: tuple[Move, ...] = ()
        if story_id is None:
            near = [other for s, other in scored if s >= self.params.join_score / 2]
            merges = self._merge_converged(story, near)
            self._decided += 1
            refine_every = self.params.refine_every
            if refine_every and self._decided % refine_every == 0:
                moves = self._refine(newest=article_id)
            story = self._stories[self._article_story[article_id]]
        return Assignment(story.id, created, round(score, 4), _title(story), merges, moves)

    def _join_score(self, features: ArticleFeatures, story: _Story) -> float:
        """What a newcomer must score to join `story` (see short_join_score): a story of one
        headline says too little to take in a short report on less than join_score."""
        params = self.params
        if features.body_words < params.short_words and len(story.members) > 1:
            return params.short_join_score
        return params.join_score

    def story_of(self, article_id: int) -> int | None:
        return self._article_story.get(article_id)

    def story(self, story_id: int) -> StorySummary | None:
        story = self._stories.get(story_id)
        if story is None:
            return None
        members = sorted(story.members, key=lambda m: (m.at, m.article_id))
        outlets = tuple(dict.fromkeys(m.outlet for m in members if m.outlet))
        return StorySummary(
            story.id,
            _title(story),
            story.first_seen,
            story.last_seen,
            tuple(m.article_id for m in members),
            outlets,
        )

    def stories(self) -> list[StorySummary]:
        return [summary for sid in self._stories if (summary := self.story(sid))]

    def similar_stories(
        self, features: ArticleFeatures, at: datetime | None = None, *, placing: bool = False
    ) -> list[tuple[float, int]]:
        """Active stories by similarity to `features` (score, story id), best first.
        `placing`: score as a newcomer is placed, lead names that miss each other cut down
        (another event of the same kind is still related, but not the same story)."""
        vector = self.vocabulary.weigh(features.weights)
        scored = self._candidates(vector, as_utc(at) if at else None, placing=placing)
        return [(score, story.id) for score, story in scored]

    # -- internals -------------------------------------------------------------------------

    def _advance(self, at: datetime) -> None:
        """Move the window's end forward and close the stories that fell out of it."""
        if self._now is None or at > self._now:
            self._now = at
        horizon = self._now - self.window
        while self._expiry and self._expiry[0][0] < horizon:
            last_seen, story_id = heapq.heappop(self._expiry)
            story = self._stories.get(story_id)
            if story is not None and story.last_seen == last_seen:
                for member in story.members:  # they leave memory: so do their links
                    self._forget_copy_links(member.article_id)
                self._close(story)

    def _close(self, story: _Story) -> None:
        for key in story.posted:
            posting = self._postings.get(key)
            if posting is not None:
                posting.discard(story.id)
                if not posting:
                    del self._postings[key]
        for member in story.members:
            self._article_story.pop(member.article_id, None)
        del self._stories[story.id]

    def _forget_copy_links(self, article_id: int) -> None:
        original = self._original.pop(article_id, None)
        if original is not None:
            copies = self._copies.get(original)
            if copies is not None:
                copies.remove(article_id)
                if not copies:
                    del self._copies[original]
        for copy in self._copies.pop(article_id, ()):
            self._original.pop(copy, None)

    def _candidates(
        self,
        vector: dict[str, float],
        at: datetime | None,
        ranked: list[tuple[str, float]] | None = None,
        embedding: Any = None,
        *,
        placing: bool = True,
        probe: _Probe | None = None,
        skip: _Story | None = None,
    ) -> list[tuple[float, _Story]]:
        """Active stories sharing strong features with `vector` (tf-idf), scored by cosine.
        `ranked`: the vector's items strongest first, when the caller has them already;
        `embedding`: the article's, weighed in by semantic_weight; `placing`: to place the
        article (see lead_name_conflict), not to find what it relates to; `probe`: the
        vector's, when the caller has it already; `skip`: a story left out (it still takes its
        place among the max_candidates, so the others are those found without skipping it)."""
        if ranked is None:
            ranked = _strongest_first(vector)
        hits: dict[int, float] = {}
        for key, weight in ranked[: self.params.top_features]:
            posting = self._postings.get(key)
            if not posting or len(posting) > self.params.max_posting:
                continue
            for story_id in posting:
                hits[story_id] = hits.get(story_id, 0.0) + weight
        if not hits or (skip is not None and hits.keys() == {skip.id}):
            return []
        if probe is None:
            probe = self._probe(vector, ranked)
        scored = []
        for story_id in sorted(hits, key=lambda sid: -hits[sid])[: self.params.max_candidates]:
            story = self._stories[story_id]
            if story is skip:
                continue
            if at is not None and not (
                story.first_seen - self.window <= at <= story.last_seen + self.window
            ):
                continue
            score = self._score(probe, story, placing=placing) * self._semantic(embedding, story)
            scored.append((score, story))
        scored.sort(key=lambda pair: -pair[0])
        return scored

    def _probe(self, vector: dict[str, float], ranked: list[tuple[str, float]]) -> _Probe:
        # cos(a, c) with c = centroid * idf: fold the centroid's idf into the article's side.
        probe = self.vocabulary.weigh(dict(ranked[: self.params.scoring_features]))
        # names and numbers apart too, in the same order, so their sum is the same as filtering
        names = [(k, value) for k, value in probe.items() if k.startswith(_NAME_PREFIXES)]
        named = {key: value for key, value in vector.items() if key.startswith(_NAME_PREFIXES)}
        numbers = [key for key in named if key[:2] == "n:"]
        lead_name = _heaviest_name_word(named, lambda word: vector.get(word, 0.0))
        return _Probe(probe, names, norm(vector), norm(named), numbers, lead_name)

    def _score(
        self,
        probe: _Probe,
        story: _Story,
        without: dict[str, float] | None = None,
        *,
        placing: bool = True,
    ) -> float:
        """The article's similarity to a story; `without`: its own share of the story's
        centroid, to weigh it against the rest of its story; `placing`: lead names count."""
        centroid = story.centroid
        members, name_norm = len(story.members), story.name_norm
        shared = sum([value * centroid[k] for k, value in probe.vector.items() if k in centroid])
        names = sum([value * centroid[k] for k, value in probe.names if k in centroid])
        if without is not None:  # the centroid less its share, without copying the centroid
            get = without.get
            shared -= sum([v * get(k, 0.0) for k, v in probe.vector.items() if k in centroid])
            names -= sum([value * get(k, 0.0) for k, value in probe.names if k in centroid])
            members -= 1
            rest = {k: v - get(k, 0.0) for k, v in centroid.items() if k.startswith(_NAME_PREFIXES)}
            name_norm = norm(self.vocabulary.weigh(rest))
        # average link: the mean cosine with the members (their unit vectors' sum over their
        # count) rather than the cosine with the centroid, which grows as a story widens and
        # lets a big story swallow its look-alike
        score = shared / (probe.length * members)
        names /= probe.name_length * name_norm
        # Same kind of event, other names and numbers (another quake, another rehab): the
        # words agree but the names do not, so the score is cut down.
        params = self.params
        score *= params.name_floor + (1 - params.name_floor) * min(1.0, names / params.name_full)
        numbers = probe.numbers
        if without is None and numbers and story.numbers and story.numbers.isdisjoint(numbers):
            score *= params.number_conflict
        if placing and without is None and self._lead_names_conflict(probe, story):
            score *= params.lead_name_conflict
        return score * self._anchor_factor(probe, story, without)

    def _lead_names_conflict(self, probe: _Probe, story: _Story) -> bool:
        """The report's lead name is not in the story and the story's is not in the report."""
        lead = probe.lead_name
        if lead is None or lead in story.centroid:
            return False
        return self._lacks_lead_name(probe, story)

    def _lacks_lead_name(self, probe: _Probe, story: _Story) -> bool:
        """The story names someone and the report does not give the story's lead name."""
        if story.lead_name is None:
            story.lead_name = self._story_lead_name(story)
        return story.lead_name != "" and story.lead_name not in probe.vector

    def _story_lead_name(self, story: _Story) -> str:
        """The name word the story's coverage weighs most ("" when it names nobody)."""
        centroid, idf = story.centroid, self.vocabulary.idf
        return _heaviest_name_word(story.name_counts, lambda w: centroid.get(w, 0.0) * idf(w)) or ""

    def _semantic(self, embedding: Any, story: _Story, own: bool = False) -> float:
        """The factor an embedding puts on a score (1.0 without); `own`: the embedding is a
        member's of this story, left out of the story's side."""
        total, count = story.embedding_sum, story.embedded - own
        weight = self.params.semantic_weight
        if not weight or embedding is None or total is None or count <= 0:
            return 1.0
        if own:
            total = total - embedding
        similarity = max(0.0, float(embedding @ total) / count)
        return 1.0 - weight + weight * similarity / self.params.semantic_neutral

    def _anchor_factor(
        self, probe: _Probe, story: _Story, without: dict[str, float] | None
    ) -> float:
        """1..1 + anchor_bonus: how much of the weight of the story's anchors it holds. A report
        without the story's lead name is not raised: the anchors of a story that took in a
        look-alike's first report are the names both events share, and raising the look-alike's
        later coverage for them would draw it all in."""
        anchors = _anchors(story, self.params, without)
        if not anchors or (without is None and self._lacks_lead_name(probe, story)):
            return 1.0
        idf, vector = self.vocabulary.idf, probe.vector
        total = held = 0.0
        for key in anchors:
            weight = idf(key)
            total += weight
            if key in vector:
                held += weight
        return 1.0 + self.params.anchor_bonus * min(1.0, held / total / self.params.anchor_full)

    def _refine(self, newest: int) -> tuple[Move, ...]:
        """Weigh the recent members again (all but the `newest`) against their own story
        without them and against the other candidate stories; move those that fit another
        story better. Decided on one state of the index, then applied."""
        latest = heapq.nlargest(
            self.params.refine_latest + 1,
            ((m, story) for story in self._stories.values() for m in story.members),
            key=lambda pair: pair[0].placed,
        )
        decided = []
        for member, story in latest:
            # a copy is weighed with its original only (it moves when its original does)
            if member.article_id != newest and member.article_id not in self._original:
                target = self._better_story(story, member)
                if target is not None:
                    decided.append((member, story, target))
        moves = []
        for member, old, new in decided:
            if old.id in self._stories and new.id in self._stories and member in old.members:
                moves.extend(self._move_with_copies([member], old, new))
        touched = {story.id: story for _, story in latest}
        for story in touched.values():
            if story.id in self._stories:
                moves.extend(self._split_mixed(story))
        return tuple(moves)

    def _split_mixed(self, story: _Story) -> list[Move]:
        """Cut a story holding two events in two (see split_cross): the group without its
        first report moves to a new story."""
        members, params = story.members, self.params
        if not 2 * params.split_min_group <= len(members) <= params.split_max_members:
            return []
        checked = story.split_checked
        growing = checked <= len(members) < checked * params.split_growth
        if checked >= params.split_settled and growing:
            return []
        story.split_checked = len(members)
        groups = self._two_groups(members)
        if groups is None or not _own_names_both(*groups, params):
            return []
        first = min(members, key=lambda m: (m.at, m.article_id))
        # a copy goes with its original's group, whichever group 2-means put it in
        leaving = [
            m
            for m in (groups[1] if first in groups[0] else groups[0])
            if m.article_id not in self._original
        ]
        if not leaving:
            return []
        new = self._new_story(min(m.at for m in leaving))
        moves = self._move_with_copies(leaving, story, new)
        story.split_checked = len(story.members)
        new.split_checked = len(new.members)
        return moves

    def _move_with_copies(self, members: list[_Member], old: _Story, new: _Story) -> list[Move]:
        """Move members from `old` to `new`, each with its copies (in `old` as it is always
        with its original); the moves, copies included."""
        moving = list(members)
        copies = {c for m in members for c in self._copies.get(m.article_id, ())}
        if copies:
            moving += [m for m in old.members if m.article_id in copies]
        for member in moving:
            self._move(member, old, new)
        return [Move(member.article_id, new.id) for member in moving]

    def _two_groups(self, members: list[_Member]) -> tuple[list[_Member], list[_Member]] | None:
        """The members in two groups by 2-means over their tf-idf vectors (cosine, average
        link), started from the least alike two, when they read as two events (split_cross).
        Every pair's cosine is read from one matrix product (size squared, at refinement
        only); each 2-means step weighs every member against the two groups."""
        cosines = self._cosines(members)
        n = len(members)
        pairs = np.triu(cosines, 1)
        pairs[np.tril_indices(n)] = np.inf
        a, b = divmod(int(np.argmin(pairs)), n)  # the first least alike pair, as read row by row
        side = cosines[:, a] < cosines[:, b]
        for _ in range(10):
            sizes = np.array([n - side.sum(), side.sum()], dtype=float)
            # mean cosine with each group's other members (a vector's own is 1)
            totals = np.stack([cosines[:, ~side].sum(axis=1), cosines[:, side].sum(axis=1)], 1)
            own = np.stack([~side, side], axis=1)
            others = sizes - own
            means = (totals - own) / np.where(others == 0, 1, others)
            new = means[:, 1] > means[:, 0]
            if (new == side).all() or new.all() or not new.any():
                break
            side = new
        groups = (
            [m for m, s in zip(members, side, strict=True) if not s],
            [m for m, s in zip(members, side, strict=True) if s],
        )
        if not _apart(cosines, side, self.params) or not _own_names_both(*groups, self.params):
            return None
        return groups

    def _two_events(self, one: list[_Member], other: list[_Member]) -> bool:
        """Two stories' coverage reads as two events (see split_cross): a merge would be cut
        apart again. Stories with fewer than split_min_group members, or more than
        split_max_members together, are not weighed."""
        if min(len(one), len(other)) < self.params.split_min_group:
            return False
        if len(one) + len(other) > self.params.split_max_members:
            return False
        side = np.array([False] * len(one) + [True] * len(other))
        cosines = self._cosines(one + other)
        return _apart(cosines, side, self.params) and _own_names_both(one, other, self.params)

    def _cosines(self, members: list[_Member]) -> np.ndarray:
        """The cosine of every pair of members' tf-idf vectors (of their refine_features).
        Only the features two members share add to a pair's: the others are left out of the
        product, which then costs a fraction of the whole."""
        weigh = self.vocabulary.weigh
        vectors = []
        for member in members:
            vector = weigh(dict(zip(member.keys, member.shares, strict=True)))
            length = norm(vector)
            vectors.append({key: value / length for key, value in vector.items()})
        counts = Counter(key for vector in vectors for key in vector)
        columns = {key: i for i, key in enumerate(k for k, count in counts.items() if count > 1)}
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for row, vector in enumerate(vectors):
            for key, value in vector.items():
                if (column := columns.get(key)) is not None:
                    rows.append(row)
                    cols.append(column)
                    values.append(value)
        matrix = np.zeros((len(members), len(columns)))
        matrix[rows, cols] = values
        cosines = matrix @ matrix.T
        np.fill_diagonal(cosines, 1.0)
        return cosines

    def _better_story(self, story: _Story, member: _Member) -> _Story | None:
        own = dict(zip(member.keys, member.shares, strict=True))
        vector = self.vocabulary.weigh(own)
        ranked = _strongest_first(vector)
        probe = None  # made when there is something to score
        # to move, it must fit the other story as well as a newcomer must to join it
        best = self.params.join_score
        if len(story.members) > 1:
            probe = self._probe(vector, ranked)
            semantic = self._semantic(member.embedding, story, own=True)
            best = max(best, self._score(probe, story, without=own) * semantic)
        found = None
        candidates = self._candidates(
            vector, member.at, ranked, member.embedding, probe=probe, skip=story
        )
        for score, other in candidates:
            if score > best:
                best, found = score, other
        return found

    def _move(self, member: _Member, old: _Story, new: _Story) -> None:
        share = dict(zip(member.keys, member.shares, strict=True))
        old.members.remove(member)
        if not old.members:
            self._close(old)
        else:
            for key, value in share.items():
                left = old.centroid.get(key, 0.0) - value
                if left > 1e-6:
                    old.centroid[key] = left
                else:
                    old.centroid.pop(key, None)
            old.first_seen = min(m.at for m in old.members)
            old.last_seen = max(m.at for m in old.members)
            heapq.heappush(self._expiry, (old.last_seen, old.id))
            old.numbers = {key for m in old.members for key in m.keys if key[:2] == "n:"}
            _count_names(old, member, -1)
            old.headliners = [m for m in old.headliners if m is not member]
            _count_embedding(old, member, -1)
            self._refresh(old)
            self._elect(old, *(() if old.headliners else old.members))
        new.members.append(member)
        for key, value in share.items():
            new.centroid[key] = new.centroid.get(key, 0.0) + value
        new.first_seen = min(new.first_seen, member.at)
        new.last_seen = max(new.last_seen, member.at)
        heapq.heappush(self._expiry, (new.last_seen, new.id))
        new.numbers.update(key for key in member.keys if key[:2] == "n:")
        _count_names(new, member, 1)
        _count_embedding(new, member, 1)
        self._refresh(new)
        self._elect(new, member)
        self._article_story[member.article_id] = new.id
        self._post(new, member)

    def _story_similarity(self, a: _Story, b: _Story) -> float:
        weighted = self.vocabulary.weigh(a.centroid)
        return dot(self.vocabulary.weigh(weighted), b.centroid) / (a.norm * b.norm)

    def _refresh(self, story: _Story) -> None:
        if len(story.centroid) > 2 * self.params.centroid_size:
            strongest = _strongest_first(story.centroid)[: self.params.centroid_size]
            story.centroid = dict(strongest)
        weighted = self.vocabulary.weigh(story.centroid)
        story.norm = norm(weighted)
        story.name_norm = norm(
            {key: value for key, value in weighted.items() if key.startswith(_NAME_PREFIXES)}
        )

    def _new_story(self, at: datetime, story_id: int | None = None) -> _Story:
        if story_id is None:
            story_id = self._new_id(at) if self._new_id else self._next_id
        self._next_id = max(self._next_id, story_id + 1)
        story = _Story(story_id, at, at)
        self._stories[story_id] = story
        return story

    def _join(
        self, story: _Story, member: _Member, features: ArticleFeatures, length: float
    ) -> None:
        story.members.append(member)
        story.first_seen = min(story.first_seen, member.at)
        story.last_seen = max(story.last_seen, member.at)
        heapq.heappush(self._expiry, (story.last_seen, story.id))
        # Raw weights over the tf-idf length: with idf applied at scoring time, the centroid
        # holds the sum of the members' unit vectors.
        centroid = story.centroid
        get = centroid.get
        for key, value in features.weights.items():
            centroid[key] = get(key, 0.0) + value / length
        story.numbers.update(key for key in features.weights if key[:2] == "n:")
        _count_names(story, member, 1)
        _count_embedding(story, member, 1)
        self._refresh(story)
        self._elect(story, member)
        self._article_story[member.article_id] = story.id
        self._post(story, member)

    def _post(self, story: _Story, member: _Member) -> None:
        for key in member.vector.keys() - story.posted:
            if len(story.posted) >= 4 * self.params.centroid_size:
                break
            self._postings.setdefault(key, set()).add(story.id)
            story.posted.add(key)

    def _merge_converged(self, story: _Story, others: list[_Story]) -> tuple[Merge, ...]:
        merges = []
        for other in others:
            if other.id == story.id or other.id not in self._stories:
                continue
            if story.numbers and other.numbers and story.numbers.isdisjoint(other.numbers):
                continue  # same words, other numbers: look-alike events, not one converging
            if self._story_similarity(story, other) < self._merge_score(story, other):
                continue
            if self._two_events(story.members, other.members):
                continue  # as a split would cut them apart again (see split_cross)
            bigger = len(story.members) >= len(other.members)
            keep, gone = (story, other) if bigger else (other, story)
            self._absorb(keep, gone)
            merges.append(Merge(gone.id, keep.id))
            story = keep
        return tuple(merges)

    def _merge_score(self, one: _Story, other: _Story) -> float:
        """What two stories' centroids must reach to merge (see short_merge_score)."""
        if _mostly_short(one) and _mostly_short(other):
            return self.params.short_merge_score
        return self.params.merge_score

    def _absorb(self, keep: _Story, gone: _Story) -> None:
        for key, value in gone.centroid.items():
            keep.centroid[key] = keep.centroid.get(key, 0.0) + value
        keep.members.extend(gone.members)
        keep.first_seen = min(keep.first_seen, gone.first_seen)
        keep.last_seen = max(keep.last_seen, gone.last_seen)
        heapq.heappush(self._expiry, (keep.last_seen, keep.id))
        self._close(gone)
        for member in gone.members:
            self._article_story[member.article_id] = keep.id
        for key in gone.posted - keep.posted:
            self._postings.setdefault(key, set()).add(keep.id)
            keep.posted.add(key)
        keep.numbers |= gone.numbers
        counts = keep.name_counts
        for key, count in gone.name_counts.items():
            counts[key] = counts.get(key, 0) + count
        keep.anchor_pool = None
        keep.lead_name = None
        if gone.embedding_sum is not None:
            total = keep.embedding_sum
            keep.embedding_sum = gone.embedding_sum if total is None else total + gone.embedding_sum
            keep.embedded += gone.embedded
        self._refresh(keep)
        self._elect(keep, *gone.headliners)

    def _elect(self, story: _Story, *challengers: _Member) -> None:
        """Keep the headliners most central members (closest to the story's centroid) with the
        newcomers among them, most central first. Only they are scored on a join, not the whole
        story; they are re-scored each time, so the choice follows the centroid as it moves."""
        pool = story.headliners + [member for member in challengers if member.title]
        if not pool:
            return
        ranked = sorted(pool, key=lambda member: -self._centrality(story, member))
        story.headliners = ranked[: self.params.headliners]

    def _centrality(self, story: _Story, member: _Member) -> float:
        # cosine of the member's tf-idf vector with the tf-idf centroid, up to the centroid's
        # norm (the same for every member of one story); idf is applied on the centroid side
        # idf inlined (vocabulary.idf, without a call per feature)
        centroid, df, log = story.centroid, self.vocabulary.df, self.vocabulary._log
        top = log[self.vocabulary.documents] + 1.0
        shared = sum(
            [
                value * (top - log[df.get(key, 0)]) * centroid[key]
                for key, value in member.vector.items()
                if key in centroid
            ]
        )
        return shared / norm(member.vector)


def _mostly_short(story: _Story) -> bool:
    return 2 * sum(member.short for member in story.members) > len(story.members)


def _title(story: _Story) -> str:
    return story.headliners[0].title if story.headliners else ""


# names and numbers; one-character keys (CJK) are words
_NAME_PREFIXES = ("e:", "n:")


def _count_names(story: _Story, member: _Member, step: int) -> None:
    """Count a member's names and numbers in (1) or out of (-1) its story's."""
    counts = story.name_counts
    for key in member.keys:
        if key.startswith(_NAME_PREFIXES):
            count = counts.get(key, 0) + step
            if count > 0:
                counts[key] = count
            else:
                counts.pop(key, None)
    story.anchor_pool = None
    story.lead_name = None


@lru_cache(maxsize=1 << 16)
def _name_word(key: str) -> str:
    """The word a name ("e:hasim rahman") is weighed under among the words: its last."""
    words = terms(key[2:])
    return words[-1] if words else ""


def _lead_name(vector: dict[str, float]) -> str | None:
    """The name word the vector (tf-idf) weighs most, None when it names nobody."""
    return _heaviest_name_word(vector, lambda word: vector.get(word, 0.0))


def _heaviest_name_word(keys: Iterable[str], weight: Callable[[str], float]) -> str | None:
    """The word of the name ("e:" key) among `keys` that `weight` puts highest (the first on a
    tie), None when none weighs anything."""
    best, found = 0.0, None
    for key in keys:
        if key[:2] == "e:" and (word := _name_word(key)):
            value = weight(word)
            if value > best:
                best, found = value, word
    return found


def _count_embedding(story: _Story, member: _Member, step: int) -> None:
    """Add (1) or take away (-1) a member's embedding, if it has one, from its story's sum."""
    if member.embedding is None:
        return
    total = story.embedding_sum
    change = step * member.embedding
    story.embedding_sum = change if total is None else total + change
    story.embedded += step


def _anchors(
    story: _Story, params: StoryParams, without: dict[str, float] | None = None
) -> list[str]:
    """The names and numbers given by anchor_share of the story's members (at least two of
    them); `without`: one member's features, left out of the count."""
    members = len(story.members) - (without is not None)
    if members < 2:
        return []
    counts = story.name_counts
    if story.anchor_pool is None:  # whatever member is left out, its anchors are among these
        least = max(2.0, params.anchor_share * (len(story.members) - 1))
        story.anchor_pool = tuple(k for k, count in counts.items() if count >= least)
    need = max(2.0, params.anchor_share * members)
    if without is None:
        return [k for k in story.anchor_pool if counts[k] >= need]
    return [k for k in story.anchor_pool if counts[k] - (k in without) >= need]


def _apart(cosines: np.ndarray, side: np.ndarray, params: StoryParams) -> bool:
    """Each side has split_min_group members and the two read less alike across than within
    (their mean cosine across under split_cross of the mean within); `cosines`: every pair's,
    1 on the diagonal."""
    sizes = [int((~side).sum()), int(side.sum())]
    if min(sizes) < params.split_min_group:
        return False
    within = sum(
        (cosines[np.ix_(group, group)].sum() - size) / 2
        for group, size in zip((~side, side), sizes, strict=True)
    )
    pairs_within = sum(size * (size - 1) / 2 for size in sizes)
    across = cosines[np.ix_(~side, side)].sum() / (sizes[0] * sizes[1])
    return bool(across < params.split_cross * within / pairs_within)


def _own_names_both(one: list[_Member], other: list[_Member], params: StoryParams) -> bool:
    """Each group gives split_own_names names or numbers of its own (see split_cross)."""
    own = params.split_own_names
    return _own_names(one, other, params) >= own <= _own_names(other, one, params)


def _own_names(group: list[_Member], others: list[_Member], params: StoryParams) -> int:
    """How many names and numbers half the group's members give (two at least) and at most
    split_elsewhere of the other members."""
    counts = _name_counts(group)
    elsewhere = _name_counts(others)
    least = max(2.0, len(group) / 2)
    most = params.split_elsewhere * len(others)
    return sum(
        1 for key, count in counts.items() if count >= least and elsewhere.get(key, 0) <= most
    )


def _name_counts(members: list[_Member]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for member in members:
        for key in member.keys:
            if key.startswith(_NAME_PREFIXES):
                counts[key] = counts.get(key, 0) + 1
    return counts


def _strongest_first(vector: dict[str, float]) -> list[tuple[str, float]]:
    # reverse=True keeps equal weights in insertion order, as sorting by -weight does
    return sorted(vector.items(), key=itemgetter(1), reverse=True)
