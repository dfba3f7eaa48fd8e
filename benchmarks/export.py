"""Speed of ``ratsuche export`` on an ingestion output, at 1× and replicated sizes.

    python -m benchmarks.export OUTPUT [--replicas 1,20] [--bucket-mb 256] [--name export]

OUTPUT is an ingestion output (``ingest --executor ray --out``). A replica is a copy of every
table with the document ids suffixed (``…~3``), so that the export sees R× as many distinct
documents, passages and vectors; the copies are written before the clock starts. Reports
passages/s and MB of bulk files/s of the export alone (the decompounder's word list is computed
before, once per process, and a warm-up export runs first), for one bucket and for a bucketed
join.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import write_result


def replicate(src: Path, dst: Path, replicas: int) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from indexer.records import MANIFEST, TABLES

    for name in TABLES:
        files = sorted((src / name).glob("*.parquet")) if (src / name).is_dir() else []
        for i, f in enumerate(files):
            table = pq.read_table(f)
            key = "id" if name == "documents" else "doc_id"
            (dst / name).mkdir(parents=True, exist_ok=True)
            for r in range(replicas):
                copy = table.set_column(table.schema.get_field_index(key), key,
                                        pc.binary_join_element_wise(table.column(key), pa.scalar(f"~{r}"), ""))
                if name == "documents":  # the id inside the document JSON too
                    docs = [json.loads(d) for d in copy.column("document").to_pylist()]
                    for d in docs:
                        d["id"] = f"{d['id']}~{r}"
                    copy = copy.set_column(copy.schema.get_field_index("document"), "document",
                                           pa.array([json.dumps(d, ensure_ascii=False) for d in docs]))
                pq.write_table(copy, dst / name / f"part-{i:03d}-{r:04d}.parquet")
    shutil.copy(src / MANIFEST, dst / MANIFEST)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--replicas", default="1,20")
    parser.add_argument("--bucket-mb", type=float, default=256)
    parser.add_argument("--name", default="export")
    args = parser.parse_args()

    from indexer.analysis.lucene import decompound_words
    from indexer.cluster_export import ExportOptions, export_output

    started = time.perf_counter()
    words = decompound_words()
    word_list_s = time.perf_counter() - started
    rows = []
    with tempfile.TemporaryDirectory(prefix="ratsuche-bench-export-") as tmp:
        export_output(args.output, Path(tmp) / "warm-up", ExportOptions())  # imports, caches
        shutil.rmtree(Path(tmp) / "warm-up")
        for replicas in (int(x) for x in args.replicas.split(",")):
            src = Path(tmp) / f"in-{replicas}"
            replicate(args.output, src, replicas)
            size = sum(f.stat().st_size for f in src.rglob("*.parquet"))
            for label, bucket_bytes in (("one bucket", 1 << 40), ("buckets", int(args.bucket_mb * 1024 * 1024))):
                out = Path(tmp) / f"out-{replicas}-{label.replace(' ', '-')}"
                t = time.perf_counter()
                summary = export_output(src, out, ExportOptions(), bucket_bytes=bucket_bytes)
                seconds = time.perf_counter() - t
                bulk = sum(f["bytes"] for f in summary["bulk"])
                row = {"replicas": replicas, "join": label, "parquet_mb": round(size / 2**20, 1),
                       "buckets": max(1, -(-size // bucket_bytes)), "documents": summary["documents"],
                       "passages": summary["passages"], "bulk_mb": round(bulk / 2**20, 1),
                       "seconds": round(seconds, 2), "passages_per_s": round(summary["passages"] / seconds),
                       "bulk_mb_per_s": round(bulk / 2**20 / seconds, 1)}
                print(row, flush=True)
                rows.append(row)
                shutil.rmtree(out)
            shutil.rmtree(src)
    path = write_result(args.name, {"word_list": {"words": len(words), "seconds": round(word_list_s, 1)},
                                    "runs": rows})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
