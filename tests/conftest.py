"""Fixtures every test package may use."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.config import Settings
from tests.sites.publisher import publisher  # noqa: F401  (fixture news sites on loopback)


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
