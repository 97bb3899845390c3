"""The headline: no site name around it, no dateline glued to it."""

from __future__ import annotations

from datetime import datetime

from newsdesk.extract import extract_article
from tests.extract.pagekit import page

URL = "https://www.dailyexample.com/news/tram"


def _only_title(title: str, head: str = "") -> str | None:
    html = page(title=title, head=head).replace("<h1>Tram line to be extended north</h1>", "")
    return extract_article(html, URL).title


def test_site_name_suffix_removed():
    head = '<meta property="og:site_name" content="The Daily Example">'
    assert _only_title("Tram line to be extended north | The Daily Example", head) == (
        "Tram line to be extended north"
    )


def test_site_name_prefix_removed():
    head = '<meta property="og:site_name" content="The Daily Example">'
    assert _only_title("The Daily Example - Tram line to be extended north", head) == (
        "Tram line to be extended north"
    )


def test_domain_label_suffix_removed_without_site_name():
    assert _only_title("Tram line to be extended north – DailyExample") == (
        "Tram line to be extended north"
    )


def test_dash_inside_headline_kept():
    head = '<meta property="og:title" content="Tram line - and a new bridge - approved">'
    assert _only_title("x", head) == "Tram line - and a new bridge - approved"


def test_dateline_glued_to_headline_is_split_off():
    html = page(title="x").replace(
        "<h1>Tram line to be extended north</h1>",
        "<h1>Biden and Putin to hold call amid Ukraine invasion fears"
        "<span>on December 4, 2021 at 6:53 pm</span></h1>",
    )
    article = extract_article(html.replace("<title>x</title>", ""), URL)
    assert article.title == "Biden and Putin to hold call amid Ukraine invasion fears"
    assert article.published == datetime(2021, 12, 4, 18, 53)


def test_h1_preferred_when_title_tag_decorates_it():
    html = page(title="Tram line to be extended north - Local News - The Daily Example")
    assert extract_article(html, URL).title == "Tram line to be extended north"
