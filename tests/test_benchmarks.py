"""Every benchmark runs once at its smallest size (`--smoke`, on tiny data it makes itself), in
its own process as one would run it, so a change that breaks a benchmark fails the suite. The
figures of a smoke run measure nothing and are not checked; that it finishes, and prints its
table with newsdesk's row beside its peers' and the command that reproduces it, is."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_benchmark(name: str, *args: str, timeout: float = 110) -> str:
    """`python benchmarks/NAME.py --smoke ARGS` from the repository's root; its output."""
    path = os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")])
    command = [sys.executable, f"benchmarks/{name}.py", "--smoke", *args]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-4000:]}"
    assert f"reproduce: .venv/bin/python benchmarks/{name}.py " in done.stdout, done.stdout
    return done.stdout


def table_rows(output: str) -> dict[str, list[str]]:
    """A markdown table's rows by their first cell, each row's cells stripped."""
    rows = {}
    for line in output.splitlines():
        if line.startswith("|") and not line.startswith("|-"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            rows[cells[0]] = cells
    return rows


def test_extract_all_tools_on_tiny_aeb() -> None:
    rows = table_rows(run_benchmark("extract", "--set", "aeb", "--limit", "3"))
    assert {"newsdesk", "trafilatura", "readability", "newspaper4k"} <= rows.keys()
    assert rows["newsdesk"][7] == "1.00x"  # vs newsdesk


def test_extract_metadata_on_tiny_trafilatura_eval() -> None:
    output = run_benchmark("extract", "--set", "trafilatura-eval", "--tools", "newsdesk")
    rows = table_rows(output)
    assert rows["tool"][6:9] == ["title", "date", "author"]
    assert len(rows["newsdesk"]) == len(rows["tool"])


def test_extract_on_tiny_readability_tests() -> None:
    output = run_benchmark(
        "extract", "--set", "readability-tests", "--tools", "newsdesk", "--sites", "--catastrophes"
    )
    assert "| newsdesk |" in output
    assert "leaving sites out:" in output and "catastrophes (body recall" in output


def test_extract_hints() -> None:
    rows = table_rows(run_benchmark("extract_hints"))
    assert {"page", "+ feed entry", "+ site memory"} <= rows.keys()


def test_duplicates() -> None:
    rows = table_rows(run_benchmark("duplicates"))
    assert {"newsdesk", "exact hash", "title only"} <= rows.keys()


def test_stories() -> None:
    rows = table_rows(run_benchmark("stories"))
    names = " ".join(rows)
    for method in ("newsdesk StoryIndex, by event", "newsdesk StoryIndex, interleaved",
                   "tf-idf cosine, single pass", "agglomerative, average link",
                   "headline word overlap"):  # fmt: skip
        assert method in names


def test_match_scale() -> None:
    rows = table_rows(run_benchmark("match_scale"))
    assert "330" in rows  # stored articles: the story window's 120, 200 more, 30 measured


def test_store() -> None:
    output = run_benchmark("store")
    for line in ("save_article:", "keyset (sort_at, id) < cursor:", "list_articles at 95% depth:",
                 "search Japanese 地震:"):  # fmt: skip
        assert line in output


def test_fetch() -> None:
    rows = table_rows(run_benchmark("fetch"))
    assert {"newsdesk, fast", "newsdesk, httpx", "httpx"} <= rows.keys()
    assert rows["newsdesk, fast"][2] == "1.00x"


def test_archive_on_tiny_warcs() -> None:
    output = run_benchmark("archive", "--sets", "aeb")
    rows = table_rows(output)
    assert {"newsdesk-1", "newsdesk-2", "trafilatura"} <= rows.keys()
    assert rows["newsdesk-1"][10] == "1.00x"  # vs newsdesk-1
    assert rows["newsdesk-1"][3] == rows["newsdesk-1"][4] == rows["newsdesk-1"][2]  # all kept
    assert "aeb: 2 processes" in output


def test_export_memory() -> None:
    output = run_benchmark("export")
    rows = table_rows(output)
    assert {"newsdesk export", "pandas read_sql"} <= rows.keys()
    assert "newsdesk export, jsonl: peak" in output


def test_hostile() -> None:
    output = run_benchmark("hostile")
    rows = table_rows(output)
    assert len(rows) == 3, rows  # the header and two cases
    assert rows["gzip bomb (1.1 GB inflated)"][6] == "gzip body over 20 MB when decompressed"
    assert "worst: CPU" in output


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_ingest() -> None:
    output = run_benchmark("ingest", timeout=300)  # worker processes start, and are killed
    for run in ("newsdesk first ingest", "newsdesk second poll (304s)", "feedparser, feeds only"):
        assert run in output
    rows = table_rows(output)
    assert rows["newsdesk worker x1, PostgreSQL"][-1] == "1.00x"
    assert "newsdesk worker x2, PostgreSQL" in rows
    assert "x2: 12 stored, 0 unmatched, 4 feed polls" in output
    assert "0 lost, 0 stored twice, 0 unmatched" in output
    assert "stored 12 articles, 0 errors; second poll: 4/4 not modified, 0 new" in output


@pytest.mark.slow
def test_web(tmp_path: Path) -> None:
    rows = table_rows(run_benchmark("web", "--data", str(tmp_path)))
    scenarios = [name for name in rows if name != "scenario"]
    assert len(scenarios) == 9, scenarios
    assert scenarios[0].startswith("static file")
    for name in scenarios:
        assert rows[name][6] == "0", f"{name}: errors"


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None, reason="no semantic extra"
)
def test_semantic(capsys: pytest.CaptureFixture[str]) -> None:
    # in this process: torch's import (most of a smoke run's time) is shared with the semantic
    # extra's own tests
    from benchmarks import semantic

    assert semantic.main(["--smoke"]) == 0
    output = capsys.readouterr().out
    names = " ".join(table_rows(output))
    assert "newsdesk + embeddings" in names and "embedding cosine" in names
    assert "reproduce: .venv/bin/python benchmarks/semantic.py --smoke" in output


def test_search() -> None:
    output = run_benchmark("search")
    rows = table_rows(output)
    assert rows["SQLite (FTS5)"][-1] == "1.00x"
    postgres = rows.get("PostgreSQL (GIN tsvector)")
    assert postgres is not None or "no PostgreSQL at" in output
    if postgres is not None:
        assert postgres[6] == rows["SQLite (FTS5)"][6]  # the same results per query


def test_sitemaps_against_ultimate_sitemap_parser() -> None:
    output = run_benchmark("sitemaps")
    rows = [line for line in output.splitlines() if line.startswith("| news sitemap, 500")]
    assert [row.split("|")[2].strip() for row in rows] == ["newsdesk", "ultimate-sitemap-parser"]
    assert all(row.split("|")[3].strip() == "500" for row in rows)  # the same URLs found
