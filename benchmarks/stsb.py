"""STSb-de: Spearman correlation of an embedding model's cosine similarity with the gold scores.

    python -m benchmarks.stsb [--model PATH] [--split test] [--name stsb]

Measures the embedding model alone (no index). Published for comparison:
paraphrase-multilingual-mpnet-base-v2 0.836 on the test split.
"""

from __future__ import annotations

import argparse
import csv
import time

import numpy as np

from benchmarks.common import ROOT, write_result

STSB = (ROOT / ".." / "shared" / "data" / "retrieval" / "stsb_de").resolve()


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).correlation)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="all-MiniLM-L6-v2")
    ap.add_argument("--split", default="test", choices=("dev", "test"))
    ap.add_argument("--name", default="stsb")
    args = ap.parse_args()
    from indexer.embedding import Embedder

    rows = list(csv.reader(open(STSB / f"stsb-de-{args.split}.csv", encoding="utf-8")))
    s1, s2, gold = [r[0] for r in rows], [r[1] for r in rows], np.array([float(r[2]) for r in rows])
    embedder = Embedder(args.model)
    t = time.perf_counter()
    a, b = embedder.encode(s1), embedder.encode(s2)
    seconds = time.perf_counter() - t
    cos = (a * b).sum(axis=1)
    rho = spearman(cos, gold)
    print(f"{args.model} STSb-de {args.split}: Spearman {rho:.4f} ({len(rows)} pairs, {seconds:.1f} s)")
    write_result(args.name, {"model": args.model, "split": args.split, "pairs": len(rows), "spearman": round(rho, 4),
                             "seconds": round(seconds, 1)})


if __name__ == "__main__":
    main()
