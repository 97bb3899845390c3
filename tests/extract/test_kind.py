"""Which archived pages are news articles, by their address and by what extraction found."""

from __future__ import annotations

import pytest

from newsdesk.extract.kind import address_kind, page_kind
from newsdesk.model import Article

STORY = "Councillors approved the plan on Tuesday after a long debate. " * 6


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://news.example/", "home page"),
        ("https://news.example/index.html", "home page"),
        ("https://news.example/world/", "section front"),
        ("https://news.example/news/politics", "section front"),
        ("https://news.example/world/index.html", "section front"),
        ("https://news.example/tag/elections", "tag page"),
        ("https://news.example/topics/climate/page/2", "tag page"),
        ("https://news.example/video/2024/03/12/storm-clip", "video page"),
        ("https://news.example/img/photo.jpg", "not a page"),
        ("https://news.example/2019/11/18/politics/a-long-story/index.html", None),
        ("https://news.example/world/europe/storm-elin-uk-power-cuts-51101", None),
        ("https://news.example/article/20240314-sakura", None),
        ("https://blog.example/?p=3289", None),
        ("https://news.example/news/story.php?id=12", None),
    ],
)
def test_address_kind(url: str, kind: str | None) -> None:
    assert address_kind(url) == kind


def test_a_page_without_a_story_body_is_no_article() -> None:
    url = "https://news.example/2024/03/12/council-approves-cycle-lanes"
    story = Article(url=url, title="Council approves lanes", text=STORY, method="newsdesk")
    assert page_kind(url, story) is None
    teaser = Article(url=url, title="Council approves lanes", text="Read more.", method="newsdesk")
    assert page_kind(url, teaser) == "not an article"
    nothing = Article(url=url, title="Council approves lanes", text=STORY, method="")
    assert page_kind(url, nothing) == "not an article"
    assert page_kind("https://news.example/tag/x", story) == "tag page"
