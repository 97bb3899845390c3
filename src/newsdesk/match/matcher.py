"""One call per new article: is it a copy, and which story does it belong to.

A copy joins the story of its original, so the story lists every outlet that carried it.
Restoring (at start-up, or taking in what another process decided) replays stored decisions
without deciding again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsdesk.match.dedup import DuplicateIndex, DuplicateMatch, DuplicateParams, Signature
from newsdesk.match.stories import Assignment, StoryIndex, StoryParams
from newsdesk.match.traits import MatchTraits, article_traits
from newsdesk.model import Article

StoryOf = Callable[[int], int | None]


@dataclass(frozen=True, slots=True)
class MatchResult:
    duplicate: DuplicateMatch | None  # what it copies; None for an original
    story: Assignment


class Matcher:
    def __init__(
        self,
        stories: StoryParams = StoryParams(),
        duplicates: DuplicateParams = DuplicateParams(),
        *,
        next_story_id: int = 1,
        new_story_id: Callable[[datetime], int] | None = None,
    ) -> None:
        self.duplicates = DuplicateIndex(duplicates)
        self.stories = StoryIndex(stories, next_id=next_story_id, new_id=new_story_id)

    def add(
        self, article_id: int, article: Article, *, at: datetime, outlet: str | None = None
    ) -> MatchResult:
        """Match a newly stored article. `at`: its publication (or fetch) time."""
        return self.add_traits(
            article_id, article.title, article_traits(article), at=at, outlet=outlet
        )

    def add_traits(
        self,
        article_id: int,
        title: str | None,
        traits: MatchTraits,
        *,
        at: datetime,
        outlet: str | None = None,
        stored_story: StoryOf | None = None,
        embedding: Any = None,
    ) -> MatchResult:
        """Match a newly stored article by its traits, computed beforehand. `stored_story`:
        the story of an original the indexes no longer place (it left the story window);
        `embedding`: its sentence embedding (newsdesk.match.semantic), if any."""
        duplicate = self.duplicates.add_signature(article_id, traits.signature)
        story_id = original = None
        if duplicate is not None:
            original = duplicate.original_id
            story_id = self.stories.story_of(original)
            if story_id is None and stored_story is not None:
                story_id = stored_story(original)
        assignment = self.stories.add_features(
            article_id,
            title or "",
            traits.features,
            at,
            outlet=outlet,
            story_id=story_id,
            copy_of=original,
            embedding=embedding,
        )
        return MatchResult(duplicate, assignment)

    def restore_duplicate(self, article_id: int, sig: Signature, original_id: int | None) -> None:
        """Take in a stored decision: the article copies `original_id` (None: an original)."""
        self.duplicates.add_signature(article_id, sig, original_id, decided=True)

    def restore_story(
        self,
        article_id: int,
        title: str | None,
        text: str,
        at: datetime,
        *,
        story_id: int,
        outlet: str | None = None,
        copy_of: int | None = None,
    ) -> None:
        """Take in a stored decision: the article is in `story_id` (a copy of `copy_of`)."""
        self.stories.add(
            article_id, title, text, at, outlet=outlet, story_id=story_id, copy_of=copy_of
        )

    def story_title(self, story_id: int) -> str | None:
        story = self.stories.story(story_id)
        return story.title if story is not None else None
