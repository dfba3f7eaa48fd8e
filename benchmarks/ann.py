"""Exact search against HNSW (faiss, usearch) on real passage embeddings, at 1× and replicated sizes.

    python -m benchmarks.ann --data-dir DATA [--replicas 1,10] [--queries 300] [--name ann]
    python -m benchmarks.ann --data-dir DATA --product [--queries 1000] [--name ann-product]

Vectors are the store's passage embeddings; replicas are copies with small Gaussian noise (so that
they are distinct points), as the 10×/100× corpus replicas in benchmarks/scale.py have. Queries are
real passage vectors perturbed the same way. Reports build time, query time p50/p95 and
recall@10 against exact search, single-threaded (as in a request).

``--product`` measures the product's own vector index instead (its HNSW graph must have been built,
i.e. the data directory holds more passages than ``ann_threshold``): real query embeddings of the
benchmark queries, recall of the graph against exact search at k=10 and at the k a hybrid search asks
for, and the time of both.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

import numpy as np

from benchmarks.common import summary_ms, write_result


def load_vectors(store: Path) -> np.ndarray:
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    blobs = [r[0] for r in con.execute("SELECT embedding FROM passages WHERE embedding IS NOT NULL")]
    con.close()
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1)


def normalise(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def replicate(base: np.ndarray, times: int, rng: np.random.Generator) -> np.ndarray:
    if times == 1:
        return base
    parts = [base] + [normalise(base + rng.normal(0, 0.02, base.shape).astype(np.float32)) for _ in range(times - 1)]
    return np.concatenate(parts)


def exact_top(data: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    scores = data @ q
    top = np.argpartition(-scores, k)[:k]
    return top[np.argsort(-scores[top])]


def product(data_dir: str, n_queries: int, name: str) -> None:
    import os

    import torch

    from benchmarks.common import council_queries
    from corpora.settings import Settings
    from indexer.embedding import Embedder
    from indexer.vectors import VectorIndex, VectorSearcher
    from search_api.search import SEMANTIC_CANDIDATES

    torch.set_num_threads(1)
    settings = Settings.load(os.environ, data_dir=data_dir)
    index = VectorIndex(settings.vector_index_dir)
    searcher = VectorSearcher(index)
    if not searcher.uses_ann:
        raise SystemExit(f"{data_dir} has no HNSW graph in step with its vectors (more than ann_threshold "
                         "passages, then 'ratsuche index' or an ingest, builds it)")
    data = searcher.data()
    embedder = Embedder.from_settings(settings)
    queries = council_queries(settings.store_path, n_queries)
    vectors = [embedder.encode_query(q) for q in queries]
    row: dict = {"vectors": int(len(data.ids)), "queries": len(queries), "query_source": "benchmark queries, embedded",
                 "recall": "share of the graph's top k scoring at least the exact k-th score (ties count)"}
    for k in (10, 2 * SEMANTIC_CANDIDATES):
        hits, lat_ann, lat_exact = 0, [], []
        for v in vectors:
            t = time.perf_counter()
            _, ann_scores = searcher._top_rows(data, searcher._state()[1], v, k, None)
            lat_ann.append(time.perf_counter() - t)
            t = time.perf_counter()
            _, exact_scores = searcher._exact(data, v, k, None)
            lat_exact.append(time.perf_counter() - t)
            # a hit counts when it scores as high as the exact k-th: the corpus repeats passages word
            # for word, and which of equal copies comes back is not a miss
            hits += int((ann_scores[:k] >= exact_scores[-1] - 1e-5).sum())
        row[f"k{k}"] = {"recall": round(hits / (k * len(vectors)), 4), "hnsw": summary_ms(lat_ann),
                        "exact": summary_ms(lat_exact)}
        print(k, row[f"k{k}"])
    print(write_result(name, {"data_dir": data_dir, "results": [row]}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--replicas", default="1,10")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--product", action="store_true", help="measure the product's own vector index")
    ap.add_argument("--name", default=None)
    args = ap.parse_args()
    if args.product:
        product(args.data_dir, args.queries, args.name or "ann-product")
        return
    args.name = args.name or "ann"
    import faiss
    from usearch.index import Index

    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(11)
    base = load_vectors(Path(args.data_dir) / "store.sqlite")
    results = []
    for times in (int(x) for x in args.replicas.split(",")):
        data = replicate(base, times, rng)
        n, dim = data.shape
        qs = normalise(data[rng.choice(n, args.queries, replace=False)] + rng.normal(0, 0.05, (args.queries, dim))
                       .astype(np.float32))
        truth = [exact_top(data, q, 10) for q in qs]
        times_exact = []
        for q in qs:
            t = time.perf_counter()
            exact_top(data, q, 10)
            times_exact.append(time.perf_counter() - t)
        row = {"vectors": n, "replicas": times, "exact": summary_ms(times_exact), "exact_mb": round(data.nbytes / 2**20, 1)}
        # faiss HNSW (inner product on normalised vectors = cosine)
        t = time.perf_counter()
        fi = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
        fi.hnsw.efConstruction = 100
        fi.add(data)
        build = time.perf_counter() - t
        for ef in (32, 64, 128):
            fi.hnsw.efSearch = ef
            lat, hits = [], 0
            for q, tr in zip(qs, truth):
                t = time.perf_counter()
                _, ids = fi.search(q[None, :], 10)
                lat.append(time.perf_counter() - t)
                hits += len(set(ids[0]) & set(tr))
            row[f"faiss_hnsw_ef{ef}"] = {**summary_ms(lat), "recall@10": round(hits / (10 * len(qs)), 4),
                                         "build_s": round(build, 1)}
        # usearch HNSW
        t = time.perf_counter()
        ui = Index(ndim=dim, metric="cos", dtype="f32", connectivity=16, expansion_add=100)
        ui.add(np.arange(n), data, threads=1)
        build = time.perf_counter() - t
        for ef in (32, 64, 128):
            ui.expansion_search = ef
            lat, hits = [], 0
            for q, tr in zip(qs, truth):
                t = time.perf_counter()
                m = ui.search(q, 10, threads=1)
                lat.append(time.perf_counter() - t)
                hits += len(set(m.keys.tolist()) & set(tr.tolist()))
            row[f"usearch_ef{ef}"] = {**summary_ms(lat), "recall@10": round(hits / (10 * len(qs)), 4),
                                      "build_s": round(build, 1)}
        results.append(row)
        print(row)
    write_result(args.name, {"data_dir": args.data_dir, "results": results})


if __name__ == "__main__":
    main()
