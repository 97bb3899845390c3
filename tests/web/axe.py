"""axe-core, the accessibility checker, from npm: installed once into the virtualenv (or
NEWSDESK_AXE_DIR) and injected into a Playwright page to list what it finds.

    script = axe_script()                  # installs axe-core with npm the first time
    found = run_axe(page, script)          # [{"id", "impact", "help", "targets"}, ...]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
SEVERE = ("serious", "critical")


def axe_dir() -> Path:
    return Path(os.environ.get("NEWSDESK_AXE_DIR") or Path(sys.prefix) / "axe-core")


def axe_script() -> str:
    """The text of axe.min.js, installed with npm into axe_dir() when it is not there yet."""
    folder = axe_dir()
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "npm is needed to install axe-core for the accessibility test "
                "(apt-get install npm), or set NEWSDESK_AXE_DIR to a folder holding "
                "node_modules/axe-core"
            )
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(folder),
                "--no-audit",
                "--no-fund",
                "--no-save",
                f"axe-core@{AXE_VERSION}",
            ],  # fmt: skip
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not script.exists():
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"npm could not install axe-core into {folder}: {last[0]}")
    return script.read_text(encoding="utf-8")


def run_axe(page: Any, script: str) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (WCAG 2.1 A and AA and best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(script)  # through the DevTools protocol: the page's CSP does not apply
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )


def severe(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in found if v["impact"] in SEVERE]
