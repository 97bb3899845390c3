"""`make run` on a fresh clone creates .venv, installs newsdesk and starts it on ./data/."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_make_run_on_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "newsdesk"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    assert not (clone / ".venv").exists()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSDESK_", "VIRTUAL_ENV"))}
    env["NEWSDESK_PORT"] = "0"  # any free port: the test only needs it to start
    process = subprocess.Popen(
        ["make", "run"],
        cwd=clone,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 840
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "newsdesk add" in line:  # the first-start hint: up is running
                break
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    output = "".join(lines)
    assert "No feeds yet" in output, output[-3000:]
    assert (clone / ".venv" / "bin" / "newsdesk").exists()
    assert (clone / "data" / "newsdesk.db").is_file()
    shutil.rmtree(clone / ".venv", ignore_errors=True)
