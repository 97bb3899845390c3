"""Hostile feeds and hosts against one poll round run beside the web, as `newsdesk up` runs them.

Each case runs in a process of its own (so its peak memory is its own): a fresh store follows
the hostile feed and three healthy feeds (10 entries each, on another loopback server), and
one poll round runs in the same event loop as the web app under uvicorn on 127.0.0.1, while a
client process asks for /login 20 times a second (a steady pace, as readers ask). Measured
per case:

- round s: the round's wall time; CPU s: the CPU of the polling process and of its workers
  (the forkserver's children, sampled from /proc every 20 ms, killed workers included up to
  their last sample), the web's answers included, the client's and the sampler's own CPU not
  (the loopback feed servers are threads of the polling process: theirs is included); peak MB: the
  largest peak resident memory of one process (the polling process, or one worker);
- healthy: articles the healthy feeds got of the 30 they list;
- web p95 ms: of the /login requests answered during the round (how many in brackets);
- feed error: what the hostile feed's poll recorded;
- feedparser: `feedparser.parse` alone on the same feed bytes in a process of its own (CPU s,
  peak MB), for the cases that reach a parser; the fetch-level cases never give it bytes.

Cases: nested tags of 1, 6 and 20 MB (lxml refuses the depth; feedparser's loose parser takes
seconds a megabyte), an undefined entity in a flat 6 MB feed, 100,000 items on one host, a slow
host (every page 5 s), an XML bomb (billion laughs), XXE, a charset lie, a gzip bomb, an endless
body, a redirect loop, slowloris (a byte every 0.5 s), 429 with Retry-After.

    python benchmarks/hostile.py               # the sizes above: minutes (slowloris waits 60 s)
    python benchmarks/hostile.py --smoke       # 2 cases, tiny sizes, shorter timeouts: seconds

Settings: newsdesk's defaults except per-host spacing 0 s (loopback), a feed's time in one
round (`--round-seconds`, 30 s; default 300 s) and with --smoke shorter fetch timeouts.
Targets: no case over 10 s of CPU or 300 MB peak, every healthy feed complete, web p95 under
100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

MB = 1_000_000
HEALTHY_FEEDS = 3
HEALTHY_ITEMS = 10
CLIENT_INTERVAL = 0.05  # seconds between the web client's requests
PEER_MEMORY = 3 << 30  # bytes of address space feedparser alone may take
TICK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>
<rss version="2.0"><channel><title>Bomb</title><link>http://bomb.test/</link>
<item><title>&i;</title><link>http://bomb.test/a</link></item></channel></rss>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>XXE</title><link>http://xxe.test/</link>
<item><title>&secret;</title><link>http://xxe.test/a</link></item></channel></rss>
"""


def cases(args: argparse.Namespace) -> dict[str, Callable[[Any, Any], tuple[str, bytes | None]]]:
    """name -> (feed server, hostile server) -> (the hostile feed's URL, its bytes if served)."""
    from tests.sites.hostile_feeds import entity_feed, many_items_feed, nested_feed

    def served(path: str, body: bytes) -> Callable[[Any, Any], tuple[str, bytes]]:
        return lambda feeds, _: (feeds.add(path, body), body)

    def hostile(path: str) -> Callable[[Any, Any], tuple[str, None]]:
        return lambda _, server: (server.url(path), None)

    def many(feeds: Any, _: Any) -> tuple[str, bytes]:
        body = many_items_feed(args.items, feeds.base_url)
        return feeds.add("/many.xml", body), body

    def slow(feeds: Any, _: Any) -> tuple[str, bytes]:
        feeds.page_delay = args.slow_delay
        body = many_items_feed(args.slow_items, feeds.base_url)
        return feeds.add("/slow.xml", body), body

    scale = args.scale
    found: dict[str, Callable[[Any, Any], tuple[str, bytes | None]]] = {
        "none (the healthy feeds alone)": lambda feeds, _: (
            feeds.add("/empty.xml", many_items_feed(0, feeds.base_url)),
            None,
        )
    }
    found |= {
        f"nested tags, {size * scale:g} MB": served(
            f"/nested-{size}.xml", nested_feed(int(size * scale * MB))
        )
        for size in (1, 6, 20)
    }
    found |= {
        f"undefined entity, flat {6 * scale:g} MB": served(
            "/entity.xml", entity_feed(int(6 * scale * MB))
        ),
        f"{args.items:,} items, one host": many,
        f"slow host ({args.slow_delay:g} s a page)": slow,
        "XML bomb (billion laughs)": served("/bomb.xml", XML_BOMB),
        "XXE (file:///etc/passwd)": served("/xxe.xml", XXE),
        "charset lie": hostile("/wrong-charset.xml"),
        "gzip bomb (1.1 GB inflated)": hostile("/bomb.gz"),
        "endless body": hostile("/endless"),
        "redirect loop": hostile("/redirect/loop/a"),
        "slowloris (a byte every 0.5 s)": hostile("/drip?bytes=100000&interval=0.5"),
        "429 with Retry-After: 120": hostile("/status/429?retry_after=120"),
    }
    return found


# -- one case, in its own process


class Sampler:
    """CPU and peak memory of this process's descendants, read from /proc every 20 ms; the
    processes in `exclude` (the web client: it measures, it is not newsdesk) are left out."""

    def __init__(self) -> None:
        self.exclude: set[int] = set()
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds at its last sample
        self.start: dict[int, float] = {}  # pid -> CPU seconds at its first sample
        self.peak_kb: dict[int, int] = {}
        self.own_cpu = 0.0  # the sampling thread's: measuring, not newsdesk's work
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        started = time.thread_time()
        while not self._stop.wait(0.02):
            self._sample()
        self.own_cpu = time.thread_time() - started

    def _sample(self) -> None:
        parents: dict[int, int] = {}
        stats: dict[int, list[str]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                text = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = text[text.rindex(")") + 2 :].split()
            parents[int(entry)] = int(fields[1])
            stats[int(entry)] = fields
        me = os.getpid()
        for pid, fields in stats.items():
            ancestor, hops = parents.get(pid), 0
            while ancestor not in (None, 0, 1, me) and hops < 4:
                ancestor, hops = parents.get(ancestor), hops + 1  # type: ignore[arg-type]
            if ancestor != me:
                continue
            cpu = (int(fields[11]) + int(fields[12])) / TICK
            self.start.setdefault(pid, cpu)
            self.cpu[pid] = cpu
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = int(line.split()[1])
                        self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), peak)
            except OSError:
                pass

    def cpu_seconds(self) -> float:
        return sum(self.cpu[pid] - self.start[pid] for pid in self.cpu if pid not in self.exclude)


def run_case(args: argparse.Namespace) -> dict[str, Any]:
    import uvicorn
    from tests.sites.hostile import HostileServer
    from tests.sites.hostile_feeds import FeedServer, many_items_feed

    from newsdesk.config import Settings
    from newsdesk.pipeline.poll import poll_async
    from newsdesk.store import Store
    from newsdesk.web.app import create_app

    with (
        tempfile.TemporaryDirectory(prefix="newsdesk-hostile-") as folder,
        FeedServer() as feeds,
        FeedServer() as healthy_server,
        HostileServer() as hostile_server,
    ):
        timeouts = {}
        if args.smoke:
            timeouts = dict(connect_timeout=10.0, read_timeout=10.0, total_timeout=10.0)
        settings = Settings(
            data_dir=Path(folder),
            allow_private_networks=True,
            per_host_interval=0.0,
            feed_round_seconds=args.round_seconds,
            retry_after_max_wait=0.0,
            **timeouts,
        )
        store = Store.open(settings)
        url, _ = cases(args)[args.run_case](feeds, hostile_server)
        hostile_feed, _ = store.add_feed(url)
        for number in range(HEALTHY_FEEDS):
            body = many_items_feed(HEALTHY_ITEMS, f"{healthy_server.base_url}/h{number}")
            store.add_feed(healthy_server.add(f"/healthy-{number}.xml", body))
        latencies: list[float] = []
        sampler = Sampler()

        async def round_beside_the_web() -> float:
            app = create_app(settings, store=store)
            config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error")
            server = uvicorn.Server(config)
            serving = asyncio.create_task(server.serve())
            while not server.started:
                await asyncio.sleep(0.01)
            port = server.servers[0].sockets[0].getsockname()[1]
            # the reader in a process of its own, so that it takes no turns at our GIL
            command = [sys.executable, __file__, "--run-client", f"http://127.0.0.1:{port}/login"]
            client = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            sampler.exclude.add(client.pid)
            assert client.stdin is not None and client.stdout is not None
            await asyncio.to_thread(client.stdout.readline)  # it has asked once
            started = time.perf_counter()
            try:
                await poll_async(store, settings)
                return time.perf_counter() - started
            finally:
                client.stdin.close()
                answer = await asyncio.to_thread(client.stdout.read)
                client.wait()
                latencies.extend(json.loads(answer))
                server.should_exit = True
                await serving

        before = resource.getrusage(resource.RUSAGE_SELF)
        with sampler:
            seconds = asyncio.run(round_beside_the_web())
        after = resource.getrusage(resource.RUSAGE_SELF)
        own_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        own_cpu -= sampler.cpu.get(os.getpid(), 0) - sampler.start.get(os.getpid(), 0)
        own_cpu -= sampler.own_cpu  # reading /proc 50 times a second: about 0.08 CPU-s a second
        healthy = sum(
            1
            for article in store.list_articles(limit=10_000)
            if article.article.url.startswith(healthy_server.base_url)
        )
        error = store.get_feed(hostile_feed.id).last_error or ""
        store.close()
    workers = {
        pid: kb
        for pid, kb in sampler.peak_kb.items()
        if pid != os.getpid() and pid not in sampler.exclude
    }
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else float("nan")
    return {
        "seconds": seconds,
        "cpu": own_cpu + sampler.cpu_seconds(),
        "main_mb": after.ru_maxrss / 1024,
        "worker_mb": max(workers.values(), default=0) / 1024,
        "healthy": healthy,
        "p95_ms": p95 * 1000,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "requests": len(latencies),
        "error": error.replace(url, "").replace("()", "").strip(" :"),
    }


def run_client(url: str) -> None:
    """Ask for `url` every CLIENT_INTERVAL seconds (at once when an answer came later) until
    stdin closes; print the latencies (one JSON list). A steady pace, not back to back: a
    client that asks as fast as it is answered measures throughput, and its own requests
    would make most of a long round's CPU (a 60 s slowloris round answered 4,700 of them)."""
    import select

    import httpx

    latencies: list[float] = []
    with httpx.Client(timeout=300) as client:
        client.get(url).raise_for_status()
        print("ready", flush=True)
        due = time.perf_counter()
        while not select.select([sys.stdin], [], [], max(0.0, due - time.perf_counter()))[0]:
            started = time.perf_counter()
            client.get(url).raise_for_status()
            latencies.append(time.perf_counter() - started)
            due = started + CLIENT_INTERVAL
    print(json.dumps(latencies))


def run_peer(path: Path) -> dict[str, Any]:
    import feedparser

    # beyond this it is stopped like a run out of time (feedparser took 1.3 GB on 6 MB of tags)
    resource.setrlimit(resource.RLIMIT_AS, (PEER_MEMORY, PEER_MEMORY))
    body = path.read_bytes()
    started = time.process_time()
    result = feedparser.parse(body, sanitize_html=False)
    cpu = time.process_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cpu": cpu, "mb": peak, "entries": len(result.entries)}


# -- the table


def in_process(flag: str, value: str, args: argparse.Namespace, timeout: float) -> Any:
    """Run this script with `flag value` (and the run's sizes) in a new process; its answer,
    None when it ran out of time (or, for feedparser, of memory)."""
    command = [sys.executable, __file__, flag, value, *sizes(args)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0 and flag == "--run-peer" and "MemoryError" in done.stderr:
        return None
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sizes(args: argparse.Namespace) -> list[str]:
    given = ["--scale", str(args.scale), "--items", str(args.items)]
    given += ["--slow-items", str(args.slow_items), "--slow-delay", str(args.slow_delay)]
    given += ["--round-seconds", str(args.round_seconds)]
    return given + (["--smoke"] if args.smoke else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="times the feed sizes in MB")
    parser.add_argument("--items", type=int, default=100_000, help="items of the large feed")
    parser.add_argument("--slow-items", type=int, default=100, help="entries on the slow host")
    parser.add_argument("--slow-delay", type=float, default=5.0, help="seconds a slow page")
    parser.add_argument("--round-seconds", type=float, default=30.0, help="a feed's round time")
    parser.add_argument("--cases", help="comma-separated case names (prefixes) to run")
    parser.add_argument("--peer-timeout", type=float, default=300.0, help="feedparser's limit")
    parser.add_argument("--run-case", help=argparse.SUPPRESS)
    parser.add_argument("--run-peer", help=argparse.SUPPRESS)
    parser.add_argument("--run-client", help=argparse.SUPPRESS)
    args = harness.parse_args(
        parser,
        argv,
        "--scale 0.02 --items 2000 --slow-items 4 --slow-delay 1 --round-seconds 30 "
        "--peer-timeout 30 --cases undefined,gzip",
    )
    if args.run_case:
        print(json.dumps(run_case(args)))
        return 0
    if args.run_client:
        run_client(args.run_client)
        return 0
    if args.run_peer:
        print(json.dumps(run_peer(Path(args.run_peer))))
        return 0
    chosen = [
        name
        for name in cases(args)
        if not args.cases or any(name.startswith(p.strip()) for p in args.cases.split(","))
    ]
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-hostile-") as folder:
        for name in chosen:
            result = in_process("--run-case", name, args, timeout=1800)
            peer = None
            body = feed_bytes(name, args)
            if body is not None:
                path = Path(folder) / "feed.xml"
                path.write_bytes(body)
                peer = in_process("--run-peer", str(path), args, args.peer_timeout) or {}
            rows.append((name, result, peer))
            print(f"  {name}: {result['seconds']:.1f} s", file=sys.stderr)
    print_table(rows, args)
    print(f"\nreproduce: {harness.reproduce(__file__, argv)}")
    return 0


def feed_bytes(name: str, args: argparse.Namespace) -> bytes | None:
    """The bytes the case serves as its feed, when it reaches a parser."""
    from tests.sites.hostile_feeds import FeedServer

    with FeedServer() as feeds:
        url, body = cases(args)[name](feeds, None) if not is_fetch_case(name) else ("", None)
    del url
    return body


def is_fetch_case(name: str) -> bool:
    fetch_level = ("charset", "gzip", "endless", "redirect", "slowloris", "429")
    return name.startswith(fetch_level)


def print_table(rows: list[tuple[str, dict[str, Any], dict[str, Any] | None]], args: Any) -> None:
    total = HEALTHY_FEEDS * HEALTHY_ITEMS
    print(
        f"One poll round beside the web per case; {HEALTHY_FEEDS} healthy feeds of "
        f"{HEALTHY_ITEMS} entries in the same round; a feed's round time {args.round_seconds:g} s\n"
    )
    print(
        "| case | round s | CPU s | peak MB (main, worker) | healthy | web p95 ms (requests) "
        "| feed error | feedparser CPU s | feedparser MB | CPU vs feedparser |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    worst_cpu = worst_mb = worst_p95 = 0.0
    complete = True
    for name, result, peer in rows:
        peak = max(result["main_mb"], result["worker_mb"])
        worst_cpu, worst_mb = max(worst_cpu, result["cpu"]), max(worst_mb, peak)
        worst_p95 = max(worst_p95, result["p95_ms"])
        complete = complete and result["healthy"] == total
        if peer is None:
            peer_cells = ["n/a (never gets the bytes)", "", ""]
        elif not peer:
            stopped = f"> {args.peer_timeout:g} s or > {PEER_MEMORY >> 30} GB (stopped)"
            peer_cells = [stopped, "", ""]
        else:
            ratio = result["cpu"] / peer["cpu"] if peer["cpu"] > 0 else float("nan")
            peer_cells = [f"{peer['cpu']:.2f}", f"{peer['mb']:.0f}", f"{ratio:.2f}x"]
        error = result["error"][:70] or "none"
        print(
            f"| {name} | {result['seconds']:.1f} | {result['cpu']:.2f} | "
            f"{peak:.0f} ({result['main_mb']:.0f}, {result['worker_mb']:.0f}) | "
            f"{result['healthy']}/{total} | {result['p95_ms']:.1f} ({result['requests']}) | "
            f"{error} | {' | '.join(peer_cells)} |"
        )
    print(
        f"\nworst: CPU {worst_cpu:.2f} s (target 10), peak {worst_mb:.0f} MB (target 300), "
        f"web p95 {worst_p95:.1f} ms (target 100), healthy feeds complete: "
        f"{'all' if complete else 'NOT all'}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
