"""Related articles and stories: the one service behind the reader's article page and the JSON
API's /articles/{id}/related.

An article's related articles are the rest of its story's coverage (newest first), then its
full-text neighbours from the weeks around it that have at least two of its key terms
(newsdesk.match.related), best first. Never the article itself, its original or its copies,
and never filler: an article about nothing else gets nothing. Related stories are the stories
of those neighbours, not its own story and not its copies' stories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from newsdesk.match.related import (
    MIN_SHARED,
    RELATED_LIMIT,
    RELATED_TERMS,
    RELATED_WINDOW,
    key_terms,
    related_query,
    shared_share,
)
from newsdesk.model import StoredArticle
from newsdesk.store.listing import ListingMixin
from newsdesk.store.paging import sort_time
from newsdesk.store.search import SearchMixin
from newsdesk.store.tables import articles, stories

SAME_STORY = 1.0  # the score of the article's own story's coverage


@dataclass(frozen=True, slots=True)
class Related:
    item: StoredArticle
    score: float  # the share of the article's key terms `item` has; SAME_STORY for its story's
    same_story: bool


@dataclass(frozen=True, slots=True)
class RelatedStory:
    story_id: int
    title: str
    score: float  # the best score of its articles among the neighbours


class RelatedMixin(ListingMixin, SearchMixin):
    def related_articles(
        self, article: StoredArticle, *, limit: int = RELATED_LIMIT
    ) -> list[Related]:
        """Up to `limit` articles about the same thing: its story's other coverage first."""
        found: list[Related] = []
        seen = _own(article)
        if article.story_id is not None:
            for other in self.list_articles(story_id=article.story_id, limit=limit + 1):
                if other.id not in seen and other.duplicate_of not in seen:
                    seen.add(other.id)
                    found.append(Related(other, SAME_STORY, same_story=True))
        if len(found) < limit:
            found += self._neighbours(article, seen, limit - len(found), search=limit * 3)
        return found[:limit]

    def related_stories(self, article_id: int, *, limit: int = 5) -> list[RelatedStory]:
        """The other stories most related to an article, best first (NotFoundError for an
        unknown id)."""
        article = self.get_article(article_id)
        excluded = self._stories_of_copies(article.duplicate_of or article.id)
        if article.story_id is not None:
            excluded.add(article.story_id)
        wanted = max(limit, RELATED_LIMIT) * 2
        best: dict[int, float] = {}
        for related in self._neighbours(article, _own(article), wanted, search=wanted * 2):
            story_id = related.item.story_id
            if story_id is not None and story_id not in excluded:
                best[story_id] = max(best.get(story_id, 0.0), related.score)
        ranked = sorted(best.items(), key=lambda pair: -pair[1])[:limit]  # stable: ties as found
        titles = self._story_titles([story_id for story_id, _ in ranked])
        return [
            RelatedStory(story_id, titles.get(story_id, ""), round(score, 4))
            for story_id, score in ranked
        ]

    def _neighbours(
        self, article: StoredArticle, seen: set[int | None], limit: int, *, search: int
    ) -> list[Related]:
        """Full-text neighbours of the weeks around the article, best first, among the best
        `search` matches of its key terms (`seen` grows by those taken)."""
        content = article.article
        terms = key_terms(content.title, content.text, limit=RELATED_TERMS)
        if len(terms) < MIN_SHARED or limit < 1:
            return []
        when = (
            sort_time(content.published, article.fetched_at)
            if article.fetched_at is not None
            else datetime.now(UTC)
        )
        hits = self.search(
            related_query(terms),
            limit=search,
            since=when - RELATED_WINDOW,
            until=when + RELATED_WINDOW,
            snippets=False,
        )
        own_title = (content.title or "").strip().lower()
        found: list[Related] = []
        for other, _ in hits:
            if other.id in seen or other.duplicate_of in seen:
                continue
            if own_title and (other.article.title or "").strip().lower() == own_title:
                continue  # a copy of this very article
            score = shared_share(terms, other.article.title, other.article.text)
            if not score:
                continue
            seen.add(other.id)
            found.append(Related(other, score, same_story=False))
            if len(found) >= limit:
                break
        return found

    def _stories_of_copies(self, original_id: int) -> set[int]:
        """The stories of an original and of each of its copies."""
        with self._read() as conn:
            found = conn.execute(
                select(articles.c.story_id).where(
                    (articles.c.id == original_id) | (articles.c.duplicate_of == original_id),
                    articles.c.story_id.is_not(None),
                )
            ).scalars()
            return set(found)

    def _story_titles(self, story_ids: Sequence[int]) -> dict[int, str]:
        if not story_ids:
            return {}
        query = select(stories.c.id, stories.c.title).where(stories.c.id.in_(story_ids))
        with self._read() as conn:
            return {story_id: title for story_id, title in conn.execute(query)}


def _own(article: StoredArticle) -> set[int | None]:
    """The article and its original: neither is related to it, nor any copy of either."""
    return {article.id} if article.duplicate_of is None else {article.id, article.duplicate_of}
