"""Feed leases, host turns and the matcher role, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from newsdesk.store import Store
from newsdesk.times import utcnow


def test_a_claimed_feed_is_nobody_elses_until_its_poll_is_recorded(either_store: Store) -> None:
    ids = [either_store.add_feed(f"https://example.com/{n}.xml")[0].id for n in range(3)]
    now = utcnow()
    first = either_store.claim_feeds("a", now=now, lease_seconds=60, limit=2)
    second = either_store.claim_feeds("b", now=now, lease_seconds=60, limit=5)
    assert [f.id for f in first] + [f.id for f in second] == ids
    assert either_store.claim_feeds("c", now=now, lease_seconds=60, limit=5) == []
    assert either_store.leased_feeds() == {ids[0]: "a", ids[1]: "a", ids[2]: "b"}

    either_store.record_fetch(ids[0], fetched_at=now, next_fetch_at=now + timedelta(hours=1))
    assert ids[0] not in either_store.leased_feeds()
    later = now + timedelta(seconds=30)
    assert either_store.claim_feeds("c", now=later, lease_seconds=60, limit=5) == []


def test_a_lease_that_runs_out_is_taken_over_and_a_renewed_one_is_not(either_store: Store) -> None:
    ids = [either_store.add_feed(f"https://example.com/{n}.xml")[0].id for n in range(2)]
    now = utcnow()
    either_store.claim_feeds("dead", now=now, lease_seconds=10, limit=1)
    either_store.claim_feeds("alive", now=now, lease_seconds=10, limit=1)
    assert either_store.renew_leases("alive", [ids[1]], now + timedelta(seconds=60)) == 1
    assert either_store.renew_leases("dead", [ids[1]], now + timedelta(seconds=60)) == 0

    after = now + timedelta(seconds=11)
    taken = either_store.claim_feeds("heir", now=after, lease_seconds=10, limit=5)
    assert [feed.id for feed in taken] == [ids[0]]
    assert either_store.leased_feeds() == {ids[0]: "heir", ids[1]: "alive"}
    assert either_store.release_leases("alive") == 1
    assert either_store.leased_feeds() == {ids[0]: "heir"}


def test_host_turns_are_spaced_by_the_interval(either_store: Store) -> None:
    waits = [either_store.reserve_host_turn("a.example:443", 100.0) for _ in range(3)]
    assert [round(wait, -1) for wait in waits] == [0, 100, 200]
    assert round(either_store.reserve_host_turn("b.example:443", 100.0)) == 0
    # a host left alone long enough is asked at once
    assert round(either_store.reserve_host_turn("c.example:443", 0.001)) == 0
    assert round(either_store.reserve_host_turn("c.example:443", 0.001)) == 0


def test_one_holder_of_the_matcher_role_at_a_time(either_store: Store) -> None:
    first, second = either_store.matcher_role(), either_store.matcher_role()
    assert first.take()
    assert first.take()  # still held
    assert not second.take()
    first.release()
    assert second.take()
    assert not first.take()
    second.release()
