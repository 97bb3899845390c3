"""A copy is always in its original's story, whatever order the coverage arrives in: articles
saved in any order and matched through the matching step (with refinement after every article,
so stories move, merge and split as often as they can), then read back from the store."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newsdesk.config import Settings
from newsdesk.match.stories import StoryParams
from newsdesk.model import Article
from newsdesk.pipeline.matching import MatchStep, import_articles
from newsdesk.store import Store
from tests.match.test_stories import CHILE, FOLLOW_UP, JAPAN, PERU_1, PERU_2, T0, TWO_FIGHTS

# each body told twice, long enough to fold as a near copy under another headline
REPORTS = [(title, f"{text}\n\n{text}")
           for title, text in (PERU_1, PERU_2, JAPAN, FOLLOW_UP, CHILE, *TWO_FIGHTS)]


def rewritten(i: int) -> tuple[str, str]:
    """Report i as another outlet ran it: the body with a line added, under a headline that
    reads like another story's (as rewritten headlines can)."""
    title, text = REPORTS[i]
    return REPORTS[(i + 2) % len(REPORTS)][0], f"{text}\n\nMore follows."


# (host, report, hours after T0): each report by its own outlet, and copies of some of them
STREAM = [(f"own{i}", report, i) for i, report in enumerate(REPORTS)] + [
    (f"wire{i}", rewritten(i), i + 0.5) for i in (0, 1, 3, 5, 6, 8, 9)
] + [("wire-late", rewritten(1), 80)]  # after its original's story left the window


def article(host: str, report: tuple[str, str], hours: float) -> Article:
    title, text = report
    return Article(url=f"https://{host}.example/{hours}", title=title, text=text,
                   site_name=host, published=T0 + timedelta(hours=hours))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("template")
    Store.open(Settings(data_dir=data_dir)).close()
    return data_dir / "newsdesk.db"


def fresh_store(template: Path, base: Path, n: int) -> tuple[Store, Settings]:
    settings = Settings(data_dir=base / f"run{n}")
    settings.data_dir.mkdir(parents=True)
    shutil.copyfile(template, settings.data_dir / "newsdesk.db")
    return Store.open(settings), settings


def assert_copies_with_originals(store: Store) -> None:
    rows = store.get_articles([a.id for a in store.list_articles(limit=1000)])
    story = {row.id: row.story_id for row in rows}
    copies = [row for row in rows if row.duplicate_of is not None]
    assert copies, "the stream has copies"
    for row in copies:
        assert row.story_id is not None
        assert row.story_id == story[row.duplicate_of], (row.id, row.duplicate_of)
    for story_id in set(story.values()):  # the stored stories list what the articles say
        assert set(store.get_story(story_id).article_ids) == {
            i for i, s in story.items() if s == story_id
        }


runs = iter(range(10**6))


# no shrinking: each example is a whole store, and the failing order is printed as it is
@hsettings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(STREAM))), group=st.integers(1, 4))
def test_a_copy_ends_in_its_original_s_story_in_any_arrival_order(
    template: Path, tmp_path: Path, order: list[int], group: int
) -> None:
    store, settings = fresh_store(template, tmp_path, next(runs))
    try:
        eager = replace(StoryParams.from_settings(settings), refine_every=1, split_min_group=2)
        step = MatchStep.open(store, settings, stories=eager)
        ids = [store.save_article(article(*STREAM[i]))[0] for i in order]
        for start in range(0, len(ids), group):  # matched a few at a time, as polls do
            step.match_many(ids[start:start + group])
        assert store.count_unmatched() == 0
        assert_copies_with_originals(store)
        step = MatchStep.open(store, settings, stories=eager)  # a restart, then more coverage
        late = store.save_article(article("after-restart", REPORTS[6], 9.5))[0]
        step.match(late)
        assert_copies_with_originals(store)
    finally:
        store.close()


@pytest.mark.parametrize("reverse", [False, True])
def test_imported_copies_join_their_original_s_story(
    template: Path, tmp_path: Path, reverse: bool
) -> None:
    store, settings = fresh_store(template, tmp_path, 0)
    try:
        stream = STREAM[::-1] if reverse else STREAM
        lines = []
        for host, (title, text), hours in stream:
            lines.append(json.dumps({
                "url": f"https://{host}.example/{hours}", "title": title, "text": text,
                "site_name": host, "published": (T0 + timedelta(hours=hours)).isoformat(),
            }))
        report = import_articles(store, settings, lines)
        assert report.added == len(STREAM) and report.duplicates == 8
        assert_copies_with_originals(store)
    finally:
        store.close()
