"""Extraction off the event loop: pure CPU work, so it runs in worker processes."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from newsdesk.extract import extract_article
from newsdesk.model import Article, Entry


@dataclass(frozen=True, slots=True)
class _Done:
    article: Article
    cpu: float  # CPU extract_article took
    pid: int
    process_cpu: float  # CPU the worker process has used so far, all of it
    peak_kb: int  # the worker's peak resident memory


class Extractor:
    """Runs `extract_article` in a process pool (or a thread when `processes` is 0)."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.cpu_seconds = 0.0  # CPU the extraction itself took, summed over workers
        self._workers: dict[int, tuple[float, int]] = {}  # pid -> (process CPU, peak KB)
        self._executor: Executor | None = None

    @property
    def worker_cpu_seconds(self) -> float:
        """All CPU the worker processes used up to their last page, extraction and the work
        around it (receiving pages, sending articles). Equals cpu_seconds with no processes."""
        if self.processes <= 0:
            return self.cpu_seconds
        return sum(cpu for cpu, _ in self._workers.values())

    @property
    def worker_peak_mb(self) -> float:
        """The largest peak resident memory of one worker process (0 with no processes)."""
        if self.processes <= 0:
            return 0.0
        return max((peak for _, peak in self._workers.values()), default=0) / 1024

    def _pool(self) -> Executor:
        if self._executor is None:
            if self.processes > 0:
                # forkserver: workers start from a clean process, not from one running threads.
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["newsdesk.pipeline.warm"])
                self._executor = ProcessPoolExecutor(self.processes, mp_context=context)
            else:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="extract")
        return self._executor

    async def extract(
        self, content: bytes, url: str, entry: Entry | None, charset: str | None
    ) -> Article:
        loop = asyncio.get_running_loop()
        done = await loop.run_in_executor(self._pool(), _extract, content, url, entry, charset)
        self.cpu_seconds += done.cpu
        self._workers[done.pid] = (done.process_cpu, done.peak_kb)
        return done.article

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _extract(content: bytes, url: str, entry: Entry | None, charset: str | None) -> _Done:
    started = time.thread_time()
    article = extract_article(content, url, entry=entry, charset=charset)
    cpu = time.thread_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _Done(article, cpu, os.getpid(), time.process_time(), peak)
