"""The extraction worker process: ``python -m indexer.extract.worker READ_FD WRITE_FD``.

Started by :class:`indexer.extract.isolation.ExtractionPool`. It reads tasks
``(path, mime_type, ocr, memory_mb)`` from one pipe and answers ``("ok", Extraction)`` or
``("error", reason, message)`` on the other, setting ``RLIMIT_AS`` to ``memory_mb`` around each
file. After running out of memory it exits, so that the next file gets a clean process; it
also exits when its parent is gone.
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import sys
from pathlib import Path

_MIB = 1024 * 1024


def serve(read_fd: int, write_fd: int) -> None:
    from multiprocessing.connection import Connection

    from .dispatch import extract_file
    from .errors import ExtractionError
    from .pdf import layout_params

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    _exit_with_parent()
    layout_params()  # import pdfminer now, not during the first (timed) file
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    tasks = Connection(read_fd, writable=False)
    answers = Connection(write_fd, readable=False)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    answers.send(("ready", os.getpid()))
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        path, mime_type, ocr, memory_mb = task
        name = Path(path).name
        limit = memory_mb * _MIB if memory_mb else resource.RLIM_INFINITY
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        answer: tuple
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        try:
            answer = ("ok", extract_file(path, mime_type, ocr=ocr))
        except ExtractionError as exc:
            answer = ("error", exc.reason, str(exc))
        except MemoryError:
            answer = ("error", "memory", f"{name}: extraction needs more than {memory_mb} MB")
        except RecursionError:
            answer = ("error", "broken", f"{name}: nesting too deep to parse")
        except Exception as exc:  # a bug or an unexpected library error: report it, stay alive
            answer = ("error", "broken", f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        try:
            answers.send(answer)
        except (OSError, EOFError):
            return
        if answer[0] == "error" and answer[1] == "memory":
            return  # a fresh process for the next file


def _exit_with_parent(every: float = 2.0) -> None:
    """Exit when the parent process is gone (even in the middle of a long file): a timer checks
    every ``every`` seconds whether this process has been re-parented."""
    parent = os.getppid()

    def check(signum, frame) -> None:
        if os.getppid() != parent:
            os._exit(1)

    signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, every, every)


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
