"""A compact multimap from 32-bit keys to 32-bit row numbers, for millions of entries.

A Python dict of 32 million band keys would need several gigabytes; here each entry is one
uint64 (key << 32 | row) in sorted numpy runs, 8 bytes an entry. New entries go to a small dict
buffer; a full buffer becomes a sorted run, and runs of similar size are merged (a log-structured
merge), so inserting stays cheap on average and a lookup is one binary search per run. Runs stop
growing at `max_run` entries so that no merge ever copies the whole table at once.
"""

from __future__ import annotations

import numpy as np

_LOW = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


class KeyTable:
    def __init__(self, *, buffer_size: int = 1 << 16, max_run: int = 1 << 22) -> None:
        self._buffer: dict[int, list[int]] = {}
        self._buffered = 0
        self._runs: list[np.ndarray] = []
        self._buffer_size = buffer_size
        self._max_run = max_run

    def __len__(self) -> int:
        return self._buffered + sum(len(run) for run in self._runs)

    @property
    def nbytes(self) -> int:
        return sum(run.nbytes for run in self._runs) + self._buffered * 80

    def add(self, keys: np.ndarray, row: int) -> None:
        for key in keys.tolist():
            self._buffer.setdefault(key, []).append(row)
        self._buffered += len(keys)
        if self._buffered >= self._buffer_size:
            self._flush()

    def lookup(self, keys: np.ndarray) -> list[int]:
        """Rows stored under any of `keys` (with repeats: one per matching key)."""
        rows: list[int] = []
        for key in keys.tolist():
            rows.extend(self._buffer.get(key, ()))
        if self._runs:
            # Both bounds of every key in one binary search per run: the entries of key k lie
            # in [k << 32, k << 32 | 0xFFFFFFFF), as rows stay below 2**32 - 1.
            lows = np.sort(keys.astype(np.uint64)) << _SHIFT
            bounds = np.concatenate((lows, lows | _LOW))
            count = len(lows)
            for run in self._runs:
                found = np.searchsorted(run, bounds)
                starts, ends = found[:count], found[count:]
                for i in np.flatnonzero(ends > starts).tolist():
                    rows.extend((run[starts[i] : ends[i]] & _LOW).tolist())
        return rows

    def _flush(self) -> None:
        packed = np.fromiter(
            ((key << 32) | row for key, rows in self._buffer.items() for row in rows),
            dtype=np.uint64,
            count=self._buffered,
        )
        packed.sort()
        self._buffer = {}
        self._buffered = 0
        self._runs.append(packed)
        # Merge the newest runs while the last is at least as large as the one before it,
        # until runs reach max_run. (A buffer flushes a little over buffer_size entries, so
        # two runs of half max_run hold a little more than max_run: the test is on the older
        # run alone, or runs would stop at half the size and a lookup search twice as many.)
        while len(self._runs) > 1 and len(self._runs[-1]) >= len(self._runs[-2]):
            if len(self._runs[-2]) >= self._max_run:
                break
            newest = self._runs.pop()
            merged = np.concatenate((self._runs.pop(), newest))
            merged.sort(kind="stable")
            self._runs.append(merged)
