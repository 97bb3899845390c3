"""newsdesk archive beside its peers on the same WARC files, written here from real pages.

    .venv/bin/python benchmarks/archive.py              # ../shared/bench: aeb, trafilatura-eval
    .venv/bin/python benchmarks/archive.py /work/shared/bench --sets aeb --limit 100
    .venv/bin/python benchmarks/archive.py --tools newsdesk-1,newsdesk-2,ray,trafilatura
    .venv/bin/python benchmarks/archive.py --smoke            # seconds, the fixture stories

No archive can be downloaded here, so one is built: each labelled page of a set becomes a WARC
response record under its own URL (warcio, gzipped), and each of the set's sites adds what a
crawl also holds: its home page (links to its stories), an image, a redirect and robots.txt.
Every tool then reads the same WARC.gz files:

- newsdesk-1, newsdesk-2: `newsdesk archive FILE --out corpus.jsonl` with 1 and 2 extraction
  processes (the local engine), run as a user runs it;
- ray: the same with `--engine ray` on a Ray started on this machine with 2 CPUs;
- trafilatura: FastWARC's reader and trafilatura.extract with DataTrove's settings
  (favor_precision, deduplicate, no comments), in one process: the FineWeb pipeline's anchor;
- news-please: its CC-NEWS mode's per-record reader (warcio, NewsPlease.from_warc), one
  process, when installed;
- Fundus: not run. Its CC-NEWS crawler reads only the WARC paths it lists from Common Crawl's
  servers, and it pins lxml<6 and fastwarc<0.16, which newsdesk's own versions exclude, so it
  cannot be installed beside newsdesk.

Throughput counts the set's labelled articles: articles/s = labelled pages in the file / the
run's seconds, articles per CPU-second = the same / the CPU the run took (newsdesk: its main
process and its workers, or the Ray it started; the peers: their one process). Body F1 is
benchmarks/extract.py's scoring of each set (AEB shingles, trafilatura-eval snippets) over
every labelled page, a page a tool left out counting as empty. The run's seconds leave out
start-up (imports, Ray's cluster); the wall column has it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import extract as scoring  # noqa: E402
from benchmarks import harness  # noqa: E402

DEFAULT_BENCH = ROOT.parent / "shared" / "bench"
SETS = ("aeb", "trafilatura-eval")
TOOLS = ("newsdesk-1", "newsdesk-2", "ray", "trafilatura", "news-please")
SMOKE_TOOLS = "newsdesk-1,newsdesk-2,trafilatura"
DATE = "2025-01-15T06:00:00Z"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6300010000000500010d0a2db40000000049454e44ae426082"
)


@dataclass
class Run:
    tool: str
    set: str
    texts: dict[str, str]  # URL -> body text of what the tool kept
    out: int  # documents the tool wrote
    seconds: float
    wall: float
    cpu: float


# ---- the WARC files ----------------------------------------------------------------------------


def write_warc(path: Path, pages: list[scoring.Page]) -> int:
    """The pages as response records, and per site a home page, an image, a redirect and
    robots.txt; how many records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    sites: dict[str, list[scoring.Page]] = defaultdict(list)
    for page in pages:
        parts = urlsplit(scoring._url(page))
        sites[f"{parts.scheme}://{parts.netloc}"].append(page)
    records = 0
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)

        def record(url: str, body: bytes, kind: str, status: str = "200 OK", *extra) -> None:
            nonlocal records
            headers = StatusAndHeaders(status, [("Content-Type", kind), *extra], "HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers,
                    warc_headers_dict={"WARC-Date": DATE},
                )
            )  # fmt: skip
            records += 1

        for base, found in sites.items():
            links = "".join(f'<li><a href="{scoring._url(p)}">story {n}</a></li>'
                            for n, p in enumerate(found))  # fmt: skip
            home = f"<html><head><title>{base}</title></head><body><ul>{links}</ul></body></html>"
            record(base + "/", home.encode(), "text/html; charset=utf-8")
            record(base + "/logo.png", PNG, "image/png")
            record(base + "/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
            record(base + "/home", b"", "text/html", "301 Moved Permanently", ("Location", base))
            for page in found:
                record(scoring._url(page), page.html, "text/html")
    return records


# ---- the tools ---------------------------------------------------------------------------------


def run_newsdesk(tool: str, warc: Path, folder: Path) -> Run:
    processes = "1" if tool == "newsdesk-1" else "2"
    out = folder / f"{tool}.jsonl"
    command = [sys.executable, "-m", "newsdesk", "archive", str(warc), "--out", str(out),
               "--processes", processes, "--json"]  # fmt: skip
    if tool == "ray":
        command += ["--engine", "ray"]
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["NEWSDESK_DATA_DIR"] = str(folder / f"data-{tool}")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout.splitlines()[-1])
    texts = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[row["url"]] = row["text"] or ""
    return Run(tool, "", texts, len(texts), report["seconds"], wall, report["cpu_seconds"])


def run_trafilatura(warc: Path) -> Run:
    import trafilatura
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    texts: dict[str, str] = {}
    wall, started, cpu = time.monotonic(), time.monotonic(), time.process_time()
    for record in ArchiveIterator(str(warc), record_types=WarcRecordType.response):
        if record.http_headers.status_code != 200:
            continue
        if not (record.http_content_type or "").startswith("text/html"):
            continue
        url = record.headers.get("WARC-Target-URI") or ""
        text = trafilatura.extract(record.reader.read(), url=url, favor_precision=True,
                                   include_comments=False, deduplicate=True)  # fmt: skip
        if text:
            texts[url] = text
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    return Run("trafilatura", "", texts, len(texts), seconds, time.monotonic() - wall, cpu)


def run_news_please(warc: Path) -> Run:
    from newsplease import NewsPlease
    from warcio.archiveiterator import ArchiveIterator

    texts: dict[str, str] = {}
    wall, started, cpu = time.monotonic(), time.monotonic(), time.process_time()
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue  # a record whose HTTP headers warcio cannot read
            if record.http_headers.get_statuscode() != "200":
                continue
            if not (record.http_headers.get_header("Content-Type") or "").startswith("text/html"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                # as its CC-NEWS mode reads a record: no image downloads (nothing leaves here)
                article = NewsPlease.from_warc(record, decode_errors="replace", fetch_images=False)
            except Exception:  # its parsers fail on some pages: nothing from those
                continue
            if article is not None and article.maintext:
                texts[url] = article.maintext
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    return Run("news-please", "", texts, len(texts), seconds, time.monotonic() - wall, cpu)


def installed(tool: str) -> bool:
    import importlib.util

    needs = {"ray": "ray", "trafilatura": "trafilatura", "news-please": "newsplease"}
    name = needs.get(tool)
    return name is None or importlib.util.find_spec(name) is not None


def run_tool(tool: str, warc: Path, folder: Path) -> Run:
    if tool.startswith("newsdesk") or tool == "ray":
        return run_newsdesk(tool, warc, folder)
    if tool == "trafilatura":
        return run_trafilatura(warc)
    return run_news_please(warc)


# ---- the table ---------------------------------------------------------------------------------


def scores(kind: str, pages: list[scoring.Page], run: Run) -> dict[str, float]:
    results = [scoring.Result(text=run.texts.get(scoring._url(p), "")) for p in pages]
    return scoring.body_scores(kind, pages, results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", nargs="?", type=Path, default=None,
                        help=f"the folder of the data sets (default: {DEFAULT_BENCH})")  # fmt: skip
    parser.add_argument("--sets", default=",".join(SETS), help="aeb, trafilatura-eval")
    parser.add_argument("--tools", default=",".join(TOOLS), help=",".join(TOOLS))
    parser.add_argument("--limit", type=int, default=None, help="pages of each set at most")
    args = harness.parse_args(parser, argv, f"--tools {SMOKE_TOOLS}")
    sets = [s for s in args.sets.split(",") if s]
    tools = [t for t in args.tools.split(",") if t]
    unknown = set(sets) - set(SETS) | set(tools) - set(TOOLS)
    if unknown:
        raise SystemExit(f"unknown: {', '.join(sorted(unknown))}")
    missing = [t for t in tools if not installed(t)]
    tools = [t for t in tools if t not in missing]
    rows: list[tuple[Run, int, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-archive-bench-") as tmp:
        work = Path(tmp)
        for name in sets:
            smoke_writer = {"aeb": harness.write_aeb,
                            "trafilatura-eval": harness.write_trafilatura_eval}[name]  # fmt: skip
            given = args.bench / name if args.bench is not None else None
            with harness.data_folder(given, DEFAULT_BENCH / name, args.smoke, smoke_writer) as data:
                pages = scoring.LOADERS[name](data, args.limit)
            warc = work / f"{name}.warc.gz"
            records = write_warc(warc, pages)
            print(f"{name}: {len(pages)} labelled pages, {records} records, "
                  f"{warc.stat().st_size / 1e6:.1f} MB", file=sys.stderr)  # fmt: skip
            for tool in tools:
                run = run_tool(tool, warc, work)
                run.set = name
                found = sum(1 for p in pages if run.texts.get(scoring._url(p)))
                rows.append((run, len(pages), scores(name, pages, run) | {"found": found}))
                print(f"  {tool}: {run.seconds:.1f} s", file=sys.stderr)
    print_table(rows)
    if missing:
        print(f"\nnot installed, not run: {', '.join(missing)}")
    print("Fundus: not run (reads only Common Crawl's own WARC paths; pins lxml<6 and "
          "fastwarc<0.16, which newsdesk's versions exclude)")  # fmt: skip
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")


def print_table(rows: list[tuple[Run, int, dict[str, float]]]) -> None:
    print("| tool | set | pages | kept | found | run s | wall s | articles/s | CPU s | "
          "articles/CPU-s | vs newsdesk-1 | body F1 | P | R |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base: dict[str, float] = {}
    by: dict[tuple[str, str], Run] = {}
    for run, pages, score in rows:
        per_cpu = pages / run.cpu if run.cpu > 0 else 0.0
        if run.tool == "newsdesk-1":
            base[run.set] = per_cpu
        by[run.tool, run.set] = run
        ratio = f"{per_cpu / base[run.set]:.2f}x" if base.get(run.set) else "-"
        print(f"| {run.tool} | {run.set} | {pages} | {run.out} | {int(score['found'])} | "
              f"{run.seconds:.1f} | {run.wall:.1f} | {pages / run.seconds:.1f} | {run.cpu:.1f} | "
              f"{per_cpu:.2f} | {ratio} | {score['f1']:.3f} | {score['precision']:.3f} | "
              f"{score['recall']:.3f} |")  # fmt: skip
    print()
    for name in dict.fromkeys(run.set for run, _, _ in rows):
        one, two, ray = (by.get((t, name)) for t in ("newsdesk-1", "newsdesk-2", "ray"))
        if one and two:
            speedup = one.seconds / two.seconds
            print(f"{name}: 2 processes {speedup:.2f}x one (target >= 1.8x), scaling "
                  f"efficiency {speedup / 2:.0%}")  # fmt: skip
        if two and ray:
            print(f"{name}: Ray (2 CPUs) run {ray.seconds / two.seconds - 1:+.0%} against the "
                  f"local pool of 2 (target within 15%); wall with start-up "
                  f"{ray.wall / two.wall - 1:+.0%}")  # fmt: skip


if __name__ == "__main__":
    main()
