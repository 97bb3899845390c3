"""A dozen varied pages (blog, news, AMP, press release, several languages): each gives exactly
its headline, date, authors, language and body text."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.extract import extract_article

PAGES = Path(__file__).parent / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def articles():
    return {name: extract_article((PAGES / f"{name}.html").read_bytes(), case["url"])
            for name, case in EXPECTED.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_headline(articles, name):
    assert articles[name].title == EXPECTED[name]["title"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_published(articles, name):
    assert articles[name].published == datetime.fromisoformat(EXPECTED[name]["published"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_authors(articles, name):
    assert articles[name].authors == EXPECTED[name]["authors"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_language(articles, name):
    assert articles[name].language == EXPECTED[name]["lang"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_text(articles, name):
    assert articles[name].text == EXPECTED[name]["text"]
