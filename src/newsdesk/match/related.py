"""Related stories: what else is about the same things as this article. Pure: the store's
related_articles runs the search these build and keeps what `shared_share` passes.

An article's key terms are the words it is most about (frequent in its text, weighted to its
headline). A candidate is related only when it has at least MIN_SHARED of them, so an article
about nothing else gets nothing: never filler.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

RELATED_LIMIT = 6  # related articles of one article
RELATED_TERMS = 6  # key terms a related search is built from
MIN_SHARED = 2  # of them a related article must have
RELATED_WINDOW = timedelta(days=30)  # related articles are from the weeks around the article

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


def shared_share(terms: list[str], title: str | None, text: str | None) -> float:
    """The share of `terms` another article's title and text have; 0.0 below MIN_SHARED."""
    if not terms:
        return 0.0
    words = set(WORD.findall(f"{title} {text}".lower()))
    shared = len(words.intersection(terms))
    return shared / len(terms) if shared >= MIN_SHARED else 0.0
