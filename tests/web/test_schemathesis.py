"""schemathesis against our own OpenAPI document: generated requests to every operation of the
JSON API and the output feeds, in process over ASGI with a real SQLite store. No answer may be
a server error, and every answer must match what the document promises."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.auth.tokens import new_token
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, ADMIN_PASSWORD, seed_articles

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 25  # per operation: bounded so the whole run stays around a minute


EXCLUDED = {
    # Subscribing and polling reach out to the network; test_api_v1.py exercises them against
    # a real publisher on 127.0.0.1.
    ("POST", "/api/v1/feeds"),
    ("POST", "/api/v1/feeds/{feed_id}/refresh"),
    ("POST", "/api/v1/feeds/refresh"),
}


@pytest.fixture
def api_schema(tmp_path: Path) -> Iterator[tuple[schemathesis.BaseSchema, dict[str, str]]]:
    app_settings = Settings(
        data_dir=tmp_path / "data",
        admin_user=ADMIN,
        admin_password=ADMIN_PASSWORD,
        admin_api_password=ADMIN_API_PASSWORD,
    )
    store = Store.open(app_settings)
    app = create_app(app_settings, store=store)
    seed_articles(store, 5, folder="World")
    token, token_hash = new_token()
    store.create_api_token(store.find_user(ADMIN).id, token_hash, "schemathesis")
    headers = {"Authorization": f"Bearer {token}"}
    yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", app), headers
    store.close()


def test_no_server_error_and_answers_match_the_document(
    api_schema: tuple[schemathesis.BaseSchema, dict[str, str]],
) -> None:
    schema, headers = api_schema
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in EXCLUDED:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
        tested.append(f"{operation.method.upper()} {operation.path}")
    assert "GET /api/v1/articles" in tested and "GET /all.{fmt}" in tested
    assert len(tested) >= 20, tested


# Numbers at and past the edges of what an id can be (SQL BIGINT): generated cases rarely reach
# them, so every unbounded integer parameter of every operation gets each of them once.
EDGE_NUMBERS = [0, -1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]
FILLERS = {"fmt": "atom", "folder": "World", "q": "story"}


def unbounded_integers(schema: dict) -> bool:
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "integer" and "maximum" not in o for o in options)


def test_ids_at_and_past_the_edges_are_never_a_server_error(
    api_schema: tuple[schemathesis.BaseSchema, dict[str, str]],
) -> None:
    schema, headers = api_schema
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in EXCLUDED:
            continue
        fill = {p.name: 1 if unbounded_integers(p.definition["schema"]) else FILLERS[p.name]
                for p in operation.path_parameters}  # fmt: skip
        required = {p.name: FILLERS[p.name] for p in operation.query if p.is_required}
        for where, params in (("path", operation.path_parameters), ("query", operation.query)):
            for param in params:
                if not unbounded_integers(param.definition["schema"]):
                    continue
                for number in EDGE_NUMBERS:
                    path, query = dict(fill), dict(required)
                    (path if where == "path" else query)[param.name] = number
                    case = operation.Case(path_parameters=path, query=query)
                    case.call_and_validate(headers=headers, checks=CHECKS)
                tried.append(f"{operation.method.upper()} {operation.path} {param.name}")
    assert "GET /api/v1/feeds/{feed_id} feed_id" in tried
    assert "GET /stories/{story_id}.{fmt} story_id" in tried
    assert "GET /api/v1/articles story_id" in tried
