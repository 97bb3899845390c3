"""`newsdesk store copy`: a polled SQLite store into PostgreSQL (a throwaway schema), a stopped
copy run again, and back into a new SQLite file; the copy holds everything, under the same ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert

from newsdesk.store import Store
from newsdesk.store.tables import articles, story_redirects
from newsdesk.web.auth.passwords import hash_password
from newsdesk.web.auth.tokens import new_token
from tests.cli.conftest import Cli
from tests.sites.publisher import Publisher
from tests.store.postgres import postgres_schema


def snapshot(store: Store, user_id: int) -> dict[str, Any]:
    """What a store holds, through its own interface."""
    rows = list(store.match_rows())
    ids = [row.id for row in rows]
    return {
        "feeds": [
            (f.id, f.url, f.title, f.etag, f.last_fetched_at, f.next_fetch_at, f.error_count)
            for f in store.list_feeds()
        ],
        "articles": [
            (r.id, r.url, r.title, r.text, r.at, r.duplicate_of, r.story_id, r.signature, r.matched)
            for r in rows
        ],  # fmt: skip
        "stories": [(s.id, s.title, s.article_ids) for s in store.list_stories(limit=1000)],
        "redirect": store.story_redirect(9999),
        "states": store.article_states(user_id, ids),
        "unread": store.unread_counts(user_id),
        "user": store.find_user("reader"),
        "tokens": [(t.id, t.name) for t in store.list_api_tokens(user_id)],
        "sessions": [(s.id, s.user_agent) for s in store.list_sessions(user_id)],
        # the same articles found (each database ranks them in its own way)
        "search": sorted(found.id for found, _ in store.search("storm", limit=50)),
        "wire": sorted(found.id for found, _ in store.search("nordair pilots", limit=50)),
    }


def test_a_store_goes_to_postgresql_and_back_whole(
    cli: Cli, publisher: Publisher, tmp_path: Path
) -> None:
    for site in publisher.sites:
        cli("add", publisher.feed_url(site))
    cli("poll", "--once")
    source_url = f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}"
    with Store(source_url) as source:
        user = source.create_user("reader", hash_password("a long password"))
        ids = [row.id for row in source.match_rows()]
        source.set_read(user.id, ids[:5])
        source.set_starred(user.id, ids[2:4])
        _, token_hash = new_token()
        source.create_api_token(user.id, token_hash, "phone")
        source.create_session(user.id, "k" * 64, user_agent="a browser")
        with source._write() as conn:  # a story id given up, as regroup leaves them
            conn.execute(insert(story_redirects).values(id=9999, into_id=1))
        before = snapshot(source, user.id)
    assert len(before["articles"]) == 16 and before["search"] and before["wire"]

    with postgres_schema() as pg_url:
        copied = cli.json_lines("store", "copy", source_url, pg_url)[-1]["copied"]
        assert copied["articles"] == 16 and copied["search index"] == 16
        assert copied["users"] == 1 and copied["web_sessions"] == 1

        with Store(pg_url) as middle:
            assert snapshot(middle, user.id) == before
            with middle._write() as conn:  # a copy that stopped part of the way
                conn.execute(delete(articles).where(articles.c.id > ids[7]))
            assert middle.count_articles() == 8
        again = cli.json_lines("store", "copy", source_url, pg_url)[-1]["copied"]
        assert again == copied
        with Store(pg_url) as middle:
            assert snapshot(middle, user.id) == before
            # new rows get new ids after the copied ones
            feed, created = middle.add_feed("https://example.com/new-feed.xml")
            assert created and feed.id > max(f[0] for f in before["feeds"])

        back_url = f"sqlite:///{tmp_path / 'back' / 'newsdesk.db'}"
        back = cli.json_lines("store", "copy", pg_url, back_url)[-1]["copied"]
        assert back["articles"] == 16 and back["feeds"] == copied["feeds"] + 1
    with Store(back_url) as result:
        after = snapshot(result, user.id)
    after["feeds"] = [f for f in after["feeds"] if f[1] != "https://example.com/new-feed.xml"]
    assert after == before


def test_a_copy_into_a_store_that_holds_other_data_fails_with_the_counts(
    cli: Cli, tmp_path: Path
) -> None:
    first = f"sqlite:///{tmp_path / 'one.db'}"
    second = f"sqlite:///{tmp_path / 'two.db'}"
    with Store(first) as one:
        one.migrate()
        one.add_feed("https://example.com/a.xml")
    with Store(second) as two:
        two.migrate()
        two.add_feed("https://example.com/b.xml")
        two.add_feed("https://example.com/c.xml")
    result = cli("store", "copy", first, second, ok=False)
    assert result.exit_code == 1
    assert "the copy differs from its source" in result.stderr
    assert "feeds 1 -> 2" in result.stderr
    same = cli("store", "copy", first, first, ok=False)
    assert "the same database" in same.stderr
