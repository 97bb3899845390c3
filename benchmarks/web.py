"""Web speed: the river page (by article and by story), a story page, an article page, a search,
a Google Reader stream-contents call and its unread counts (which feed-reader apps ask for on
every sync), each under concurrent load from a second process on loopback, beside the same query
run directly on the store (the floor) and a static file (what uvicorn and the machine cost alone).

    .venv/bin/python benchmarks/web.py                       # 100,000 articles, 10 s per row
    .venv/bin/python benchmarks/web.py --articles 20000 --duration 3      # quicker
    .venv/bin/python benchmarks/web.py --workers 1 --concurrency 8       # other shapes

How it measures:
- The synthetic database (English-like words, 50 feeds, 5 minutes between articles, one in
  ten a copy of another) is built once under --data (default benchmarks/results/web-data,
  ignored by git) and reused while it holds at least --articles articles.
- The server runs in its own process: `uvicorn --factory newsdesk.web.app:from_environment`
  with --workers worker processes (default: one per core), as one would deploy it.
- The load comes from a second process, `wrk` (Debian: apt-get install wrk), which costs the
  server far less CPU than a Python client would; without wrk a Python (httpx) client is used
  and the table says so. --concurrency connections (default 4) each send the next request as
  soon as the last is answered, for --duration seconds, after a warm-up (each path once,
  then the same load, unmeasured, for 3 s plus 0.2 s per path: each worker process fills its
  own caches, e.g. the related stories of each article page).
- The floor is the store call the page is built on, run directly in this process while the
  server idles, one call after another.
- CPU ms/req: the CPU time the server's processes used during the measured run (from /proc,
  Linux only) over the requests answered: unlike latency it hardly depends on what else the
  machine is doing, so it is the figure to compare between runs on a busy machine.
- Targets: p95 under 50 ms for pages and under 100 ms for search. The load average before and
  after each run is printed: figures taken while other work loads the machine are only
  comparable as ratios (to the static file and to the floor).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

USER, PASSWORD, API_PASSWORD = "bench", "bench password", "bench api password"
FEEDS = 50
SEARCH = "harbour storm"
PAGE_TARGET_MS, SEARCH_TARGET_MS = 50.0, 100.0
ARTICLE_PAGES = 50  # the article row reads this many different articles in turn
STORY_PAGES = 50  # the story page row reads this many different stories in turn
ROWS = ("river", "stories", "story", "article", "search", "search-new", "greader", "unread")
WARM_SECONDS = 3.0  # unmeasured load before each row, and this much more per path of the row
WARM_SECONDS_PER_PATH = 0.2
SMOKE_ARGS = "--articles 100 --duration 0.2 --warm 0 --workers 1 --concurrency 2"
WRK_MARK = "WRK-RESULT "
# Lua for wrk: cycle through the paths given after "--", and print the latency percentiles
WRK_SCRIPT = """
local paths, n = {}, 0
init = function(args)
  for i, p in ipairs(args) do paths[i] = p end
end
request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "seconds": %.6f, "errors": %d, "status_errors": %d, '
    .. '"p50": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f}\\n',
    "MARK", summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
""".replace("MARK", WRK_MARK)


# --- the Python load generator (a fallback without wrk; runs in its own process) -------------


async def _load(base: str, paths: list[str], headers: dict[str, str],
                concurrency: int, duration: float) -> dict[str, Any]:  # fmt: skip
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=30) as client:  # fmt: skip
        stop = time.perf_counter() + duration
        turn = 0

        async def worker() -> None:
            nonlocal errors, turn
            while time.perf_counter() < stop:
                path = paths[turn % len(paths)]
                turn += 1
                start = time.perf_counter()
                answer = await client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
                if answer.status_code == 200:
                    latencies.append(elapsed)
                else:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - began
    return {
        "requests": len(latencies) + errors,
        "seconds": wall,
        "errors": errors,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "max": max(latencies, default=float("nan")),
    }


def load_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--headers", default="{}")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=10)
    args = parser.parse_args(argv)
    headers = json.loads(args.headers)
    result = asyncio.run(_load(args.base, args.paths, headers, args.concurrency, args.duration))
    json.dump(result, sys.stdout)


def pct(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- building the database ------------------------------------------------------------------


BATCH = 2000  # articles saved in one transaction (save_articles), as a poll's save group
COPY_EVERY = 10  # every tenth article is a copy of the one before (as wire stories are)


def words_of(rng: random.Random) -> list[str]:
    """The synthetic articles' vocabulary, drawn first from the build's random generator."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(5000)]
    return vocabulary + ["harbour", "storm", "council", "election", "quake", "budget"]


def build(store: Any, settings: Any, count: int, seed: int) -> None:
    """Store `count` synthetic articles the way polling does, through the store's and the
    pipeline's public calls: saved in groups (save_articles), then matched (the pipeline's
    regroup, as `newsdesk regroup` runs it), so copies and stories are what the matcher
    decides. Articles already stored (from an earlier, smaller build) are kept."""
    from newsdesk.model import Article
    from newsdesk.pipeline.matching import regroup
    from newsdesk.store.articles import NewArticle

    rng = random.Random(seed)
    vocabulary = words_of(rng)
    feeds = [
        store.add_feed(
            f"https://site{n}.example/feed", title=f"Site {n}", folder=f"Folder {n % 5}"
        )[0].id  # fmt: skip
        for n in range(FEEDS)
    ]
    now = datetime.now(UTC)
    have = store.count_articles()
    started = time.perf_counter()
    batch: list[Any] = []
    article = None
    for n in range(count):
        if article is not None and n % COPY_EVERY == 0:
            # the one before, printed by the next site: the matcher folds it as a copy
            article = replace(article, url=f"https://site{n % FEEDS}.example/story/{n}")
        else:
            words = rng.choices(vocabulary, k=300)
            paragraphs = [" ".join(words[i : i + 60]) for i in range(0, 300, 60)]
            article = Article(
                url=f"https://site{n % FEEDS}.example/story/{n}",
                title=" ".join(words[:8]).capitalize(),
                authors=[f"Reporter {n % 97}"],
                published=now - timedelta(minutes=5 * (count - n)),
                description=" ".join(words[8:40]),
                text="\n\n".join(paragraphs),
                html="".join(f"<p>{p}</p>" for p in paragraphs),
                language="en",
            )
        if n < have:
            continue  # drawn all the same, so a larger build continues the same articles
        batch.append(NewArticle(article, feed_id=feeds[n % FEEDS], fetched_at=now))
        if len(batch) == BATCH or n == count - 1:
            store.save_articles(batch)
            batch.clear()
        if n and n % 10000 == 0:
            rate = (n - have) / (time.perf_counter() - started)
            print(f"  stored {n} articles ({rate:.0f}/s)", file=sys.stderr, flush=True)
    print(f"  matching {count} articles (copies and stories)", file=sys.stderr, flush=True)
    regroup(store, settings)


# --- the server (its own process) -----------------------------------------------------------


def server_environment(args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_CONFIG=os.devnull,  # no newsdesk.toml from the current folder
        NEWSDESK_DATA_DIR=str(args.data),
        NEWSDESK_ADMIN_USER=USER,
        NEWSDESK_ADMIN_PASSWORD=PASSWORD,
        NEWSDESK_ADMIN_API_PASSWORD=API_PASSWORD,
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    )
    return env


class Server:
    """uvicorn with --workers processes on a free loopback port."""

    def __init__(self, args: argparse.Namespace) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [
            sys.executable, "-m", "uvicorn", "--factory", "newsdesk.web.app:from_environment",
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(args.workers),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        self.env = server_environment(args)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        import httpx

        self.process = subprocess.Popen(self.command, env=self.env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped at start: {' '.join(self.command)}")
            try:
                if httpx.get(f"{self.url}/login", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("the server did not answer within 120 s")

    def cpu_seconds(self) -> float | None:
        """CPU time used so far by the server and its worker processes (None off Linux)."""
        if self.process is None:
            return None
        total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
        pending = [self.process.pid]
        try:
            while pending:
                pid = pending.pop()
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            return None
        return total

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def sign_in(url: str) -> str:
    """The Cookie header of a signed-in browser."""
    import httpx

    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
        answer = client.post("/login", data={"username": USER, "password": PASSWORD,
                                             "csrf": token})  # fmt: skip
        assert answer.status_code == 303, answer.text[:200]
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def greader_token(url: str) -> str:
    import httpx

    answer = httpx.post(f"{url}/api/greader/accounts/ClientLogin",
                        data={"Email": USER, "Passwd": API_PASSWORD}, timeout=60)  # fmt: skip
    answer.raise_for_status()
    return answer.text.split("Auth=")[1].strip()


# --- running one scenario -------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    paths: list[str]
    floor: Any  # the store call the page is built on
    target: float
    auth: str  # "session" or "greader"
    warm: bool = True  # False: no warm-up load, so no cache holds the answers beforehand


def warm_up(url: str, paths: list[str], headers: dict[str, str]) -> None:
    """Each path once (and the first three times): caches filled as in steady use."""
    import httpx

    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        for path in paths + paths[:1] * 3:
            answer = client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"GET {path} answered {answer.status_code}: {answer.text[:200]}")


def run_wrk(url: str, paths: list[str], headers: dict[str, str],
            args: argparse.Namespace, seconds: float) -> dict[str, Any]:  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = ["wrk", "--threads", "1", "--connections", str(args.concurrency),
                   "--duration", f"{math.ceil(seconds)}s", "--timeout", "30s",
                   "--script", script.name]  # fmt: skip
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        command += [url, "--", *paths]
        done = subprocess.run(command, capture_output=True, text=True)
    finally:
        os.unlink(script.name)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    for line in done.stdout.splitlines():
        if line.startswith(WRK_MARK):
            return json.loads(line[len(WRK_MARK) :])
    raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")


def run_python(url: str, paths: list[str], headers: dict[str, str],
               args: argparse.Namespace, seconds: float) -> dict[str, Any]:  # fmt: skip
    command = [sys.executable, __file__, "--load", url, *paths, "--headers",
               json.dumps(headers), "--concurrency", str(args.concurrency),
               "--duration", str(seconds)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def floor(call: Any, seconds: float) -> list[float]:
    """The same query straight on the store, one after another."""
    samples = []
    stop = time.perf_counter() + seconds
    call()
    while time.perf_counter() < stop or len(samples) < 20:
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--load":
        load_main(sys.argv[2:])
        return
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=10.0,
                        help="seconds of load per row (whole seconds with wrk)")  # fmt: skip
    parser.add_argument("--rows", default=",".join(ROWS),
                        help="which rows beside the static file (default: all eight)")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=4, help="connections, each with one "
                        "request in flight (default 4)")  # fmt: skip
    parser.add_argument(
        "--workers",
        type=int,
        default=cores,
        help=f"uvicorn worker processes (default: one per core: {cores})",
    )
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator (auto: wrk when installed)")  # fmt: skip
    parser.add_argument("--warm", type=float, default=WARM_SECONDS, help="seconds of unmeasured "
                        f"load before each row (default {WARM_SECONDS:g}; 0: none)")  # fmt: skip
    parser.add_argument("--data", type=Path, help="where the database is built and kept "
                        "(default benchmarks/results/web-data)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    args = harness.parse_args(parser, argv, SMOKE_ARGS)
    if args.data is None:
        args.data = ROOT / "benchmarks/results/web-data"
    args.data = args.data.resolve()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
        if client == "python":
            print("wrk not found (Debian: apt-get install wrk): using the Python client, which "
                  "takes CPU from the server", file=sys.stderr)  # fmt: skip
    elif client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("--client wrk: wrk is not installed (Debian: apt-get install wrk)")
    run_load = run_wrk if client == "wrk" else run_python

    from newsdesk.config import Settings
    from newsdesk.store import ArticleQuery, Store
    from newsdesk.web.pages.article import story_articles

    settings = Settings(data_dir=args.data)
    store = Store.open(settings)
    if store.count_articles() < args.articles:
        print(f"building {args.articles} articles in {args.data} (once)", file=sys.stderr)
        build(store, settings, args.articles, args.seed)
    total = store.count_articles()
    middle = store.list_articles(above_id=total // 2, limit=ARTICLE_PAGES, by_id=True,
                                 oldest_first=True)  # fmt: skip
    article_paths = [f"/articles/{sa.id}" for sa in middle]
    # story pages: stories of more than one article, newest first, read in turn
    told = [story for story in store.list_stories(limit=STORY_PAGES * 4)
            if len(story.article_ids) > 1][:STORY_PAGES] or store.list_stories(limit=1)  # fmt: skip
    story_paths = [f"/stories/{story.id}" for story in told]
    story_query = ArticleQuery(originals_only=True)

    # the store call of the search page (web.pages.search): 21 results to know whether
    # there is a next page, snippets for the 20 shown, no body HTML
    page_search = {"limit": 21, "snippet_limit": 20, "originals_only": True, "with_html": False}
    # never the same query twice: the server's words first, the floor's from the other end
    fresh = words_of(random.Random(args.seed))[:4000]
    floor_words = iter(fresh[::-1])
    scenarios = [
        Scenario("static file (baseline: no DB, no template)", ["/static/newsdesk.css"],
                 None, PAGE_TARGET_MS, "session"),
        Scenario("river page /?view=articles", ["/?view=articles"], lambda: store.list_articles(
            limit=30, originals_only=True, user_id=user.id), PAGE_TARGET_MS, "session"),
        Scenario("story river /?view=stories", ["/?view=stories"], lambda: store.story_river(
            story_query.with_(user_id=user.id), limit=30), PAGE_TARGET_MS, "session"),
        Scenario(f"story page ({len(story_paths)} stories in turn)", story_paths,
                 lambda: story_articles(store, told[0].id), PAGE_TARGET_MS, "session"),
        Scenario(f"article page ({len(article_paths)} articles in turn)", article_paths,
                 lambda: store.get_article(middle[0].id), PAGE_TARGET_MS, "session"),
        Scenario(f"search /search?q={SEARCH}", ["/search?q=" + SEARCH.replace(" ", "+")],
                 lambda: store.search(SEARCH, **page_search), SEARCH_TARGET_MS, "session"),
        # "harbour" and another word: about as many matches as SEARCH, never the same query
        # twice in a run (more queries than a run sends), so every answer is searched afresh
        Scenario("search, a new query each request",
                 [f"/search?q=harbour+{word}" for word in fresh],
                 lambda: store.search(f"harbour {next(floor_words)}", **page_search),
                 SEARCH_TARGET_MS, "session", warm=False),
        Scenario("Google Reader stream/contents n=20",
                 ["/api/greader/reader/api/0/stream/contents/user/-/state/com.google/"
                  "reading-list?n=20"],
                 lambda: store.list_articles(limit=21, originals_only=True, user_id=user.id),
                 PAGE_TARGET_MS, "greader"),
        Scenario("Google Reader unread-count",
                 ["/api/greader/reader/api/0/unread-count?output=json"],
                 lambda: store.unread_counts(user.id, originals_only=True), PAGE_TARGET_MS,
                 "greader"),
    ]  # fmt: skip
    keys = ["static", *ROWS]
    wanted = {"static", *(row.strip() for row in args.rows.split(","))}
    if not wanted <= set(keys):
        raise SystemExit(f"--rows: choose from {', '.join(keys[1:])}")
    scenarios = [s for key, s in zip(keys, scenarios, strict=True) if key in wanted]
    command = "benchmarks/web.py " + " ".join(sys.argv[1:] if argv is None else argv)
    print(f"newsdesk web benchmark: {command}", file=sys.stderr)
    rows = []
    loads = [load_average()]
    with Server(args) as server:
        auth = {
            "session": {"Cookie": sign_in(server.url)},
            "greader": {"Authorization": f"GoogleLogin auth={greader_token(server.url)}"},
        }
        user = store.find_user(USER)  # the server made the account as it started
        for scenario in scenarios:
            headers = auth[scenario.auth]
            if scenario.warm:
                warm_up(server.url, scenario.paths, headers)
                # then the same load, unmeasured, so every worker process has warm caches
                if args.warm > 0:
                    warm = args.warm + WARM_SECONDS_PER_PATH * (len(scenario.paths) - 1)
                    run_load(server.url, scenario.paths, headers, args, warm)
            print(f"  {scenario.name}: {args.duration:g} s of load (load average "
                  f"{load_average()})", file=sys.stderr, flush=True)  # fmt: skip
            cpu_before = server.cpu_seconds()
            result = run_load(server.url, scenario.paths, headers, args, args.duration)
            cpu_after = server.cpu_seconds()
            result["cpu_ms"] = (
                (cpu_after - cpu_before) * 1000 / result["requests"]
                if cpu_before is not None and cpu_after is not None and result["requests"]
                else None
            )
            base = floor(scenario.floor, min(args.duration, 3.0)) if scenario.floor else []
            rows.append((scenario, result, base))
    loads.append(load_average())
    related = floor(lambda: store.related_articles(middle[0]), min(args.duration, 3.0))
    store.close()
    report(args, client, command, rows, related, loads, cores)


def report(args: argparse.Namespace, client: str, command: str, rows: list[Any],
           related: list[float], loads: list[str], cores: int) -> None:  # fmt: skip
    static_p95 = rows[0][1]["p95"]
    print(f"\nnewsdesk web benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"reproduce: .venv/bin/python {command}")
    print(f"{args.articles} articles (SQLite at {args.data}); uvicorn with {args.workers} "
          f"worker(s) on {cores} cores; load from {client} in a second process, "
          f"{args.concurrency} connections, {args.duration:g} s per row")  # fmt: skip
    print(f"load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]}\n")
    head = (f"| {'scenario':<44} | {'req/s':>6} | {'CPU ms/req':>10} | {'p50 ms':>7} "
            f"| {'p95 ms':>7} | {'p99 ms':>7} "
            f"| {'errors':>6} | {'floor p50/p95 ms':>16} | {'p95/floor':>9} | {'p95/static':>10} "
            f"| target p95 |")  # fmt: skip
    print(head)
    print("|" + "|".join("-" * (len(cell)) for cell in head.split("|")[1:-1]) + "|")
    for scenario, result, base in rows:
        rps = result["requests"] / result["seconds"] if result["seconds"] else 0.0
        p95 = result["p95"]
        if base:
            floor_cell = f"{pct(base, 50):.1f} / {pct(base, 95):.1f}"
            ratio = f"{p95 / pct(base, 95):.1f}x"
        else:
            floor_cell, ratio = "-", "-"
        verdict = "ok" if p95 < scenario.target else "OVER"
        cpu = f"{result['cpu_ms']:10.1f}" if result.get("cpu_ms") is not None else f"{'-':>10}"
        print(f"| {scenario.name:<44} | {rps:6.0f} | {cpu} | {result['p50']:7.1f} | {p95:7.1f} | "
              f"{result['p99']:7.1f} | {result['errors']:6d} | {floor_cell:>16} | {ratio:>9} | "
              f"{p95 / static_p95:9.1f}x | < {scenario.target:.0f} {verdict:<4} |")  # fmt: skip
    print(
        f"\nCPU ms/req: the server processes' CPU time during the row over its requests. "
        f"floor: the store call behind the page, alone in this process. p95/static: the "
        f"row's p95 over the static file's, the part the page itself costs on this machine "
        f"at this load.\nrelated stories of one article, uncached (the article page keeps "
        f"them 10 min): p50 {pct(related, 50):.1f} ms, p95 {pct(related, 95):.1f} ms"
    )


if __name__ == "__main__":
    main()
