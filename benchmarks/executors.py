"""The local executor against the Ray executor on the same corpus, through the command line.

    python -m benchmarks.executors [--docs 300] [--cpus 2] [--name executors]

A slice of the Nordstemmen dump (the first --docs Files with text) is ingested twice with
everything on (extraction, NER with the packaged model, passages, embeddings): by
``ratsuche ingest`` into a data directory, and by ``ratsuche ingest --executor ray --out`` (a local
Ray instance limited to --cpus) followed by ``ratsuche index --from``. Reports wall time and
documents/passages per second of each, and whether both give the same documents, passages and
search results (the integration test tests/integration/test_ray.py checks this in detail).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, machine, write_result


def run(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ratsuche", "-q", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - started


def top_ids(data_dir: Path, queries: list[str]) -> list[list[str]]:
    out = []
    for q in queries:
        proc = subprocess.run([sys.executable, "-m", "ratsuche", "-q", "--data-dir", str(data_dir), "search", q,
                               "--mode", "hybrid", "--json", "--limit", "10"], cwd=ROOT, check=True,
                              capture_output=True, text=True)
        out.append([hit["id"] for hit in json.loads(proc.stdout)["results"]])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--name", default="executors")
    args = ap.parse_args()

    from indexer.store import Store
    from tests.integration.conftest import nordstemmen_slice

    queries = ["Protokoll Gemeinderat", "Feuerwehr", "Haushalt", "Bebauungsplan", "Kindergarten"]
    with tempfile.TemporaryDirectory(prefix="ratsuche-executors-") as tmp:
        root = Path(tmp)
        corpus = nordstemmen_slice(root / "corpus", args.docs)
        local_s = run("--data-dir", str(root / "local"), "ingest", str(corpus))
        ray_s = run("ingest", str(corpus), "--executor", "ray", "--ray-cpus", str(args.cpus), "--out", str(root / "parts"))
        index_s = run("--data-dir", str(root / "ray"), "index", "--from", str(root / "parts"))
        counts = {}
        for name in ("local", "ray"):
            store = Store.open(root / name / "store.sqlite", readonly=True)
            facts = store.stats()
            counts[name] = {"documents": facts["documents"], "passages": facts["passages"],
                            "entities": facts["entities"]}
            store.close()
        same_results = top_ids(root / "local", queries) == top_ids(root / "ray", queries)
    docs, passages = counts["local"]["documents"], counts["local"]["passages"]
    row = {
        "machine": machine(), "documents": docs, "passages": passages, "ray_cpus": args.cpus,
        "local": {"seconds": round(local_s, 1), "documents_per_s": round(docs / local_s, 2),
                  "passages_per_s": round(passages / local_s, 1)},
        "ray": {"ingest_seconds": round(ray_s, 1), "index_from_seconds": round(index_s, 1),
                "documents_per_s": round(docs / (ray_s + index_s), 2),
                "passages_per_s": round(passages / (ray_s + index_s), 1)},
        "same_counts": counts["local"] == counts["ray"], "counts": counts, "same_top10": same_results,
    }
    print(json.dumps(row, indent=2))
    print(f"wrote {write_result(args.name, row)}")


if __name__ == "__main__":
    main()
