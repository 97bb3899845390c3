"""The extraction pool: articles from worker processes, and what they cost in CPU and memory."""

from __future__ import annotations

import asyncio

import pytest

from newsdesk.pipeline.extracting import Extractor

PAGE = (
    "<html><head><title>Harbour works | Gazette</title></head><body><nav>Home News</nav>"
    "<article><h1>Harbour works resume</h1>"
    + "<p>Crews are replacing the old sea wall of the harbour section by section this week.</p>"
    * 6
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
