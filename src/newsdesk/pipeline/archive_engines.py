"""Where `newsdesk archive` extracts pages: a process pool on this machine (the pool polling
uses, pipeline/extracting.py), or Ray Data over a Ray cluster. Both take the reader's items in
file order and give each back in that order with its outcome (an Extracted, or the exception
extraction raised; None for an item that is no page), so matching, which runs in this process,
sees the same sequence whichever engine ran.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from newsdesk.errors import ExtractError, InputError
from newsdesk.extract import ExtractParams
from newsdesk.pipeline.extracting import Extracted, Extractor, extract_here
from newsdesk.pipeline.warc import WarcPage

Outcome = Extracted | Exception | None
WARM_PAGE = b"<html><title>Warm</title><body><article><p>Workers start.</p></article></body></html>"
IN_FLIGHT = 4  # pages queued at each local worker
RAY_CHUNK = 512  # pages handed to Ray at a time: what is held in its object store at once


class LocalEngine:
    """The extraction workers of pipeline/extracting.py, `processes` of them."""

    name = "local"

    def __init__(self, processes: int, params: ExtractParams) -> None:
        self.processes = processes
        # pages queued at each worker: it works on while this process saves and matches a group
        self.pool = Extractor(processes, params=params, in_flight=IN_FLIGHT)
        self.window = max(8, 2 * IN_FLIGHT * processes)  # pages handed out, not yet taken back
        self.pool.warm()  # the parsers loaded once, before the run (as Ray starts before it)

    def run(self, items: Iterable[Any]) -> Iterator[tuple[Any, Outcome]]:
        loop = asyncio.new_event_loop()
        try:
            waiting: deque[tuple[Any, asyncio.Task[Extracted] | None]] = deque()
            for item in items:
                task = None
                if isinstance(item, WarcPage):
                    job = self.pool.extract_page(item.content, item.url, None, item.charset)
                    task = loop.create_task(job)
                    # one turn of the loop: the page goes out now, and the answers waiting are
                    # read, so no worker idles while this process reads the next records
                    loop.run_until_complete(asyncio.sleep(0))
                waiting.append((item, task))
                while waiting and (len(waiting) > self.window or _ready(waiting[0][1])):
                    yield _settle(loop, *waiting.popleft())
            while waiting:
                yield _settle(loop, *waiting.popleft())
        finally:
            self.pool.close()
            loop.close()

    @property
    def cpu_seconds(self) -> float:
        """CPU the worker processes used."""
        return self.pool.worker_cpu_seconds

    def close(self) -> None:
        self.pool.close()


def _ready(task: asyncio.Task[Extracted] | None) -> bool:
    return task is None or task.done()


def _settle(loop: asyncio.AbstractEventLoop, item: Any, task: Any) -> tuple[Any, Outcome]:
    if task is None:
        return item, None
    try:
        return item, loop.run_until_complete(task)
    except Exception as exc:  # this page's fault only
        return item, exc


class RayEngine:
    """Ray Data: pages go out in chunks, each extracted by a Ray task wherever the cluster has
    a CPU, and come back in order. `address`: the cluster's (else RAY_ADDRESS; neither: a Ray
    started on this machine with `processes` CPUs). The cluster's workers need newsdesk
    installed, as this machine has it."""

    name = "ray"

    def __init__(self, processes: int, params: ExtractParams, address: str | None) -> None:
        try:
            import ray
        except ImportError:
            raise InputError("the Ray engine needs Ray: pip install 'newsdesk[ray]'") from None
        self.params = params
        self.processes = processes
        address = address or os.environ.get("RAY_ADDRESS") or None
        options: dict[str, Any] = {
            "ignore_reinit_error": True,
            "log_to_driver": False,
            "include_dashboard": False,
            "configure_logging": False,
        }
        if address is None:
            options["num_cpus"] = processes
        ray.init(address=address, logging_level=logging.WARNING, **options)
        self._started = True
        self._local = address is None
        self._cpu = 0.0
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.print_on_execution_start = False
        for name in ("ray", "ray.data"):  # its chatter is not the user's business
            logging.getLogger(name).setLevel(logging.ERROR)
        self._warm()

    def _warm(self) -> None:
        """A page to each worker before the run, so they have loaded the parsers (as the local
        pool's forkserver has) and the run's time is extraction's."""
        page = {"k": 0, "content": WARM_PAGE, "url": "https://example.com/warm", "charset": ""}
        self._extract([page] * self.processes, blocks=self.processes, batch=1)

    def _extract(self, rows: list[dict[str, Any]], *, blocks: int, batch: int) -> list[Any]:
        """The rows' outcomes, extracted by Ray tasks ({"k", "outcome": pickled})."""
        import ray

        data = ray.data.from_items(rows, override_num_blocks=blocks)
        return data.map_batches(
            _ray_extract,
            fn_kwargs={"params": self.params},
            batch_size=batch,
            batch_format="numpy",
            num_cpus=1,
        ).take_all()

    def run(self, items: Iterable[Any]) -> Iterator[tuple[Any, Outcome]]:
        chunk: list[Any] = []
        pages = 0
        for item in items:
            chunk.append(item)
            pages += isinstance(item, WarcPage)
            if pages >= RAY_CHUNK:
                yield from self._chunk(chunk)
                chunk, pages = [], 0
        yield from self._chunk(chunk)

    def _chunk(self, chunk: list[Any]) -> Iterator[tuple[Any, Outcome]]:
        rows = [
            {"k": k, "content": item.content, "url": item.url, "charset": item.charset or ""}
            for k, item in enumerate(chunk)
            if isinstance(item, WarcPage)
        ]
        done: dict[int, Outcome] = {}
        if rows:
            blocks = max(1, min(len(rows), 4 * self.processes))
            answers = self._extract(rows, blocks=blocks, batch=8)
            done = {int(row["k"]): pickle.loads(row["outcome"]) for row in answers}
        for k, item in enumerate(chunk):
            yield item, done.get(k)

    @property
    def cpu_seconds(self) -> float:
        """CPU the Ray this run started used (its workers and its own servers), measured when
        it stops; 0 on a cluster, whose machines are not ours to measure."""
        return self._cpu

    def close(self) -> None:
        import ray

        if self._started:
            if self._local:
                self._cpu = _descendants_cpu()
            ray.shutdown()
            self._started = False


def _descendants_cpu() -> float:
    """CPU seconds of this process's descendants still running (Linux /proc; 0 elsewhere)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0.0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    me, total = os.getpid(), 0.0
    for pid in parents:
        seen, up = set(), parents.get(pid)
        while up and up not in seen and up != me:
            seen.add(up)
            up = parents.get(up)
        if up == me:
            total += cpu[pid]
    return total


def _ray_extract(batch: dict[str, Any], params: ExtractParams) -> dict[str, Any]:
    """A Ray task: the pages of one batch extracted as the local workers do."""
    outcomes = []
    for content, url, charset in zip(batch["content"], batch["url"], batch["charset"], strict=True):
        try:
            outcome: Outcome = extract_here(bytes(content), str(url), str(charset) or None, params)
        except Exception as exc:
            outcome = exc
        try:
            outcomes.append(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
        except Exception as exc:  # an exception that cannot cross processes: said as one
            failure = ExtractError(f"{type(outcome).__name__}: {exc}", url=str(url))
            outcomes.append(pickle.dumps(failure, pickle.HIGHEST_PROTOCOL))
    return {"k": batch["k"], "outcome": outcomes}


def engine_for(
    name: str, processes: int, params: ExtractParams, address: str | None = None
) -> LocalEngine | RayEngine:
    if name == "local":
        return LocalEngine(processes, params)
    if name == "ray":
        return RayEngine(processes, params, address)
    raise InputError(f"unknown engine {name!r}: local or ray")
