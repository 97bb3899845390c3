"""Fixtures every test package may use."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from newsdesk.config import Settings
from tests.sites.publisher import publisher  # noqa: F401  (fixture news sites on loopback)

# The same examples on every run, so the suite passes or fails the same way wherever it runs;
# `--hypothesis-profile=explore` draws new ones when looking for failures.
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile("repeatable")


@pytest.fixture(autouse=True)
def no_proxy_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set where the tests run would carry their loopback requests (and those of the
    commands they start); the proxy tests set their own."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a throwaway data directory; loopback may be fetched, spacing is short."""
    return Settings(
        data_dir=tmp_path / "data",
        allow_private_networks=True,
        per_host_interval=0.0,
        connect_timeout=2.0,
        read_timeout=3.0,
        total_timeout=5.0,
    )
