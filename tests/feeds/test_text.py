"""Teasers: whole sentences when they fit, else a cut at a word marked with an ellipsis."""

from __future__ import annotations

from newsdesk.feeds.text import first_sentences, teaser


def test_first_sentences_keep_whole_sentences_that_fit() -> None:
    text = "Storm Elin hit the coast.  Power is out!\n\nTrains are cancelled? Yes."
    assert first_sentences(text, 45) == "Storm Elin hit the coast. Power is out!"
    assert (
        first_sentences(text, 400)
        == "Storm Elin hit the coast. Power is out! Trains are cancelled? Yes."
    )
    assert (
        first_sentences("東京で地震。被害は小さい。続報を待つ。", 13)
        == "東京で地震。被害は小さい。"
    )
    assert first_sentences("", 10) is None and first_sentences(None) is None


def test_a_first_sentence_too_long_is_cut_at_a_word_with_an_ellipsis() -> None:
    text = "About forty thousand homes across the north east were without power on Tuesday."
    cut = first_sentences(text, 30)
    assert cut == "About forty thousand homes…" == teaser(text, 30)
    assert len(cut) <= 31 and text.startswith(cut[:-1])
