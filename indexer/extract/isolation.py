"""Extraction in worker processes, with a wall-clock and a memory limit per file.

A PDF can hang pdfminer (a 5,000-page file, a pathological content stream) or exhaust memory
(a compression bomb: a few kilobytes that inflate to gigabytes). Run in-process, either stops
the whole ingestion. Here each file is extracted in a worker process:

- the worker sets ``RLIMIT_AS`` (its address space, the interpreter included) to ``memory_mb``
  before each file, so an allocation beyond it fails with ``MemoryError`` inside the worker,
  which answers ``ExtractionError(reason="memory")`` and exits;
- the parent waits at most ``timeout`` seconds for the answer, then kills the worker:
  ``ExtractionError(reason="timeout")``;
- a worker that dies without answering (a signal, a crash in C code) gives
  ``ExtractionError(reason="crashed")``.

Workers are fresh interpreters (``python -m indexer.extract.worker``, talking over two pipes),
so nothing of the parent leaks into them and no ``if __name__ == "__main__"`` guard is needed
in the calling script. They are reused (each imports pdfminer once): a healthy
worker goes back to the pool after each file, a failed one is replaced by a fresh one on the next
call, and each worker retires after ``max_tasks`` files so that a slow leak cannot build up.
The pool is thread-safe: N threads calling :meth:`ExtractionPool.extract` use N workers.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from pathlib import Path

from .errors import ExtractionError
from .extraction import Extraction
from .pdf import OCR_MODES

#: seconds a new worker may take to start and import its modules
STARTUP_TIMEOUT = 60.0


class _Worker:
    """One worker process (``python -m indexer.extract.worker``) and the pipes to it."""

    def __init__(self) -> None:
        from multiprocessing.connection import Connection

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ)
        # the child finds the packages where this process found them
        paths = [p for p in sys.path if p] + [env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "indexer.extract.worker", str(to_child_r), str(from_child_w)],
                pass_fds=(to_child_r, from_child_w), env=env, stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self.send_conn = Connection(to_child_w, readable=False)
        self.recv_conn = Connection(from_child_r, writable=False)
        self.tasks = 0
        if not self.recv_conn.poll(STARTUP_TIMEOUT):
            self.kill()
            raise ExtractionError("the extraction worker did not start", reason="crashed")
        try:
            self.recv_conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise ExtractionError("the extraction worker died while starting", reason="crashed") from exc

    def run(self, task: tuple, timeout: float) -> tuple:
        self.tasks += 1
        name = Path(task[0]).name
        try:
            self.send_conn.send(task)
            if not self.recv_conn.poll(timeout):
                self.kill()
                return ("error", "timeout", f"{name}: extraction took longer than {timeout:g} s")
            return self.recv_conn.recv()
        except (EOFError, OSError):
            try:
                code = self.process.wait(5)
            except subprocess.TimeoutExpired:
                code = None
            self.kill()
            detail = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            return ("error", "crashed", f"{name}: the extraction worker died ({detail})")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        try:
            self.send_conn.send(None)
            self.process.wait(2)
        except (OSError, EOFError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for conn in (self.send_conn, self.recv_conn):
            conn.close()


class ExtractionPool:
    """Worker processes for :func:`extract_file` with per-file limits (see module doc).

    ``max_tasks``: files per worker before it is replaced (1 = a fresh process per file).
    """

    def __init__(self, *, max_tasks: int = 200) -> None:
        self._max_tasks = max(1, max_tasks)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self.started = 0  # workers started so far (for tests and measurements)

    def extract(self, path: str | os.PathLike, mime_type: str | None = None, *, timeout: float,
                memory_mb: int, ocr: str = "auto") -> Extraction:
        if self._closed:
            raise RuntimeError("the extraction pool is closed")
        if ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {OCR_MODES}, not {ocr!r}")
        worker = self._checkout()
        answer = worker.run((os.fspath(path), mime_type, ocr, memory_mb), timeout)
        healthy = answer[0] == "ok" or answer[1] not in ("timeout", "crashed", "memory")
        if healthy and worker.alive and worker.tasks < self._max_tasks and not self._closed:
            with self._lock:
                self._idle.append(worker)
        else:
            worker.stop() if worker.alive else worker.kill()
        if answer[0] == "ok":
            return answer[1]
        _, reason, message = answer
        raise ExtractionError(message, reason=reason)

    def _checkout(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                worker.kill()
        worker = _Worker()
        self.started += 1
        return worker

    def close(self) -> None:
        """Stops the idle workers; the pool cannot be used afterwards."""
        self._closed = True
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def __enter__(self) -> "ExtractionPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_default_pool: ExtractionPool | None = None
_default_lock = threading.Lock()


def default_pool() -> ExtractionPool:
    """The process-wide pool behind :func:`extract_file_isolated`, started on first use and
    closed at interpreter exit."""
    global _default_pool
    with _default_lock:
        if _default_pool is None or _default_pool._closed:
            _default_pool = ExtractionPool()
            atexit.register(_default_pool.close)
        return _default_pool


def extract_file_isolated(path: str | os.PathLike, mime_type: str | None = None, *, timeout: float,
                          memory_mb: int, ocr: str = "auto") -> Extraction:
    """:func:`~indexer.extract.dispatch.extract_file` in a reused worker process, limited to
    ``timeout`` seconds of wall-clock time and ``memory_mb`` MB of address space.

    Raises ``ExtractionError`` with reason ``"timeout"``, ``"memory"`` or ``"crashed"`` when a
    limit is hit, and the extractor's own errors (``"encrypted"``, ``"truncated"`` …) as they are.
    """
    return default_pool().extract(path, mime_type, timeout=timeout, memory_mb=memory_mb, ocr=ocr)
