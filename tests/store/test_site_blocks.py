from __future__ import annotations

from newsdesk.extract.memory import block_hash
from newsdesk.store import Store


def test_site_blocks_count_pages_per_site(store: Store) -> None:
    nav, ad, body = block_hash("Home | World | Sport"), block_hash("- Advertisement -"), "b1"
    assert store.site_block_counts("news.example", [nav, ad]) == {nav: 0, ad: 0}
    store.remember_site_blocks("news.example", [nav, ad, body, nav])  # one page, nav once
    store.remember_site_blocks("news.example", [nav, ad])
    store.remember_site_blocks("other.example", [nav])
    assert store.site_block_counts("news.example", [nav, ad, body, "never"]) == {
        nav: 2,
        ad: 2,
        body: 1,
        "never": 0,
    }
    assert store.site_block_counts("other.example", [nav, ad]) == {nav: 1, ad: 0}


def test_store_is_a_block_memory_for_extraction(store: Store) -> None:
    memory = store.block_memory()
    memory.remember("news.example", ["x", "y"])
    memory.remember("news.example", ["x"])
    assert memory.counts("news.example", ["x", "y", "z"]) == {"x": 2, "y": 1, "z": 0}
    many = [f"h{i}" for i in range(1200)]  # more than one statement's worth
    memory.remember("big.example", many)
    assert sum(memory.counts("big.example", many).values()) == 1200


def test_counts_of_many_pages_add_up_and_the_frequent_come_first(store: Store) -> None:
    store.remember_site_blocks("news.example", ["nav", "promo"])
    store.add_site_block_counts({"news.example": {"nav": 3, "story": 1}, "other.example": {"x": 2}})
    assert store.frequent_site_blocks("news.example", 2) == {"nav": 4, "promo": 1} or (
        store.frequent_site_blocks("news.example", 2) == {"nav": 4, "story": 1}
    )
    assert store.frequent_site_blocks("news.example", 10) == {"nav": 4, "promo": 1, "story": 1}
    assert list(store.frequent_site_blocks("other.example", 10).items()) == [("x", 2)]
