"""One call per new article: is it a copy, and which story does it belong to.

A copy joins the story of its original, so the story lists every outlet that carried it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from newsdesk.match.dedup import DuplicateIndex, DuplicateMatch, DuplicateParams
from newsdesk.match.stories import Assignment, StoryIndex, StoryParams
from newsdesk.model import Article


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
        duplicate = self.duplicates.add(
            article_id, article.text, article.title, article.canonical_url or article.url
        )
        story_id = self.stories.story_of(duplicate.original_id) if duplicate else None
        assignment = self.stories.add(
            article_id, article.title, article.text, at, outlet=outlet, story_id=story_id
        )
        return MatchResult(duplicate, assignment)
