"""The reader's related articles: the same story first, then full-text neighbours that share an
article's key terms. (The JSON API answers from match/related.)"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING

from newsdesk.model import StoredArticle
from newsdesk.times import utcnow
from newsdesk.web.views import article_time

if TYPE_CHECKING:
    from newsdesk.store import Store

RELATED_LIMIT = 6
RELATED_TERMS = 6  # key terms an article's related search is built from
RELATED_WINDOW = timedelta(days=30)

STOPWORDS = frozenset(
    """about above after again against also although among another around because been before
    being below between both could does doing down during each either even every from further
    have having here hers herself himself into itself just more most much must myself neither
    nor only other ours ourselves over same says said should since some such than that their
    theirs them themselves then there these they this those though through under until upon very
    was were what when where which while whom whose will with within without would your yours
    yourself year years week today yesterday tomorrow news people told like make made""".split()
)
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def key_terms(title: str | None, text: str | None, limit: int = 8) -> list[str]:
    """The words that say what an article is about: frequent in its text, weighted to the title."""
    counts: Counter[str] = Counter()
    for word in WORD.findall((text or "")[:20000].lower()):
        if word not in STOPWORDS:
            counts[word] += 1
    for word in WORD.findall((title or "").lower()):
        if word not in STOPWORDS:
            counts[word] += 3
    return [word for word, _ in counts.most_common(limit)]


def related_query(terms: list[str]) -> str:
    """A search that needs two of the key terms: (t1 OR t3 OR ...) AND (t2 OR t4 OR ...).

    Asking for any one term would rank half the archive; two interleaved groups keep the
    candidates few and already related, the strongest terms split between the groups."""
    first, second = terms[0::2], terms[1::2]
    return " OR ".join(first) + " " + " OR ".join(second)


def related_articles(store: Store, sa: StoredArticle) -> list[StoredArticle]:
    """Articles about the same thing: same story first, then full-text neighbours that share at
    least two of this article's key terms, from the weeks around it. Never filler."""
    found: list[StoredArticle] = []
    seen = {sa.id}
    if sa.duplicate_of is not None:
        seen.add(sa.duplicate_of)
    if sa.story_id is not None:
        for other in store.list_articles(story_id=sa.story_id, limit=RELATED_LIMIT + 1):
            if other.id not in seen and other.duplicate_of not in seen:
                seen.add(other.id)
                found.append(other)
    terms = key_terms(sa.article.title, sa.article.text, limit=RELATED_TERMS)
    if len(found) >= RELATED_LIMIT or len(terms) < 2:
        return found[:RELATED_LIMIT]
    when = article_time(sa) or utcnow()
    hits = store.search(
        related_query(terms),
        limit=RELATED_LIMIT * 3,
        since=when - RELATED_WINDOW,
        until=when + RELATED_WINDOW,
        snippets=False,
    )
    own_title = (sa.article.title or "").strip().lower()
    for other, _ in hits:
        if other.id in seen or other.duplicate_of in seen:
            continue
        if own_title and (other.article.title or "").strip().lower() == own_title:
            continue  # a copy of this very article
        words = set(WORD.findall(f"{other.article.title} {other.article.text}".lower()))
        if len(words.intersection(terms)) < 2:
            continue
        seen.add(other.id)
        found.append(other)
        if len(found) >= RELATED_LIMIT:
            break
    return found
