"""Run the real command line in-process against a real store in a temporary data directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app


class Cli:
    def __init__(self, data_dir: Path) -> None:
        self.env = {
            "NEWSDESK_DATA_DIR": str(data_dir),
            "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "true",
            "NEWSDESK_PER_HOST_INTERVAL": "0",
            "NEWSDESK_EXTRACT_PROCESSES": "0",
            "NEWSDESK_TOTAL_TIMEOUT": "10",
        }
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True, input: str | None = None) -> Any:
        result = self.runner.invoke(app, list(args), env=self.env, input=input)
        if ok:
            assert result.exit_code == 0, (
                f"newsdesk {' '.join(args)} exited {result.exit_code}:\n{result.output}"
                f"{result.stderr if result.stderr_bytes is not None else ''}"
            )
        return result

    def json_lines(self, *args: str) -> list[dict[str, Any]]:
        result = self(*args, "--json")
        return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Any]:
    return Cli(tmp_path / "data")
