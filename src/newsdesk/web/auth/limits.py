"""Sign-in limits: failed attempts per (address, user name) and per address."""

from __future__ import annotations

import threading
import time
from collections import deque

from fastapi import Request


class LoginLimiter:
    """Failed sign-ins per (address, user name) and per address, in a sliding window."""

    def __init__(self, per_user: int = 5, per_address: int = 20, window: float = 900.0) -> None:
        self.per_user = per_user
        self.per_address = per_address
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, address: str, username: str) -> float:
        """Seconds to wait before another attempt is allowed; 0 when allowed now."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in (
                ((address, username.lower()), self.per_user),
                ((address, ""), self.per_address),
            ):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[0] + self.window - now)
            return max(waits, default=0.0)

    def failed(self, address: str, username: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent((address, username.lower()), now).append(now)
            self._recent((address, ""), now).append(now)

    def succeeded(self, address: str, username: str) -> None:
        with self._lock:
            self._failures.pop((address, username.lower()), None)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
