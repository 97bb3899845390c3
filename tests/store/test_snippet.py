"""Snippets on their own: any text and any query give safe HTML that shows the text as written."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.store.query import parse
from newsdesk.store.snippet import (
    ELLIPSIS,
    LEAD,
    SIZE,
    _best_window,
    _fold_char,
    flatten,
    fold,
    make_snippet,
    query_patterns,
)

MARK = re.compile(r"</?mark>")


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=600), query=st.text(max_size=30))
def test_snippet_is_escaped_text_from_the_article(text: str, query: str) -> None:
    snippet = make_snippet(text, parse(query))
    bare = MARK.sub("", snippet)
    assert "<" not in bare and ">" not in bare and '"' not in bare
    shown = html.unescape(bare).strip(ELLIPSIS).strip()
    assert shown in flatten(text)


@settings(deadline=None)
@given(words=st.lists(st.sampled_from(["okapi", "zebra", "the", "café", "Café"]), max_size=80))
def test_every_shown_hit_is_marked(words: list[str]) -> None:
    snippet = make_snippet(" ".join(words), parse("cafe"))
    assert "café" not in MARK.sub("", re.sub(r"<mark>[^<]*</mark>", "", snippet)).lower()


def test_marks_wrap_whole_words_only() -> None:
    snippet = make_snippet("Cats and a cat in a catalogue; concatenate.", parse("cat"))
    assert snippet == "Cats and a <mark>cat</mark> in a catalogue; concatenate."
    prefix = make_snippet("Cats and a cat in a catalogue.", parse("cat*"))
    assert prefix.count("<mark>") == 3 and "<mark>catalogue</mark>" in prefix


def test_a_long_body_shows_its_hits_far_down_marked_and_put_on_one_line() -> None:
    filler = "\n\n".join(f"Paragraph {n} says nothing of note at all." for n in range(3000))
    text = f"{filler}\n\nThe harbour\nwall fell in the storm.\n\n{filler}"
    snippet = make_snippet(text, parse("harbour storm"))
    assert "<mark>harbour</mark> wall fell in the <mark>storm</mark>." in snippet
    assert snippet.startswith(ELLIPSIS) and snippet.endswith(ELLIPSIS)
    assert "\n" not in snippet and len(MARK.sub("", snippet)) <= SIZE + 2 * len(ELLIPSIS)
    assert html.unescape(MARK.sub("", snippet)).strip(ELLIPSIS) in flatten(text)


def test_a_long_body_is_never_cut_inside_a_word_that_would_look_like_a_hit() -> None:
    # the part shown starts and ends between words: "seaharbour" stays one word, no hit
    text = " ".join(["seaharbour"] * 200) + " harbour " + " ".join(["harbourside"] * 200)
    snippet = make_snippet(text, parse("harbour"))
    assert MARK.findall(snippet) == ["<mark>", "</mark>"]
    assert "<mark>harbour</mark>" in snippet
    words = html.unescape(MARK.sub("", snippet)).strip(ELLIPSIS).split()
    assert set(words) <= {"seaharbour", "harbour", "harbourside"}


@given(text=st.text(alphabet="aAéÉeEßİıﬁ’“”…– \n", max_size=200))
def test_folding_keeps_each_character_s_place(text: str) -> None:
    folded, index = fold(text)
    assert folded == "".join(_fold_char(ch) for ch in text)  # as one character at a time
    assert len(index) == len(folded) and all(0 <= i < len(text) for i in index)
    assert list(index) == sorted(index)


def test_accented_and_quoted_text_is_matched_without_accents_or_case() -> None:
    text = "Les électeurs « ÉLECTEURS » l’ont dit… Après l’Élection, déjà."
    snippet = make_snippet(text, parse("electeurs election"))
    assert snippet.count("<mark>") == 3
    assert "<mark>électeurs</mark>" in snippet and "<mark>ÉLECTEURS</mark>" in snippet
    assert "l’<mark>Élection</mark>" in snippet


def _best_window_by_every_window(text: str, hits: list[tuple[int, int, int]]) -> tuple[int, int]:
    # the rule, spelled out: every window that starts LEAD before one of the first 500 hits,
    # scored by the different terms and then the hits it holds (of the 100 from its first)
    best = (-1, -1, 0)
    for i, (start, _, _) in enumerate(hits[:500]):
        window_start = max(0, start - LEAD)
        inside = [h for h in hits[i : i + 100] if h[1] <= window_start + SIZE]
        score = (len({h[2] for h in inside}), len(inside))
        if score > best[:2]:
            best = (*score, window_start)
    return best[2], min(len(text), best[2] + SIZE)


@settings(max_examples=400, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 300), st.integers(1, 260), st.integers(0, 3)),
        min_size=1,
        max_size=700,
    ),
    tail=st.integers(0, 400),
)
def test_the_best_window_holds_the_most_terms_then_hits(
    steps: list[tuple[int, int, int]], tail: int
) -> None:
    hits, position = [], 0
    for gap, length, term in steps:  # in order and apart, as find_hits gives them
        hits.append((position + gap, position + gap + length, term))
        position += gap + length
    text = "x" * (position + tail)
    assert _best_window(text, hits) == _best_window_by_every_window(text, hits)


def test_a_query_s_patterns_are_made_once_and_used_for_each_text() -> None:
    query = parse('harbour "north sea" -gale')
    patterns = query_patterns(query)
    assert patterns is query_patterns(query)
    assert [number for number, *_ in patterns] == [0, 1]  # excluded words are never shown
    other = parse('harbour "north sea" -gale')
    assert query_patterns(other) is not patterns and query_patterns(other) == patterns
    snippet = make_snippet("The North  Sea harbour.", query)
    assert snippet == "The <mark>North Sea</mark> <mark>harbour</mark>."
