"""No silent caps: a list longer than what was asked says so and how to get the next page, and
--all lists everything, page by page (through the real command line, on a real store holding
more than one page of the store's largest)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.articles import NewArticle
from newsdesk.store.listing import MAX_PAGE
from tests.cli.conftest import Cli

T0 = datetime(2025, 6, 1, tzinfo=UTC)
COUNT = MAX_PAGE * 2 + 50
STORIES = 230
Filled = tuple[Cli, list[int], list[int]]


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Filled:
    """A store of COUNT articles (every one about a flood), STORIES of them in stories of
    their own; the article ids and the story ids, newest first."""
    data_dir: Path = tmp_path_factory.mktemp("pages") / "data"
    with Store.open(Settings(data_dir=data_dir)) as store:
        saved = store.save_articles([
            NewArticle(Article(url=f"https://a.example/{n}", title=f"Flood report {n}",
                               text=f"Flood waters reached street {n}.",
                               published=T0 + timedelta(minutes=n)))
            for n in range(COUNT)
        ])
        ids = [article_id for article_id, _ in saved]
        story_ids = []
        for n, article_id in enumerate(ids[:STORIES]):
            story_id = store.create_story("", first_seen=T0 + timedelta(minutes=n))
            with store.match_recorder() as recorder:
                recorder.record(article_id, signature=b"", original_id=None, story_id=story_id,
                                story_title=f"Flood report {n}")
            story_ids.append(story_id)
    return Cli(data_dir), ids[::-1], story_ids[::-1]


def ids_of(result: Any) -> list[int]:
    return [json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()]


def test_a_cut_list_of_articles_says_how_to_go_on_and_all_lists_every_one(filled: Filled) -> None:
    cli, ids, _ = filled
    first = cli("articles", "--limit", str(MAX_PAGE + 500), "--json")
    assert ids_of(first) == ids[: MAX_PAGE + 500]  # more than the store's largest page
    last = ids[MAX_PAGE + 499]
    assert f"{MAX_PAGE + 500} articles shown, more follow: add --before {last}" in first.stderr
    rest = cli("articles", "--limit", str(MAX_PAGE + 500), "--before", str(last), "--json")
    assert ids_of(rest) == ids[MAX_PAGE + 500 :] and "more follow" not in rest.stderr
    everything = cli("articles", "--all", "--json")
    assert ids_of(everything) == ids and everything.stderr == ""
    asked_more = cli("articles", "--limit", "100000", "--json")
    assert ids_of(asked_more) == ids and "more follow" not in asked_more.stderr
    newer = cli("articles", "--after", str(ids[10]), "--limit", "4", "--json")
    assert ids_of(newer) == ids[6:10][::-1]  # the newer ones, oldest first
    assert f"add --after {ids[6]}" in newer.stderr
    table = cli("articles", "--limit", "3")
    assert f"add --before {ids[2]}" in table.stderr and "Flood report" in table.stdout
    assert cli("articles", "--before", "1", "--after", "2", ok=False).exit_code == 2


def test_a_cut_list_of_stories_says_how_to_go_on(filled: Filled) -> None:
    cli, _, story_ids = filled
    first = cli("stories", "--limit", "210", "--json")
    assert ids_of(first) == story_ids[:210]
    assert f"add --before {story_ids[209]}" in first.stderr
    rest = cli("stories", "--limit", "210", "--before", str(story_ids[209]), "--json")
    assert ids_of(rest) == story_ids[210:] and rest.stderr == ""
    assert ids_of(cli("stories", "--all", "--json")) == story_ids


def test_search_goes_past_the_store_s_largest_page(filled: Filled) -> None:
    cli, ids, _ = filled
    first = cli("search", "flood", "--limit", "250", "--json")
    found = ids_of(first)
    assert len(found) == len(set(found)) == 250  # the store gives 200 at most at a time
    assert "250 results shown, more follow: add --offset 250" in first.stderr
    rest = ids_of(cli("search", "flood", "--offset", "250", "--all", "--json"))
    assert len(rest) == COUNT - 250 and not set(rest) & set(found)
