"""What an article is about, as weighted features: headline, lead and body words, names, numbers.

Weights are raw (term frequency shaped by where the word appears); `Vocabulary` turns them into
tf-idf with document frequencies counted incrementally, so no corpus has to be known in advance.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from newsdesk.match.text import entities, numbers, terms

TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
LEAD_WORDS = 60
ENTITY_WEIGHT = 1.5
NUMBER_WEIGHT = 1.0
MAX_BODY_CHARS = 4000  # the top of an article says what it is about; the rest adds cost


@dataclass(slots=True)
class ArticleFeatures:
    weights: dict[str, float]  # feature -> raw weight; entities "e:name", numbers "n:7.3"
    body_words: int = 0  # words of its body (0: the headline alone)

    @property
    def keys(self) -> set[str]:
        return set(self.weights)


def article_features(title: str | None, text: str) -> ArticleFeatures:
    title = title or ""
    body = (text or "")[:MAX_BODY_CHARS]
    body_terms = terms(body)
    counts = Counter(body_terms)  # counted in C
    for term in body_terms[:LEAD_WORDS]:
        counts[term] += LEAD_WEIGHT - 1.0  # the lead counts again on top of the body
    # headline words first, then the body's in order of appearance: dict.fromkeys and
    # sorted() keep features in one order whatever the hash seed, so ties among equal weights
    # (which features lead an article) are broken the same way on every run
    log = math.log
    weights: dict[str, float] = {}
    for term in dict.fromkeys(terms(title)):
        weights[term] = 1.0 + log(TITLE_WEIGHT + counts.get(term, 0))
    for term, count in counts.items():
        if term not in weights:
            weights[term] = 1.0 + log(count)
    title_names = entities(title)
    for name in sorted(title_names | entities(body)):
        weights["e:" + name] = ENTITY_WEIGHT * (1.5 if name in title_names else 1.0)
    for number in sorted(numbers(title + "\n" + body)):
        weights["n:" + number] = NUMBER_WEIGHT
    return ArticleFeatures(weights, len(body_terms))


class Vocabulary:
    """Incremental document frequencies and the idf they give."""

    def __init__(self, max_terms: int = 2_000_000) -> None:
        self.documents = 0
        self.df: dict[str, int] = {}
        self._log = [0.0]  # _log[d] = log(d + 1): a list index is cheaper than math.log
        self._max_terms = max_terms

    def add(self, features: ArticleFeatures) -> None:
        self.documents += 1
        df = self.df
        for key in features.weights:
            df[key] = df.get(key, 0) + 1
        while len(self._log) <= self.documents:
            self._log.append(math.log(len(self._log) + 1))
        if len(df) > self._max_terms:
            # Forget features seen once: they weigh the same whether counted or not.
            self.df = {key: count for key, count in df.items() if count > 1}

    def idf(self, key: str) -> float:
        return self._log[self.documents] + 1.0 - self._log[self.df.get(key, 0)]

    def weigh(self, weights: dict[str, float]) -> dict[str, float]:
        """tf-idf: each raw weight times its idf."""
        log, get = self._log, self.df.get
        top = log[self.documents] + 1.0
        return {key: value * (top - log[get(key, 0)]) for key, value in weights.items()}


def norm(vector: dict[str, float]) -> float:
    return math.hypot(*vector.values()) or 1.0  # one C call, where a sum of squares is a loop


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum([value * b[key] for key, value in a.items() if key in b])


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return dot(a, b) / (norm(a) * norm(b))
