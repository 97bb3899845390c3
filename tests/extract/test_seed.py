"""The page that started the project, as an aggregator serves it: exactly its story comes out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from newsdesk.extract import extract_article

PAGES = Path(__file__).parent / "pages"
URL = "https://worldnewsdesk.example/2021/12/04/biden-and-putin-to-hold-call-amid-ukraine-invasion-fears/"


def _article():
    return extract_article((PAGES / "seed_like.html").read_bytes(), URL)


def test_headline_without_dateline():
    assert _article().title == "Biden and Putin to hold call amid Ukraine invasion fears"


def test_date_with_time():
    assert _article().published == datetime(2021, 12, 4, 18, 53)


def test_exactly_the_paragraphs():
    expected = (PAGES / "seed_like.txt").read_text(encoding="utf-8").strip()
    text = _article().text
    assert "Advertisement" not in text
    assert "Eastern Ukraine map" not in text
    assert "Dominic Young" not in text
    assert text == expected
