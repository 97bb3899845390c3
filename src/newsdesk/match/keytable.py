"""A compact multimap from 32-bit keys to 32-bit row numbers, for millions of entries.

A Python dict of 32 million band keys would need several gigabytes; here each entry is one
uint64 (key << 32 | row) in sorted numpy runs, 8 bytes an entry. New entries go to a small dict
buffer; a full buffer is merged into the one open run, and an open run that reaches `max_run`
entries is closed, so no merge ever copies more than one run and the runs of a large table all
have about the same size.

Each run has a directory: for every bucket (the top `bucket_bits` bits of a key) the position of
its first entry, so a key's entries lie in a short window (about max_run >> bucket_bits entries
on average). A lookup reads the windows of all its keys in all runs with a few numpy calls,
whatever the number of runs, and touches a few cache lines per key and run, where a binary
search per run took two dozen steps, most of them cache misses, and a dozen numpy calls.
"""

from __future__ import annotations

import numpy as np

_LOW = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)
# Entries read per key and run: the lookup's cost is mostly these reads. With the defaults a
# full run's buckets hold 8 entries on average (Poisson): one over 24 comes about once in 2,000
# lookups of 42 keys in 10 runs, and a key stored under many rows (one text copied dozens of
# times) may overflow too; such lookups take the exact path.
WINDOW = 24
_SLOTS = np.arange(WINDOW)


class KeyTable:
    def __init__(
        self, *, buffer_size: int = 1 << 16, max_run: int = 1 << 22, bucket_bits: int = 19
    ) -> None:
        self._buffer: dict[int, list[int]] = {}
        self._buffered = 0
        self._runs: list[np.ndarray] = []  # closed runs, then the open one (under max_run)
        self._open = np.empty(0, np.uint64)  # the open run's room; the run is its first part
        self._buffer_size = buffer_size
        self._max_run = max_run
        self._bits = bucket_bits
        # one directory row per run (row r: the bucket starts of run r, and its length last)
        self._dirs = np.zeros((0, (1 << bucket_bits) + 1), np.uint32)

    def __len__(self) -> int:
        return self._buffered + sum(len(run) for run in self._runs)

    @property
    def nbytes(self) -> int:
        runs = sum(run.nbytes for run in self._runs)
        return runs + self._dirs.nbytes + self._buffered * 80

    def add(self, keys: np.ndarray, row: int) -> None:
        for key in keys.tolist():
            self._buffer.setdefault(key, []).append(row)
        self._buffered += len(keys)
        if self._buffered >= self._buffer_size:
            self._flush()

    def lookup(self, keys: np.ndarray) -> list[int]:
        """Rows stored under any of `keys` (with repeats: one per matching key).

        Rows come newest buffer first, then run by run (oldest first), each in key order and
        row order within a key.
        """
        if len(keys) == 1:
            return self._lookup_one(int(keys[0]))
        rows: list[int] = []
        buffer = self._buffer
        for key in keys.tolist():
            rows.extend(buffer.get(key, ()))
        count = len(self._runs)
        if not count or not len(keys):
            return rows
        keys = np.sort(keys)
        buckets = (keys >> np.uint32(32 - self._bits)).astype(np.intp)
        dirs = self._dirs[:count]
        starts = dirs[:, buckets].astype(np.intp)  # (runs, keys)
        lengths = dirs[:, buckets + 1] - starts
        if lengths.max() > WINDOW:
            return rows + self._search(keys)
        window = starts[:, :, None] + _SLOTS  # (runs, keys, WINDOW)
        entries = np.empty(window.shape, np.uint64)
        for run, at, out in zip(self._runs, window, entries, strict=True):
            np.take(run, at, out=out, mode="clip")  # "clip": unbuffered, and no index error
        hit = (entries >> _SHIFT) == keys.astype(np.uint64)[:, None]
        hit &= lengths[:, :, None] > _SLOTS  # a window past its run repeats the last entry
        return rows + (entries[hit] & _LOW).tolist()

    def _lookup_one(self, key: int) -> list[int]:
        # One key (a URL or body hash): its bucket in each run, read in Python, costs less
        # than the numpy calls of the general path.
        rows = list(self._buffer.get(key, ()))
        bucket = key >> (32 - self._bits)
        bounds = self._dirs[: len(self._runs), bucket : bucket + 2].tolist()
        for run, (start, end) in zip(self._runs, bounds, strict=True):
            if end - start > WINDOW:  # a key stored under many rows: search its bucket
                bounds_of_key = np.array([key << 32, (key << 32) | 0xFFFFFFFF], np.uint64)
                found = run[start:end].searchsorted(bounds_of_key)
                start, end = start + int(found[0]), start + int(found[1])
            rows.extend(
                entry & 0xFFFFFFFF for entry in run[start:end].tolist() if entry >> 32 == key
            )
        return rows

    def _search(self, keys: np.ndarray) -> list[int]:
        # The exact path, for keys whose bucket is longer than a window: both bounds of every
        # key in one binary search per run (the entries of key k lie in [k << 32,
        # k << 32 | 0xFFFFFFFF], as rows stay below 2**32 - 1).
        rows: list[int] = []
        lows = keys.astype(np.uint64) << _SHIFT
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
        # Entry e's bucket is its top bits; the directory counts the new entries per bucket
        # and adds them to the open run's (a sum over the buffer, not over the run).
        size = 1 << self._bits
        counts = np.bincount((packed >> np.uint64(64 - self._bits)).astype(np.intp), minlength=size)
        directory = np.zeros(size + 1, np.uint32)
        np.cumsum(counts, out=directory[1:])
        if self._runs and len(self._runs[-1]) < self._max_run:
            held, added = len(self._runs[-1]), len(packed)
            if held + added > len(self._open):  # not expected: room is made for max_run
                room = np.empty(max(self._max_run, held + added) + 2 * self._buffer_size, np.uint64)
                room[:held] = self._runs[-1]
                self._open = room
            merged = self._open[: held + added]
            merged[held:] = packed
            merged.sort(kind="stable")  # two sorted halves: one merge pass
            self._runs[-1] = merged
            self._dirs[len(self._runs) - 1] += directory
        else:
            # The open run grows in place inside room made for all of it: a new array per
            # flush would leave the freed ones of up to max_run entries to the allocator,
            # which keeps many of them (over a hundred MB at a million articles).
            self._open = np.empty(self._max_run + 2 * self._buffer_size, np.uint64)
            self._open[: len(packed)] = packed
            self._runs.append(self._open[: len(packed)])
            if len(self._dirs) < len(self._runs):  # a few rows ahead: each is 4 << bits bytes
                grown = np.zeros((len(self._runs) + 2, size + 1), np.uint32)
                grown[: len(self._dirs)] = self._dirs
                self._dirs = grown
            self._dirs[len(self._runs) - 1] = directory
