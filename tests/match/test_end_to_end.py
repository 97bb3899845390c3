"""Duplicates and stories through the whole product: the fixture publisher's three sites on
loopback, polled into a real SQLite store, then read back through the store, the command line
and the JSON API of a running server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.match.stories import StoryParams
from newsdesk.match.traits import MatchTraits, article_traits
from newsdesk.model import Article
from newsdesk.pipeline.matching import MatchStep, regroup
from newsdesk.pipeline.poll import poll
from newsdesk.pipeline.subscribe import subscribe
from newsdesk.store import Store
from newsdesk.store.articles import NewArticle
from newsdesk.store.matching import MatchRow, unmatched_row
from newsdesk.times import utcnow
from tests.cli.conftest import Cli
from tests.web import conftest as web
from tests.web.conftest import LiveServer, SignedInClient

# a real server over a real store, as the web tests run it
web_settings, store, live, admin_client = (
    web.web_settings, web.store, web.live, web.admin_client
)

SITES = ("harbour-gazette", "northern-courier", "daily-planet")


def follow_and_poll(
    store: Store, settings: Settings, publisher, order: tuple[str, ...] = SITES
) -> None:
    """Follow the three sites and poll them one after the other in `order`, so articles arrive
    in one known order (one request at a time per host: each feed's entries oldest first)."""
    feeds = [subscribe(store, settings, publisher.feed_url(site))[0] for site in order]
    for feed in feeds:
        report = poll(store, settings, feed_ids=[feed.id])
        assert report.errors == []


def ids_of(store: Store, urls: list[str]) -> list[int]:
    found = [store.find_article_by_url(url) for url in urls]
    assert None not in found, urls
    return sorted(found)  # type: ignore[arg-type]


def grouping(store: Store) -> set[frozenset[int]]:
    """The stories as sets of article ids (story ids themselves may differ between runs)."""
    return {frozenset(s.article_ids) for s in store.list_stories(limit=1000)}


@pytest.fixture
def polled(store: Store, web_settings: Settings, publisher) -> Store:
    follow_and_poll(store, web_settings, publisher)
    return store


@pytest.fixture
def cli(web_settings: Settings) -> Cli:
    return Cli(web_settings.data_dir)


@pytest.fixture
def api(live: LiveServer, admin_client: SignedInClient) -> Iterator[httpx.Client]:
    answer = admin_client.post(
        "/api/v1/tokens", json={"name": "stories"}, headers={"X-CSRF-Token": admin_client.csrf}
    )
    assert answer.status_code == 201, answer.text
    headers = {"Authorization": f"Bearer {answer.json()['token']}"}
    with httpx.Client(base_url=f"{live.url}/api/v1", headers=headers, timeout=60) as client:
        yield client


def test_store_folds_the_wire_copies_and_groups_the_storm(polled: Store, publisher) -> None:
    store = polled
    wire = ids_of(store, publisher.urls_in_group("wire"))
    stored = store.get_articles(wire)
    originals = [a for a in stored if a.duplicate_of is None]
    assert len(originals) == 1
    (original,) = originals
    assert original.copies == 2
    assert {a.duplicate_of for a in stored if a.id != original.id} == {original.id}
    # a copy joins its original's story: every outlet that carried it is listed
    assert len({a.story_id for a in stored}) == 1
    assert len(store.get_story(original.story_id).outlets) == 3

    storm = ids_of(store, publisher.urls_in_group("storm-elin"))
    stories = {a.story_id for a in store.get_articles(storm)}
    assert len(stories) == 1 and None not in stories
    story = store.get_story(stories.pop())
    assert sorted(story.article_ids) == storm
    assert sorted(story.outlets) == ["Daily Planet", "Harbour Gazette", "Northern Courier"]
    assert all(a.duplicate_of is None for a in store.get_articles(storm))

    # the river shows the wire story once
    river = store.list_articles(limit=200, originals_only=True)
    assert [a.id for a in river if a.id in wire] == [original.id]


@pytest.mark.parametrize("order", [SITES, SITES[::-1], SITES[1:] + SITES[:1]])
def test_two_earthquakes_on_one_day_stay_two_stories(
    store: Store, web_settings: Settings, publisher, order: tuple[str, ...]
) -> None:
    # whatever the arrival order: Turkey's quake once joined Peru's when Peru's came first
    follow_and_poll(store, web_settings, publisher, order)
    peru = {a.story_id for a in store.get_articles(ids_of(store, publisher.urls_in_group(
        "quake-peru")))}
    turkey = {a.story_id for a in store.get_articles(ids_of(store, publisher.urls_in_group(
        "quake-turkey")))}
    assert len(peru) == 1 and len(turkey) == 1
    assert peru != turkey
    storm = ids_of(store, publisher.urls_in_group("storm-elin"))
    assert len({a.story_id for a in store.get_articles(storm)}) == 1


def test_cli_shows_stories_and_copies(polled: Store, cli: Cli, publisher) -> None:
    wire = ids_of(polled, publisher.urls_in_group("wire"))
    listed = {a["id"]: a for a in cli.json_lines("articles", "--limit", "200")}
    wire_rows = [listed[i] for i in wire]
    (original,) = [a for a in wire_rows if a["duplicate_of"] is None]
    assert original["copies"] == 2
    assert {a["story_id"] for a in wire_rows} == {original["story_id"]}

    (copy_id,) = [a["id"] for a in wire_rows if a["duplicate_of"] is not None][:1]
    (shown,) = cli.json_lines("show", str(copy_id))
    assert shown["duplicate_of"] == original["id"]
    assert shown["story_id"] == original["story_id"]

    stories = {s["id"]: s for s in cli.json_lines("stories", "--limit", "100")}
    storm = ids_of(polled, publisher.urls_in_group("storm-elin"))
    (storm_story,) = [s for s in stories.values() if sorted(s["article_ids"]) == storm]
    assert len(storm_story["outlets"]) == 3
    assert storm_story["article_count"] == 3
    assert set(storm_story) >= {"id", "title", "first_seen", "last_seen", "outlets"}

    (detail,) = cli.json_lines("story", str(storm_story["id"]))
    times = [datetime.fromisoformat(a["published"]) for a in detail["articles"]]
    assert times == sorted(times)
    assert sorted(a["id"] for a in detail["articles"]) == storm
    assert detail["title"] in {a["title"] for a in detail["articles"]}

    text = cli("story", str(storm_story["id"])).stdout
    assert "Harbour Gazette" in text and "first seen" in text
    missing = cli("story", "99999", ok=False)
    assert missing.exit_code == 1
    assert "no story with id 99999" in missing.stderr


def test_json_api_lists_originals_with_copies_and_a_switch(
    live: LiveServer, api: httpx.Client, admin_client: SignedInClient, publisher
) -> None:
    follow_and_poll(live.store, live.settings, publisher)
    wire = ids_of(live.store, publisher.urls_in_group("wire"))
    page = api.get("/articles", params={"limit": 200}).json()["items"]
    shown = [a for a in page if a["id"] in wire]
    assert len(shown) == 1
    assert shown[0]["copies"] == 2 and shown[0]["duplicate_of"] is None
    everything = api.get("/articles", params={"limit": 200, "duplicates": "true"}).json()
    copies = [a for a in everything["items"] if a["id"] in wire and a["duplicate_of"]]
    assert {a["duplicate_of"] for a in copies} == {shown[0]["id"]}
    story = api.get("/articles", params={"story_id": shown[0]["story_id"]}).json()["items"]
    assert sorted(a["id"] for a in story) == wire

    hits = api.get("/search", params={"q": "Nordair"}).json()["items"]
    assert [h["article"]["id"] for h in hits] == [shown[0]["id"]]
    hits = api.get("/search", params={"q": "Nordair", "duplicates": "true"}).json()["items"]
    assert sorted(h["article"]["id"] for h in hits) == wire

    storm = ids_of(live.store, publisher.urls_in_group("storm-elin"))
    stories = api.get("/stories", params={"limit": 100}).json()
    (storm_story,) = [s for s in stories if sorted(s["article_ids"]) == storm]
    assert len(storm_story["outlets"]) == 3
    detail = api.get(f"/stories/{storm_story['id']}").json()
    assert [a["id"] for a in detail["articles"]] == storm_story["article_ids"]
    assert {a["story_id"] for a in detail["articles"]} == {storm_story["id"]}
    assert api.get("/stories/99999").status_code == 404

    for article_id in wire:
        related = api.get(f"/articles/{article_id}/related").json()
        assert shown[0]["story_id"] not in {r["story_id"] for r in related}
    assert api.get("/articles/99999/related").status_code == 404

    # output feeds: the river shows the wire story once; the story's own feed all its coverage
    river = admin_client.get("/all.json", params={"limit": 200}).json()["items"]
    wire_urls = set(publisher.urls_in_group("wire"))
    assert len([i for i in river if i["url"] in wire_urls]) == 1
    river = admin_client.get("/all.json", params={"limit": 200, "duplicates": "true"}).json()
    assert len([i for i in river["items"] if i["url"] in wire_urls]) == 3
    feed = admin_client.get(f"/stories/{storm_story['id']}.json").json()
    assert sorted(i["url"] for i in feed["items"]) == sorted(publisher.urls_in_group("storm-elin"))


def test_an_article_saved_but_not_matched_is_matched_on_the_next_run(
    store: Store, web_settings: Settings, publisher
) -> None:
    follow_and_poll(store, web_settings, publisher)
    before = grouping(store)
    wire = ids_of(store, publisher.urls_in_group("wire"))
    # the state a process killed between save and match leaves behind: stored, not matched
    leftover = max(wire)
    store.clear_matches(since=store.get_article(leftover).article.published)
    assert store.count_unmatched() >= 1
    assert store.get_article(leftover).story_id is None

    MatchStep.open(store, web_settings)
    assert store.count_unmatched() == 0
    again = store.get_article(leftover)
    assert again.story_id is not None
    assert grouping(store) == before


def test_regroup_gives_the_same_grouping(
    polled: Store, web_settings: Settings, cli: Cli, publisher
) -> None:
    before = grouping(polled)
    wire = ids_of(polled, publisher.urls_in_group("wire"))
    assert regroup(polled, web_settings) == polled.count_articles()
    assert grouping(polled) == before
    (summary,) = cli.json_lines("regroup")
    assert summary == {"matched": polled.count_articles()}
    assert grouping(polled) == before
    since = "2024-03-13T00:00+00:00"  # the day of the two earthquakes
    later = [a for a in polled.list_articles(limit=200) if a.article.published
             and a.article.published >= datetime.fromisoformat(since)]
    (summary,) = cli.json_lines("regroup", "--since", since)
    assert summary == {"matched": len(later)} and len(later) >= 4
    assert grouping(polled) == before
    wire_rows = polled.get_articles(wire)
    # the replay goes in arrival order, so the original stays the first copy that arrived
    originals = [a for a in wire_rows if a.duplicate_of is None]
    assert len(originals) == 1 and originals[0].copies == 2
    assert originals[0].id == min(wire)


def test_import_json_lines_folds_a_copy_and_joins_a_story(
    polled: Store, cli: Cli, publisher, tmp_path: Path
) -> None:
    wire = polled.get_articles(ids_of(polled, publisher.urls_in_group("wire")))
    (original,) = [a for a in wire if a.duplicate_of is None]
    storm = polled.get_articles(ids_of(polled, publisher.urls_in_group("storm-elin")))
    storm_story = storm[0].story_id
    copy = {
        "url": "https://elsewhere.example/business/nordair-pilots",
        "title": "Pilots at Nordair vote for strikes",
        "site_name": "Elsewhere Times",
        "published": original.article.published.isoformat(),
        "text": original.article.text,
    }
    follow_up = {
        "url": "https://elsewhere.example/uk/storm-elin-gusts",
        "title": storm[0].article.title,
        "site_name": "Elsewhere Times",
        "published": storm[0].article.published.isoformat(),
        "text": "",  # only the headline is known
    }
    path = tmp_path / "corpus.data"  # the name says nothing: the content decides
    lines = [json.dumps(copy), "{not json", json.dumps(follow_up)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    (report,) = cli.json_lines("import", str(path))
    assert report["imported"] == 2 and report["duplicates"] == 1
    assert report["errors"] == [f"{path} line 2: Expecting property name enclosed in double "
                                "quotes: line 1 column 2 (char 1)"]
    copy_id = polled.find_article_by_url(copy["url"])
    stored_copy = polled.get_article(copy_id)
    assert stored_copy.duplicate_of == original.id
    assert polled.get_article(original.id).copies == 3
    assert stored_copy.story_id == original.story_id
    headline_only = polled.get_article(polled.find_article_by_url(follow_up["url"]))
    assert headline_only.story_id == storm_story
    assert "Elsewhere Times" in polled.get_story(storm_story).outlets

    # importing again changes nothing; OPML is still taken, whatever the file is called
    (again,) = cli.json_lines("import", str(path))
    assert (again["imported"], again["existing"]) == (0, 2)
    opml = tmp_path / "feeds.jsonl"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="X" xmlUrl="https://x.example/feed.xml"/></body></opml>',
        encoding="utf-8",
    )
    (added,) = cli.json_lines("import", str(opml))
    assert added["added"] == 1


def test_related_stories_leave_out_its_own_story_and_its_copies(
    polled: Store, publisher
) -> None:
    wire = polled.get_articles(ids_of(polled, publisher.urls_in_group("wire")))
    own = {a.story_id for a in wire}
    for article in wire:
        found = polled.related_stories(article.id)
        assert not own & {r.story_id for r in found}
    peru = polled.get_articles(ids_of(polled, publisher.urls_in_group("quake-peru")))
    related = polled.related_stories(peru[0].id)
    assert peru[0].story_id not in {r.story_id for r in related}


def test_a_step_takes_in_what_another_process_matched(
    polled: Store, web_settings: Settings
) -> None:
    mine = MatchStep.open(polled, web_settings)
    other = MatchStep.open(polled, web_settings)  # e.g. an import run beside the poller
    body = " ".join(f"word{i} ferry harbour council vote" for i in range(40))
    first, _ = polled.save_article(
        Article(url="https://a.example/ferry-vote", title="Ferry vote", text=body)
    )
    assert other.match(first).duplicate_of is None
    copy, _ = polled.save_article(
        Article(url="https://b.example/ferry", title="Harbour ferry vote", text=body)
    )
    matched = mine.match(copy)
    assert matched is not None and matched.duplicate_of == first
    assert polled.get_article(copy).story_id == polled.get_article(first).story_id


def test_new_articles_are_matched_from_memory_after_what_another_process_matched(
    polled: Store, web_settings: Settings
) -> None:
    mine = MatchStep.open(polled, web_settings)
    other = MatchStep.open(polled, web_settings)
    body = " ".join(f"word{i} tram depot council vote" for i in range(40))
    first, _ = polled.save_article(
        Article(url="https://a.example/tram-vote", title="Tram vote", text=body)
    )
    assert other.match(first).duplicate_of is None

    def saved(url: str, title: str) -> tuple[MatchRow, MatchTraits]:
        article = Article(url=url, title=title, text=body)
        traits = article_traits(article)
        item = NewArticle(article, fetched_at=utcnow(), signature=traits.signature.to_bytes())
        ((article_id, created),) = polled.save_articles([item])
        assert created
        return unmatched_row(article_id, item), traits

    copy = saved("https://b.example/tram", "Tram depot vote")
    late = saved("https://c.example/tram", "Depot vote")
    assert other.match(late[0].id) is not None  # matched elsewhere before this step saw it
    matched = mine.match_saved([copy, late])
    assert [(m.article_id, m.duplicate_of) for m in matched] == [(copy[0].id, first)]
    stored = polled.get_article(copy[0].id)
    assert stored.story_id == polled.get_article(first).story_id
    assert polled.match_row(copy[0].id).signature == copy[1].signature.to_bytes()


def test_a_fault_on_one_article_of_a_group_leaves_only_it_unmatched(
    store: Store, web_settings: Settings
) -> None:
    body = " ".join(f"word{i} tram depot strike union" for i in range(40))
    other = " ".join(f"term{i} glacier survey melt" for i in range(40))
    step = MatchStep.open(store, web_settings)
    ids = [
        store.save_article(Article(url=f"https://{host}.example/{slug}", title=title, text=text))[0]
        for host, slug, title, text in [
            ("a", "tram-strike", "Tram strike", body),
            ("c", "glacier", "Glacier survey", other),
            ("b", "trams", "Tram depot strike", body),
        ]
    ]
    with store.engine.begin() as conn:  # the database refuses to record the second one
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE UPDATE OF matched_at ON articles "
            f"WHEN NEW.id = {ids[1]} BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    matched = step.match_many(ids)
    assert [m.article_id for m in matched] == [ids[0], ids[2]]
    assert matched[1].duplicate_of == ids[0]
    assert store.count_unmatched() == 1 and store.get_article(ids[1]).story_id is None
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER refuse")
    assert step.match(ids[1]) is not None
    stories = {i: store.get_article(i).story_id for i in ids}
    assert stories[ids[0]] == stories[ids[2]] != stories[ids[1]]
    assert store.count_unmatched() == 0


def test_an_article_that_changes_story_is_relabelled_in_the_store(
    store: Store, web_settings: Settings
) -> None:
    from newsdesk.match.dedup import signature
    from tests.match.test_stories import CHILE, FOLLOW_UP, PERU_1, PERU_2, T0

    def saved(host: str, article: tuple[str, str], hours: int) -> int:
        title, text = article
        page = Article(url=f"https://{host}.example/{hours}", title=title, text=text,
                       published=T0 + timedelta(hours=hours))
        return store.save_article(page)[0]

    plan = [("a", PERU_1, 0), ("b", CHILE, 1), ("c", PERU_2, 2)]
    peru, chile, misfiled = (saved(*args) for args in plan)
    quake = store.create_story("", first_seen=T0)
    strike = store.create_story("", first_seen=T0)
    with store.match_recorder() as recorder:  # as an earlier decision left them
        for article_id, story_id, (_, (title, text), _) in zip(
            (peru, chile, misfiled), (quake, strike, strike), plan, strict=True
        ):
            recorder.record(article_id, signature=signature(text, title).to_bytes(),
                            original_id=None, story_id=story_id, story_title=title)
    stories = replace(StoryParams.from_settings(web_settings), refine_every=1)
    step = MatchStep.open(store, web_settings, stories=stories)
    follow = saved("d", FOLLOW_UP, 3)
    step.match(follow)
    assert store.get_article(misfiled).story_id == quake
    assert sorted(store.get_story(quake).article_ids) == sorted([peru, misfiled, follow])
    assert store.get_story(strike).article_ids == [chile]
    assert store.get_story(strike).outlets == ["b.example"]
