"""Bylines -> a list of person names."""

from __future__ import annotations

import re

from newsdesk.extract.title import fold

_BY = re.compile(
    r"^\s*(?:(?:written|posted|reported|text|words|story|photos?)\s+)?(?:by|von|par|por|di|da|"
    r"door|av|af|przez|от|автор|text:|von:|by:|autor:?|author:?)\s+",
    re.IGNORECASE,
)
# Conjunctions are matched lower-case only: "Sarah E. Needleman" holds an initial, not "e" (and).
_SPLIT = re.compile(r"\s*(?:,|;|\||&|\n|\s(?:and|And|AND|und|et|y|e|og|i|и)\s)\s*")
_ROLE_WORDS = {
    "staff", "writer", "reporter", "correspondent", "editor", "contributor", "columnist",
    "senior", "chief", "deputy", "associate", "contributing", "political", "business",
    "science", "technology", "sports", "sport", "health", "news", "desk", "team", "bureau",
    "agency", "photographer", "analyst", "producer", "journalist", "redaktion", "redakteur",
    "autor", "autorin", "updated", "published", "min", "read", "follow", "twitter", "email",
    "view", "profile", "more", "articles", "posts", "guest", "author", "admin", "administrator",
    "opinion", "international", "national", "economics", "edition", "press", "associated",
    "wire", "services", "service", "online", "newsroom", "digital", "staffers", "editors",
    "unknown", "anonymous", "user", "posted", "written", "by", "von", "share", "comments",
    "comment", "jobs", "hire", "login", "menu", "search", "home", "기자", "記者", "记者",
    "корреспондент", "редактор", "redakteurin", "korrespondent", "korrespondentin",
}
_ROLE_WORDS = {fold(word) for word in _ROLE_WORDS}  # compared folded (Hangul decomposes)
_NOT_NAME = re.compile(r"https?://|www\.|@|\d|©|\.com\b|\.org\b", re.IGNORECASE)
_TAIL = re.compile(
    r"\s*(?:[-–—,|(]\s*)?\b(?:for|in|at|is|was|reports?|with|from|special to)\b.*$", re.IGNORECASE
)


def _clean_one(name: str) -> str | None:
    name = " ".join(name.split()).strip(" ,.;:-–—|()[]\"'")
    name = _BY.sub("", name)
    name = _TAIL.sub("", name).strip(" ,.;:-–—|()")
    if not name or _NOT_NAME.search(name):
        return None
    words = name.split()
    while words and fold(words[-1]) in _ROLE_WORDS:  # "Jane Doe Staff Writer"
        words.pop()
    while words and fold(words[0]) in _ROLE_WORDS:
        words.pop(0)
    if not 1 <= len(words) <= 5 or not any(c.isalpha() for c in name):
        return None
    if any(fold(w) in _ROLE_WORDS for w in words):
        return None
    name = " ".join(words)
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name if len(name) >= 3 else None


def clean_authors(raw: list[str], exclude: list[str] = ()) -> list[str]:
    """Person names from bylines: no "By", roles, e-mail addresses, or the publisher's name."""
    excluded = {fold(e) for e in exclude if e}
    excluded |= {e.replace(" ", "") for e in excluded}
    names: list[str] = []
    seen: set[str] = set()
    for entry in raw:
        if not entry or len(entry) > 300:
            continue
        entry = _BY.sub("", " ".join(entry.split()))
        for part in _SPLIT.split(entry):
            name = _clean_one(part)
            if not name:
                continue
            key = fold(name)
            if key in excluded or key.replace(" ", "") in excluded or key in seen:
                continue
            seen.add(key)
            names.append(name)
    return names
