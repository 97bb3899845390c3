"""Each reader's reading settings, on SQLite and on PostgreSQL: defaults until changed, kept per
user, checked on the way in, gone with the account."""

from __future__ import annotations

import pytest

from newsdesk.errors import InputError, NotFoundError
from newsdesk.model import ReadingSettings
from newsdesk.store import Store


def test_settings_start_at_their_defaults_and_are_kept_per_reader(either_store: Store) -> None:
    store = either_store
    alice = store.create_user("alice", "hash")
    bob = store.create_user("bob", "hash")
    assert store.reading_settings(alice.id) == ReadingSettings(river_view="stories")

    saved = store.save_reading_settings(alice.id, river_view="articles")
    assert saved.river_view == "articles"
    assert store.reading_settings(alice.id).river_view == "articles"
    assert store.reading_settings(bob.id).river_view == "stories"  # not bob's
    store.save_reading_settings(alice.id, river_view="stories")  # changed again, one row
    assert store.reading_settings(alice.id).river_view == "stories"


def test_unknown_settings_values_and_readers_are_refused(either_store: Store) -> None:
    store = either_store
    alice = store.create_user("alice", "hash")
    with pytest.raises(InputError, match="river_view must be one of stories, articles"):
        store.save_reading_settings(alice.id, river_view="cards")
    with pytest.raises(InputError, match="no reading setting named 'colour'"):
        store.save_reading_settings(alice.id, colour="red")
    with pytest.raises(NotFoundError):
        store.save_reading_settings(alice.id + 100, river_view="articles")
    assert store.reading_settings(alice.id) == ReadingSettings()


def test_settings_go_with_the_account(either_store: Store) -> None:
    store = either_store
    alice = store.create_user("alice", "hash")
    store.save_reading_settings(alice.id, river_view="articles")
    store.delete_user(alice.id)
    again = store.create_user("alice", "hash")
    assert store.reading_settings(again.id) == ReadingSettings()
