"""Search gives the same results on SQLite and PostgreSQL for the same articles, and a store of
an earlier revision is indexed again by its upgrade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, text

from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.tables import articles
from tests.store.postgres import postgres_schema

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)

ARTICLES = [
    ("en", "Pirates seize a tanker off the coast",
     "The pirates boarded the ship at dawn. Navies are running patrols; the shipping "
     "companies asked for news about the crew."),
    ("en", "Central bank raises interest rates",
     "The central bank raised its interest rate again, citing inflation and wages."),
    ("de", "Piraten kapern Tanker vor der Küste",
     "Die Piraten enterten das Schiff im Morgengrauen. Die Häuser am Hafen wurden geräumt."),
    ("de", "Zentralbank erhöht die Zinsen", "Die Zentralbank hat die Zinsen erneut erhöht."),
    ("fr", "Des pirates s'emparent d'un pétrolier",
     "Les pirates ont abordé le navire à l'aube. Les électeurs attendent des informations."),
    ("es", "Piratas toman un petrolero",
     "Los piratas abordaron el barco al amanecer. Las elecciones generales fueron el domingo."),
    ("ru", "Пираты захватили танкер",
     "Пираты поднялись на борт судна на рассвете. Центральный банк повысил ставки."),
    ("zh", "海盗劫持油轮", "海盗在黎明时分登上了这艘船。中央银行再次提高利率。"),
    ("ja", "海賊がタンカーを乗っ取る", "海賊は夜明けに船に乗り込んだ。東京で地震が発生しました。"),
    ("ko", "해적이 유조선을 납치",
     "해적들이 새벽에 배에 올랐습니다. 중앙은행이 금리를 인상했습니다."),
    (None, "Untagged pirate radio", "A pirate radio station broadcast the news all night."),
]  # fmt: skip

QUERIES = [
    "pirate",
    "pirates",
    "Piraten",
    "pirat*",
    "pir*",
    '"pirate radio"',
    '"pirates boarded"',
    '"boarded pirates"',
    "pirate -tanker",
    "pirate OR zinsen",
    "Zins",
    "interest rate",
    '"interest rates"',
    "running",
    "run",
    "news",
    "Häuser",
    "Haus",
    "électeur",
    "elección general",
    "пират",
    "пираты танкер",
    "ставка",
    "海盗",
    "油轮",
    "盗",
    "銀行",
    "中央银行",
    "海賊",
    "地震",
    "東京",
    "震",
    "해적",
    "금리",
    "tanker 海盗",
    "central*",
    "nothing-like-this",
]


def fill(store: Store) -> dict[int, str]:
    """The articles, saved in order; {article id: its URL}."""
    saved = {}
    for number, (language, title, body) in enumerate(ARTICLES):
        url = f"https://stores.example/{number}"
        article_id, _ = store.save_article(
            Article(url=url, title=title, text=body, language=language),
            fetched_at=NOW - timedelta(minutes=number),
        )
        saved[article_id] = url
    return saved


def results(store: Store, ids: dict[int, str], query: str, **how: object) -> list[str]:
    return sorted(ids[item.id] for item, _ in store.search(query, limit=50, **how))  # type: ignore[arg-type]


def test_sqlite_and_postgresql_find_the_same_articles(store: Store) -> None:
    with postgres_schema() as url:
        postgres = Store(url)
        postgres.migrate()
        try:
            on_sqlite, on_postgres = fill(store), fill(postgres)
            answers = {}
            for query in QUERIES:
                sqlite_found = results(store, on_sqlite, query)
                assert sqlite_found == results(postgres, on_postgres, query), query
                answers[query] = len(sqlite_found)
            for language in ("en", "de", "zh", "ru"):
                for query in ("pirate", "海盗", "пират", "Zins", "bank"):
                    assert results(store, on_sqlite, query, language=language) == results(
                        postgres, on_postgres, query, language=language
                    ), (query, language)
        finally:
            postgres.close()
    # the comparison compared something: word forms, prefixes, phrases and CJK all found
    assert answers["pirate"] == answers["pirat*"] == 5  # en, de, fr, es, untagged
    assert answers["пират"] == 1 and answers["海盗"] == 1 and answers["盗"] == 1
    assert answers['"pirate radio"'] == 1 and answers['"boarded pirates"'] == 0
    assert answers["地震"] == 1 and answers["해적"] == 1 and answers["Haus"] == 1
    assert answers["nothing-like-this"] == 0


def write_at_0013(store: Store) -> None:
    """Articles as revision 0013 stored them, with its full-text index."""
    rows = [
        dict(url=f"https://old.example/{n}", url_key=f"old.example/{n}", source_key=f"s{n}",
             title=title, text=body,
             language=language, html="", method="", fetched_at=NOW,
             sort_at=NOW - timedelta(minutes=n), authors=[])
        for n, (language, title, body) in enumerate(ARTICLES)
    ]  # fmt: skip
    with store.engine.begin() as conn:
        conn.execute(insert(articles), rows)
        if conn.dialect.name == "sqlite":  # 0013's: the text with CJK characters apart
            conn.execute(
                text(
                    "INSERT INTO articles_fts (rowid, title, body) SELECT id, title, text "
                    "FROM articles"
                )  # fmt: skip
            )


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_upgrading_a_store_indexes_its_articles_again(store: Store, database: str) -> None:
    def check(old: Store) -> None:
        old.migrate("0013")
        write_at_0013(old)
        old.migrate()
        found = {item.article.url for item, _ in old.search("pirate", limit=50)}
        assert len(found) == 5  # English, German, French, Spanish, untagged: word forms
        assert len(old.search("海盗")) == 1 and len(old.search("пират")) == 1
        assert len(old.search('"pirates boarded"')) == 1
        new, _ = old.save_article(Article(url="https://old.example/new", title="Pirate news",
                                          language="en"))  # fmt: skip
        assert new in {item.id for item, _ in old.search("pirates", limit=50)}

    if database == "sqlite":
        path = store.engine.url.database
        store.close()
        fresh = Store(f"sqlite:///{path}.old")
        try:
            check(fresh)
        finally:
            fresh.close()
        return
    with postgres_schema() as url:
        fresh = Store(url)
        try:
            check(fresh)
        finally:
            fresh.close()
