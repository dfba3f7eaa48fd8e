"""Shared pieces of the benchmark scripts: query sets, percentiles, result files, a local server.

Benchmarks are scripts that print figures and write JSON to ``benchmarks/results/``; they are not
tests. Every server they start binds to 127.0.0.1, and every run is bounded in requests and time.
"""

from __future__ import annotations

import json
import platform
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DEVSET = ROOT / "benchmarks" / "devsets" / "council"
FACETS4 = ("organization", "document_type", "year", "party")
_STOP = {"sowie", "durch", "gegen", "werden", "wurde", "einer", "eines", "dieser", "diese", "unter", "zwischen",
         "beschlussvorlage", "mitteilungsvorlage", "anlage", "antrag", "anfrage", "stellungnahme", "niederschrift",
         "öffentliche", "sitzung", "protokoll"}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
            "p99_ms": round(percentile(ms, 99), 2), "max_ms": round(max(ms), 2) if ms else float("nan"),
            "mean_ms": round(sum(ms) / len(ms), 2) if ms else float("nan")}


def council_queries(store_path: Path, n: int = 240, seed: int = 7) -> list[str]:
    """Varied queries: the dev set's queries, plus 1–3 content words drawn from random titles
    (deterministic for a seed)."""
    import sqlite3

    queries: list[str] = []
    dev = DEVSET / "queries.jsonl"
    if dev.is_file():
        queries += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    con = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    titles = [r[0] for r in con.execute("SELECT title FROM documents ORDER BY num")]
    con.close()
    rng = random.Random(seed)
    while len(queries) < n and titles:
        words = [w for w in re.findall(r"[A-Za-zÄÖÜäöüß][\wäöüß-]{4,}", rng.choice(titles)) if w.lower() not in _STOP]
        if words:
            k = rng.choice((1, 2, 2, 3))
            queries.append(" ".join(rng.sample(words, min(k, len(words)))))
    return queries[:n]


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB: ``VmHWM``, which starts afresh at ``exec``
    (``ru_maxrss`` on Linux carries the parent's peak over into a child it starts)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine()}
    try:
        import os

        info["cpus"] = os.cpu_count()
        load = os.getloadavg()
        info["load_at_start"] = [round(x, 2) for x in load]
    except OSError:
        pass
    try:
        info["cpu_model"] = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                                 if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                        text=True, check=False).stdout.strip()
    except OSError:
        pass
    return info


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": machine(), **data}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


class LocalServer:
    """``ratsuche serve`` as the user runs it (its own process, 127.0.0.1, a free port), for load runs."""

    def __init__(self, settings: Any, threads: int = 8, workers: int = 0) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.command = [sys.executable, "-m", "ratsuche", "-q", "--data-dir", str(settings.data_dir), "serve",
                        "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads), "--workers", str(workers)]
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "LocalServer":
        from urllib.request import urlopen

        self.log = open(RESULTS / "server.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(self.command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server stopped: see {self.log.name}")
            try:
                with urlopen(self.url + "/api/v1/health", timeout=2):
                    return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError("the server did not answer within 120 s")

    def __exit__(self, *exc: Any) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def cycle(items: list[str]) -> Iterator[str]:
    while True:
        yield from items
