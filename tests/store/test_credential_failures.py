"""Failed credential checks kept for every process, on SQLite and on PostgreSQL: counted per key
within a window, older ones forgotten as new ones come, one key forgotten on its own."""

from __future__ import annotations

from newsdesk.store import Store


def test_failures_are_counted_per_key_within_the_window(either_store: Store) -> None:
    store = either_store
    address, account = "address 10.0.0.1", "account 10.0.0.1 alice"
    store.record_credential_failure([address, account], 100.0, forget_before=0.0)
    store.record_credential_failure([address], 200.0, forget_before=0.0)
    store.record_credential_failure(["address 10.0.0.2"], 300.0, forget_before=0.0)

    assert store.credential_failures([address, account], since=50.0) == {
        address: (2, 100.0),
        account: (1, 100.0),
    }
    assert store.credential_failures([address, account], since=150.0) == {address: (1, 200.0)}
    assert store.credential_failures(["address 10.0.0.9"], since=0.0) == {}

    store.forget_credential_failures(account)  # the account's own, not the address's
    assert store.credential_failures([address, account], since=0.0) == {address: (2, 100.0)}

    # a new failure forgets every key's failures from before its window
    store.record_credential_failure([account], 400.0, forget_before=250.0)
    assert store.credential_failures([address, account, "address 10.0.0.2"], since=0.0) == {
        account: (1, 400.0),
        "address 10.0.0.2": (1, 300.0),
    }
