"""Growth with corpus size: replicas of the public corpus, index build, size, memory and latency.

    python -m benchmarks.scale --data-dir FULL --replicas 10 --out DIR [--queries 240] [--name scale-10x]

The store of FULL (the public council corpus, ingested with embeddings) is copied ``--replicas``
times into a new data directory: replica r of a document gets the id ``<id>#r<r>`` (its text,
passages, entities and embeddings are copies; nothing is embedded again). Then the keyword and
vector indexes are built from scratch (as an ingestion would after writing the store), and query
latency is measured per mode with facets and highlights.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import peak_rss_mb, write_result

TABLES = {
    "pages": "INSERT INTO pages (doc_num, number, text) SELECT m.new, p.number, p.text FROM src.pages p "
             "JOIN map m ON m.old = p.doc_num",
    "passages": 'INSERT INTO passages (doc_num, ord, page, start, "end", heading, speaker, text, embedding) '
                'SELECT m.new, p.ord, p.page, p.start, p."end", p.heading, p.speaker, p.text, p.embedding '
                "FROM src.passages p JOIN map m ON m.old = p.doc_num ORDER BY p.id",
    "entities": "INSERT INTO entities SELECT m.new, e.page, e.start, e.\"end\", e.label, e.text, e.canonical "
                "FROM src.entities e JOIN map m ON m.old = e.doc_num",
    "speakers": "INSERT INTO speakers SELECT m.new, s.page, s.start, s.\"end\", s.name, s.party, s.role, s.person_id "
                "FROM src.speakers s JOIN map m ON m.old = s.doc_num",
    "facets": "INSERT INTO facets SELECT m.new, f.field, f.value FROM src.facets f JOIN map m ON m.old = f.doc_num",
}


def replicate(src: Path, dst: Path, replicas: int) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy(src / "store.sqlite", dst / "store.sqlite")
    con = sqlite3.connect(dst / "store.sqlite")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("ATTACH ? AS src", (str(src / "store.sqlite"),))
    for r in range(2, replicas + 1):
        suffix = f"#r{r}"
        with con:
            con.execute(
                "INSERT INTO documents (id, source_id, source_key, content_hash, title, document_type, paper_type,"
                " reference, date, body, paper_id, meeting_id, url, text_source, needs_ocr, n_pages, n_chars, data,"
                " updated_at) SELECT id || ?1, source_id, source_key || ?1, content_hash, title, document_type,"
                " paper_type, reference, date, body, paper_id, meeting_id, url, text_source, needs_ocr, n_pages,"
                " n_chars, json_set(data, '$.id', id || ?1, '$.file.id', id || ?1, '$.source_key', source_key || ?1),"
                " updated_at FROM src.documents ORDER BY num", (suffix,))
            con.execute("DROP TABLE IF EXISTS temp.map")
            con.execute("CREATE TEMP TABLE map AS SELECT o.num AS old, n.num AS new FROM src.documents o "
                        "JOIN main.documents n ON n.id = o.id || ?", (suffix,))
            for sql in TABLES.values():
                con.execute(sql)
            con.execute("INSERT INTO changes (doc_id, op) SELECT id, 'upsert' FROM documents WHERE id LIKE ?",
                        (f"%{suffix}",))
    con.close()


def du_mb(path: Path) -> float:
    """Size of a file, or of the files under a folder, in MiB."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True, help="the public corpus, ingested with embeddings")
    ap.add_argument("--replicas", type=int, default=10)
    ap.add_argument("--out", required=True, help="a new data directory for the replicas")
    ap.add_argument("--queries", type=int, default=240)
    ap.add_argument("--name", default=None)
    args = ap.parse_args()
    src, dst = Path(args.data_dir), Path(args.out)
    if dst.exists() and any(dst.iterdir()):
        raise SystemExit(f"{dst} is not empty")
    name = args.name or f"scale-{args.replicas}x"

    from corpora.settings import Settings
    from indexer.keyword import KeywordIndex
    from indexer.store import Store
    from indexer.vectors import VectorIndex

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    t = time.perf_counter()
    if args.replicas > 1:
        replicate(src, dst, args.replicas)
    else:
        dst.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / "store.sqlite", dst / "store.sqlite")
    copy_s = time.perf_counter() - t
    settings = Settings.load(os.environ, data_dir=str(dst))
    store = Store.open(settings.store_path)
    stats = store.stats()
    t = time.perf_counter()
    KeywordIndex(settings.keyword_index_dir).sync(store)
    keyword_s = time.perf_counter() - t
    t = time.perf_counter()
    VectorIndex(settings.vector_index_dir).sync(store, ann_threshold=settings.ann_threshold)
    vector_s = time.perf_counter() - t
    store.close()
    row = {
        "replicas": args.replicas, "documents": stats["documents"], "pages": stats["pages"],
        "passages": stats["passages"], "characters": stats["characters"],
        "replicate_seconds": round(copy_s, 1), "keyword_build_seconds": round(keyword_s, 1),
        "keyword_passages_per_s": round(stats["passages"] / keyword_s), "vector_build_seconds": round(vector_s, 1),
        "hnsw": VectorIndex(settings.vector_index_dir).ann_state() is not None,
        "store_mb": du_mb(dst / "store.sqlite"),
        "keyword_index_mb": du_mb(settings.keyword_index_dir), "vector_index_mb": du_mb(settings.vector_index_dir),
        "build_max_rss_mb": peak_rss_mb(),
        "load_at_start": load_at_start,
        "command": f"python -m benchmarks.scale --replicas {args.replicas} --queries {args.queries}",
    }
    # latency in a fresh process (its memory is the serving footprint)
    proc = subprocess.run([sys.executable, "-m", "benchmarks.latency", "--data-dir", str(dst), "--queries",
                           str(args.queries), "--name", f"{name}-latency", "--quiet"], capture_output=True, text=True)
    row["latency_result"] = f"benchmarks/results/{name}-latency.json" if proc.returncode == 0 else proc.stderr[-2000:]
    print(row)
    write_result(name, row)


if __name__ == "__main__":
    main()
