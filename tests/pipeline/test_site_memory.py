"""Polling learns the blocks a site repeats on every page and drops them from the next pages'
text; a story's own paragraphs are never dropped. The fixture publisher on loopback, a real
SQLite store, extraction in worker processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.extract import ExtractParams
from newsdesk.pipeline.params import PipelineParams
from newsdesk.pipeline.poll import poll
from newsdesk.pipeline.site_memory import SiteMemories
from newsdesk.pipeline.subscribe import subscribe

SITE = "harbour-gazette"
# a box the site puts in the middle of every story, worded like one of its paragraphs
PROMO = (
    "The Harbour Gazette has reported on the coast since 1887 and is owned by a trust of its "
    "readers, who elect the members of its board at a meeting in the town hall every year."
)
PLACES = ("quay", "lighthouse", "ferry pier", "fish market", "boatyard", "breakwater")


def story_paragraphs(place: str) -> list[str]:
    return [
        f"Work on the {place} began on Monday after the council approved the repair budget for"
        f" the harbour district in a late vote.",
        f"Engineers said the {place} had been damaged by the winter storms and that the repairs"
        f" would take most of the spring, with some closures at weekends.",
        f"Residents living near the {place} were told to expect noise during the day, and the"
        f" harbour master promised regular updates on the progress of the works.",
    ]


def publish(publisher, places: tuple[str, ...], start: datetime) -> dict[str, str]:
    """One article per place, a minute apart, the promo after its first paragraphs (whose
    lead the site's other pages show as a teaser); URL -> place."""
    urls = {}
    for i, place in enumerate(places):
        lead, *rest = story_paragraphs(place)
        url = publisher.add_entry(
            SITE,
            f"Repairs start at the {place}",
            [lead, PROMO, *rest],
            published=start + timedelta(minutes=i),
        )
        urls[url] = place
    return urls


def texts(store, urls: dict[str, str]) -> dict[str, str]:
    found = {}
    for url, place in urls.items():
        article_id = store.find_article_by_url(url)
        assert article_id is not None, url
        found[place] = store.get_article(article_id).article.text
    return found


def test_a_promo_on_every_page_is_learned_and_dropped_but_story_text_stays(
    store, settings, publisher
) -> None:
    feed, _ = subscribe(store, settings, publisher.feed_url(SITE))
    start = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    first = publish(publisher, PLACES[:4], start)

    report = poll(store, settings, feed_ids=[feed.id])

    assert report.errors == []
    first_texts = texts(store, first)
    assert PROMO in first_texts["quay"]  # nothing known of the site yet
    later = publish(publisher, PLACES[4:], start + timedelta(hours=1))
    again = poll(store, settings, feed_ids=[feed.id], force=True)

    assert again.errors == [] and again.new_articles == len(later)
    later_texts = texts(store, later)
    for place, text in later_texts.items():  # seen on more than recurring_pages pages before
        assert PROMO not in text, place
    assert len(first) >= ExtractParams().recurring_pages
    for place, text in {**first_texts, **later_texts}.items():
        for paragraph in story_paragraphs(place):
            assert paragraph in text, place


def test_without_site_memory_nothing_is_dropped(store, settings, publisher) -> None:
    settings = settings.model_copy(update={"site_memory": False})
    assert not PipelineParams.from_settings(settings).site_memory
    feed, _ = subscribe(store, settings, publisher.feed_url(SITE))
    start = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    urls = publish(publisher, PLACES, start)

    report = poll(store, settings, feed_ids=[feed.id])

    assert report.errors == []
    for place, text in texts(store, urls).items():
        assert PROMO in text, place


def test_the_memory_counts_pages_and_writes_what_it_learned(store) -> None:
    memory = SiteMemories(store, recurring_pages=3)
    assert memory.recurring("news.example") == {}
    for page in range(5):
        memory.learn("news.example", ["menu", "promo", f"story-{page}"])
        if page < 2:
            assert memory.recurring("news.example") == {}
    assert memory.recurring("news.example") == {"menu": 5, "promo": 5}
    memory.save(at_least=100)  # not yet: little waits
    assert store.frequent_site_blocks("news.example", 10) == {}
    memory.save()
    stored = store.frequent_site_blocks("news.example", 10)
    # every block of the first page is written; of later pages, only blocks seen before
    assert stored == {"menu": 5, "promo": 5, "story-0": 1}
    again = SiteMemories(store, recurring_pages=3)  # the next poll starts from the store
    assert again.recurring("news.example") == {"menu": 5, "promo": 5}
    assert again.recurring("other.example") == {}
