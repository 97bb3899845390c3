from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.model import Article
from newsdesk.store import Store
from tests.store.matches import record_match

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
# one store serves every example; the articles it holds do not change between them
FIXTURE_OK = [HealthCheck.function_scoped_fixture]

DOCS = {
    "en": (
        "Storm batters coast",
        "A powerful storm battered the northern coast overnight. Thousands lost power.",
    ),
    "fr": (
        "Élection présidentielle",
        "Le président a été réélu dimanche. Les électeurs se sont déplacés en masse.",
    ),
    "ja": (
        "東京で地震",
        "今日の午後、東京で大きな地震が発生しました。\n\n気象庁によると津波の心配はありません。",
    ),
    "zh": ("北京天气", "北京今天发布了暴雨预警，市民出行需注意安全。"),
    "ko": ("서울 지진", "서울에서 규모 3.1의 지진이 발생했습니다. 피해는 보고되지 않았습니다."),
    "xss": ("Scripts", "Beware <script>alert('storm')</script> & other tricks in storm text."),
}


def fill(store: Store) -> dict[str, int]:
    ids = {}
    for number, (name, (title, text)) in enumerate(DOCS.items()):
        ids[name], _ = store.save_article(
            Article(url=f"https://n.example/{name}", title=title, text=text, language=name),
            fetched_at=NOW - timedelta(hours=number),
        )
    return ids


def found(store: Store, query: str, **filters: object) -> list[int]:
    return [item.id for item, _ in store.search(query, **filters)]  # type: ignore[arg-type]


def test_english_words_and_ranking_puts_title_hits_first(either_store: Store) -> None:
    store = either_store
    ids = fill(store)
    assert found(store, "storm")[0] == ids["en"]  # in its title, beats the body-only hits
    assert set(found(store, "storm")) == {ids["en"], ids["xss"]}
    # English words in any form; "xss" is no language: its words are found as written
    assert found(store, "STORMS") == found(store, "storming") == [ids["en"]]
    assert found(store, "storm", language="en") == [ids["en"]]
    assert found(store, "power coast") == [ids["en"]]
    assert found(store, '"northern coast"') == [ids["en"]]
    assert found(store, '"coast northern"') == []
    assert found(store, "storm -tricks") == [ids["en"]]
    assert set(found(store, "réélu OR thousands")) == {ids["fr"], ids["en"]}
    assert found(store, "batt*") == [ids["en"]]


def test_french_ignores_accents_both_ways(either_store: Store) -> None:
    store = either_store
    ids = fill(store)
    assert found(store, "president") == [ids["fr"]]
    assert found(store, "Président") == [ids["fr"]]
    assert found(store, "reelu") == [ids["fr"]]
    assert found(store, "election presidentielle") == [ids["fr"]]
    item, snippet = store.search("electeurs")[0]
    assert "<mark>électeurs</mark>" in snippet


def test_japanese_chinese_korean_words_inside_unspaced_sentences(either_store: Store) -> None:
    store = either_store
    ids = fill(store)
    assert found(store, "地震") == [ids["ja"]]
    assert found(store, "津波") == [ids["ja"]]
    assert found(store, "気象庁") == [ids["ja"]]
    assert found(store, "暴雨") == [ids["zh"]]
    assert found(store, "北京 预警") == [ids["zh"]]
    assert found(store, "지진") == [ids["ko"]]
    assert found(store, "피해") == [ids["ko"]]
    assert found(store, "震地") == []  # characters in another order are not the word
    assert found(store, "震") == found(store, "東") == [ids["ja"]]  # one character, anywhere
    assert found(store, "京で地震") == [ids["ja"]] and found(store, "京て地震") == []
    assert found(store, '"東京 地震"') == []  # a phrase: one after the other
    assert found(store, "北京*") == [ids["zh"]]


WORD_FORMS = {
    "en": (
        "Pirates seize a tanker",
        "The pirates' ship was seen running north. Officials said the news reached the port late.",
    ),
    "de": ("Piraten kapern Tanker", "Die Häuser am Hafen wurden geräumt, sagte der Sprecher."),
    "fr": ("Les pirates attaquent", "Les électeurs ont reçu des informations sur les news."),
    "es": ("Piratas en el estrecho", "Las elecciones generales se celebraron el domingo."),
    "ru": ("Пираты захватили танкер", "Представители власти сообщили о нападении пиратов."),
    "it": ("Senza lingua", "An English text with a new law, stored without its language."),
}


def fill_word_forms(store: Store) -> dict[str, int]:
    ids = {}
    for number, (name, (title, text)) in enumerate(WORD_FORMS.items()):
        language = None if name == "it" else name
        ids[name], _ = store.save_article(
            Article(url=f"https://w.example/{name}", title=title, text=text, language=language),
            fetched_at=NOW - timedelta(hours=number),
        )
    return ids


def test_word_forms_in_each_language(either_store: Store) -> None:
    """A word finds its other forms in every language Snowball stems, each article in its own
    language's forms, on SQLite and PostgreSQL alike."""
    store = either_store
    ids = fill_word_forms(store)
    assert set(found(store, "pirate")) == {ids["en"], ids["de"], ids["fr"], ids["es"]}
    assert set(found(store, "Pirat")) == {ids["en"], ids["de"], ids["fr"], ids["es"]}
    assert found(store, "пират") == [ids["ru"]] == found(store, "пиратами")
    assert found(store, "Haus") == [ids["de"]]  # "Häuser"
    assert found(store, "électeur") == [ids["fr"]] == found(store, "electeur")
    assert found(store, "elección") == [ids["es"]] == found(store, "eleccion general")
    assert found(store, "run") == [ids["en"]]  # "running"
    assert found(store, "pirate", language="ru") == []
    assert found(store, "pirate", language="de") == [ids["de"]]
    # each language's forms find that language's articles: French makes "new" of "news",
    # but the English "new" is no form of "news"
    assert set(found(store, "news")) == {ids["en"], ids["fr"]}
    assert ids["en"] not in found(store, "new")


def test_prefixes_and_phrases_of_word_forms(either_store: Store) -> None:
    store = either_store
    ids = fill_word_forms(store)
    every = {ids["en"], ids["de"], ids["fr"], ids["es"]}
    assert set(found(store, "pirat*")) == every
    assert set(found(store, "pira*")) == every
    assert set(found(store, "pirates*")) == every  # stemmed too: "pirat"
    assert found(store, "пир*") == [ids["ru"]]
    assert found(store, '"pirate ship"') == [ids["en"]]  # "pirates' ship"
    assert found(store, '"ship pirate"') == []
    assert found(store, '"pirates seized"') == [ids["en"]]
    assert found(store, '"pirate tanker"') == []  # not next to each other
    assert set(found(store, "pirate -tanker")) == {ids["fr"], ids["es"]}
    _, snippet = store.search("pirate ship")[0]
    assert "<mark>pirates</mark>&#x27; <mark>ship</mark>" in snippet
    _, snippet = store.search("Haus")[0]
    assert "Die <mark>Häuser</mark> am Hafen" in snippet
    _, snippet = store.search("пират")[0]
    assert "нападении <mark>пиратов</mark>" in snippet


def test_cjk_snippets_read_as_written(store: Store) -> None:
    fill(store)
    _, snippet = store.search("津波")[0]
    assert snippet == (
        "今日の午後、東京で大きな地震が発生しました。気象庁によると"
        "<mark>津波</mark>の心配はありません。"
    )
    _, snippet = store.search("지진")[0]
    assert "규모 3.1의 <mark>지진</mark>이 발생했습니다." in snippet


def test_snippets_are_safe_html(store: Store) -> None:
    ids = fill(store)
    item, snippet = next(pair for pair in store.search("tricks") if pair[0].id == ids["xss"])
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet and "&amp;" in snippet
    assert "<mark>tricks</mark>" in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_long_text_snippet_is_centred_on_the_hits(store: Store) -> None:
    text = "Filler sentence about nothing. " * 200 + "The rare okapi was seen. " + "More. " * 200
    store.save_article(Article(url="https://n.example/long", title="Long", text=text))
    _, snippet = store.search("okapi")[0]
    assert "<mark>okapi</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 400


def test_filters(store: Store) -> None:
    feed, _ = store.add_feed("https://n.example/feed")
    a, _ = store.save_article(
        Article(url="https://n.example/1", title="Budget vote", language="en"),
        feed_id=feed.id,
        fetched_at=NOW,
    )
    b, _ = store.save_article(
        Article(url="https://n.example/2", title="Budget debate", language="de"),
        fetched_at=NOW - timedelta(days=3),
    )
    assert set(found(store, "budget")) == {a, b}
    assert found(store, "budget", feed_id=feed.id) == [a]
    assert found(store, "budget", language="de") == [b]
    assert found(store, "budget", since=NOW - timedelta(days=1)) == [a]
    assert found(store, "budget", until=NOW - timedelta(days=1)) == [b]
    assert len(found(store, "budget", limit=1)) == 1


HOSTILE = [
    '"',
    '"unbalanced',
    "-",
    "AND",
    "OR",
    "NOT",
    "*",
    "( )",
    ":",
    "title:storm",
    "a AND",
    "NEAR(storm coast)",
    "'",
    "\\",
    "storm)",
    "^storm",
    "-storm",
    "\x00",
    "   ",
    "",
    '"""',
    "storm OR",
    "OR storm",
    "col:*",
    "{title}: storm",
    "+storm",
]


def test_hostile_queries_never_raise(either_store: Store) -> None:
    store = either_store
    fill(store)
    for query in HOSTILE:
        results = store.search(query)
        assert isinstance(results, list)
    assert found(store, "") == [] and found(store, "   ") == [] and found(store, "-") == []
    assert found(store, "storm)") == found(store, "storm")
    assert found(store, "(storm):") == found(store, "storm")  # brackets, colons: separators
    assert found(store, "powerful-storm") == found(store, '"powerful storm"') != []


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_OK)
@given(query=st.text(max_size=40))
def test_any_text_is_a_valid_query(either_store: Store, query: str) -> None:
    store = either_store
    if not store.count_articles():
        fill(store)
    for item, snippet in store.search(query):
        assert item.id > 0
        assert re.sub(r"</?mark>", "", snippet).count("<") == 0


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE_OK)
@given(query=st.text(alphabet=st.sampled_from("\"*():-^+ ANDORTNEa\\'{}.,"), max_size=30))
def test_operator_soup_is_a_valid_query(either_store: Store, query: str) -> None:
    store = either_store
    if not store.count_articles():
        fill(store)
    assert isinstance(store.search(query), list)


def test_result_pages_and_rebuilding_the_index(store: Store) -> None:
    ids = fill(store)
    both = found(store, "storm")
    assert found(store, "storm", limit=1) + found(store, "storm", limit=1, offset=1) == both
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM articles_fts")
    assert found(store, "地震") == []
    assert store.rebuild_search_index() == len(DOCS)
    assert found(store, "地震") == [ids["ja"]] and found(store, "storm") == both


def test_common_words_rank_the_newest_matches_and_copies_are_left_out(
    store: Store, monkeypatch: object
) -> None:
    from newsdesk.store import search

    monkeypatch.setattr(search, "RANK_WINDOW", 6)  # type: ignore[attr-defined]
    # the oldest article is the best match (in its title); eight newer ones mention it once
    oldest, _ = store.save_article(
        Article(url="https://n.example/old", title="Harbour harbour", text="harbour"),
        fetched_at=NOW - timedelta(days=30),
    )
    newer = [
        store.save_article(
            Article(url=f"https://n.example/{n}", title=f"Item {n}", text=f"a harbour note {n}"),
            fetched_at=NOW - timedelta(hours=n),
        )[0]
        for n in range(8)
    ]
    plain = found(store, "harbour", limit=20)
    assert oldest not in plain and set(plain) == set(newer[-6:])  # the newest six stored
    assert found(store, "harbour", until=NOW - timedelta(days=7)) == [oldest]  # dates reach it
    # the best four are copies: the originals are still a full page
    story = store.create_story("", first_seen=NOW - timedelta(days=30))
    record_match(store, oldest, story)
    for copy in newer[-4:]:
        record_match(store, copy, story, original_id=oldest)
    kept = found(store, "harbour", limit=2, originals_only=True)
    assert len(kept) == 2 and not set(kept) & set(newer[-4:])
    everything = found(store, "harbour", limit=20, originals_only=True)
    assert set(everything) == set(newer[2:4])  # the window's six, less its four copies
    assert found(store, "harbour", limit=1, offset=1, originals_only=True) == everything[1:2]


def test_snippets_only_for_the_results_a_page_shows(store: Store) -> None:
    fill(store)
    both = store.search("storm")
    shown = store.search("storm", snippet_limit=1)
    assert [item.id for item, _ in shown] == [item.id for item, _ in both]
    assert "<mark>storm</mark>" in shown[0][1] and shown[0][1] == both[0][1]
    assert shown[1][1] == "" and "<mark>storm</mark>" in both[1][1]
    assert [snippet for _, snippet in store.search("storm", snippets=False)] == ["", ""]


def test_results_for_a_list_are_the_whole_articles_without_their_html(store: Store) -> None:
    feed, _ = store.add_feed("https://n.example/feed", title="Coast News")
    first, _ = store.save_article(
        Article(
            url="https://n.example/a",
            canonical_url="https://n.example/a?amp",
            title="Storm warning for the coast",
            authors=["Ana Ruiz", "Bo Li"],
            published=NOW - timedelta(hours=2),
            updated=NOW - timedelta(hours=1),
            language="en",
            site_name="Coast",
            image="https://n.example/a.jpg",
            image_caption="Waves",
            description="The storm arrives tonight.",
            text="A storm warning was issued.\n\nThe storm arrives tonight.",
            html="<p>A storm warning was issued.</p><p>The storm arrives tonight.</p>",
            method="newsdesk",
        ),
        feed_id=feed.id,
        guid="a-1",
        fetched_at=NOW,
    )
    second, _ = store.save_article(
        Article(url="https://n.example/b", title="Storm", text="storm", html="<p>storm</p>"),
        fetched_at=NOW - timedelta(days=1),
    )
    story = store.create_story("", first_seen=NOW)
    record_match(store, first, story)
    record_match(store, second, story, original_id=first)
    whole = store.search("storm")
    listed = store.search("storm", with_html=False)
    assert [item.id for item, _ in listed] == [item.id for item, _ in whole]
    assert {item.id for item, _ in listed} == {first, second}
    assert [snippet for _, snippet in listed] == [snippet for _, snippet in whole]
    for (item, _), (full, _) in zip(listed, whole, strict=True):
        assert full.article.html and item.article.html == ""
        full.article.html = ""
        assert item == full  # every other field as the whole row gives it
    by_id = {item.id: item for item, _ in listed}
    assert by_id[first].feed_title == "Coast News"
    assert by_id[first].article.authors == ["Ana Ruiz", "Bo Li"]
    assert by_id[first].fetched_at == NOW and by_id[second].duplicate_of == first
    assert store.search("storm", with_html=False, originals_only=True)[0][0].id == first


def test_equal_scores_rank_the_newest_first(store: Store) -> None:
    # the same text, stored in an order unlike their times: ties go to the highest id
    ids = [
        store.save_article(
            Article(url=f"https://n.example/same/{n}", title="Quake", text="A quake shook it."),
            fetched_at=NOW - timedelta(hours=n),
        )[0]
        for n in (3, 1, 2, 0)
    ]
    assert found(store, "quake") == sorted(ids, reverse=True)


def test_the_ranking_sqlite_sorts_is_the_order_of_the_scores(store: Store) -> None:
    from newsdesk.store.search import SQLITE_SCORED

    # many matches, many of them tied: best score first, the newest first on a tie
    for n in range(60):
        store.save_article(
            Article(
                url=f"https://n.example/tide/{n}",
                title="Tide tables" if n % 7 == 0 else f"Notes {n}",
                text=" ".join(["tide"] * (1 + n % 4) + ["filler"] * (n % 5)),
            ),
            fetched_at=NOW - timedelta(minutes=n),
        )
    driver = store.engine.raw_connection()
    try:
        scored = driver.cursor().execute(SQLITE_SCORED, ('"tide"', 1000)).fetchall()
    finally:
        driver.close()
    assert len({score for _, score in scored}) < len(scored) == 60  # ties among them
    expected = [article_id for article_id, _ in sorted(scored, key=lambda r: (r[1], -r[0]))]
    assert found(store, "tide", limit=200) == expected
    assert found(store, "tide", limit=7, offset=20) == expected[20:27]


def test_search_leaves_out_unsubscribed_feeds_but_keeps_starred(either_store: Store) -> None:
    """Every way a search runs (unfiltered, narrowed by feed, date or language, originals only)
    finds no article of an unsubscribed feed, but still finds the ones the reader starred."""
    store = either_store
    gone, _ = store.add_feed("https://gone.example/rss", title="Gone")
    kept, _ = store.add_feed("https://kept.example/rss", title="Kept")
    ids = {}
    for feed, name in ((gone, "gone-a"), (gone, "gone-b"), (kept, "kept")):
        ids[name], _ = store.save_article(
            Article(url=f"https://n.example/{name}", title=f"Volcano {name}", language="en",
                    text="The volcano erupted again this morning.", published=NOW),
            feed_id=feed.id, fetched_at=NOW,
        )  # fmt: skip
    reader = store.create_user("reader", "a long password 1")
    store.set_starred(reader.id, [ids["gone-a"]], True)
    day = {"since": NOW - timedelta(days=1), "until": NOW + timedelta(days=1)}
    ways: list[dict] = [{}, {"originals_only": True}, day, {"language": "en"}]

    def found(**how: object) -> set[int]:
        return {stored.id for stored, _ in store.search("volcano", **how)}

    for how in ways:
        assert found(**how) == set(ids.values())
    store.delete_feed(gone.id)
    for how in ways:
        assert found(**how) == {ids["kept"]}, how
        assert found(user_id=reader.id, **how) == {ids["kept"], ids["gone-a"]}, how
    assert found(feed_id=gone.id, user_id=reader.id) == {ids["gone-a"]}
