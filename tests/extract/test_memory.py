"""Per-site memory: a block that recurs on many pages of one site is dropped."""

from __future__ import annotations

from newsdesk.extract import SiteMemory, extract_article
from tests.extract.pagekit import LOREM, page

PROMO = ("Our journalism is funded by readers like you. Support independent local reporting "
         "from just one euro a week and get every edition delivered to your door.")


def _story(n: int) -> str:
    paragraphs = [f"Story {n}: {p}" for p in LOREM] + [PROMO]
    return page(paragraphs=paragraphs)


def test_block_seen_on_many_pages_of_a_site_is_dropped():
    memory = SiteMemory()
    texts = [extract_article(_story(n), f"https://www.example.org/s/{n}", site_memory=memory).text
             for n in range(5)]
    assert PROMO in texts[0]
    assert PROMO not in texts[4]
    assert texts[4].startswith("Story 4: The city council voted")


def test_memory_is_per_site():
    memory = SiteMemory()
    for n in range(4):
        extract_article(_story(n), f"https://a.example.org/s/{n}", site_memory=memory)
    text = extract_article(_story(9), "https://b.example.org/s/9", site_memory=memory).text
    assert PROMO in text


def test_counts_and_remember():
    memory = SiteMemory()
    memory.remember("example.org", ["h1", "h2"])
    memory.remember("example.org", ["h1"])
    assert memory.counts("example.org", ["h1", "h2", "h3"]) == {"h1": 2, "h2": 1, "h3": 0}
