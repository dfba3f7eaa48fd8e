"""ONNX int8 against torch fp32: speed on council passages, agreement, and retrieval quality.

    python -m benchmarks.onnx --data-dir DATA [--passages 2000] [--name onnx]

The ONNX model is exported into a temporary directory (``export_onnx``). Both backends encode the
same passages of the store (a random sample, with the same batch size and thread count, one after
the other, twice, best of two); then MLQA-de and XQuAD-de are indexed with each backend and
evaluated in semantic and hybrid mode. The issue's rule: ship the ONNX backend as an option only
when it is ≥ 1.5× faster and loses ≤ 0.01 nDCG@10.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.common import machine, write_result

RETRIEVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "retrieval"


def sample_passages(store: Path, n: int, seed: int = 11) -> list[str]:
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    texts = [row[0] for row in con.execute("SELECT text FROM passages")]
    con.close()
    rng = np.random.default_rng(seed)
    return [texts[i] for i in rng.choice(len(texts), size=min(n, len(texts)), replace=False)]


def throughput(embedder, texts: list[str]) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
    embedder.encode(texts[:64])  # load and warm up
    best, vectors = float("inf"), None
    for _ in range(2):
        started = time.perf_counter()
        vectors = embedder.encode(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best, vectors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True, help="an ingested data directory (its passages are encoded)")
    ap.add_argument("--passages", type=int, default=2000)
    ap.add_argument("--name", default="onnx")
    args = ap.parse_args()

    from corpora.settings import Settings
    from indexer.embedding import Embedder, export_onnx
    from search_api.evaluation import evaluate_retrieval

    texts = sample_passages(Path(args.data_dir) / "store.sqlite", args.passages)
    with tempfile.TemporaryDirectory(prefix="ratsuche-onnx-") as tmp:
        exported = export_onnx("all-MiniLM-L6-v2", Path(tmp) / "model")
        torch_emb = Embedder("all-MiniLM-L6-v2")
        onnx_emb = Embedder(exported["model"], backend="onnx")
        torch_rate, torch_vecs = throughput(torch_emb, texts)
        onnx_rate, onnx_vecs = throughput(onnx_emb, texts)
        cosines = (torch_vecs * onnx_vecs).sum(axis=1)
        print(f"torch fp32 {torch_rate:.1f} passages/s, onnx int8 {onnx_rate:.1f} passages/s "
              f"({onnx_rate / torch_rate:.2f}x); cosine mean {cosines.mean():.4f} min {cosines.min():.4f}")

        quality: dict[str, dict] = {}
        for name in ("mlqa_de", "xquad_de"):
            beir = RETRIEVAL / name / "beir"
            for backend, model in (("torch", "all-MiniLM-L6-v2"), ("onnx", exported["model"])):
                settings = replace(Settings.load(os.environ, data_dir=tmp), embedding_model=model,
                                   embedding_backend=backend)  # the corpus is indexed into its own temporary dir
                result = evaluate_retrieval(settings, beir / "queries.jsonl", beir / "qrels.tsv",
                                            corpus=beir / "corpus.jsonl", modes=("semantic", "hybrid"), quiet=True)
                scores = {mode: result["modes"][mode]["ndcg@10"] for mode in ("semantic", "hybrid")}
                quality.setdefault(name, {})[backend] = scores
                print(f"{name} {backend}: " + ", ".join(f"{m} nDCG@10 {s:.4f}" for m, s in scores.items()))

    path = write_result(args.name, {
        "machine": machine(), "passages": len(texts), "torch_passages_per_s": round(torch_rate, 1),
        "onnx_passages_per_s": round(onnx_rate, 1), "speedup": round(onnx_rate / torch_rate, 2),
        "cosine_mean": round(float(cosines.mean()), 4), "cosine_min": round(float(cosines.min()), 4),
        "ndcg@10": quality})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
