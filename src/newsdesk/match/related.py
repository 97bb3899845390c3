"""Related stories: what else of recent days is about the same things as this article.

Not its duplicates and not its own story, and never filler: a story is related only when its
similarity passes RELATED_SCORE, so an article about nothing else in the window gets none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsdesk.match.features import article_features
from newsdesk.match.stories import StoryIndex

RELATED_SCORE = 0.05  # well under the join score: related, not the same event
RELATED_LIMIT = 5


@dataclass(frozen=True, slots=True)
class Related:
    story_id: int
    title: str
    score: float


def related_stories(
    index: StoryIndex,
    title: str | None,
    text: str,
    *,
    at: datetime | None = None,
    exclude: set[int] = frozenset(),
    limit: int = RELATED_LIMIT,
    min_score: float = RELATED_SCORE,
) -> list[Related]:
    """The few stories of the index's window most related to an article, best first.

    `exclude` holds story ids to leave out: the article's own story, and the stories of its
    duplicates. Stories of the same event score above the join threshold and are left out too.
    """
    features = article_features(title, text)
    found = []
    for score, story_id in index.similar_stories(features, at):
        if story_id in exclude or score < min_score:
            continue
        summary = index.story(story_id)
        if summary is None:
            continue
        found.append(Related(story_id, summary.title, round(score, 4)))
        if len(found) == limit:
            break
    return found


def related_to_article(index: StoryIndex, article_id: int, title: str | None, text: str,
                       *, limit: int = RELATED_LIMIT) -> list[Related]:
    """Related stories for an article already in the index (its own story left out)."""
    own = index.story_of(article_id)
    return related_stories(
        index, title, text, exclude={own} if own is not None else set(), limit=limit
    )
