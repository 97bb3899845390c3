"""Fixtures for the fetch tests: servers and a proxy on loopback, and both transports.

Every fetch test that takes `settings` runs once per transport (newsdesk's HTTP/1.1 one and
httpx's own): they are one contract, and must give the same answers and the same errors.
"""

from __future__ import annotations

import pytest

from newsdesk.config import Settings
from tests.fetch.h2server import h2_site  # noqa: F401
from tests.fetch.proxy import proxy  # noqa: F401
from tests.fetch.tlssite import tls_site  # noqa: F401
from tests.sites.hostile import hostile  # noqa: F401

TRANSPORTS = ("fast", "httpx")


@pytest.fixture(params=TRANSPORTS)
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return settings.model_copy(update={"http_transport": request.param})
