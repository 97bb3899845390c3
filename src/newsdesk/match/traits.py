"""What matching derives from an article by pure functions: its duplicate signature and its
story features. Computed where the article is made (an extraction worker), so the match step
takes them from memory instead of reading the article back to compute them."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.match.dedup import Signature, signature
from newsdesk.match.features import ArticleFeatures, article_features
from newsdesk.model import Article


@dataclass(frozen=True, slots=True)
class MatchTraits:
    signature: Signature
    features: ArticleFeatures


def traits_of(title: str | None, text: str, url: str) -> MatchTraits:
    """The traits of an article's headline, body (plain text) and URL (canonical if known)."""
    return MatchTraits(signature(text, title, url), article_features(title, text))


def article_traits(article: Article) -> MatchTraits:
    return traits_of(article.title, article.text, article.canonical_url or article.url)
