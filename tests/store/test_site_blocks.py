from __future__ import annotations

from newsdesk.extract.memory import block_hash
from newsdesk.store import Store


def test_site_blocks_count_pages_per_site(store: Store) -> None:
    nav, ad, body = block_hash("Home | World | Sport"), block_hash("- Advertisement -"), "b1"
    assert store.frequent_site_blocks("news.example", 10) == {}
    store.add_site_block_counts({"news.example": {nav: 1, ad: 1, body: 1}})
    store.add_site_block_counts({"news.example": {nav: 1, ad: 1}, "other.example": {nav: 1}})
    assert store.frequent_site_blocks("news.example", 10) == {nav: 2, ad: 2, body: 1}
    assert store.frequent_site_blocks("other.example", 10) == {nav: 1}


def test_many_blocks_are_counted_in_several_statements(store: Store) -> None:
    many = {f"h{i}": 1 for i in range(1200)}  # more than one statement's worth
    store.add_site_block_counts({"big.example": many})
    store.add_site_block_counts({"big.example": many})
    assert store.frequent_site_blocks("big.example", 2000) == dict.fromkeys(many, 2)


def test_counts_of_many_pages_add_up_and_the_frequent_come_first(store: Store) -> None:
    store.add_site_block_counts({"news.example": {"nav": 1, "promo": 1}})
    store.add_site_block_counts({"news.example": {"nav": 3, "story": 1}, "other.example": {"x": 2}})
    assert store.frequent_site_blocks("news.example", 2) == {"nav": 4, "promo": 1} or (
        store.frequent_site_blocks("news.example", 2) == {"nav": 4, "story": 1}
    )
    assert store.frequent_site_blocks("news.example", 10) == {"nav": 4, "promo": 1, "story": 1}
    assert list(store.frequent_site_blocks("other.example", 10).items()) == [("x", 2)]
