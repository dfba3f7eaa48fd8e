"""`ratsuche serve` as users run it: several gunicorn processes on 127.0.0.1, each with its own indexes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

REPO = Path(__file__).resolve().parents[2]


def test_serve_runs_several_processes_that_answer_searches(index_settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ratsuche", "--data-dir", str(index_settings.data_dir), "serve",
                             "--port", str(port), "--workers", "2", "--threads", "2"], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                with urlopen(url + "/api/v1/health", timeout=2) as resp:
                    assert json.loads(resp.read())["status"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer within 120 s"
                time.sleep(0.5)
        # several requests: both worker processes answer, each from its own copy of the indexes
        for _ in range(6):
            with urlopen(url + "/api/v1/search?q=Digitalisierung&mode=hybrid&per_page=3", timeout=60) as resp:
                body = json.loads(resp.read())
            assert body["mode_used"] == "hybrid" and body["results"]
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    workers = {line.split("pid: ")[1].strip() for line in out.splitlines() if "Booting worker with pid" in line}
    assert len(workers) == 2, out
    assert "127.0.0.1:%d" % port in out
