"""A reader's search box text turned into terms. Pure; never raises on any input.

Supported: words (all must match), "quoted phrases", OR between two terms, -word or NOT word to
exclude, word* for a prefix. Anything else is taken literally: stray quotes, brackets, colons and
operators are only separators, so no text can break the database query built from the terms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Scripts written without spaces between words. Their runs are indexed one character per token,
# and a term in them becomes a phrase of characters, which finds the word inside a sentence.
SEGMENTED_RANGES = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1100-\u11ff"  # Hangul Jamo
    "\u1780-\u17ff"  # Khmer
    "\u2e80-\u2fdf"  # CJK radicals
    "\u3005-\u3007"  # CJK iteration and ideographic marks
    "\u3021-\u3029"  # Hangzhou numerals
    "\u3031-\u3035"  # kana repeat marks
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7ff"  # Hangul syllables, Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width Katakana
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
SEGMENTED = re.compile(f"[{SEGMENTED_RANGES}]")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# control characters end a C string early and lone surrogates cannot be encoded: both go
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def has_token_char(text: str) -> bool:
    """True when the FTS tokenizer (unicode61: letters, numbers, private use) finds a token."""
    return any(unicodedata.category(ch)[0] in "LN" or ch.isdigit() or _private(ch) for ch in text)


def _private(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # NFKC-normalised words of the term; several words form a phrase
    prefix: bool = False


@dataclass(slots=True)
class Query:
    groups: list[list[Term]] = field(default_factory=list)  # all groups must match, one term each
    excluded: list[Term] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse(text: str) -> Query:
    query = Query()
    pending_or = False
    negate_next = False
    for match in TOKEN.finditer(UNSAFE.sub(" ", text or "")):
        minus, phrase, word = match.groups()
        if word is not None:
            if word == "OR":
                pending_or = bool(query.groups)
                continue
            if word == "AND":
                continue
            if word == "NOT":
                negate_next = True
                continue
            negate = word.startswith("-") and len(word) > 1
            word = word.lstrip("+-") if negate else word.lstrip("+")
            prefix = word.endswith("*")
            term = Term(unicodedata.normalize("NFKC", word.rstrip("*")), prefix)
        else:
            negate = bool(minus)
            term = Term(unicodedata.normalize("NFKC", phrase))
        negate = negate or negate_next
        negate_next = False
        if not has_token_char(term.text):
            pending_or = False
            continue
        if negate:
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    return query
