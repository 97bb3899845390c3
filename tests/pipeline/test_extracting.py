"""The extraction pool: articles from worker processes, and what they cost in CPU and memory."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from newsdesk.errors import ExtractError
from newsdesk.extract import ExtractParams
from newsdesk.model import Article
from newsdesk.pipeline.extracting import Extractor
from tests.extract.pagekit import LOREM
from tests.sites.hostile_feeds import many_items_feed

PAGE = (
    "<html><head><title>Harbour works | Gazette</title></head><body><nav>Home News</nav>"
    "<article><h1>Harbour works resume</h1>"
    + "<p>Crews are replacing the old sea wall of the harbour section by section this week.</p>" * 6
    + "</article></body></html>"
).encode()


def extract_twice(extractor: Extractor) -> list[str]:
    async def run() -> list[str]:
        pages = [extractor.extract(PAGE, f"http://127.0.0.2/a{i}", None, "utf-8") for i in (1, 2)]
        return [article.text for article in await asyncio.gather(*pages)]

    try:
        return asyncio.run(run())
    finally:
        extractor.close()


@pytest.mark.parametrize("processes", [0, 1])
def test_workers_report_extraction_cpu_and_their_own(processes: int) -> None:
    extractor = Extractor(processes)
    texts = extract_twice(extractor)
    assert len(texts) == 2 and all("old sea wall of the harbour" in text for text in texts)
    assert extractor.cpu_seconds > 0
    if processes:
        # a worker's whole CPU includes the extraction and the work around it
        assert extractor.worker_cpu_seconds >= extractor.cpu_seconds
        assert extractor.worker_peak_mb > 10
    else:  # in a thread of this process: nothing beside the extraction to report
        assert extractor.worker_cpu_seconds == extractor.cpu_seconds
        assert extractor.worker_peak_mb == 0


# the story only in <noscript>: ours drops it, trafilatura's second opinion finds it
HIDDEN_STORY = (
    "<html><head><title>Tram line</title></head><body><div class='post'><h1>Tram line</h1>"
    "<div class='post-body'><script>render()</script><noscript>"
    + "".join(f"<p>{p}</p>" for p in LOREM)
    + "</noscript></div></div></body></html>"
).encode()


@pytest.mark.parametrize("processes", [0, 1])
def test_the_extraction_parameters_reach_the_workers(processes: int) -> None:
    def method(params: ExtractParams | None) -> str:
        extractor = Extractor(processes, params=params)
        try:
            page = extractor.extract(HIDDEN_STORY, "http://127.0.0.2/t", None, "utf-8")
            return asyncio.run(page).method
        finally:
            extractor.close()

    assert method(None) == "trafilatura"
    assert method(ExtractParams(second_opinion_max_html=0)) != "trafilatura"


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def running(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def test_an_error_in_the_worker_comes_back_as_itself() -> None:
    extractor = Extractor(1)

    async def run() -> list[Article | BaseException]:
        pages = [
            extractor.extract(b"", "http://127.0.0.2/empty", None, "utf-8"),
            # a fault of extract_article itself (here: an entry that is not one)
            extractor.extract(PAGE, "http://127.0.0.2/odd", 42, "utf-8"),  # type: ignore[arg-type]
            extractor.extract(PAGE, "http://127.0.0.2/fine", None, "utf-8"),
        ]
        return await asyncio.gather(*pages, return_exceptions=True)

    try:
        empty, odd, fine = asyncio.run(run())
        pids = extractor.worker_pids
    finally:
        extractor.close()
    assert isinstance(empty, ExtractError)
    assert str(empty) == "no headline and no text found in the page (http://127.0.0.2/empty)"
    assert isinstance(odd, AttributeError) and "'int' object has no attribute" in str(odd)
    assert any("extract_article" in note for note in odd.__notes__)  # the worker's traceback
    assert isinstance(fine, Article) and "old sea wall" in fine.text
    assert len(pids) == 1  # errors are answers: the worker lives on


@pytest.mark.parametrize("in_flight", [1, 2])
def test_a_worker_that_dies_costs_only_the_page_it_held(in_flight: int) -> None:
    extractor = Extractor(1, in_flight=in_flight)

    async def run() -> tuple[list[Article | BaseException], int, float]:
        await extractor.extract(PAGE, "http://127.0.0.2/first", None, "utf-8")
        (pid,) = extractor.worker_pids
        cpu_before = extractor.worker_cpu_seconds
        os.kill(pid, signal.SIGSTOP)  # it holds the next pages without answering
        pages = [
            asyncio.ensure_future(extractor.extract(PAGE, f"http://127.0.0.2/p{i}", None, None))
            for i in range(4)
        ]
        await asyncio.sleep(0)  # the pages are handed out
        os.kill(pid, signal.SIGKILL)
        return await asyncio.gather(*pages, return_exceptions=True), pid, cpu_before

    try:
        results, dead, cpu_before = asyncio.run(run())
        pids = extractor.worker_pids
    finally:
        extractor.close()
    lost, *rest = results
    assert isinstance(lost, ExtractError)
    assert str(lost) == "extraction worker exited with signal SIGKILL (http://127.0.0.2/p0)"
    assert all(isinstance(article, Article) and "sea wall" in article.text for article in rest)
    assert [article.url for article in rest] == [f"http://127.0.0.2/p{i}" for i in (1, 2, 3)]
    assert len(pids) == 1 and pids != [dead] and not running(dead)
    # the dead worker's CPU still counts, beside its replacement's
    assert extractor.worker_cpu_seconds > cpu_before


def test_close_fails_waiting_pages_and_leaves_no_process_or_fd() -> None:
    extract_twice(Extractor(1))  # the forkserver runs from here on: its fds are not the pool's
    fds = fd_count()
    extractor = Extractor(2)

    async def run() -> list[Article | BaseException]:
        await asyncio.gather(
            *(extractor.extract(PAGE, f"http://127.0.0.2/w{i}", None, None) for i in range(4))
        )
        pids.extend(extractor.worker_pids)
        pages = [
            asyncio.ensure_future(extractor.extract(PAGE, f"http://127.0.0.2/c{i}", None, None))
            for i in range(6)
        ]
        await asyncio.sleep(0)  # two pages with each worker, two waiting
        extractor.close()
        return await asyncio.gather(*pages, return_exceptions=True)

    pids: list[int] = []
    results = asyncio.run(run())
    assert len(pids) == 2
    assert all(isinstance(error, ExtractError) for error in results)
    assert str(results[0]) == (
        "the extraction pool closed before the page was extracted (http://127.0.0.2/c0)"
    )
    assert not any(running(pid) for pid in pids)
    assert fd_count() == fds
    with pytest.raises(ExtractError, match="closed"):
        asyncio.run(extractor.extract(PAGE, "http://127.0.0.2/late", None, None))


def test_one_pool_serves_one_event_loop_after_another() -> None:
    extractor = Extractor(1)

    async def one(url: str) -> tuple[str, list[int]]:
        article = await extractor.extract(PAGE, url, None, "utf-8")
        return article.url, extractor.worker_pids

    try:
        first_url, first_pids = asyncio.run(one("http://127.0.0.2/round1"))
        second_url, second_pids = asyncio.run(one("http://127.0.0.2/round2"))
    finally:
        extractor.close()
    assert (first_url, second_url) == ("http://127.0.0.2/round1", "http://127.0.0.2/round2")
    assert first_pids == second_pids  # the same worker, not a new one per loop


def test_pages_and_articles_larger_than_a_socket_buffer_arrive_whole() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i} of the long inquiry report into the harbour works and their cost.</p>"
        for i in range(5000)
    )
    page = f"<html><body><article><h1>Inquiry</h1>{paragraphs}</article></body></html>".encode()
    assert len(page) > 400_000
    extractor = Extractor(1, in_flight=2)

    async def run() -> list[Article]:
        pages = [extractor.extract(page, f"http://127.0.0.2/big{i}", None, None) for i in range(3)]
        return await asyncio.gather(*pages)

    try:
        articles = asyncio.run(run())
    finally:
        extractor.close()
    for article in articles:
        assert len(article.text) > 300_000  # more than one read of the socket
        assert "Paragraph 0 of" in article.text and "Paragraph 4999 of" in article.text


def test_pages_half_sent_when_a_loop_ends_go_out_on_the_next_one() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i} of the inquiry into the harbour.</p>" for i in range(8000)
    )
    big = f"<html><body><article><h1>Inquiry</h1>{paragraphs}</article></body></html>".encode()
    extractor = Extractor(1, in_flight=2)

    async def first_round() -> int:
        await extractor.extract(PAGE, "http://127.0.0.2/warm", None, None)
        (pid,) = extractor.worker_pids
        os.kill(pid, signal.SIGSTOP)  # the socket fills: part of the pages stays with us
        for i in range(3):
            asyncio.ensure_future(extractor.extract(big, f"http://127.0.0.2/big{i}", None, None))
        await asyncio.sleep(0)
        return pid  # the round ends with its pages unanswered (asyncio.run cancels them)

    async def second_round() -> Article:
        return await extractor.extract(PAGE, "http://127.0.0.2/next", None, None)

    try:
        pid = asyncio.run(first_round())
        os.kill(pid, signal.SIGCONT)
        article = asyncio.run(second_round())
        pids = extractor.worker_pids
    finally:
        extractor.close()
    assert article.url == "http://127.0.0.2/next" and "sea wall" in article.text
    assert pids == [pid]


def test_a_parse_deadline_counts_the_workers_cpu_not_its_wait() -> None:
    # a worker that gets no turn (stopped, as on a machine far busier than its cores) for
    # longer than the deadline still parses the feed once it runs: the feed cost no CPU
    feed = many_items_feed(20, "http://127.0.0.2")

    async def run() -> int:
        extractor = Extractor(1)
        try:
            await asyncio.to_thread(extractor.warm)
            await extractor.parse_feed(feed, "http://127.0.0.2/feed", None, None, deadline=5)
            (pid,) = extractor.worker_pids
            os.kill(pid, signal.SIGSTOP)
            asyncio.get_running_loop().call_later(1.0, os.kill, pid, signal.SIGCONT)
            reading, _ = await extractor.parse_feed(
                feed, "http://127.0.0.2/feed", None, None, deadline=0.3
            )
            assert extractor.worker_pids == [pid]  # the same worker: not killed
            return len(reading.feed.entries)
        finally:
            extractor.close()

    assert asyncio.run(run()) == 20
