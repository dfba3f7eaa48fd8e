"""Throughput of text extraction over folders of files: ``python -m indexer.extract.benchmark``.

Prints one JSON object per folder and one for all of them: documents, pages, characters,
failures by reason, wall-clock and CPU seconds, pages per second. Modes:

- ``pdfminer``: pdfminer.six's plain ``extract_text`` per document (the baseline);
- ``inprocess``: :func:`~indexer.extract.pdf.extract_pdf` (via ``extract_file``) in this process;
- ``isolated``: :func:`~indexer.extract.isolation.extract_file_isolated` (one reused worker);
- ``fresh``: the same pool with ``max_tasks=1``: a new worker process for every file.

``--overhead FILE`` instead times one file many times in the three ways, interleaved, and prints
the median milliseconds and the overhead of isolation per file.

Everything runs one file after the other, so it uses one core. In the worker modes the CPU
seconds are the workers' (counted once they have exited) plus this process's.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from .dispatch import extract_file
from .errors import ExtractionError
from .isolation import ExtractionPool, default_pool, extract_file_isolated

MODES = ("pdfminer", "inprocess", "isolated", "fresh")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".pdf", ".html", ".htm", ".txt"))


def run(folders: list[Path], *, mode: str, ocr: str, timeout: float, memory_mb: int) -> list[dict]:
    results: list[dict] = []
    wall_start, cpu_start = time.perf_counter(), _cpu()
    for folder in folders:
        # workers exit at the folder's end, so that their CPU time is counted there
        pool = ExtractionPool(max_tasks=1) if mode == "fresh" else None
        wall, cpu = time.perf_counter(), _cpu()
        try:
            stats = {"folder": str(folder), "mode": mode, "documents": 0, "pages": 0, "characters": 0,
                     "empty_pages": 0, "needs_ocr_documents": 0, "ocr_pages": 0, "failures": Counter()}
            for path in _files(folder):
                stats["documents"] += 1
                try:
                    if mode == "pdfminer":
                        _baseline(path, stats)
                        continue
                    if mode == "isolated":
                        extraction = extract_file_isolated(path, None, timeout=timeout, memory_mb=memory_mb, ocr=ocr)
                    elif pool is not None:
                        extraction = pool.extract(path, None, timeout=timeout, memory_mb=memory_mb, ocr=ocr)
                    else:
                        extraction = extract_file(path, None, ocr=ocr)
                except ExtractionError as exc:
                    stats["failures"][exc.reason] += 1
                    print(f"{path.name}: {exc.reason}: {exc}", file=sys.stderr)
                    continue
                stats["pages"] += len(extraction.pages)
                stats["characters"] += sum(len(p.text) for p in extraction.pages)
                stats["empty_pages"] += sum(1 for p in extraction.pages if not p.text.strip())
                stats["needs_ocr_documents"] += int(extraction.needs_ocr)
                stats["ocr_pages"] += len(extraction.ocr_pages)
        finally:
            if pool is not None:
                pool.close()
            if mode == "isolated":
                default_pool().close()  # the worker exits: its CPU time is counted for this folder
        results.append(_finish(stats, time.perf_counter() - wall, _cpu() - cpu))
    total = {"folder": "all", "mode": mode, "failures": Counter()}
    for key in ("documents", "pages", "characters", "empty_pages", "needs_ocr_documents", "ocr_pages"):
        total[key] = sum(r[key] for r in results)
    for r in results:
        total["failures"].update(r["failures"])
    results.append(_finish(total, time.perf_counter() - wall_start, _cpu() - cpu_start))
    return results


def overhead(path: Path, *, repeat: int, memory_mb: int) -> dict:
    """Median wall-clock milliseconds to extract one file ``repeat`` times: in this process, in a
    reused worker, and in a fresh worker per call (start included); the three interleaved."""
    import statistics

    timings: dict[str, list[float]] = {"inprocess": [], "isolated": [], "fresh": []}
    with ExtractionPool() as reused, ExtractionPool(max_tasks=1) as fresh:
        reused.extract(path, timeout=300, memory_mb=memory_mb, ocr="off")  # start it once
        extract_file(path, ocr="off")
        for _ in range(repeat):
            for name, call in (("inprocess", lambda: extract_file(path, ocr="off")),
                               ("isolated", lambda: reused.extract(path, timeout=300, memory_mb=memory_mb, ocr="off")),
                               ("fresh", lambda: fresh.extract(path, timeout=300, memory_mb=memory_mb, ocr="off"))):
                start = time.perf_counter()
                call()
                timings[name].append(1000 * (time.perf_counter() - start))
    medians = {name: round(statistics.median(values), 1) for name, values in timings.items()}
    return {"file": str(path), "repeat": repeat, "median_ms": medians,
            "overhead_ms": {"isolated": round(medians["isolated"] - medians["inprocess"], 1),
                            "fresh": round(medians["fresh"] - medians["inprocess"], 1)}}


def _baseline(path: Path, stats: dict) -> None:
    from pdfminer.high_level import extract_text

    text = extract_text(path)
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    stats["pages"] += len(pages)
    stats["characters"] += len(text)
    stats["empty_pages"] += sum(1 for p in pages if not p.strip())


def _finish(stats: dict, wall: float, cpu: float) -> dict:
    stats["failures"] = dict(stats["failures"])
    stats["wall_s"] = round(wall, 2)
    stats["cpu_s"] = round(cpu, 2)
    stats["pages_per_s"] = round(stats["pages"] / wall, 1) if wall else None
    stats["pages_per_cpu_s"] = round(stats["pages"] / cpu, 1) if cpu else None
    stats["ms_per_document"] = round(1000 * wall / stats["documents"], 1) if stats["documents"] else None
    return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m indexer.extract.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--overhead", type=Path, metavar="FILE",
                        help="instead: time one file in process, in a reused worker and in a fresh one")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--mode", choices=MODES, default="inprocess")
    parser.add_argument("--ocr", choices=("auto", "off"), default="off")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--memory-mb", type=int, default=1024)
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if args.overhead:
        print(json.dumps(overhead(args.overhead, repeat=args.repeat, memory_mb=args.memory_mb), ensure_ascii=False))
        return
    if not args.folders:
        parser.error("give folders, or --overhead FILE")
    for result in run(args.folders, mode=args.mode, ocr=args.ocr, timeout=args.timeout, memory_mb=args.memory_mb):
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
