"""Snippets on their own: any text and any query give safe HTML that shows the text as written."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.store.query import parse
from newsdesk.store.snippet import ELLIPSIS, flatten, make_snippet

MARK = re.compile(r"</?mark>")


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=600), query=st.text(max_size=30))
def test_snippet_is_escaped_text_from_the_article(text: str, query: str) -> None:
    snippet = make_snippet(text, parse(query))
    bare = MARK.sub("", snippet)
    assert "<" not in bare and ">" not in bare and '"' not in bare
    shown = html.unescape(bare).strip(ELLIPSIS).strip()
    assert shown in flatten(text)


@given(words=st.lists(st.sampled_from(["okapi", "zebra", "the", "café", "Café"]), max_size=80))
def test_every_shown_hit_is_marked(words: list[str]) -> None:
    snippet = make_snippet(" ".join(words), parse("cafe"))
    assert "café" not in MARK.sub("", re.sub(r"<mark>[^<]*</mark>", "", snippet)).lower()


def test_marks_wrap_whole_words_only() -> None:
    snippet = make_snippet("Cats and a cat in a catalogue; concatenate.", parse("cat"))
    assert snippet == "Cats and a <mark>cat</mark> in a catalogue; concatenate."
    prefix = make_snippet("Cats and a cat in a catalogue.", parse("cat*"))
    assert prefix.count("<mark>") == 3 and "<mark>catalogue</mark>" in prefix
