"""Structured data: JSON-LD forms, OpenGraph, article:* meta, microdata, Dublin Core, <time>."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from newsdesk.extract import extract_article
from tests.extract.pagekit import json_ld, page

URL = "https://news.example.org/2024/03/tram"


def test_json_ld_news_article_gives_headline_date_and_author():
    head = json_ld({
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": "Council extends the tram line", "datePublished": "2024-03-05T09:30:00+01:00",
        "dateModified": "2024-03-05T11:00:00+01:00",
        "author": {"@type": "Person", "name": "Ana Lopes"},
    })
    article = extract_article(page(head=head), URL)
    assert article.title == "Council extends the tram line"
    assert article.published == datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert article.updated == datetime(2024, 3, 5, 11, 0, tzinfo=timezone(timedelta(hours=1)))
    assert article.authors == ["Ana Lopes"]


def test_json_ld_graph_form_resolves_author_reference():
    head = json_ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "#site", "name": "The Daily Example"},
        {"@type": "Person", "@id": "#ana", "name": "Ana Lopes"},
        {"@type": "ReportageNewsArticle", "headline": "Tram line to be extended north",
         "datePublished": "2024-03-05", "author": {"@id": "#ana"}},
    ]})
    article = extract_article(page(head=head), URL)
    assert article.authors == ["Ana Lopes"]
    assert article.published == datetime(2024, 3, 5)
    assert article.site_name == "The Daily Example"


def test_json_ld_list_form_is_read():
    head = json_ld([
        {"@type": "BreadcrumbList", "itemListElement": []},
        {"@type": ["Article"], "headline": "Tram line to be extended north",
         "author": [{"@type": "Person", "name": "Ana Lopes"},
                    {"@type": "Person", "name": "Ben Ode"}]},
    ])
    assert extract_article(page(head=head), URL).authors == ["Ana Lopes", "Ben Ode"]


def test_broken_json_ld_is_ignored_not_fatal():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    article = extract_article(page(head=head), URL)
    assert article.title == "Tram line to be extended north"


def test_opengraph_and_article_meta_when_no_json_ld():
    head = (
        '<meta property="og:title" content="Tram line to be extended north">'
        '<meta property="og:site_name" content="The Daily Example">'
        '<meta property="og:url" content="/2024/03/tram-line">'
        '<meta property="og:image" content="/img/tram.jpg">'
        '<meta property="article:published_time" content="2024-03-05T08:30:00Z">'
    )
    article = extract_article(page(head=head), URL)
    assert article.site_name == "The Daily Example"
    assert article.canonical_url == "https://news.example.org/2024/03/tram-line"
    assert article.image == "https://news.example.org/img/tram.jpg"
    assert article.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)


def test_rel_canonical_outranks_og_url():
    head = ('<meta property="og:url" content="https://news.example.org/og">'
            '<link rel="canonical" href="https://news.example.org/canonical">')
    assert extract_article(page(head=head), URL).canonical_url == "https://news.example.org/canonical"


def test_microdata_author_and_date():
    body = ('<div itemprop="author" itemscope><span itemprop="name">Ana Lopes</span></div>'
            '<span itemprop="datePublished" content="2024-03-05T10:00:00+00:00">5 March</span>')
    article = extract_article(page(body=body), URL)
    assert article.authors == ["Ana Lopes"]
    assert article.published == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)


def test_dublin_core_creator_and_date():
    head = ('<meta name="DC.creator" content="Ana Lopes">'
            '<meta name="DC.date" content="2024-03-05">')
    article = extract_article(page(head=head), URL)
    assert article.authors == ["Ana Lopes"]
    assert article.published == datetime(2024, 3, 5)


def test_time_element_gives_date_when_nothing_else_does():
    body = '<p class="meta"><time datetime="2024-03-05T07:15:00-05:00">March 5</time></p>'
    article = extract_article(page(body=body), URL)
    assert article.published == datetime(2024, 3, 5, 7, 15, tzinfo=timezone(timedelta(hours=-5)))


def test_lead_image_caption_kept_as_field_not_in_body():
    body = ('<figure><img src="/tram.jpg" alt=""><figcaption>The new tram at the depot'
            "</figcaption></figure>")
    article = extract_article(page(body=body), URL)
    assert article.image_caption == "The new tram at the depot"
    assert "depot" not in article.text
