"""List items built in Python escape everything that comes from a feed or a visitor, and the
per-process account cache answers with the stored account and never keeps an unknown id."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.model import Article, Feed, StoredArticle
from newsdesk.web.items import controls_html, feed_options, item_html
from newsdesk.web.views import ItemView

HOSTILE = '<script>alert("x")</script>'


def hostile_item(**changes: object) -> ItemView:
    article = Article(
        url='https://example.org/a?x=1&y="2"',
        title=HOSTILE,
        image='https://example.org/i.jpg"><script>',
    )
    stored = StoredArticle(id=42, feed_id=1, feed_title=None, article=article, guid=None,
                           fetched_at=None, duplicate_of=None, story_id=None, copies=0)  # fmt: skip
    values: dict[str, object] = dict(sa=stored, source=HOSTILE, icon=None,
                                     when=datetime(2025, 3, 4, 5, 6, tzinfo=UTC),
                                     teaser=HOSTILE, full=True)  # fmt: skip
    values.update(changes)
    return ItemView(**values)  # type: ignore[arg-type]


def test_item_escapes_feed_and_visitor_values() -> None:
    html = str(item_html(hostile_item(), '/?q="><script>', '"tok', object(), False))
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html  # title, source, teaser
    assert 'src="https://example.org/i.jpg&#34;&gt;&lt;script&gt;"' in html
    assert 'value="/?q=&#34;&gt;&lt;script&gt;"' in html and 'value="&#34;tok"' in html
    assert 'href="/articles/42"' in html and 'data-id="42"' in html
    assert "unread-badge" in html and 'aria-pressed="false">Star<' in html


def test_item_snippet_keeps_its_marks_and_public_item_links_out() -> None:
    item = hostile_item(snippet="a <mark>harbour</mark> &amp; b", read=True, starred=True)
    html = str(item_html(item, "/", "t", None, True))
    assert '<p class="teaser snippet">a <mark>harbour</mark> &amp; b</p>' in html
    assert 'class="item is-read is-starred"' in html and "star-badge" in html
    assert "controls" not in html and "unread-badge" not in html
    assert 'href="https://example.org/a?x=1&amp;y=&#34;2&#34;" rel="noopener noreferrer"' in html


def test_controls_show_the_current_state() -> None:
    html = str(controls_html(hostile_item(read=True, starred=True), "/articles/42", "t"))
    assert 'aria-pressed="true">Unstar<' in html and 'aria-pressed="true">Mark unread<' in html
    assert html.count('name="value" value="0"') == 2


def test_feed_options_mark_the_chosen_source() -> None:
    feeds = [Feed(id=1, url="https://a.example/feed", title=HOSTILE),
             Feed(id=2, url="https://b.example/feed", user_title="Mine")]  # fmt: skip
    html = str(feed_options(feeds, 2))
    assert '<option value="1">&lt;script&gt;' in html
    assert '<option value="2" selected>Mine</option>' in html


def test_feed_options_follow_a_reloaded_feed_list() -> None:
    first = [Feed(id=1, url="https://a.example/feed", title="Old name")]
    assert "Old name" in feed_options(first, None)
    renamed = [Feed(id=1, url="https://a.example/feed", title="Old name", user_title="New name")]
    assert ">New name</option>" in feed_options(renamed, None)
    assert ">Old name</option>" in feed_options(first, None)
