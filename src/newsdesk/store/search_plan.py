"""A parsed query as the expression each database's full-text index answers: an FTS5 MATCH
expression on SQLite, a tsquery on PostgreSQL, both from the same tokens (store.words).

Each term is looked for in the form of every language searched: an English article holds
"pirat" for "pirates", a Chinese one its bigrams. Languages whose forms of the query are the
same share one branch; when there are several branches, each is limited to the articles of its
languages by their marker token, so a French stem never finds an English word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.store.query import Query
from newsdesk.store.words import PLAIN, language_key, marker, split, term_tokens, word_token

Phrase = tuple[tuple[str, ...], bool]  # tokens in order, whether the last one is a prefix


@dataclass(frozen=True, slots=True)
class Branch:
    keys: tuple[str, ...]  # the languages (stemmer names, or PLAIN) this branch searches
    groups: tuple[tuple[Phrase, ...], ...]  # every group must match, by one of its phrases
    excluded: tuple[Phrase, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    branches: tuple[Branch, ...]  # an article matches when it matches one
    limited: bool  # whether each branch is limited to its languages' articles

    @property
    def phrases(self) -> list[Phrase]:
        """Every phrase that can score, once each."""
        found = (p for b in self.branches for group in b.groups for p in group)
        return list(dict.fromkeys(found))


def plan(query: Query, languages: Iterable[str | None]) -> Plan:
    """The plan of `query` over articles in `languages` (as stored: "en", "de-AT", None)."""
    keys = sorted({language_key(language) for language in languages}) or [PLAIN]
    by_form: dict[tuple[object, ...], list[str]] = {}
    for key in keys:
        groups = tuple(
            tuple(dict.fromkeys(p for t in group for p in term_tokens(t.text, key, t.prefix)))
            for group in query.groups
        )
        if not all(groups):
            continue  # a group with no searchable token: nothing in this language matches
        excluded = tuple(
            dict.fromkeys(p for t in query.excluded for p in term_tokens(t.text, key, t.prefix))
        )
        by_form.setdefault((groups, excluded), []).append(key)
    branches = tuple(
        Branch(tuple(found), groups, excluded)  # type: ignore[arg-type]
        for (groups, excluded), found in by_form.items()
    )
    return Plan(branches, limited=len(branches) > 1)


def _fts5_phrase(phrase: Phrase) -> str:
    tokens, prefix = phrase
    return '"' + " ".join(tokens) + '"' + (" *" if prefix else "")


def fts5_expression(found: Plan) -> str | None:
    """The FTS5 MATCH expression of a plan (table columns title, body, lang), or None when
    nothing can match. Words are looked for in the title and body only."""
    branches = []
    for branch in found.branches:
        groups = " AND ".join(
            "(" + " OR ".join(map(_fts5_phrase, group)) + ")" for group in branch.groups
        )
        if branch.excluded:
            groups = f"({groups}) NOT (" + " OR ".join(map(_fts5_phrase, branch.excluded)) + ")"
        expression = f"{{title body}} : ({groups})"
        if found.limited:
            languages = " OR ".join(f'"{key}"' for key in branch.keys)
            expression = f"(lang : ({languages})) AND {expression}"
        branches.append(f"({expression})")
    return " OR ".join(branches) or None


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_phrase(phrase: Phrase) -> str:
    tokens, prefix = phrase
    lexemes = [_lexeme(token) for token in tokens]
    if prefix:
        lexemes[-1] += ":*"
    if len(lexemes) == 1:
        return lexemes[0]
    # each word on its own too: the same matches, and PostgreSQL's planner estimates how
    # many from each word's frequency (a phrase alone it takes for a common one)
    return "(" + " & ".join(dict.fromkeys(lexemes)) + " & (" + " <-> ".join(lexemes) + "))"


def tsquery_expression(found: Plan) -> str | None:
    """The tsquery text of a plan, or None when nothing can match."""
    branches = []
    for branch in found.branches:
        parts = ["(" + " | ".join(map(tsquery_phrase, group)) + ")" for group in branch.groups]
        if found.limited:
            parts.insert(0, "(" + " | ".join(_lexeme(marker(k)) for k in branch.keys) + ")")
        if branch.excluded:
            parts.append("!(" + " | ".join(map(tsquery_phrase, branch.excluded)) + ")")
        branches.append("(" + " & ".join(parts) + ")")
    return " | ".join(branches) or None


def tsquery_scoring(found: Plan) -> str | None:
    """A tsquery of every phrase that can score (not the language markers): ranks by them."""
    phrases = found.phrases
    return " | ".join(map(tsquery_phrase, phrases)) if phrases else None


def hint(query: Query, languages: Iterable[str | None], narrowed: bool = False) -> str:
    """What to try when `query` finds nothing, one sentence: fewer words, no quotes, a prefix
    of a word's stem (pirat* for "pirates"), no filters."""
    if not query:
        return "Type a word to search for."
    keys = sorted({language_key(language) for language in languages}) or [PLAIN]
    tries = []
    if len(query.groups) > 1:
        tries.append("fewer words")
    terms = query.terms
    if any(len(split(term.text)) > 1 for term in terms):
        tries.append("the words without quotes")
    words = [word for t in terms if not t.prefix for _, word in split(t.text) if word]
    if words:
        word = max(words, key=len)
        stem = min((word_token(word, key) for key in keys), key=len)
        cut = stem if len(stem) < len(word) else stem[: max(3, len(stem) - 1)]
        if len(cut) >= 3:
            tries.append(f"a prefix like {cut}*")
    if query.excluded:
        tries.append("without the excluded words")
    if narrowed:
        tries.append("all sources, dates and languages")
    if not tries:
        return "Try another word or a shorter prefix."
    return "Try " + ", or ".join(tries) + "."
