"""Answers kept per worker for as long as nothing in the database changes (store.data_version):
any commit, from this process or another, makes every kept answer stale at once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdesk.store import Store


class KeptWhileUnchanged:
    """Up to `size` answers, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[Any, tuple[int, Any]] = OrderedDict()

    def get(
        self, store: Store, key: Any, compute: Callable[[], Any], *, keep_none: bool = True
    ) -> Any:
        """compute(), kept under `key` while the database stays as it was (a None answer only
        if `keep_none`). Where changes cannot be told (not an SQLite file) nothing is kept."""
        version = store.data_version()
        if version is None:
            return compute()
        with self._lock:
            hit = self._kept.get(key)
            if hit is not None and hit[0] == version:
                self._kept.move_to_end(key)
                return hit[1]
        # computed after the version was read: what is kept is at least as new as its version
        value = compute()
        if value is None and not keep_none:
            return value
        with self._lock:
            self._kept[key] = (version, value)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return value

    def forget(self, key: Any) -> None:
        with self._lock:
            self._kept.pop(key, None)
