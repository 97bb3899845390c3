"""Extraction off the event loop: pure CPU work, so it runs in worker processes."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from newsdesk.extract import extract_article
from newsdesk.model import Article, Entry


class Extractor:
    """Runs `extract_article` in a process pool (or a thread when `processes` is 0)."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.cpu_seconds = 0.0  # CPU the extraction itself took, summed over workers
        self._executor: Executor | None = None

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
        article, cpu = await loop.run_in_executor(
            self._pool(), _extract, content, url, entry, charset
        )
        self.cpu_seconds += cpu
        return article

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _extract(
    content: bytes, url: str, entry: Entry | None, charset: str | None
) -> tuple[Article, float]:
    started = time.thread_time()
    article = extract_article(content, url, entry=entry, charset=charset)
    return article, time.thread_time() - started
