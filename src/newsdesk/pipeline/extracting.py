"""Extraction and feed parsing off the event loop: pure CPU work, so it runs in worker processes.

Each worker is a process started from the forkserver (parsers and language model preloaded by
`newsdesk.pipeline.warm`) holding one end of a socket pair. The event loop watches the other end
itself: a page goes out as one length-prefixed pickle, its article comes back as one, and no
thread sits in between. A worker returns more than the article: what matching derives from
it (newsdesk.match.traits) and, when the page came with its site's recurring blocks, the page's
own blocks for the site memory (newsdesk.pipeline.site_memory). A worker that dies costs only
the page it was extracting; the pages queued behind it go to the worker started in its place.

The same workers parse feeds (`Extractor.parse_feed`), with a deadline (CPU seconds the worker
spends on the feed; WALL_SLACK times that in wall time at most): a worker still on one feed
when it passes is killed and replaced, and the feed fails with one line saying so, so no
document, however hostile to the parsers, holds the poll or the event loop. Feeds are parsed in
a worker even when pages are extracted in-process (`processes` 0): then one worker parses.

Every worker is bounded: its data (heap) may not grow past `memory_mb` (RLIMIT_DATA), so a page
or feed that would take more fails alone, with one line saying so, and its worker is replaced;
and it dies with the process that started it (PR_SET_PDEATHSIG on its parent, the forkserver,
which itself exits when the pool's process does), never outliving a killed poller.
"""

from __future__ import annotations

import asyncio
import ctypes
import itertools
import logging
import multiprocessing
import os
import pickle
import resource
import signal
import socket
import struct
import sys
import time
import traceback
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any, NamedTuple

from newsdesk.errors import ExtractError, FeedError, NewsdeskError
from newsdesk.extract import ExtractParams, PageBlocks, article_of
from newsdesk.feeds.sitemaps import Sitemap, parse_sitemap
from newsdesk.match.traits import MatchTraits, article_traits
from newsdesk.model import Article, Entry
from newsdesk.pipeline.feed_window import FeedReading, read_entries

log = logging.getLogger(__name__)

_HEADER = struct.Struct("!Q")  # the byte length of the pickle that follows
_READ_SIZE = 1 << 16
_BUFFERS_PER_SEND = 16
# Pages sent to a worker ahead of its answers: the next page is already waiting when it finishes
# one, however late the busy event loop reads the answer.
IN_FLIGHT = 2
# The data a worker may hold, by default: a few times what the largest pages and feeds a fetch
# lets through take to parse (20 MB of XML: about 150 MB of tree), well under what a host has.
WORKER_MEMORY_MB = 1024
_PR_SET_PDEATHSIG = 1
# A task's deadline counts its worker's CPU; on a machine too busy to give the worker turns, the
# task still fails after this many times the deadline in wall time.
WALL_SLACK = 6.0
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a worker makes of a page: its article, what matching derives from that, and the
    page's block fingerprints (None unless the page was sent with its site's known blocks)."""

    article: Article
    traits: MatchTraits
    blocks: list[str] | None = None


def extracted(article: Article) -> Extracted:
    """An article made in this process (the feed's teaser), with its traits."""
    return Extracted(article, article_traits(article))


# the job ("extract", "parse_feed" or "parse_sitemap"), then its arguments: for "extract" the
# content (None: the page could not be had), URL, feed entry, charset and the site's recurring
# blocks; for "parse_feed" those of newsdesk.pipeline.feed_window.read_entries, for
# "parse_sitemap" those of newsdesk.feeds.sitemaps.parse_sitemap
_Request = tuple[Any, ...]


class _Done(NamedTuple):
    result: Extracted | FeedReading | Sitemap | None
    error: BaseException | None  # what the job raised instead
    cpu: float  # CPU the extraction itself took
    process_cpu: float  # CPU the worker process has used so far, all of it
    peak_kb: int  # the worker's peak resident memory


@dataclass(slots=True)
class _Task:
    request: _Request  # pickled only when sent
    url: str
    future: asyncio.Future[tuple[Any, float]]  # the result and the CPU it took
    failure: type[NewsdeskError]  # what the task fails with when its worker dies
    deadline: float | None = None  # CPU seconds its worker may spend on it before it is killed
    overrun: str = ""  # the failure's message then
    started_cpu: float | None = None  # its worker's CPU seconds when it started on it
    started_at: float = 0.0  # and the loop's time then


class _Worker:
    """One extraction process and this process's end of its socket."""

    def __init__(self, context: Any, number: int, params: ExtractParams, memory_mb: int) -> None:
        self.number = number
        ours, theirs = socket.socketpair()
        try:
            self.process: BaseProcess = context.Process(
                target=_serve,
                args=(theirs, params, memory_mb),
                name="newsdesk-extract",
                daemon=True,
            )
            self.process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()  # the worker holds its own copy; ours must go for EOF to reach it
        ours.setblocking(False)
        self.sock = ours
        self.pid: int = self.process.pid  # type: ignore[assignment]
        self.tasks: deque[_Task] = deque()  # sent, not answered yet, oldest first
        self.inbox = bytearray()
        self.outbox: deque[bytes | memoryview] = deque()  # what the socket did not take yet
        self.writing = False
        self.timer: asyncio.TimerHandle | None = None  # the deadline of the task it is on
        self.ready = False  # it said it has started: deadlines do not count its start-up

    def arm(self, loop: asyncio.AbstractEventLoop, overran: Any) -> None:
        """Start the deadline of the task the worker is now on (tasks are answered in order)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.ready and self.tasks and self.tasks[0].deadline is not None:
            task = self.tasks[0]
            task.started_cpu, task.started_at = _process_cpu(self.pid), loop.time()
            self.timer = loop.call_later(task.deadline, overran, self, task)

    def stop(self) -> None:
        """End the process (it holds nothing worth waiting for) and free its fds."""
        if self.timer is not None:
            self.timer.cancel()
        self.sock.close()
        self.process.terminate()
        self.process.join(5)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.process.close()


class Extractor:
    """Runs `newsdesk.extract.article_of` in worker processes (or a thread when `processes` is
    0: feeds are still parsed in one worker), with `params` (each worker gets them once, when
    it starts). `memory_mb`: the data one worker may hold."""

    def __init__(
        self,
        processes: int,
        *,
        in_flight: int = IN_FLIGHT,
        params: ExtractParams | None = None,
        memory_mb: int = WORKER_MEMORY_MB,
    ) -> None:
        self.processes = processes
        self.params = params or ExtractParams()
        self.in_flight = max(1, in_flight)
        self.memory_mb = max(1, memory_mb)
        self.cpu_seconds = 0.0  # CPU the extraction itself took (not feed parsing), over workers
        # worker number -> (process CPU, peak KB) at its last answer; by number, not pid, so a
        # replacement that gets a dead worker's pid does not take over its figures
        self._figures: dict[int, tuple[float, int]] = {}
        self._numbers = itertools.count()
        self._workers: list[_Worker] = []
        self._queue: deque[_Task] = deque()  # waiting for a worker
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop watching the sockets
        self._thread: ThreadPoolExecutor | None = None
        self._closed = False
        self._warm = False  # the forkserver has loaded the parsers

    @property
    def worker_cpu_seconds(self) -> float:
        """All CPU the worker processes used up to their last page, extraction and the work
        around it (receiving pages, sending articles), replaced workers included. Equals
        cpu_seconds with no processes."""
        if self.processes <= 0:
            return self.cpu_seconds
        return sum(cpu for cpu, _ in self._figures.values())

    @property
    def worker_peak_mb(self) -> float:
        """The largest peak resident memory of one worker process (the feed parser's alone
        with no extraction processes; 0 before any worker answered)."""
        return max((peak for _, peak in self._figures.values()), default=0) / 1024

    @property
    def _most_workers(self) -> int:
        return max(1, self.processes)  # feeds are parsed in a worker even with none

    @property
    def worker_pids(self) -> list[int]:
        """The process ids of the running workers."""
        return [worker.pid for worker in self._workers]

    async def extract(
        self, content: bytes, url: str, entry: Entry | None, charset: str | None
    ) -> Article:
        """The page's article (the entry's when nothing can be made of the page)."""
        return (await self.extract_page(content, url, entry, charset)).article

    async def extract_page(
        self,
        content: bytes | None,
        url: str,
        entry: Entry | None,
        charset: str | None,
        known_blocks: dict[str, int] | None = None,
    ) -> Extracted:
        """The article of a page (None: it could not be had) or else of its feed entry, with
        its traits. `known_blocks`: the blocks the page's site is known to repeat, with the
        pages each was seen on, to drop;
        the page's own blocks then come back in `blocks`."""
        request = ("extract", content, url, entry, charset, known_blocks)
        extracted, _ = await self._submit(request, url, ExtractError)
        return extracted  # type: ignore[no-any-return]

    async def parse_feed(
        self,
        content: bytes,
        url: str,
        content_type: str | None,
        charset: str | None,
        deadline: float | None = None,
        limit: int = 1 << 62,
        positions: list[int] | None = None,
    ) -> tuple[FeedReading, float]:
        """newsdesk.pipeline.feed_window.read_entries in a worker (with or without extraction
        processes), and the CPU seconds it took: the feed whole when it has at most `limit`
        entries, else its entries' keys; with `positions`, the entries at those positions.
        Raises FeedError, also when the worker has spent `deadline` seconds of CPU on it (or
        WALL_SLACK times that in wall time), or would hold more than `memory_mb` (it is
        replaced: what a document costs the parsers has no other bound)."""
        request = ("parse_feed", content, url, content_type, charset, limit, positions)
        overrun = f"feed took more than {deadline:g} s to parse" if deadline else ""
        return await self._submit(request, url, FeedError, deadline, overrun)  # type: ignore[return-value]

    async def parse_sitemap(
        self,
        content: bytes,
        url: str,
        *,
        max_urls: int,
        max_bytes: int,
        deadline: float | None = None,
    ) -> tuple[Sitemap, float]:
        """newsdesk.feeds.sitemaps.parse_sitemap in a worker, under a deadline as a feed is."""
        request = ("parse_sitemap", content, url, max_urls, max_bytes)
        overrun = f"sitemap took more than {deadline:g} s to parse" if deadline else ""
        return await self._submit(request, url, FeedError, deadline, overrun)  # type: ignore[return-value]

    async def _submit(
        self,
        request: _Request,
        url: str,
        failure: type[NewsdeskError],
        deadline: float | None = None,
        overrun: str = "",
    ) -> tuple[Any, float]:
        """Run the job in a worker (in the thread without processes): its result and the CPU
        seconds it took."""
        if self._closed:
            raise failure("the extraction pool is closed", url=url)
        loop = asyncio.get_running_loop()
        if self.processes <= 0 and request[0] == "extract":
            if self._thread is None:
                self._thread = ThreadPoolExecutor(1, thread_name_prefix="extract")
            done = await loop.run_in_executor(self._thread, _run, request, self.params)
            self.cpu_seconds += done.cpu
            return done.result, done.cpu
        if loop is not self._loop:
            self._watch_from(loop)
        task = _Task(request, url, loop.create_future(), failure, deadline, overrun)
        self._queue.append(task)
        self._dispatch()
        return await task.future  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the workers; pages still waiting or being extracted fail with ExtractError."""
        self._closed = True
        for worker in self._workers:
            self._unwatch(worker)
            for task in worker.tasks:
                _fail(task, "the extraction pool closed before the page was extracted")
        for task in self._queue:
            _fail(task, "the extraction pool closed before the page was extracted")
        self._queue.clear()
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None

    # -- the main process's side: sending pages, reading articles, replacing dead workers

    def _dispatch(self) -> None:
        """Hand queued pages to workers with room, starting workers up to `processes`."""
        while self._queue:
            head = self._queue[0].future
            if head.done() or head.get_loop().is_closed():  # cancelled, or its loop is gone
                self._queue.popleft()
                continue
            worker = min(self._workers, key=lambda w: len(w.tasks), default=None)
            if worker is None or (worker.tasks and len(self._workers) < self._most_workers):
                worker = self._start_worker()
                if worker is None:
                    return
            if len(worker.tasks) >= self.in_flight:
                return
            task = self._queue.popleft()
            request = pickle.dumps(task.request, pickle.HIGHEST_PROTOCOL)
            worker.tasks.append(task)
            if len(worker.tasks) == 1 and self._loop is not None:
                worker.arm(self._loop, self._overran)
            worker.outbox.extend((_HEADER.pack(len(request)), memoryview(request)))
            self._write(worker)

    def warm(self) -> None:
        """Start the forkserver and let it load the parsers, which takes seconds: called from a
        thread (`await asyncio.to_thread(pool.warm)`), the event loop never waits on it, and
        workers then start in milliseconds. Does nothing the second time."""
        if self._warm:
            return
        try:
            process = _context().Process(target=int, name="newsdesk-warm", daemon=True)
            process.start()  # answered once the forkserver has loaded the parsers
            process.join()
            process.close()
        except Exception as exc:  # workers started later say what is wrong
            log.warning("could not start the forkserver: %s", exc)
        self._warm = True

    def _start_worker(self) -> _Worker | None:
        try:
            worker = _Worker(_context(), next(self._numbers), self.params, self.memory_mb)
        except Exception as exc:
            if self._workers:  # the running workers take the pages
                log.warning("could not start an extraction worker: %s", exc)
                return min(self._workers, key=lambda w: len(w.tasks))
            while self._queue:
                task = self._queue.popleft()
                _fail(task, f"could not start an extraction worker: {exc}")
            return None
        self._workers.append(worker)
        self._watch(worker)
        return worker

    def _watch_from(self, loop: asyncio.AbstractEventLoop) -> None:
        """Move the workers' sockets to `loop` (a pool outlives one asyncio.run)."""
        for worker in self._workers:
            self._unwatch(worker)
        self._loop = loop
        for worker in self._workers:
            self._watch(worker)
            if worker.outbox:
                self._write(worker)

    def _watch(self, worker: _Worker) -> None:
        assert self._loop is not None
        self._loop.add_reader(worker.sock.fileno(), self._read, worker)
        self._loop.add_reader(worker.process.sentinel, self._exited, worker)

    def _unwatch(self, worker: _Worker) -> None:
        writing, worker.writing = worker.writing, False
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.remove_reader(worker.sock.fileno())
        loop.remove_reader(worker.process.sentinel)
        if writing:
            loop.remove_writer(worker.sock.fileno())

    def _write(self, worker: _Worker) -> None:
        outbox = worker.outbox
        while outbox:
            try:
                sent = worker.sock.sendmsg(itertools.islice(outbox, _BUFFERS_PER_SEND))
            except (BlockingIOError, InterruptedError):
                break
            except OSError:  # the worker is gone: its sentinel tells how, and its tasks fail
                outbox.clear()
                break
            while outbox and sent >= len(outbox[0]):
                sent -= len(outbox.popleft())
            if sent:
                outbox[0] = outbox[0][sent:]
        if bool(outbox) != worker.writing and self._loop is not None:
            if outbox:
                self._loop.add_writer(worker.sock.fileno(), self._write, worker)
            else:
                self._loop.remove_writer(worker.sock.fileno())
            worker.writing = bool(outbox)

    def _read(self, worker: _Worker) -> None:
        if self._receive(worker) is False:  # EOF: the worker is gone; its sentinel says how
            assert self._loop is not None
            self._loop.remove_reader(worker.sock.fileno())
        self._dispatch()

    def _receive(self, worker: _Worker) -> bool | None:
        """Read what the socket holds and settle each whole answer: True after reading, None
        when there was nothing to read, False at end of stream."""
        try:
            data = worker.sock.recv(_READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            return False
        if not data:
            return False
        inbox = worker.inbox
        inbox += data
        while len(inbox) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(inbox)
            end = _HEADER.size + size
            if len(inbox) < end:
                break
            answer = inbox[_HEADER.size : end]
            del inbox[:end]
            if not size:  # the worker has started
                worker.ready = True
                if self._loop is not None:
                    worker.arm(self._loop, self._overran)
                continue
            task = worker.tasks.popleft()
            if self._loop is not None:
                worker.arm(self._loop, self._overran)
            try:
                done = _Done(*pickle.loads(answer))
            except Exception as exc:  # never leave a page waiting on an answer we cannot read
                _fail(task, f"unreadable answer from extraction worker {worker.pid}: {exc}")
                continue
            self._settle(worker, task, done)
        return True

    def _settle(self, worker: _Worker, task: _Task, done: _Done) -> None:
        if task.request[0] == "extract":
            self.cpu_seconds += done.cpu
        self._figures[worker.number] = (done.process_cpu, done.peak_kb)
        future = task.future
        if future.done() or future.get_loop().is_closed():
            return  # cancelled, or its loop is gone: nobody waits for it
        if done.error is not None:
            future.set_exception(done.error)
        else:
            future.set_result((done.result, done.cpu))

    def _exited(self, worker: _Worker) -> None:
        """A worker died (signal, OOM kill, crash in a C parser): fail the page it was on and
        give the pages it had not started to the others."""
        self._unwatch(worker)
        while worker.tasks and self._receive(worker):  # answers it sent before it died
            pass
        worker.process.join(1)
        if worker.process.exitcode == _OUT_OF_MEMORY:  # it answered why, and started nothing
            self._retire(worker, "extraction worker ran out of memory", blame=False)
            return
        how = _exit_status(worker.process.exitcode)
        self._retire(worker, f"extraction worker {how}")

    def _overran(self, worker: _Worker, task: _Task) -> None:
        """The worker is still on `task` past its deadline: kill it, fail the task, and give
        the tasks it had not started to the others. The deadline is the worker's CPU time on
        the task, so a busy machine does not fail a feed its worker had no turn to parse; past
        WALL_SLACK times the deadline in wall time the task fails all the same."""
        worker.timer = None
        if worker not in self._workers or not worker.tasks or worker.tasks[0] is not task:
            return  # answered (or died) meanwhile
        assert task.deadline is not None and self._loop is not None
        now_cpu = _process_cpu(worker.pid)
        waited = self._loop.time() - task.started_at
        if now_cpu is not None and task.started_cpu is not None:
            left = task.deadline - (now_cpu - task.started_cpu)
            if left > 0 and waited < task.deadline * WALL_SLACK:
                worker.timer = self._loop.call_later(max(left, 0.05), self._overran, worker, task)
                return
        self._unwatch(worker)
        worker.process.kill()
        worker.process.join(5)
        self._retire(worker, task.overrun)

    def _retire(self, worker: _Worker, why: str, blame: bool = True) -> None:
        """Replace the worker; the task it was on fails with `why` (unless not `blame`: it
        was on none), the tasks it had not started go to the others."""
        self._workers.remove(worker)
        if worker.tasks and blame:
            culprit = worker.tasks.popleft()
            log.warning("worker %d: %s (on %s)", worker.pid, why, culprit.url)
            _fail(culprit, why)
        else:
            log.warning("worker %d: %s", worker.pid, why)
        self._queue.extendleft(reversed(worker.tasks))
        worker.tasks.clear()
        worker.stop()
        self._dispatch()  # a new worker starts when tasks wait


def _context() -> Any:
    # forkserver: workers start from a clean process, not from one running threads.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["newsdesk.pipeline.warm"])
    return context


def _process_cpu(pid: int) -> float | None:
    """The CPU seconds (user and system) process `pid` has used; None where /proc cannot say
    (the deadline is then wall time)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return None


def _fail(task: _Task, message: str) -> None:
    future = task.future
    if not future.done() and not future.get_loop().is_closed():
        future.set_exception(task.failure(message, url=task.url))


def _exit_status(code: int | None) -> str:
    if code is None:
        return "stopped answering"
    if code < 0:
        try:
            return f"exited with signal {signal.Signals(-code).name}"
        except ValueError:
            return f"exited with signal {-code}"
    return f"exited with code {code}"


# -- the worker's side


def _extract(
    content: bytes | None,
    url: str,
    entry: Entry | None,
    charset: str | None,
    known_blocks: dict[str, int] | None,
    params: ExtractParams,
) -> Extracted:
    memory = PageBlocks(known_blocks) if known_blocks is not None else None
    article = article_of(
        content, url, entry=entry, charset=charset, site_memory=memory, params=params
    )
    blocks = memory.seen if memory is not None else None
    return Extracted(article, article_traits(article), blocks)


def extract_here(content: bytes, url: str, charset: str | None, params: ExtractParams) -> Extracted:
    """A page extracted in this process as a worker would (Ray's tasks call it)."""
    return _extract(content, url, None, charset, None, params)


def _parse_feed(
    content: bytes,
    url: str,
    content_type: str | None,
    charset: str | None,
    limit: int,
    positions: list[int] | None,
    _: ExtractParams,
) -> FeedReading:
    return read_entries(content, url, content_type, charset, limit, positions)


def _parse_sitemap(
    content: bytes, url: str, max_urls: int, max_bytes: int, _: ExtractParams
) -> Sitemap:
    return parse_sitemap(content, url, max_urls=max_urls, max_bytes=max_bytes)


_JOBS: dict[str, Any] = {
    "extract": _extract,
    "parse_feed": _parse_feed,
    "parse_sitemap": _parse_sitemap,
}


def _run(request: _Request, params: ExtractParams) -> _Done:
    """The job's result with the CPU it took (raises what the job raises)."""
    job, *args = request
    started = time.thread_time()
    result = _JOBS[job](*args, params)
    cpu = time.thread_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _Done(result, None, cpu, time.process_time(), peak)


_OUT_OF_MEMORY = 3  # a worker's exit code after a job ran out of its memory (and said so)


def _serve(sock: socket.socket, params: ExtractParams, memory_mb: int) -> None:
    """A worker's life: a page in, its article (or the error) out, until the socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _die_with_parent()
    _limit_memory(memory_mb)
    with sock:
        sock.sendall(_HEADER.pack(0))  # started: an empty frame, as no answer is
        while (frame := _receive_frame(sock)) is not None:
            request = pickle.loads(frame)
            del frame  # a long feed is not held twice while it is parsed
            done, exhausted = _answer(request, params, memory_mb)
            del request
            answer = pickle.dumps(tuple(done), pickle.HIGHEST_PROTOCOL)  # a plain tuple
            try:
                sock.sendall(_HEADER.pack(len(answer)) + answer)
            except OSError:  # the main process closed the pool
                return
            if exhausted:  # what ran out may have left the heap half-built: a fresh worker
                os._exit(_OUT_OF_MEMORY)


def _die_with_parent() -> None:
    """SIGKILL when the parent (the forkserver) exits: it does when the pool's process dies,
    so a worker never outlives a killed poller, whatever it is parsing."""
    if sys.platform != "linux":
        return
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _limit_memory(megabytes: int) -> None:
    """The worker's data segment (heap and anonymous maps) capped: past it, allocations fail
    (MemoryError in Python) instead of the host running out."""
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _answer(request: _Request, params: ExtractParams, memory_mb: int) -> tuple[_Done, bool]:
    """The job's answer, and whether it ran out of memory (the worker then makes way)."""
    started = time.thread_time()
    failure = ExtractError if request[0] == "extract" else FeedError
    exhausted = False
    try:
        return _run(request, params), False
    except MemoryError:
        exhausted = True
        what = {"extract": "page", "parse_sitemap": "sitemap"}.get(request[0], "feed")
        message = f"{what} needs more memory than a worker may hold ({memory_mb} MB)"
        error: Exception = failure(message, url=request[2])
    except Exception as exc:
        error = _portable(exc, request[2], failure)
    cpu = time.thread_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _Done(None, error, cpu, time.process_time(), peak), exhausted


def _portable(exc: Exception, url: str, failure: type[NewsdeskError]) -> Exception:
    """`exc` as the main process can receive it: one of ours as it is, any other fault with
    the worker's traceback as a note (the traceback itself does not cross processes)."""
    if not isinstance(exc, NewsdeskError):
        exc.add_note("".join(traceback.format_exception(exc)).rstrip())
    try:
        pickle.loads(pickle.dumps(exc, pickle.HIGHEST_PROTOCOL))
    except Exception:
        return failure(f"{type(exc).__name__}: {exc}", url=url)
    return exc


def _receive_frame(sock: socket.socket) -> bytearray | None:
    header = _receive_exactly(sock, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    return _receive_exactly(sock, size)


def _receive_exactly(sock: socket.socket, size: int) -> bytearray | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        count = sock.recv_into(view[got:])
        if count == 0:
            return None  # end of stream: the pool is closing
        got += count
    return buffer
