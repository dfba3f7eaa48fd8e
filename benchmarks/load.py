"""A bounded load run of /api/v1/search over real HTTP on 127.0.0.1.

    python -m benchmarks.load --data-dir DATA [--concurrency 1,2,4,8,16] [--duration 60]
                              [--mode hybrid] [--think 0] [--workers 0] [--name load-public]

Starts ``ratsuche serve`` (127.0.0.1, a free port, --workers processes of --threads threads; or
uses --url, which must be a loopback address), then for each concurrency level runs that many
clients for --duration seconds, each sending searches with 4 facets and highlights. ``--think 0``
sends back to back (a closed loop: the server's capacity); ``--think 0.5-1.5`` waits a uniform
random time between a client's requests, as a person (or locust's ``between``) does. Each client
keeps its HTTP/1.1 connection open between requests, as browsers and API client libraries do
(``--no-keepalive``: a new connection per request). Queries are --queries distinct council queries,
so few repeat within a run. Reports throughput, p50/p95/p99 and errors per level. Bounded: at most
600 s per level and --max-requests per level.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import threading
import time
from urllib.parse import urlencode, urlsplit

from benchmarks.common import FACETS4, LocalServer, council_queries, summary_ms, write_result


def run_level(url: str, queries: list[str], clients: int, duration: float, mode: str,
              max_requests: int, think: tuple[float, float] = (0.0, 0.0), keepalive: bool = True,
              start: int = 0) -> dict:
    """One level of load; queries are taken in order from ``start`` (so that a later level does not
    send what an earlier one did, which the server would have cached)."""
    latencies: list[float] = []
    per_client: list[list[float]] = [[] for _ in range(clients)]
    errors: dict[str, int] = {}
    lock = threading.Lock()
    counter = [0]
    deadline = time.perf_counter() + duration
    where = urlsplit(url)

    def client(i: int) -> None:
        n = start + i
        pause = random.Random(i)
        conn: http.client.HTTPConnection | None = None
        while time.perf_counter() < deadline:
            with lock:
                if counter[0] >= max_requests:
                    break
                counter[0] += 1
            q = queries[n % len(queries)]
            n += clients
            target = f"{where.path.rstrip('/')}/api/v1/search?" + urlencode({"q": q, "mode": mode,
                                                                             "facets": ",".join(FACETS4)})
            t = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
                conn.request("GET", target, headers={} if keepalive else {"Connection": "close"})
                resp = conn.getresponse()
                body = json.loads(resp.read())
                ok = resp.status == 200 and "results" in body
                key = None if ok else f"status {resp.status}"
                if not keepalive or resp.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException, ValueError) as exc:
                key = type(exc).__name__
                if conn is not None:
                    conn.close()
                conn = None
            elapsed = time.perf_counter() - t
            with lock:
                if key is None:
                    latencies.append(elapsed)
                    per_client[i].append(elapsed)
                else:
                    errors[key] = errors.get(key, 0) + 1
            if think[1] > 0:
                time.sleep(min(pause.uniform(*think), max(0.0, deadline - time.perf_counter())))
        if conn is not None:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"clients": clients, "seconds": round(wall, 1), "requests": len(latencies) + sum(errors.values()),
            "throughput_rps": round(len(latencies) / wall, 2), "errors": errors, **summary_ms(latencies),
            # each client's median: with kept-alive connections, a client stays on one server process
            "client_p50_ms": [round(sorted(x)[len(x) // 2] * 1000, 1) if x else None for x in per_client]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--url", default=None, help="a running server on 127.0.0.1 (default: start one)")
    ap.add_argument("--concurrency", default="8")
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--mode", default="hybrid", choices=("keyword", "semantic", "hybrid"))
    ap.add_argument("--threads", type=int, default=8, help="threads per server process")
    ap.add_argument("--workers", type=int, default=0, help="server processes (0: one per CPU core)")
    ap.add_argument("--think", default="0", help="seconds between a client's requests: 0, or a range A-B")
    ap.add_argument("--queries", type=int, default=20_000, help="distinct queries (a run sends fewer: none repeats)")
    ap.add_argument("--max-requests", type=int, default=100_000)
    ap.add_argument("--no-keepalive", action="store_true", help="a new connection for every request")
    ap.add_argument("--name", default="load")
    args = ap.parse_args()
    if args.duration > 600:
        raise SystemExit("--duration is capped at 600 s")

    from corpora.settings import Settings
    from search_api.app import server_processes

    settings = Settings.load(os.environ, data_dir=args.data_dir, threads=args.threads, workers=args.workers)
    queries = council_queries(settings.store_path, args.queries)
    lo, _, hi = args.think.partition("-")
    think = (float(lo), float(hi or lo))
    levels = [int(c) for c in args.concurrency.split(",")]
    results = []
    if args.url:
        host = urlsplit(args.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("load runs go to 127.0.0.1 only")
        server_ctx = None
        url = args.url.rstrip("/")
    else:
        server_ctx = LocalServer(settings, threads=args.threads, workers=args.workers).__enter__()
        url = server_ctx.url
    try:
        # warm up: load models and caches
        run_level(url, queries[::-1], 2, 5, args.mode, 50)
        sent = 0
        for clients in levels:
            row = run_level(url, queries, clients, args.duration, args.mode, args.max_requests, think,
                            keepalive=not args.no_keepalive, start=sent)
            sent += row["requests"] + clients
            results.append(row)
            print(json.dumps(row))
    finally:
        if server_ctx is not None:
            server_ctx.__exit__(None, None, None)
    path = write_result(args.name, {"data_dir": args.data_dir, "mode": args.mode, "facets": list(FACETS4),
                                    "server_threads": args.threads, "server_processes": server_processes(settings),
                                    "think_s": list(think), "distinct_queries": len(queries),
                                    "keepalive": not args.no_keepalive, "levels": results})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
