"""The band table behind near-duplicate lookups: every row stored under a key comes back."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from newsdesk.match.keytable import KeyTable


def _filled(rng: random.Random, *, buffer_size: int, max_run: int):
    table = KeyTable(buffer_size=buffer_size, max_run=max_run)
    reference: dict[int, list[int]] = defaultdict(list)
    keys = [rng.randrange(1 << 32) for _ in range(300)] + [0, (1 << 32) - 1]
    for row in range(3000):
        # some keys get one row, a few get many (more than one lookup window holds)
        chosen = {rng.choice(keys[:5]) if rng.random() < 0.2 else rng.choice(keys)
                  for _ in range(rng.randint(1, 4))}
        table.add(np.array(sorted(chosen), dtype=np.uint32), row)
        for key in chosen:
            reference[key].append(row)
    return table, reference, keys


def test_lookup_returns_every_row_of_every_key_across_runs_and_buffer() -> None:
    rng = random.Random(5)
    table, reference, keys = _filled(rng, buffer_size=64, max_run=512)
    assert len(table._runs) > 3 and table._buffered  # several runs and a buffer to search
    assert len(table) == sum(len(rows) for rows in reference.values())
    absent = [key for key in (rng.randrange(1 << 32) for _ in range(50)) if key not in reference]
    for _ in range(200):
        asked = rng.sample(keys, 6) + rng.sample(absent, 2)
        found = table.lookup(np.array(asked, dtype=np.uint32))
        assert sorted(found) == sorted(row for key in asked for row in reference[key])


def test_lookup_of_a_key_with_many_rows_in_one_run() -> None:
    table = KeyTable(buffer_size=16, max_run=1 << 20)
    for row in range(40):
        table.add(np.array([7, 9], dtype=np.uint32), row)
    table.add(np.array([8], dtype=np.uint32), 40)
    assert table._runs
    assert sorted(table.lookup(np.array([7], dtype=np.uint32))) == list(range(40))
    assert table.lookup(np.array([8], dtype=np.uint32)) == [40]
    assert table.lookup(np.array([6, 10], dtype=np.uint32)) == []


def test_runs_grow_to_max_run_even_when_buffers_flush_a_little_over_their_size() -> None:
    table = KeyTable(buffer_size=64, max_run=256)
    for row in range(4000):  # three keys a row: a buffer flushes at 64, 65 or 66 entries
        table.add(np.array([row, row + 10_000, row + 20_000], dtype=np.uint32), row)
    sizes = [len(run) for run in table._runs]
    full = [size for size in sizes if size >= 256]
    assert full and all(size < 2 * 256 for size in full)
    # what is not in full runs is less than two runs' worth: lookups search few runs
    assert sum(sizes) - sum(full) < 2 * 256
    assert sorted(table.lookup(np.array([17, 10_017, 3999], dtype=np.uint32))) == [17, 17, 3999]


def _filled_table(
    rng: random.Random, rows: int, *, buffer_size: int, max_run: int, bucket_bits: int
) -> tuple[KeyTable, dict[int, list[int]], list[int]]:
    table = KeyTable(buffer_size=buffer_size, max_run=max_run, bucket_bits=bucket_bits)
    reference: dict[int, list[int]] = defaultdict(list)
    # keys at both ends of the key space, in the first and last buckets, and a few heavy keys
    keys = [rng.randrange(1 << 32) for _ in range(2000)] + [0, 1, (1 << 32) - 2, (1 << 32) - 1]
    heavy = keys[:3]
    for row in range(rows):
        chosen = {rng.choice(keys) for _ in range(rng.randint(1, 6))}
        if rng.random() < 0.1:
            chosen.add(rng.choice(heavy))
        table.add(np.array(sorted(chosen), dtype=np.uint32), row)
        for key in chosen:
            reference[key].append(row)
    return table, reference, keys


@pytest.mark.parametrize("bucket_bits", [2, 8, 14])
def test_every_row_is_found_after_many_flushes_and_merges(bucket_bits: int) -> None:
    # 2 bits: every bucket is longer than a window (the exact path); 14: nearly all hold one key
    rng = random.Random(bucket_bits)
    table, reference, keys = _filled_table(
        rng, 6000, buffer_size=100, max_run=1500, bucket_bits=bucket_bits
    )
    closed, open_run = table._runs[:-1], table._runs[-1]
    assert len(closed) >= 8 and all(len(run) >= 1500 for run in closed)
    assert len(open_run) < 1500 and table._buffered
    assert len(table) == sum(len(rows) for rows in reference.values())
    first_buffered = 6000 - len({row for rows in table._buffer.values() for row in rows})
    for key in keys:  # one key: the buffer's rows, then the runs', each in the order added
        rows = reference.get(key, [])
        newest = [row for row in rows if row >= first_buffered]
        older = [row for row in rows if row < first_buffered]
        assert table.lookup(np.array([key], dtype=np.uint32)) == newest + older
    absent = [key for key in (rng.randrange(1 << 32) for _ in range(100)) if key not in reference]
    for _ in range(300):
        asked = rng.sample(keys, rng.randint(2, 42)) + rng.sample(absent, 2)
        found = table.lookup(np.array(asked, dtype=np.uint32))
        assert sorted(found) == sorted(row for key in asked for row in reference[key])


def test_a_table_without_runs_answers_from_its_buffer() -> None:
    table = KeyTable(buffer_size=1000)
    table.add(np.array([5, 6], dtype=np.uint32), 3)
    assert not table._runs
    assert table.lookup(np.array([6], dtype=np.uint32)) == [3]
    assert table.lookup(np.array([4, 5, 6], dtype=np.uint32)) == [3, 3]
    assert table.lookup(np.array([], dtype=np.uint32)) == []
