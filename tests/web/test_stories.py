"""Stories in the reader over HTTP: the story river and its toggle, /stories, a story's page
(every outlet, copies folded under their original, who reported first, the timeline), marking a
story read, the article page's other outlets and related stories, and old ids redirecting. The
fixture publisher's three sites are polled into a real store behind a running server."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
from lxml import html as lxml_html

from newsdesk.config import Settings
from newsdesk.pipeline.matching import regroup
from newsdesk.store import Store
from newsdesk.web.auth.passwords import hash_password
from tests.match.test_end_to_end import admin_client, ids_of, live, polled, store, web_settings
from tests.web.conftest import ADMIN, SignedInClient, sign_in

__all__ = ["admin_client", "live", "polled", "store", "web_settings"]

OUTLETS = ["Daily Planet", "Harbour Gazette", "Northern Courier"]


def page(client: httpx.Client, path: str) -> lxml_html.HtmlElement:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    return lxml_html.fromstring(answer.text)


def texts(tree: lxml_html.HtmlElement, css: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in tree.cssselect(css)]


def outlets(tree: lxml_html.HtmlElement, css: str) -> list[str]:
    """The outlet names of source badges (without the initial shown in place of an icon)."""
    names = []
    for node in tree.cssselect(css):
        letter = "".join(x.text_content() for x in node.cssselect(".letter"))
        names.append(" ".join(node.text_content().split()).removeprefix(letter).strip())
    return names


def every_page(client: httpx.Client, path: str) -> list[lxml_html.HtmlElement]:
    """The page at `path` and every older page it links to."""
    pages = [page(client, path)]
    while nxt := pages[-1].cssselect("a[rel=next]"):
        pages.append(page(client, nxt[0].get("href")))
    return pages


def story_of(store: Store, publisher, group: str) -> int:
    (story_id,) = {a.story_id for a in store.get_articles(ids_of(store, publisher.urls_in_group(
        group)))}  # fmt: skip
    return story_id


def test_a_story_page_lists_every_outlet_with_copies_folded(
    polled: Store, admin_client: SignedInClient, publisher
) -> None:
    wire = story_of(polled, publisher, "wire")
    tree = page(admin_client, f"/stories/{wire}")
    assert texts(tree, "h1") == [polled.get_story(wire).title]
    assert texts(tree, ".coverage-page .coverage") == ["3 articles from 3 outlets"]
    # one wire report, its two reprints folded under it, every outlet named
    (report,) = tree.cssselect(".report")
    original = polled.get_article(int(report.get("data-id")))
    assert original.duplicate_of is None and original.copies == 2
    assert texts(report, ".copies summary") == ["and 2 copies"]
    named = outlets(report, ".meta .source") + texts(report, ".copies li a")
    assert sorted(named) == OUTLETS
    # Daily Planet's copy came out first (09:15 UTC), whichever report the others copy
    assert texts(tree, ".first-report strong") == ["Daily Planet"]
    assert [a.get("href") for a in tree.cssselect(".feeds a")] == [
        f"/stories/{wire}.atom",
        f"/stories/{wire}.rss",
        f"/stories/{wire}.json",
    ]
    for fmt in ("atom", "rss", "json"):
        assert admin_client.get(f"/stories/{wire}.{fmt}").status_code == 200

    storm = story_of(polled, publisher, "storm-elin")
    tree = page(admin_client, f"/stories/{storm}")
    reports = tree.cssselect(".report")
    assert sorted(outlets(tree, ".report .meta .source")) == OUTLETS and not tree.cssselect(
        ".copies"
    )
    times = [datetime.fromisoformat(r.cssselect("time")[0].get("datetime")) for r in reports]
    assert [f"{t.astimezone(UTC):%H:%M}" for t in times] == ["07:30", "08:10", "08:45"]
    assert texts(tree, ".first-report strong") == ["Daily Planet"]
    bylines = texts(tree, ".report .byline")
    assert "By Jess Armstrong, Paul Reid" in bylines
    bars = tree.cssselect(".timeline li")
    assert 1 < len(bars) <= 3 and {b.get("data-level") for b in bars} <= {"0", "1", "2", "3", "4"}


def unread_in(pages: list[lxml_html.HtmlElement]) -> int:
    """The unread articles a river shows: an article item's badge counts one, a story's says
    how many."""
    total = 0
    for tree in pages:
        for badge in texts(tree, ".unread-badge"):
            total += int(badge.split()[0]) if badge[0].isdigit() else 1
    return total


def test_the_story_and_article_rivers_hold_the_same_unread_articles(
    polled: Store, admin_client: SignedInClient, publisher
) -> None:
    def both() -> tuple[int, int, int]:
        articles = every_page(admin_client, "/?view=articles&unread=1")
        stories = every_page(admin_client, "/?view=stories&unread=1")
        return unread_in(articles), unread_in(stories), len(texts(articles[0], ".item"))

    by_article, by_story, shown = both()
    originals = len(polled.article_ids(originals_only=True))
    assert by_article == by_story == originals and shown == originals
    # the story river shows each story once: fewer items than articles
    stories = every_page(admin_client, "/?view=stories")
    assert len(texts(stories[0], ".story-item")) == len(polled.list_stories(limit=1000))

    storm = story_of(polled, publisher, "storm-elin")
    token = admin_client.csrf
    form = {"csrf": token, "value": "1", "next": "/?view=stories"}
    marked = admin_client.post(f"/stories/{storm}/read", data=form)
    assert marked.status_code == 303 and marked.headers["location"] == "/?view=stories"
    by_article, by_story, _ = both()
    assert by_article == by_story == originals - 3
    tree = page(admin_client, "/?view=stories&unread=1")
    assert f"/stories/{storm}" not in [a.get("href") for a in tree.cssselect(".story-item a.open")]

    # as a script asks it: the new state as JSON, and back to unread
    answer = admin_client.post(f"/stories/{storm}/read", data={"csrf": token, "value": "0"},
                               headers={"Accept": "application/json"})  # fmt: skip
    assert answer.json() == {"id": storm, "read": False}
    assert both()[:2] == (originals, originals)


def test_the_river_view_is_remembered_per_reader(
    polled: Store, live, admin_client: SignedInClient
) -> None:
    tree = page(admin_client, "/")  # stories unless the reader chose otherwise
    assert tree.cssselect("section[aria-label=Stories] .story-item")
    form = {"csrf": admin_client.csrf, "view": "articles", "next": "/?unread=1"}
    chosen = admin_client.post("/river-view", data=form)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/?unread=1"
    tree = page(admin_client, "/")
    assert tree.cssselect("section[aria-label=Articles] .item")
    assert not tree.cssselect(".story-item")
    assert live.store.reading_settings(live.store.find_user(ADMIN).id).river_view == "articles"
    # a page may still ask for the other view, and its next pages keep asking
    assert page(admin_client, "/?view=stories").cssselect(".story-item")
    # another reader keeps their own choice
    live.store.create_user("reader2", hash_password("reader2 password"))
    with SignedInClient(base_url=live.url, timeout=30) as other:
        sign_in(other, "reader2", "reader2 password")
        assert page(other, "/").cssselect("section[aria-label=Stories] .story-item")
    refused = admin_client.post("/river-view", data={"csrf": admin_client.csrf, "view": "cards"})
    assert refused.status_code == 400 and "river_view must be one of" in refused.text


def test_an_article_lists_its_storys_other_outlets_and_other_stories(
    polled: Store, admin_client: SignedInClient, publisher
) -> None:
    storm_ids = ids_of(polled, publisher.urls_in_group("storm-elin"))
    article = polled.get_article(storm_ids[0])
    tree = page(admin_client, f"/articles/{article.id}")
    own = outlets(tree, ".story .meta .source")[0]
    others = texts(tree, ".also li a")
    assert sorted([own, *others]) == OUTLETS
    links = [a.get("href") for a in tree.cssselect(".related li a")]
    assert all(re.fullmatch(r"/stories/\d+", link) for link in links)
    assert f"/stories/{article.story_id}" not in links  # never its own story
    # the other earthquake of that day is another story, and related
    peru = next(
        a
        for a in polled.get_articles(ids_of(polled, publisher.urls_in_group("quake-peru")))
        if a.article.title == "Magnitude 6.3 earthquake strikes southern Peru"
    )
    turkey = story_of(polled, publisher, "quake-turkey")
    tree = page(admin_client, f"/articles/{peru.id}")
    assert [a.get("href") for a in tree.cssselect(".related a")] == [f"/stories/{turkey}"]
    assert texts(tree, ".related a") == [polled.get_story(turkey).title]
    wire = ids_of(polled, publisher.urls_in_group("wire"))
    copy = next(a for a in polled.get_articles(wire) if a.duplicate_of is not None)
    tree = page(admin_client, f"/articles/{copy.id}")
    assert f"/stories/{copy.story_id}" not in [a.get("href") for a in tree.cssselect(".related a")]
    assert len(texts(tree, ".also li")) == 2  # the original and the other copy's outlets


def test_latest_stories_are_paged_and_old_ids_redirect(
    polled: Store, web_settings: Settings, admin_client: SignedInClient
) -> None:
    listed = [
        a.get("href") for tree in every_page(admin_client, "/stories")
        for a in tree.cssselect(".story-item a.open")
    ]  # fmt: skip
    assert len(listed) == len(set(listed)) == len(polled.list_stories(limit=1000))
    before = {s.id for s in polled.list_stories(limit=1000)}
    loose = web_settings.model_copy(update={"story_join_score": 0.001, "story_merge_score": 0.01})
    regroup(polled, loose)
    gone = sorted(before - {s.id for s in polled.list_stories(limit=1000)})
    assert gone
    old = gone[0]
    into = polled.story_redirect(old)
    moved = admin_client.get(f"/stories/{old}", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == f"/stories/{into}"
    assert admin_client.get(f"/stories/{old}", follow_redirects=True).status_code == 200
    assert admin_client.get("/stories/999999").status_code == 404


def test_an_empty_or_unknown_view_is_answered_plainly(admin_client: SignedInClient) -> None:
    assert page(admin_client, "/?view=").cssselect("section[aria-label=Stories]")
    refused = admin_client.get("/?view=cards")
    assert refused.status_code == 400 and "view" in refused.text
