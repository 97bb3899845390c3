"""The tokens of the search index, made in Python the same way for articles and queries and for
every database, so SQLite and PostgreSQL hold and look up exactly the same ones.

A word of a spaced script is lowered, stemmed by the Snowball stemmer of the article's language
(PyStemmer; "pirates" and "pirate" both become "pirat"), then case- and accent-folded. A run of
an unspaced script (Chinese, Japanese, Korean, Thai...) becomes its overlapping bigrams and its
last character ("東京地震" -> 東京 京地 地震 震): a word of two or more characters is the phrase of
its bigrams, found inside any sentence, and one character is a prefix of a token. An article of
a language without a stemmer (or none detected) is indexed in the "plain" form: folded only.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer

from newsdesk.store.query import SEGMENTED_RANGES

PLAIN = "plain"  # the form of articles whose language has no stemmer
# ISO 639-1 codes (what language detection gives) of the languages Snowball stems
STEMMERS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "fa": "persian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "st": "sesotho", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip
MAX_TOKEN = 60  # characters kept of a longer "word" (a hash, a run of base64)
MAX_TOKENS = 16_000  # tokens indexed of one field (PostgreSQL keeps positions up to 16383)


def _mark_ranges() -> str:
    """A character class body of the combining marks of the Basic Multilingual Plane: letters
    of Indic and other scripts carry them inside words (regex \\w leaves them out)."""
    ranges: list[str] = []
    start = None
    for code in range(0x300, 0x10000):
        mark = unicodedata.category(chr(code))[0] == "M"
        if mark and start is None:
            start = code
        elif not mark and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{code - 1:04x}")
            start = None
    return "".join(ranges)


MARKS = _mark_ranges()
# a word: letters and digits, with the marks inside it (found faster than the pattern below)
WORD_RUNS = re.compile(f"[^\\W_]+(?:[{MARKS}]+[^\\W_]*)*")
# inside a word holding unspaced characters: their runs, and the words of spaced scripts
WORDS = re.compile(f"([{SEGMENTED_RANGES}]+)|((?:[^\\W_{SEGMENTED_RANGES}]|[{MARKS}])+)")
SEGMENTED = re.compile(f"[{SEGMENTED_RANGES}]")
ASCII_WORDS = re.compile("[a-zA-Z0-9]+")
_local = threading.local()
# each language's tokens of the words met lately, looked up without a key tuple made per word
_TOKENS: dict[str, dict[str, str]] = {}
MAX_KNOWN = 200_000  # a Stemmer object is not to be shared between threads


def language_key(language: str | None) -> str:
    """The stemmer name for an article's language ("en", "en-GB", "EN" -> "english"), or PLAIN."""
    if not language:
        return PLAIN
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return STEMMERS.get(primary, PLAIN)


def _stemmer(key: str) -> Stemmer.Stemmer:
    stemmers = _local.__dict__.setdefault("stemmers", {})
    found = stemmers.get(key)
    if found is None:
        found = stemmers[key] = Stemmer.Stemmer(key)
    return found


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Case- and accent-folded (the same folding as the snippets' search for hits)."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 18)
def word_token(word: str, key: str) -> str:
    """The token of one word of a spaced script, in the form of language `key`."""
    lowered = word.lower()
    if key != PLAIN:
        lowered = _stemmer(key).stemWord(lowered)
    return fold(lowered)[:MAX_TOKEN]


def run_tokens(run: str, closed: bool = True) -> list[str]:
    """The tokens of a run of an unspaced script: its bigrams, then its last character when
    `closed` (always in an article; a query's term leaves it out at its end, so "地震" is the
    bigram alone and also found inside "地震が")."""
    chars = run.casefold()  # not fold(): the marks of kana tell words apart (で is not て)
    if len(chars) < 2:
        return [chars] if chars else []
    bigrams = [chars[i : i + 2] for i in range(len(chars) - 1)]
    return [*bigrams, chars[-1]] if closed else bigrams


def split(text: str) -> list[tuple[str, str]]:
    """The words of `text` in order, each (run, "") for a run of an unspaced script or
    ("", word) for a word of a spaced one: the one reading of words of the index, the
    queries and the snippets."""
    if text.isascii():
        return [("", word) for word in ASCII_WORDS.findall(text)]
    found: list[tuple[str, str]] = []
    for word in WORD_RUNS.findall(unicodedata.normalize("NFKC", text)):
        if word.isascii() or not SEGMENTED.search(word):
            found.append(("", word))
        else:
            found.extend(WORDS.findall(word))
    return found


def tokens(text: str, key: str) -> list[str]:
    """The tokens of an article's field, in order, in the form of language `key`."""
    known = _TOKENS.setdefault(key, {})
    if len(known) > MAX_KNOWN:
        known.clear()
    found: list[str] = []
    for run, word in split(text):
        if run:
            found.extend(run_tokens(run))
            continue
        token = known.get(word)
        if token is None:
            token = known[word] = word_token(word, key)
        if token:  # a word of marks alone folds to nothing
            found.append(token)
    return found[:MAX_TOKENS]


def term_tokens(text: str, key: str, prefix: bool) -> list[tuple[tuple[str, ...], bool]]:
    """The ways a query's term (a word or a phrase) is found in an article of language `key`:
    each a phrase of tokens and whether its last one is a prefix. A prefix word is looked for
    both stemmed and as typed ("happ*" finds the stem "happi" of "happy")."""
    parts = split(text)
    found: list[str] = []
    last_prefix = prefix
    for number, (run, word) in enumerate(parts):
        last = number == len(parts) - 1
        if run:
            found.extend(run_tokens(run, closed=not last))
            if last:
                # one character: the first of a bigram, or an article's run's last
                last_prefix = prefix or len(run) == 1
        elif last and prefix:
            typed = fold(word.lower())[:MAX_TOKEN]
            stem = word_token(word, key)
            ways = dict.fromkeys((*found, end) for end in (stem, typed) if end)
            if ways:
                return [(way, True) for way in ways]
        elif token := word_token(word, key):  # as in tokens(): none for a word of marks
            found.append(token)
    return [(tuple(found), last_prefix)] if found else []


def marker(key: str) -> str:
    """The token that tells an article's form of its words (no word can be it: words hold no
    underscore)."""
    return f"_{key}"
