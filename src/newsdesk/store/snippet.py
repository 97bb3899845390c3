"""Search snippets: a short passage of the original text with <mark> around the query's hits.

Built here rather than by the database so it reads the text as written (FTS5 only holds the
index form, with CJK characters spaced apart) and works the same on every database. Matching is
case- and accent-insensitive, like the index. The result is safe HTML: everything but the
<mark> tags is escaped.

The hits are looked for in the whole text as written (folding and pattern searches run in C);
only the few hundred characters around the best of them are put on one line and shown, so a
long body costs little more than a short one.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from html import escape

from newsdesk.store.query import SEGMENTED, SEGMENTED_RANGES, Query, Term
from newsdesk.store.words import PLAIN, language_key, split, word_token

SIZE = 220  # characters of original text shown
LEAD = 60  # characters shown before the first hit
MAX_TEXT = 200_000  # longer bodies are searched for hits in their first part only
MAX_TERM_HITS = 600  # hits kept per term: windows start at one of the first 500 hits and hold 100
CUT_SEARCH = 40  # how far back the start of a cut word is looked for with one pattern
ELLIPSIS = "…"
# a word character of a spaced script: where a hit must not continue
SPACED_WORD = f"[^\\W_{SEGMENTED_RANGES}]"
SPACED_WORD_CHAR = re.compile(SPACED_WORD)
SPACED_WORD_REST = re.compile(f"{SPACED_WORD}*")
WORD_ENDING = re.compile(f"{SPACED_WORD}+\\Z")  # searched with an end position: words up to it
# Chinese and Japanese characters and punctuation: a line break beside one is not a space
UNSPACED = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
UNSPACED_BREAK = re.compile(f"(?<=[{UNSPACED}])\\s*\\n\\s*|\\s*\\n\\s*(?=[{UNSPACED}])")
HAS_UNSPACED = re.compile(f"[{UNSPACED}]")
NOT_SPACE = re.compile(r"\S")
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def flatten(text: str) -> str:
    """One line: paragraph breaks become a space, or nothing between CJK sentences."""
    # the look-around pattern is slow; most text needs none of it (and ASCII never does: a
    # string knows whether it is ASCII without reading it)
    if not text.isascii() and HAS_UNSPACED.search(text):
        text = UNSPACED_BREAK.sub("", text)
    return " ".join(text.split())  # str.split's whitespace is the same as the regex's \s


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, Sequence[int]]:
    """Case- and accent-folded text, and for each folded character its index in `text`."""
    if text.isascii():
        return text.lower(), range(len(text))  # each character stays where it was
    folded = _fold_in_place(text)
    if folded is not None:
        return folded, range(len(text))
    out: list[str] = []
    index: list[int] = []
    for position, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        index.extend([position] * len(folded))
    return "".join(out), index


def _fold_in_place(text: str) -> str | None:
    """`text` folded when every character folds to exactly one (most Latin, Greek and Cyrillic
    text, Chinese, Japanese), so every position is kept: the text is lowered in C and only its
    runs of non-ASCII characters are folded one by one (in English text, a few quotes and
    dashes). None when a character folds to several or none (ß, ligatures, Hangul syllables,
    combining marks)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None  # "İ" lowers to two characters
    kept = True

    def fold_run(match: re.Match[str]) -> str:
        nonlocal kept
        folded = _fold_run(match.group())
        if not folded:
            kept = False
        return folded

    folded = NON_ASCII_RUN.sub(fold_run, lowered)
    return folded if kept else None


@lru_cache(maxsize=16384)
def _fold_run(run: str) -> str:
    # the run folded, or "" when one of its characters does not fold to exactly one (the same
    # few runs, a quote or an accented letter, come back again and again)
    folded = "".join(map(_fold_one, run))
    return folded if len(folded) == len(run) else ""


@lru_cache(maxsize=65536)
def _fold_one(ch: str) -> str:
    # the character folded, or "" when it does not fold to exactly one
    folded = _fold_char(ch)
    return folded if len(folded) == 1 else ""


Pattern = tuple[re.Pattern[str], bool, str, tuple[str, ...]]


@lru_cache(maxsize=1024)
def term_pattern(term: Term, key: str = PLAIN) -> Pattern | None:
    """The pattern of a term's hits in folded text, whether a hit must also not follow a word
    character, what must come after it ("" anything, "end" no word character, "rest" the rest
    of the word: a prefix marks the whole word), and the index tokens (store.words) its words
    must have in the article's language form `key`, in order ("pirates" is a hit of "pirate"
    in English: both are "pirat"). Each word's pattern is the start its forms share, then the
    rest of the word; the tokens are checked on what it finds. The caller checks both edges: a
    pattern that starts with its literal text is searched many times faster than one that
    starts with a look-behind, and a class of every spaced script's word characters in each
    term's pattern would take some 20 ms to compile for every new query."""
    folded, _ = fold(term.text)
    tokens: list[str] = []
    for word in re.findall(r"[^\W_]+", folded):
        tokens.extend(SEGMENTED.sub(lambda m: f" {m.group()} ", word).split())
    if not tokens:
        return None
    words = [word for _, word in split(term.text) if word]
    stems = tuple(word_token(word, key) for word in words)
    spaced = [token for token in tokens if not SEGMENTED.match(token)]
    checked = len(spaced) == len(stems) and not term.prefix and key != PLAIN
    parts: list[str] = []
    number = 0
    for position, token in enumerate(tokens):
        if position:
            close = SEGMENTED.match(tokens[position - 1]) or SEGMENTED.match(token)
            parts.append(r"[\W_]*" if close else r"[\W_]+")
        if checked and not SEGMENTED.match(token):
            stem = stems[number]
            lead = os.path.commonprefix([token, stem])[: max(1, len(stem) - 1)] or token
            parts.append(re.escape(lead) + SPACED_WORD + "*")
            number += 1
        else:
            parts.append(re.escape(token))
    head = not SEGMENTED.match(tokens[0])
    tail = "" if SEGMENTED.match(tokens[-1]) else "rest" if term.prefix else "end"
    return re.compile("".join(parts)), head, tail, stems if checked else ()


# the last queries' patterns, each kept with its query object (so its id is not reused while
# kept): a page makes 20 snippets of one query, and looking each term's pattern up again
# (hashing the term) cost as much as searching a short text for it
_PATTERNS: dict[tuple[int, str], tuple[Query, list[tuple[int, *Pattern]]]] = {}
_PATTERNS_MAX = 64


def query_patterns(query: Query, key: str = PLAIN) -> list[tuple[int, *Pattern]]:
    """(term number, pattern, head, tail, stems) of each of the query's terms that has a
    pattern (see term_pattern), for articles of language form `key`. Kept for the same Query
    object, which callers must not change."""
    kept = _PATTERNS.get((id(query), key))
    if kept is not None and kept[0] is query:
        return kept[1]
    patterns = []
    for number, term in enumerate(query.terms):
        compiled = term_pattern(term, key)
        if compiled is not None:
            patterns.append((number, *compiled))
    if len(_PATTERNS) >= _PATTERNS_MAX:
        _PATTERNS.clear()
    _PATTERNS[(id(query), key)] = (query, patterns)
    return patterns


def _same_words(text: str, stems: tuple[str, ...], key: str) -> bool:
    """Whether the words of a spaced script in `text` have these index tokens, in order."""
    words = [word for _, word in split(text) if word]
    return len(words) == len(stems) and all(
        word_token(word, key) == stem for word, stem in zip(words, stems, strict=True)
    )


def find_hits(text: str, query: Query, key: str = PLAIN) -> list[tuple[int, int, int]]:
    """(start, end, term number) of each hit in `text`, in order, without overlaps."""
    folded, index = fold(text)
    found: list[tuple[int, int, int]] = []
    for number, pattern, head, tail, stems in query_patterns(query, key):
        match = pattern.search(folded)
        kept = 0
        while match is not None and kept < MAX_TERM_HITS:
            start, end = match.span()
            if (head and start and SPACED_WORD_CHAR.match(folded, start - 1)) or (
                tail == "end" and SPACED_WORD_CHAR.match(folded, end)
            ):
                match = pattern.search(folded, start + 1)  # inside a word: look on from here
                continue
            if tail == "rest":
                end = SPACED_WORD_REST.match(folded, end).end()  # type: ignore[union-attr]
            hit = (index[start], index[end - 1] + 1, number)
            if stems and not _same_words(text[hit[0] : hit[1]], stems, key):
                match = pattern.search(folded, start + 1)  # another word of the same start
                continue
            found.append(hit)
            kept += 1
            match = pattern.search(folded, end)
    found.sort()
    hits: list[tuple[int, int, int]] = []
    for hit in found:
        if not hits or hit[0] >= hits[-1][1]:
            hits.append(hit)
    return hits


def _best_window(text: str, hits: list[tuple[int, int, int]]) -> tuple[int, int]:
    """The window of SIZE characters, starting LEAD before one of the first 500 hits, that
    holds the most different terms, then the most hits (of the 100 from its first), the
    earliest on a tie. Hits are in order and do not overlap, so their ends are in order too:
    those a window holds are a run from its first, and the run's end only moves on."""
    best_terms = best_count = -1
    best_start = 0
    end = 0  # the run of hits[i] is hits[i:end]
    for i, (start, _, _) in enumerate(hits[:500]):
        window_start = start - LEAD if start > LEAD else 0
        limit, last = window_start + SIZE, min(len(hits), i + 100)
        end = max(end, i)
        while end < last and hits[end][1] <= limit:
            end += 1
        count = end - i
        if count <= best_count and count < best_terms:
            continue  # cannot beat the best: fewer hits than the best has terms
        terms = len({h[2] for h in hits[i:end]}) if count > 1 else count
        if (terms, count) > (best_terms, best_count):
            best_terms, best_count, best_start = terms, count, window_start
    return best_start, min(len(text), best_start + SIZE)


def _snap(text: str, start: int, end: int, hits: list[tuple[int, int, int]]) -> tuple[int, int]:
    """Move the window edges to spaces so no word of a spaced script is cut in half."""
    first_hit = min((h[0] for h in hits if h[0] >= start), default=end)
    last_hit = max((h[1] for h in hits if h[1] <= end), default=start)
    if start > 0 and not text[start - 1].isspace() and not SEGMENTED.match(text[start]):
        space = text.find(" ", start, first_hit)
        if space != -1:
            start = space + 1
    if end < len(text) and not text[end].isspace() and not SEGMENTED.match(text[end - 1]):
        space = text.rfind(" ", last_hit, end)
        if space != -1:
            end = space
    return start, end


def make_snippet(text: str, query: Query, language: str | None = None) -> str:
    """An HTML-safe passage of `text` (an article in `language`) around the best cluster of
    hits of `query`: its words in any form the article's language gives them."""
    key = language_key(language)
    text = text[:MAX_TEXT]
    hits = find_hits(text, query, key)
    start = _best_window(text, hits)[0] if hits else 0
    # the part of the text around the chosen hits, with room for the window to move
    lo = _cut_before(text, start - LEAD)
    hi = _cut_after(text, start + SIZE + LEAD)
    if lo == 0 and hi == len(text):
        return _passage(text, query, key, False, False)
    return _passage(text[lo:hi], query, key, lo > 0, hi < len(text))


def _cut_before(text: str, position: int) -> int:
    """A place at or a little before `position` that cuts no word of a spaced script in two
    (so no hit is found in the tail of a word); 0 when only spaces come before it."""
    if position <= 0 or NOT_SPACE.search(text, 0, position) is None:
        return 0
    if not SPACED_WORD_CHAR.match(text, position):
        return position  # no word goes on from here
    floor = max(0, position - CUT_SEARCH)
    space = text.rfind(" ", floor, position)
    if space != -1:
        return space + 1  # after the nearest space (the common case, found fastest)
    run = WORD_ENDING.search(text, floor, position)  # the word characters just before
    if run is None:
        return position
    start = run.start()
    while start == floor and start > 0 and SPACED_WORD_CHAR.match(text, start - 1):
        start -= 1  # a run longer than CUT_SEARCH: cut where it begins
        floor = start
    return start


def _cut_after(text: str, position: int) -> int:
    """A place at or a little after `position` that cuts no word of a spaced script in two;
    the end of the text when only spaces come after it."""
    if position >= len(text) or NOT_SPACE.search(text, position) is None:
        return len(text)
    if position == 0 or not SPACED_WORD_CHAR.match(text, position - 1):
        return position  # no word is cut here
    return SPACED_WORD_REST.match(text, position).end()  # type: ignore[union-attr]


def _passage(text: str, query: Query, key: str, cut_before: bool, cut_after: bool) -> str:
    """The snippet of `text` (a part of the article when `cut_before` / `cut_after`)."""
    text = flatten(text)
    hits = find_hits(text, query, key)
    if hits:
        start, end = _snap(text, *_best_window(text, hits), hits)
    else:
        start, end = _snap(text, 0, min(len(text), SIZE), [])
    pieces = [ELLIPSIS if start > 0 or cut_before else ""]
    position = start
    for hit_start, hit_end, _ in hits:
        if hit_start < start or hit_end > end:
            continue
        pieces.append(escape(text[position:hit_start]))
        pieces.append(f"<mark>{escape(text[hit_start:hit_end])}</mark>")
        position = hit_end
    pieces.append(escape(text[position:end]))
    pieces.append(ELLIPSIS if end < len(text) or cut_after else "")
    return "".join(pieces).strip()
