"""Query latency per mode, with and without facets and highlights, in process (no HTTP).

    python -m benchmarks.latency --data-dir DATA [--queries 240] [--name latency-public]

Writes benchmarks/results/<name>.json: p50/p95/p99 per (mode, facets, highlights), over a varied
query set (the council dev set's queries and 1–3 words from random titles). The first 20 queries are
run once to load models and open files. Before each measured query the engine forgets cached query
vectors and hit documents, so every mode measures each query as first seen (posting lists that an
earlier query read stay cached, as on a running server).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from benchmarks.common import FACETS4, council_queries, peak_rss_mb, summary_ms, write_result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--queries", type=int, default=240)
    ap.add_argument("--modes", default="keyword,semantic,hybrid")
    ap.add_argument("--name", default="latency")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    from corpora.settings import Settings
    from search_api.search import SearchEngine, SearchRequest

    settings = Settings.load(os.environ, data_dir=args.data_dir)
    engine = SearchEngine(settings)
    queries = council_queries(settings.store_path, args.queries)
    table = engine.table()
    variants = [("facets+highlights", FACETS4, True), ("plain", (), False)]
    results = {}
    for mode in args.modes.split(","):
        if mode != "keyword" and not engine.semantic_available:
            continue
        for label, facets, highlight in variants:
            for q in queries[:20]:  # warm up
                engine.search(SearchRequest(q=q, mode=mode, facets=facets, highlight=highlight))
            times = []
            totals = []
            for q in queries:
                engine.clear_caches()  # each query as first seen: no cached query vector or hit documents
                t = time.perf_counter()
                resp = engine.search(SearchRequest(q=q, mode=mode, facets=facets, highlight=highlight))
                times.append(time.perf_counter() - t)
                totals.append(resp.total)
            key = f"{mode}/{label}"
            results[key] = {**summary_ms(times), "mean_total": round(sum(totals) / len(totals), 1)}
            if not args.quiet:
                print(key, results[key])
    path = write_result(args.name, {"data_dir": str(Path(args.data_dir).resolve()), "documents": len(table),
                                    "passages": engine.store.stats()["passages"], "queries": len(queries),
                                    "facets": list(FACETS4), "vector_search": engine.vector_search,
                                    "max_rss_mb": peak_rss_mb(),
                                    "results": results})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
