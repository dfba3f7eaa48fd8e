"""Ingestion by stage, and end to end against the raw embedding throughput.

    python -m benchmarks.stages [--docs 300] [--pdfs all] [--name stages]

On a sample of the public council corpus (the first --docs Files of Nordstemmen, whose texts come
with the dump) and the PDFs of Köln, Erlangen and Ahnsen:

- PDF extraction: pages/s of the isolated extraction worker (one process, OCR off);
- NER: words/s of the nlp pipeline (model + rules, or rules only when no model is installed);
- embedding: passages/s of the raw ``SentenceTransformer.encode`` on the sample's passages, and of
  the pipeline's embedding stage on the same passages;
- keyword indexing (Whoosh, our analysis) and vector indexing: passages/s;
- end to end: ``ingest`` of the sample into a fresh data directory with everything on: documents/s,
  pages/s, passages/s, the ratio to the raw embedding throughput, and peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, peak_rss_mb, write_result

COUNCIL = (ROOT / ".." / "shared" / "data" / "council").resolve()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--pdfs", type=int, default=0, help="at most this many PDFs (0: all 74)")
    ap.add_argument("--name", default="stages")
    args = ap.parse_args()

    from corpora.folder import FolderReader
    from corpora.settings import Settings
    from corpora.sources import Upsert
    from corpora.oparl_dump import OParlDump
    from indexer import stages
    from indexer.embedding import Embedder
    from indexer.extract import ExtractionPool
    from indexer.ingest import Pipeline, ingest
    from indexer.keyword import KeywordIndex
    from indexer.store import Store
    from indexer.vectors import VectorIndex
    from tests.integration.conftest import nordstemmen_slice

    out: dict = {}
    # --- PDF extraction ---------------------------------------------------------------------
    pdfs = sorted(p for folder in ("koeln", "erlangen", "ahnsen") for p in (COUNCIL / folder / "pdf").glob("*.pdf"))
    pdfs = pdfs[: args.pdfs] if args.pdfs else pdfs
    pages = 0
    with ExtractionPool() as pool:
        pool.extract(pdfs[0], "application/pdf", timeout=300, memory_mb=1024, ocr="off")  # start the worker
        t = time.perf_counter()
        for p in pdfs:
            pages += len(pool.extract(p, "application/pdf", timeout=300, memory_mb=1024, ocr="off").pages)
        seconds = time.perf_counter() - t
    out["pdf_extraction"] = {"files": len(pdfs), "pages": pages, "seconds": round(seconds, 1),
                             "pages_per_s": round(pages / seconds, 1)}
    print("pdf_extraction", out["pdf_extraction"])

    with tempfile.TemporaryDirectory(prefix="ratsuche-bench-") as tmp:
        dump = nordstemmen_slice(Path(tmp) / "dump", args.docs)
        docs = [e.document for e in OParlDump(dump).iter_events({}) if isinstance(e, Upsert)]
        docs = stages.clean_documents(docs)
        settings = Settings.load({}, data_dir=str(Path(tmp) / "data"))
        pipeline = Pipeline(settings)
        words = sum(len(p.text.split()) for d in docs for p in d.pages)

        # --- NER --------------------------------------------------------------------------------
        nlp = pipeline.nlp
        nlp.analyze(docs[:5])
        t = time.perf_counter()
        analyses = stages.analyze_documents(docs, nlp.analyze)
        seconds = time.perf_counter() - t
        out["ner"] = {"documents": len(docs), "words": words, "seconds": round(seconds, 1),
                      "words_per_s": round(words / seconds), "model": nlp.has_model}
        print("ner", out["ner"])

        # --- passages and embedding ---------------------------------------------------------
        embedder: Embedder = pipeline.embedder
        t = time.perf_counter()
        passages = stages.passages_for(docs, analyses, count=embedder.count_tokens,
                                       max_tokens=min(settings.passage_max_tokens, embedder.max_tokens - 2))
        chunk_s = time.perf_counter() - t
        texts = [p.text for ps in passages for p in ps]
        embedder.encode(texts[:64])  # warm up
        t = time.perf_counter()
        embedder.model.encode(texts, batch_size=settings.embedding_batch_size, convert_to_numpy=True,
                              normalize_embeddings=True)
        raw_s = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(0, len(passages), 16):  # as the ingestion loop calls it: 16 documents a batch
            stages.embed_passages(passages[i:i + 16], embedder)
        stage_s = time.perf_counter() - t
        out["passages"] = {"passages": len(texts), "seconds": round(chunk_s, 2),
                           "passages_per_s": round(len(texts) / chunk_s)}
        out["embedding"] = {"passages": len(texts), "backend": settings.embedding_backend, "device": embedder.device,
                            "raw_encode_passages_per_s": round(len(texts) / raw_s, 2),
                            "pipeline_stage_passages_per_s": round(len(texts) / stage_s, 2),
                            "stage_overhead": round(stage_s / raw_s - 1, 4)}
        print("embedding", out["embedding"])

        # --- end to end -----------------------------------------------------------------------
        t = time.perf_counter()
        (summary,) = ingest([OParlDump(dump)], settings, quiet=True)
        e2e = time.perf_counter() - t
        store = Store.open(settings.store_path, readonly=True)
        n_pass = store.stats()["passages"]
        out["end_to_end"] = {"documents": summary.added, "pages": summary.pages, "passages": n_pass,
                             "seconds": round(e2e, 1), "documents_per_s": round(summary.added / e2e, 2),
                             "pages_per_s": round(summary.pages / e2e, 2),
                             "passages_per_s": round(n_pass / e2e, 2),
                             "share_of_raw_embedding": round((n_pass / e2e) / (len(texts) / raw_s), 3),
                             "max_rss_mb": peak_rss_mb()}
        print("end_to_end", out["end_to_end"])

        # --- indexing alone, from the store just written ------------------------------------------
        kw = KeywordIndex(Path(tmp) / "kw")
        t = time.perf_counter()
        kw.sync(store)
        s = time.perf_counter() - t
        out["keyword_indexing"] = {"passages": n_pass, "seconds": round(s, 1), "passages_per_s": round(n_pass / s)}
        vec = VectorIndex(Path(tmp) / "vec")
        t = time.perf_counter()
        vec.sync(store, ann_threshold=settings.ann_threshold)
        s = time.perf_counter() - t
        out["vector_indexing"] = {"passages": n_pass, "seconds": round(s, 2), "passages_per_s": round(n_pass / s)}
        print("indexing", out["keyword_indexing"], out["vector_indexing"])
    path = write_result(args.name, out)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
