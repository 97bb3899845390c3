"""The feed entry and the page's own data stand in when the page body gives too little."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsdesk.extract import ExtractError, article_to_json, extract_article
from newsdesk.model import Entry

URL = "https://news.example.org/a"
SUMMARY = ("The council voted to extend the tram line to the northern suburbs. "
           "Construction starts next spring and lasts about three years.")


def test_entry_gives_title_date_and_summary_for_an_empty_shell():
    entry = Entry(url=URL, title="Tram line to be extended north",
                  published=datetime(2024, 3, 5, 9, 0, tzinfo=UTC), summary=SUMMARY)
    article = extract_article("<html><body><div id='app'></div></body></html>", URL, entry=entry)
    assert article.title == "Tram line to be extended north"
    assert article.published == entry.published
    assert article.text == SUMMARY
    assert article.method == "feed"


def test_json_ld_article_body_used_when_page_shows_none():
    data = {"@type": "NewsArticle", "headline": "Tram line", "articleBody": SUMMARY * 3}
    html = (f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
            "<body><div id='app'></div></body></html>")
    article = extract_article(html, URL)
    assert article.method == "json-ld"
    assert article.text.startswith("The council voted")


def test_nothing_at_all_raises_extract_error():
    with pytest.raises(ExtractError) as info:
        extract_article(b"", URL)
    assert URL in str(info.value) and "\n" not in str(info.value)


def test_json_shape_and_order():
    entry = Entry(url=URL, title="Tram", published=datetime(2024, 3, 5, 9, 0, tzinfo=UTC),
                  summary=SUMMARY)
    data = article_to_json(extract_article("<html></html>", URL, entry=entry), input="page.html")
    assert list(data) == ["input", "url", "canonical_url", "title", "authors", "published",
                          "updated", "language", "site_name", "image", "text", "method"]
    assert data["published"] == "2024-03-05T09:00:00+00:00"
    assert data["input"] == "page.html"
