"""The feed entry and the page's own data stand in when the page body gives too little."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsdesk.extract import ExtractError, ExtractParams, article_to_json, extract_article
from newsdesk.model import Entry
from tests.extract.pagekit import LOREM
from tests.extract.test_body import COMMITTEE

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


def test_trafilatura_second_opinion_wins_when_it_finds_clearly_more():
    # The story only in <noscript> (a script renders it): ours drops it, trafilatura keeps it.
    paras = "".join(f"<p>{p}</p>" for p in LOREM)
    html = ("<html><head><title>Tram line</title></head><body><div class='post'>"
            "<h1>Tram line to be extended north</h1><div class='post-body'>"
            f"<script>render()</script><noscript>{paras}</noscript></div></div></body></html>")
    article = extract_article(html, URL)
    assert article.method == "trafilatura"
    assert article.text.split("\n\n") == LOREM
    # unless pages that long are never given to trafilatura
    short_cap = ExtractParams(second_opinion_max_html=len(html) - 1)
    assert extract_article(html, URL, params=short_cap).method != "trafilatura"


def test_no_second_opinion_on_a_huge_tree():
    # The same page as above inside a tree of thousands of elements (a giant menu): trafilatura's
    # cost grows with the tree, so ours, already paid for, has the last word.
    items = "<li><span></span></li>" * (ExtractParams().second_opinion_max_nodes // 2)
    menu = f"<ul class='menu'>{items}</ul>"
    paras = "".join(f"<p>{p}</p>" for p in LOREM)
    html = ("<html><head><title>Tram line</title></head><body>" + menu + "<div class='post'>"
            "<h1>Tram line to be extended north</h1><div class='post-body'>"
            f"<script>render()</script><noscript>{paras}</noscript></div></div></body></html>")
    article = extract_article(html, URL)
    assert article.method != "trafilatura"


def test_second_opinion_asked_when_our_containers_hold_little_of_the_pages_prose():
    # An open letter and its signatories: the comma-packed table of names outscores the letter,
    # leaving most of the page's prose outside what ours kept; trafilatura reads the letter.
    names = ["Ann Lee", "Bo Chan", "Cy Diaz", "Di Evans", "Ed Fox", "Flo Gray", "Gus Hill"]
    column = ", ".join(f"{name} {i}" for i in range(7) for name in names)
    letter = [*LOREM, *COMMITTEE]
    html = ("<html><head><title>An open letter</title></head><body><div class='letter'>"
            + "".join(f"<p>{p}</p>" for p in letter)
            + f"<table><tr><td>{column}</td><td>{column.upper()}</td></tr></table>"
            "</div></body></html>")
    article = extract_article(html, URL)
    assert article.method == "trafilatura"
    assert all(paragraph in article.text for paragraph in letter)


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
