"""Fusion study: keyword and semantic runs captured once, fusion variants scored offline.

    python -m benchmarks.fusion --queries Q --qrels R (--data-dir DATA | --corpus C) [--name N]

For each query the document-level keyword and semantic runs (top 400, with scores) are taken from
the engine once; every fusion variant is then a pure function of the two runs, so the grid costs
nothing. As in the product, a query with a paper reference ("DS 66/2024") gets no semantic share.
Use it to CHOOSE fusion parameters on the dev sets, then report the chosen variant (choosing on a
set and reporting on it is optimistic).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from benchmarks.common import write_result


def variants() -> dict[str, callable]:
    from search_api.fusion import depth_independent, ranked, reciprocal_rank_fusion, weighted_fusion

    # each variant: (keyword run, semantic run, the query has a paper reference) -> ranking
    def rrf(w_sem: float, k: int = 60):
        def f(kw: dict, sem: dict, ref: bool) -> list[str]:
            return ranked(reciprocal_rank_fusion([ranked(kw), ranked(sem)], k=k, weights=[1.0, 0.0 if ref else w_sem]))
        return f

    def convex(w_sem: float):
        def f(kw: dict, sem: dict, ref: bool) -> list[str]:
            w = 0.0 if ref else w_sem
            return ranked(weighted_fusion([kw, sem], [1 - w, w]))
        return f

    def keyword_first(w_sem: float):
        def f(kw: dict, sem: dict, ref: bool) -> list[str]:
            w = 0.0 if ref else w_sem
            return ranked(depth_independent(weighted_fusion([kw, sem], [1 - w, w]), kw, sem, first=kw.__contains__))
        return f

    out = {"keyword": lambda kw, sem, ref: ranked(kw), "semantic": lambda kw, sem, ref: ranked(sem)}
    for w in (0.05, 0.1, 0.15, 0.2, 0.3):
        out[f"keyword-first(w_sem={w})"] = keyword_first(w)
    for w in (0.2, 0.35, 0.5, 0.75, 1.0):
        out[f"rrf(k=60,w_sem={w})"] = rrf(w)
    for k in (10, 30):
        out[f"rrf(k={k},w_sem=0.5)"] = rrf(0.5, k)
    for w in (0.1, 0.2, 0.3, 0.4, 0.5):
        out[f"convex(w_sem={w})"] = convex(w)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--qrels", required=True)
    ap.add_argument("--data-dir")
    ap.add_argument("--corpus")
    ap.add_argument("--depth", type=int, default=400,
                    help="run depth in passages (the product fuses the first 400 of each run)")
    ap.add_argument("--name", default="fusion")
    args = ap.parse_args()

    from corpora.beir import BeirCorpus, read_qrels, read_queries
    from corpora.settings import Settings
    from indexer.query import parse_query
    from search_api.evaluation import score_run
    from search_api.search import SearchEngine

    queries = read_queries(Path(args.queries))
    qrels = read_qrels(Path(args.qrels))
    queries = {q: t for q, t in queries.items() if q in qrels}
    with tempfile.TemporaryDirectory(prefix="ratsuche-fusion-") as tmp:
        settings = Settings.load(os.environ, data_dir=args.data_dir or tmp)
        if args.corpus:
            from indexer.ingest import ingest

            settings = replace(settings, ner=False)
            ingest([BeirCorpus(Path(args.corpus))], settings, quiet=True)
        engine = SearchEngine(settings)
        table = engine.table()
        runs = {}
        for qid, text in queries.items():
            kw, sem = engine.document_runs(text, args.depth)
            runs[qid] = ({table.ids[n]: s for n, s in kw.items() if n in table.ids},
                         {table.ids[n]: s for n, s in sem.items() if n in table.ids},
                         bool(parse_query(text).references))
    results = {}
    for name, fuse in variants().items():
        run = {qid: fuse(*r) for qid, r in runs.items()}
        results[name] = score_run(run, qrels)
        print(f"{name:28s} nDCG@10 {results[name]['ndcg@10']:.4f}  MRR@10 {results[name]['mrr@10']:.4f}  "
              f"R@100 {results[name]['recall@100']:.4f}")
    path = write_result(args.name, {"queries": args.queries, "results": results})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
