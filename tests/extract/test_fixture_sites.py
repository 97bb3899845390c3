"""Every article of the fixture publishers, fetched over loopback, extracts to exactly what the
publisher says it published: headline, date with time and offset, authors, paragraphs."""

from __future__ import annotations

import httpx

from newsdesk.extract import extract_article


def _check(publisher, url: str) -> None:
    article = extract_article(httpx.get(url).content, url)
    expected = publisher.expected(url)
    assert article.title == expected.title
    assert article.published == expected.published
    assert article.authors == expected.authors
    assert article.text == expected.text


def test_seed_page_gives_exactly_its_story(publisher):
    _check(publisher, publisher.seed_url)


def test_every_fixture_article(publisher):
    urls = [url for site in publisher.sites for url in publisher.article_urls(site)]
    assert len(urls) > 10
    for url in urls:
        _check(publisher, url)
