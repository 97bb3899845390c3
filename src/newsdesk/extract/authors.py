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
_SPLIT = re.compile(r"\s*(?:,|;|\||&|\n|(?<![:/])/(?!/)|\s(?:and|And|AND|und|et|y|e|og|i|и)\s)\s*")
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
# "By" run into the name ("ByTravis Haney"): a capital right after the lower-case "y".
_GLUED_BY = re.compile(r"^\s*(?:By|Von|Par|Por)(?=[A-Z][a-z])")
# A photo credit is no author: "Foto: Bild: SN/APA/KEYSTONE/...", "Photo: Reuters" (one slash
# is a name and its agency: "Max Muster/dpa").
_CREDIT = re.compile(r"^\s*(?:fotos?|bild|photos?|pictures?|images?|credits?|quelle|source)\s*:"
                     r"|\w/\w+/\w", re.IGNORECASE)
# A bracket cut or kept after the name: "Elena Oberholzer (obe", "Jane Doe (jd)".
_BRACKET = re.compile(r"\s*\([^)]*(?:\)|$)")
# Agencies whose name is the byline: kept whole, though their words are roles elsewhere.
AGENCIES = {
    "the associated press": "The Associated Press", "associated press": "Associated Press",
    "ap": "AP", "reuters": "Reuters", "afp": "AFP", "agence france-presse": "Agence France-Presse",
    "dpa": "dpa", "apa": "APA", "pa media": "PA Media", "press association": "Press Association",
    "ansa": "ANSA", "efe": "EFE", "kyodo news": "Kyodo News", "xinhua": "Xinhua",
    "bloomberg": "Bloomberg", "epd": "epd", "kna": "KNA", "sda": "SDA", "upi": "UPI",
}
_TAIL = re.compile(
    r"\s*(?:[-–—,|(]\s*)?\b(?:for|in|at|is|was|reports?|with|from|special to)\b.*$", re.IGNORECASE
)


def _clean_one(name: str) -> str | None:
    if _CREDIT.search(name):
        return None
    name = _BRACKET.sub("", _GLUED_BY.sub("", " ".join(name.split())))
    name = name.strip(" ,.;:-–—|()[]\"'")
    name = _BY.sub("", name)
    agency = AGENCIES.get(name.casefold())
    if agency:
        return agency
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
    """Person names from bylines: no "By" (even glued to the name), roles, e-mail addresses,
    photo credits, bracketed initials, a dateline's city, or the publisher's name; a news
    agency when it is the only byline."""
    excluded = {fold(e) for e in exclude if e}
    excluded |= {e.replace(" ", "") for e in excluded}
    names: list[str] = []
    seen: set[str] = set()
    for entry in raw:
        if not entry or len(entry) > 300:
            continue
        if _CREDIT.search(entry):
            continue  # a picture's credit, whatever names it lists
        entry = _BY.sub("", _GLUED_BY.sub("", " ".join(entry.split())))
        full_name = False
        for part in _SPLIT.split(entry):
            name = _clean_one(part)
            if not name:
                continue
            if full_name and " " not in name and name not in AGENCIES.values():
                continue  # "Jane Roe, Frankfurt": the dateline's city after a full name
            full_name = full_name or " " in name
            key = fold(name)
            if key in excluded or key.replace(" ", "") in excluded or key in seen:
                continue
            seen.add(key)
            names.append(name)
    people = [n for n in names if n not in AGENCIES.values()]
    return people or names  # an agency is the byline only when it is the only one
