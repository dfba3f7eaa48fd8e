"""Extraction in worker processes: limits on time and memory, failures that do not spread."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from indexer.extract import ExtractionError, ExtractionPool, extract_file_isolated, extract_pdf

from tests.fixtures.extract import minipdf

COUNCIL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"
EINLADUNG = COUNCIL / "erlangen" / "pdf" / "2022-04-05_Einladung_Einladung_1_Sitzung_Buechenbach.pdf"
PROTOKOLL = COUNCIL / "ahnsen" / "pdf" / "2022-11-23_protokoll_5_sitzung.pdf"


@pytest.fixture(scope="module")
def pool():
    with ExtractionPool() as pool:
        yield pool


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    """5,000 pages of 40 lines: about 100 s of work for pdfminer (200 such pages take 4 s)."""
    path = tmp_path_factory.mktemp("gross") / "5000-seiten.pdf"
    lines = [f"Zeile {j}: Der Rat der Gemeinde beschließt die Vorlage zum Haushalt." for j in range(40)]
    page = minipdf.text_content(lines, size=9, leading=11)
    path.write_bytes(minipdf.build_pdf([page] * 5000, compress=True))
    return path


def test_isolated_result_equals_the_in_process_one(pool):
    isolated = pool.extract(PROTOKOLL, "application/pdf", timeout=60, memory_mb=512, ocr="off")
    assert isolated == extract_pdf(PROTOKOLL, ocr="off")
    assert isolated.pages[0].text.startswith("Protokoll\n\nüber die 5. Sitzung des Gemeinderates der Gemeinde Ahnsen "
                                             "am 23.11.2022 im Dorfgemeinschaftshaus Ahnsen")


def test_module_level_function_reuses_its_worker():
    first = extract_file_isolated(EINLADUNG, "application/pdf", timeout=60, memory_mb=512, ocr="off")
    again = extract_file_isolated(EINLADUNG, None, timeout=60, memory_mb=512, ocr="off")
    assert first == again and first.pages[0].text.startswith("Einladung Stadt Erlangen")
    from indexer.extract.isolation import default_pool

    assert default_pool().started == 1


def test_compression_bomb_ends_as_memory_error_and_the_pool_recovers(pool, tmp_path):
    path = tmp_path / "bombe.pdf"
    bomb = {0: (b"/Filter /FlateDecode", minipdf.deflate_bomb(1024))}  # 1 KB per MB: 1 GB inflated
    path.write_bytes(minipdf.build_pdf([b"", minipdf.text_content(["Seite zwei"])], raw_streams=bomb))
    assert path.stat().st_size < 1_100_000
    started = pool.started
    with pytest.raises(ExtractionError) as info:
        pool.extract(path, "application/pdf", timeout=120, memory_mb=256, ocr="off")
    assert info.value.reason == "memory"
    assert pool.extract(EINLADUNG, timeout=60, memory_mb=256, ocr="off").pages[0].text.startswith("Einladung")
    assert pool.started == started + 1  # the worker that ran out of memory was replaced


def test_a_file_that_takes_too_long_ends_as_timeout(pool, long_pdf):
    started = pool.started
    begin = time.monotonic()
    with pytest.raises(ExtractionError) as info:
        pool.extract(long_pdf, "application/pdf", timeout=2, memory_mb=512, ocr="off")
    assert info.value.reason == "timeout"
    assert time.monotonic() - begin < 30  # worker start (≈1 s) plus the 2 s limit, not minutes
    assert pool.extract(EINLADUNG, timeout=60, memory_mb=512, ocr="off").pages[0].text.startswith("Einladung")
    assert pool.started == started + 1


def test_extraction_errors_pass_through_and_keep_the_worker(pool, tmp_path):
    path = tmp_path / "kaputt.pdf"
    path.write_bytes(EINLADUNG.read_bytes()[:5000])
    started = pool.started
    with pytest.raises(ExtractionError) as info:
        pool.extract(path, "application/pdf", timeout=60, memory_mb=512, ocr="off")
    assert info.value.reason == "truncated"
    pool.extract(EINLADUNG, "application/pdf", timeout=60, memory_mb=512, ocr="off")
    assert pool.started == started  # an ordinary failure costs no new process


def test_a_killed_worker_is_reported_as_crashed(pool, long_pdf):
    from indexer.extract.isolation import default_pool

    pool.extract(EINLADUNG, timeout=60, memory_mb=512, ocr="off")  # a started worker waits in the pool
    outcome: list[BaseException] = []
    elsewhere = {w.process.pid for w in default_pool()._idle}  # the module-level pool's worker

    def run():
        try:
            pool.extract(long_pdf, "application/pdf", timeout=120, memory_mb=512, ocr="off")
        except ExtractionError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    worker = None
    for _ in range(100):
        time.sleep(0.1)
        idle = {w.process.pid for w in pool._idle} | elsewhere
        busy = [pid for pid in _children() if pid not in idle]
        if busy:
            worker = busy[0]
            break
    assert worker is not None
    time.sleep(0.5)
    os.kill(worker, signal.SIGKILL)
    thread.join(30)
    assert len(outcome) == 1 and outcome[0].reason == "crashed" and "signal 9" in str(outcome[0])


def test_fresh_process_per_file_with_max_tasks_1():
    with ExtractionPool(max_tasks=1) as pool:
        for _ in range(2):
            pool.extract(EINLADUNG, timeout=60, memory_mb=512, ocr="off")
        assert pool.started == 2


def _children() -> list[int]:
    """Ids of this process's extraction workers."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and b"indexer.extract.worker" in cmdline:
            pids.append(int(entry))
    return pids
