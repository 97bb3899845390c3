"""Every command's every option and argument, given values out of range or of the wrong kind,
answers with an exit code (0, 1 or 2) and at most a short message: never a traceback. The
commands and their parameters are read from the app, so a new one is covered at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from newsdesk.cli import app
from tests.cli.conftest import Cli
from tests.sites.hostile import PAGE_HTML

HOSTILE = ["", " ", "0", "-1", str(2**63), str(10**30), "9" * 5000, "abc", "1e5", "²",
           "99999999999d", "0001-01-01T00:00+05:00", '"', "NEAR(", "a OR", "*", "-",
           "\\"]  # fmt: skip
# serving or polling forever, or subscribing over the network: tested elsewhere, against
# loopback (a group's own `add`, as `user add`, is walked)
LEFT_OUT = {("up",), ("serve",), ("add",), ("worker",)}
FIXED = {"poll": ["--once"]}  # without it, poll keeps polling


def fillers(work: Path) -> dict[str, str]:
    page = work / "page.html"
    page.write_bytes(PAGE_HTML)
    archive = work / "empty.warc.gz"
    archive.write_bytes(b"")
    return {"article_id": "1", "story_id": "1", "query": "word", "inputs": str(page),
            "path": str(work / "backup.db"), "file": "-", "feed": "1",
            "files": str(archive), "source_url": f"sqlite:///{work}/source.db",
            "dest_url": f"sqlite:///{work}/copy.db"}  # fmt: skip


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[list[str], Any]]:
    """Every command, those of groups (`user add`) included, with the words that call it."""
    for name, command in group.commands.items():
        if (*path, name) in LEFT_OUT:
            continue
        if hasattr(command, "commands"):  # a group
            yield from commands(command, (*path, name))
        else:
            yield [*path, name], command


COMMANDS = dict(
    (" ".join(words), command) for words, command in commands(typer.main.get_command(app))
)


def invocations(words: list[str], command: Any, work: Path) -> list[list[str]]:
    """Each parameter of the command in turn takes each hostile value, the others a sane one
    (required arguments) or none."""
    filled = fillers(work)
    calls = []
    params = [p for p in command.params if p.name != "help" and not getattr(p, "is_flag", 0)]
    for param in params:
        for value in HOSTILE:
            options, arguments = list(FIXED.get(words[-1], [])), []
            for other in params:
                given = value if other is param else None
                if other.param_type_name == "argument":
                    if given is None and other.required:
                        given = filled[other.name]
                    if given is not None:
                        arguments.append(given)
                elif given is not None:
                    options += [other.opts[0], given]
            calls.append([*words, *options, "--", *arguments])
    return calls


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)  # backups named "0" or "abc" land here
    return folder


def test_every_command_is_walked() -> None:
    assert set(COMMANDS) >= {"articles", "show", "story", "stories", "search", "regroup", "poll",
                             "extract", "import", "backup", "restore", "archive", "export",
                             "user add", "user passwd", "user list", "user remove"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_value_of_any_option_gives_a_traceback(name: str, work: Path, tmp_path: Path) -> None:
    cli = Cli(tmp_path / "data")
    cli("feeds")
    for call in invocations(name.split(), COMMANDS[name], work):
        result = cli(*call, ok=False)
        shown = f"newsdesk {' '.join(part[:40] for part in call)}"
        assert result.exit_code in (0, 1, 2), (shown, result.exit_code, result.output[-500:])
        assert result.exception is None or isinstance(result.exception, SystemExit), shown
        assert "Traceback" not in result.output, shown
