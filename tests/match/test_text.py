"""Tokens, numbers and names: the shared text functions of duplicates and stories."""

from __future__ import annotations

from newsdesk.match.text import entities, numbers, words


def test_words_drop_ascii_and_typographic_punctuation() -> None:
    text = "“Don’t panic,” said the mayor — twice… (O'Brien; U.S.-based)"
    assert words(text) == [
        "don", "t", "panic", "said", "the", "mayor", "twice", "o", "brien", "u", "s", "based",
    ]


def test_words_keep_letters_of_every_alphabet_and_unusual_spaces() -> None:
    text = "Zürich\u00a0São Paulo\u2003Łódź\tМосква € 5"
    assert words(text) == ["zürich", "são", "paulo", "łódź", "москва", "€", "5"]


def test_words_cut_cjk_into_characters_and_keep_other_words_whole() -> None:
    assert words("東京で地震。M7 quake、“Tokyo”") == [
        "東", "京", "で", "地", "震", "m7", "quake", "tokyo",
    ]
    assert words("서울 지진") == ["서", "울", "지", "진"]


def test_words_of_text_with_symbols_beyond_cjk_are_not_cut() -> None:
    # an emoji or a fullwidth sign sits above the CJK ranges without being CJK
    assert words("Storm 🌀 hits Ｎ coast") == ["storm", "🌀", "hits", "ｎ", "coast"]


def test_numbers_keep_whole_figures_and_skip_parts_of_words() -> None:
    text = "A 7.3 quake killed 1,200 in 2024; flight MH370 and v2.5 are no figures, nor 0 or 4."
    assert numbers(text) == {"7.3", "1200", "2024"}


def test_numbers_at_the_start_of_a_text_and_after_a_separator() -> None:
    assert numbers("12 dead") == {"12"}
    assert numbers("x1,25 and (88)") == {"25", "88"}


def test_entities_join_capitalised_spans_and_skip_sentence_openers() -> None:
    found = entities("The Betty Ford Center said Tara Reid left. Police said Reid's stay ended.")
    assert {"betty ford center", "center", "tara reid", "reid"} <= found
    assert "the" not in found and "police" not in found
