"""Failed credential checks, shared by every process on the store (newsdesk.web.auth.limits).

store.credential_failures(["address 1.2.3.4"], since)   # {key: (count, earliest)}
store.record_credential_failure(["address 1.2.3.4", ...], at, forget_before)
store.forget_credential_failures("account 1.2.3.4 alice")
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select

from newsdesk.store.base import StoreBase
from newsdesk.store.tables import credential_failures as failures


class CredentialFailuresMixin(StoreBase):
    def credential_failures(
        self, keys: Sequence[str], since: float
    ) -> dict[str, tuple[int, float]]:
        """For each of `keys` with failures after `since` (Unix time): how many, and the
        earliest of them."""
        query = (
            select(failures.c.key, func.count(), func.min(failures.c.failed_at))
            .where(failures.c.key.in_(list(keys)), failures.c.failed_at > since)
            .group_by(failures.c.key)
        )
        with self._read() as conn:
            return {key: (count, earliest) for key, count, earliest in conn.execute(query)}

    def record_credential_failure(
        self, keys: Sequence[str], at: float, forget_before: float
    ) -> None:
        """One failure at `at` under each key; failures older than `forget_before` (of any
        key) are forgotten in the same transaction, so the table holds one window's worth."""
        with self._write() as conn:
            conn.execute(delete(failures).where(failures.c.failed_at <= forget_before))
            conn.execute(insert(failures), [{"key": key, "failed_at": at} for key in keys])

    def forget_credential_failures(self, key: str) -> None:
        with self._write() as conn:
            conn.execute(delete(failures).where(failures.c.key == key))
