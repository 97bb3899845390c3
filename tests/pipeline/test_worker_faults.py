"""Workers killed with SIGKILL at random moments of a 3-worker ingest on PostgreSQL: ten
times, two in each ingest of fresh sites; every feed is polled, nothing is lost or stored twice."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsdesk.store import Store
from tests.pipeline.test_workers import pg_store  # noqa: F401  (the fixture)
from tests.pipeline.workers import fault_round, worker_env

KILLS = 10
ROUNDS = 5  # of two kills each: fewer worker processes to start than ten rounds of one


@pytest.mark.timeout(600)  # a dozen worker processes start; slow on a busy machine
def test_a_worker_killed_at_any_moment_loses_and_doubles_nothing(
    pg_store: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    # a short lease, so the dead worker's feeds are taken over soon
    env = worker_env(pg_store.url, tmp_path, NEWSDESK_WORKER_LEASE_SECONDS="1.5")
    rng = random.Random(20)
    rounds = [fault_round(pg_store, env, rng, kills=KILLS // ROUNDS) for _ in range(ROUNDS)]
    for number, counts in enumerate(rounds, 1):
        assert counts.recorded == counts.feeds, f"round {number}: {counts}"
        assert counts.stored == counts.distinct == counts.served, f"round {number}: {counts}"
        assert counts.matched == counts.stored, f"round {number}: {counts}"
        assert pg_store.leased_feeds() == {}
    # most kills land while the victim is polling (the rest as it starts or stops)
    assert sum(counts.killed_mid_poll for counts in rounds) >= KILLS // 2, rounds
