"""A feed is listed by the name the reader gave it, in the table and in JSON."""

from __future__ import annotations

from newsdesk.config import Settings
from newsdesk.store import Store


def rename(settings: Settings, feed_id: int, name: str | None) -> None:
    """As the sources page does: through the store's public update."""
    store = Store.open(settings)
    try:
        store.update_feed(feed_id, user_title=name)
    finally:
        store.close()


def test_a_renamed_feed_is_listed_by_its_new_name(cli, publisher, settings: Settings) -> None:
    (added,) = cli.json_lines("add", publisher.feed_url("daily-planet"))
    assert added["title"] == "Daily Planet"
    assert "Daily Planet" in cli("feeds").stdout

    rename(settings, added["id"], "Morning Planet")
    table = cli("feeds").stdout
    assert "Morning Planet" in table and "Daily Planet" not in table
    (listed,) = cli.json_lines("feeds")
    assert (listed["id"], listed["title"]) == (added["id"], "Morning Planet")

    rename(settings, added["id"], None)  # the reader's name taken away: the feed's own again
    (listed,) = cli.json_lines("feeds")
    assert listed["title"] == "Daily Planet"
    assert "Daily Planet" in cli("feeds").stdout
