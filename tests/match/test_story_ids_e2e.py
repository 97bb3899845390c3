"""Story ids hold: regrouping keeps them, and an id merged away redirects in the command line,
the JSON API and the story's output feed (the fixture publisher's sites, polled into a real
store behind a running server)."""

from __future__ import annotations

import httpx

from newsdesk.config import Settings
from newsdesk.pipeline.matching import regroup
from newsdesk.store import Store
from tests.cli.conftest import Cli
from tests.match.test_end_to_end import admin_client, api, cli, live, polled, store, web_settings
from tests.web.conftest import SignedInClient

__all__ = ["admin_client", "api", "cli", "live", "polled", "store", "web_settings"]


def stories_by_members(store: Store) -> dict[frozenset[int], int]:
    return {frozenset(s.article_ids): s.id for s in store.list_stories(limit=1000)}


def test_ids_survive_regroup(polled: Store, web_settings: Settings, cli: Cli) -> None:
    before = stories_by_members(polled)
    assert len(before) >= 3
    regroup(polled, web_settings)
    assert stories_by_members(polled) == before
    cli.json_lines("regroup", "--since", "2024-03-13T00:00+00:00")
    assert stories_by_members(polled) == before
    for story_id in before.values():
        assert polled.story_redirect(story_id) is None


def test_a_merged_id_redirects_in_the_cli_the_api_and_the_feed(
    polled: Store, web_settings: Settings, cli: Cli, api: httpx.Client,
    admin_client: SignedInClient,
) -> None:
    before = stories_by_members(polled)
    loose = web_settings.model_copy(update={"story_join_score": 0.001, "story_merge_score": 0.01})
    regroup(polled, loose)
    after = stories_by_members(polled)
    gone = sorted(set(before.values()) - set(after.values()))
    assert gone and len(after) < len(before)
    for old in gone:  # an old id leads to the story holding its earliest article
        into = polled.story_redirect(old)
        assert into in after.values()
        members = next(m for m, i in before.items() if i == old)
        assert members & next(m for m, i in after.items() if i == into)
    old = gone[0]
    into = polled.story_redirect(old)

    shown = cli("story", str(old))
    assert f"story {old} was merged into story {into}" in shown.stderr
    assert polled.get_story(into).title in shown.stdout
    (data,) = cli.json_lines("story", str(old))
    assert data["id"] == into and data["merged_from"] == old

    answer = api.get(f"/stories/{old}?x=1")
    assert answer.status_code == 308
    assert answer.headers["location"] == f"/api/v1/stories/{into}?x=1"
    followed = api.get(f"/stories/{old}", follow_redirects=True)
    assert followed.status_code == 200 and followed.json()["id"] == into

    feed = admin_client.get(f"/stories/{old}.atom", follow_redirects=False)
    assert feed.status_code == 308 and feed.headers["location"] == f"/stories/{into}.atom"
    assert admin_client.get(f"/stories/{old}.atom", follow_redirects=True).status_code == 200
    assert api.get("/stories/999999").status_code == 404  # never a story: still not found
