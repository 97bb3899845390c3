"""On a terminal, long commands show a progress bar (piped, they stay quiet: test_end_to_end)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path


def run_in_terminal(args: list[str], env: dict[str, str]) -> bytes:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(args, stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=120) == 0, output.decode(errors="replace")
    return output


def test_import_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    outlines = "".join(
        f'<outline type="rss" text="F{i}" xmlUrl="https://f{i}.example/rss"/>' for i in range(200)
    )
    opml = tmp_path / "many.opml"
    opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>')
    env = dict(os.environ, NEWSDESK_DATA_DIR=str(tmp_path / "data"))
    output = run_in_terminal([sys.executable, "-m", "newsdesk", "import", str(opml)], env)
    assert b"importing" in output
    assert b"200/200" in output  # the bar counted every feed
    assert b"200" in output and b"feeds added" in output
