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


MORE = [
    "Harbour ferries will run every fifteen minutes at peak times from April under a new "
    "timetable, and late services on the eastern route will be cut back to every ninety minutes.",
    "The library on Mill Lane reopens on Saturday after a year of repairs to its roof, with a "
    "children's floor, a café and longer opening hours on weekday evenings.",
    "Volunteers planted four hundred trees along the river path at the weekend, the first of "
    "three days of planting the parks department has planned before the summer.",
]


def _hard_story(n: int) -> str:
    """A short story, each paragraph in its own box, beside a longer strip of other stories
    that every page of the site shows."""
    story = "".join(f"<div class='b'><p>Story {n}: {p}</p></div>" for p in LOREM[:2])
    strip = "".join(f"<div class='k'><p>{p}</p></div>" for p in MORE)
    return (f"<html><head><title>Story {n}</title></head><body><div class='c'>"
            f"<div class='s'>{story}</div><div class='m'>{strip}</div></div></body></html>")


def test_site_memory_outranks_a_single_page_second_opinion():
    memory = SiteMemory()
    for n in range(4):
        extract_article(_hard_story(n), f"https://www.example.org/h/{n}", site_memory=memory)
    article = extract_article(_hard_story(9), "https://www.example.org/h/9", site_memory=memory)
    assert article.method == "newsdesk"
    assert article.text.split("\n\n") == [f"Story 9: {p}" for p in LOREM[:2]]
