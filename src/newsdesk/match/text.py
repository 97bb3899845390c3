"""Words, shingles and cheap named-entity heuristics shared by duplicates and stories.

Pure string functions, no model: they must run anywhere, in any language that separates words
with spaces, and fall back to single characters for scripts that do not (CJK).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

# Words are what is left between punctuation and spaces. CJK ideographs, kana and hangul become
# one token per character: those scripts do not separate words, and a character is the smallest
# unit we can cut.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_HAS_CJK = re.compile(rf"[{_CJK}]")
_CJK_SPLIT = re.compile(rf"[{_CJK}]|[^{_CJK}]+")
_CJK_PUNCTUATION = "、。，．！？：；「」『』（）《》【】"
_WIDE_PUNCTUATION = "“”‘’„«»‹›—–―‐…·•¡¿" + _CJK_PUNCTUATION
# str.translate looks every character up in a dict once a text holds one non-ASCII character
# (about 0.3 µs a character); bytes.translate is a table lookup. So the few non-ASCII marks are
# replaced first (each str.replace is one fast scan), then ASCII punctuation goes on the UTF-8
# bytes, where no byte of a multi-byte character can be mistaken for it.
_ASCII_PUNCTUATION = bytes.maketrans(
    string.punctuation.encode(), b" " * len(string.punctuation)
)
_BELOW_U3000 = bytes(range(0xE3))  # UTF-8 lead bytes under 0xE3 encode characters < U+3000

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“'‘(\[]?[A-Z0-9])|\n+")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves said says say
    told according new one two first last year years day days week time people would could
    may might must shall us mr mrs ms dr get got make made like well back still even many much
    since around near per via among within without across along amid whose ago yet however
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight
    """.split()
)

# Capitalised words that start sentences or headlines without naming anything.
_NOT_NAMES = STOPWORDS | frozenset(
    """
    breaking update updated live watch video photos read more advertisement exclusive opinion
    analysis report reports news police officials authorities sources
    """.split()
)

_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def words(text: str) -> list[str]:
    """Lower-case word tokens, punctuation dropped (CJK per character)."""
    text = text.lower()
    for mark in _WIDE_PUNCTUATION:
        text = text.replace(mark, " ")
    encoded = text.encode()
    tokens = encoded.translate(_ASCII_PUNCTUATION).decode().split()
    if not encoded.translate(None, _BELOW_U3000) or _HAS_CJK.search(text) is None:
        return tokens
    return [part for token in tokens for part in _CJK_SPLIT.findall(token)]


def shingles(tokens: list[str], size: int = 5) -> set[str]:
    """The set of `size`-word shingles; a text shorter than `size` words is one shingle."""
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def normalise_title(title: str | None) -> str:
    return " ".join(words(title or ""))


def terms(text: str) -> list[str]:
    """Content words for weighting: no stop words, no numbers, no single letters."""
    return [term for term in map(_term, words(text)) if term]


@lru_cache(maxsize=1 << 18)
def _term(token: str) -> str:
    # one cached decision per distinct word: "" when it is no content word, else its stem
    if (
        token in STOPWORDS
        or token[0].isdigit()
        or (len(token) == 1 and not "\u3040" <= token <= "\ufaff")
    ):
        return ""
    return _light_stem(token)


def _light_stem(token: str) -> str:
    # Plural and possessive endings only: enough to meet "quakes"/"quake" without a stemmer.
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


# The first digit comes first so that the regex engine can skip ahead to digits; the lookbehind
# then checks the character before it, as (?<![\w.]) before the number would.
_NUMBER = re.compile(r"\d(?<![\w.]\d)\d*(?:[.,]\d+)*(?![\w])")


def numbers(text: str) -> set[str]:
    """Numbers that tell events apart (magnitudes, tolls, scores, years), as written."""
    out = set()
    for match in _NUMBER.finditer(text):
        value = match.group().replace(",", "")
        if value.strip("0.") == "" or (len(value) == 1 and value.isdigit()):
            continue  # 0 and single digits say little
        out.add(value)
    return out


_CAP = r"[A-Z][\w'’.-]*[\w]|[A-Z]"
_SPAN = re.compile(rf"(?:{_CAP})(?:[ \t]+(?:(?:of|de|del|van|von|la|le|al)[ \t]+)?(?:{_CAP}))*")
_SENTENCE_OPENERS = frozenset(".!?:\n\"“‘([—-")


def entities(text: str) -> set[str]:
    """Capitalised spans ("Tara Reid", "Betty Ford Center", "Peru"): names, places, bodies.

    A capitalised word that opens a sentence counts only when it is not a common word, so
    "The", "After" or "Police" do not become names.
    """
    found: set[str] = set()
    for match in _SPAN.finditer(text):
        start = match.start()
        before = text[max(0, start - 3) : start].rstrip()
        found.update(_names(match.group(), not before or before[-1] in _SENTENCE_OPENERS))
    return found


@lru_cache(maxsize=1 << 16)
def _names(span_text: str, opens: bool) -> tuple[str, ...]:
    # one cached decision per span and position: the same names recur through a text
    span = [
        part.rstrip(".").removesuffix("'s").removesuffix("’s").lower()
        for part in span_text.split()
    ]
    if opens or span[0] in STOPWORDS:
        while span and span[0] in _NOT_NAMES:
            span = span[1:]
    while span and (span[-1] in _NOT_NAMES or span[-1] in _MONTHS):
        span = span[:-1]
    if span and span[0] in _MONTHS:
        span = span[1:]
    if not span or (len(span) == 1 and len(span[0]) < 2):
        return ()
    if len(span) == 1:
        return (span[0],)
    # "Lindsay Lohan" and a later bare "Lohan" should meet: keep the last word (a surname,
    # the head of a place name) as an entity too.
    return (" ".join(span), span[-1])
