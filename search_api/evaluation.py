"""Retrieval evaluation: nDCG@10, MRR@10, Recall@10 and Recall@100 per search mode.

Metrics follow the usual TREC/BEIR definitions (graded gain ``grade``, log2 discount, ideal DCG from
the judged documents); queries without any relevant judgment are skipped, as BEIR does.
"""

from __future__ import annotations

import math
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from corpora.beir import BeirCorpus, read_qrels, read_queries
from corpora.settings import Settings


def ndcg_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranking[:k]) if judged.get(d, 0) > 0)
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mrr_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    for i, d in enumerate(ranking[:k]):
        if judged.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def recall_at(ranking: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


def score_run(run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]) -> dict[str, float]:
    """Mean metrics of a run (query id -> ranked document ids) over the judged queries."""
    qids = [q for q in qrels if any(g > 0 for g in qrels[q].values())]
    if not qids:
        return {"queries": 0}
    sums = {"ndcg@10": 0.0, "mrr@10": 0.0, "recall@10": 0.0, "recall@100": 0.0}
    for q in qids:
        ranking = list(run.get(q, ()))
        sums["ndcg@10"] += ndcg_at(ranking, qrels[q])
        sums["mrr@10"] += mrr_at(ranking, qrels[q])
        sums["recall@10"] += recall_at(ranking, qrels[q], 10)
        sums["recall@100"] += recall_at(ranking, qrels[q], 100)
    return {"queries": len(qids), **{k: round(v / len(qids), 4) for k, v in sums.items()}}


def run_queries(engine, queries: Mapping[str, str], mode: str, k: int = 100):  # type: ignore[no-untyped-def]
    from search_api.search import SearchRequest

    run: dict[str, list[str]] = {}
    started = time.perf_counter()
    used = set()
    for qid, text in queries.items():
        resp = engine.search(SearchRequest(q=text[: engine.settings.max_query_length], mode=mode, limit=k,
                                           facets=(), highlight=False))
        used.add(resp.mode_used)
        run[qid] = [h.id for h in resp.results]
    elapsed = time.perf_counter() - started
    return run, elapsed, used


def evaluate_retrieval(settings: Settings, queries_path: Path, qrels_path: Path, *, corpus: Path | None = None,
                       modes: Iterable[str] | None = None, quiet: bool = True) -> dict:
    """Evaluate the index in ``settings`` (or a temporary index of ``corpus``) per mode."""
    from search_api.search import SearchEngine

    queries = read_queries(queries_path)
    qrels = read_qrels(qrels_path)
    queries = {q: t for q, t in queries.items() if q in qrels}
    with tempfile.TemporaryDirectory(prefix="ratsuche-eval-") as tmp:
        if corpus is not None:
            from indexer.ingest import ingest

            keyword_only = modes is not None and set(modes) == {"keyword"}
            settings = replace(settings, data_dir=Path(tmp), ner=False,
                               embeddings=settings.embeddings and not keyword_only)
            ingest([BeirCorpus(corpus)], settings, quiet=quiet)
        engine = SearchEngine(settings)
        wanted = list(modes or (("keyword", "semantic", "hybrid") if engine.semantic_available else ("keyword",)))
        result: dict = {"queries": len(queries), "modes": {}}
        for mode in wanted:
            run, seconds, used = run_queries(engine, queries, mode)
            scores = score_run(run, qrels)
            result["modes"][mode] = {**scores, "mode_used": sorted(used),
                                     "ms_per_query": round(1000 * seconds / max(len(queries), 1), 1)}
        engine.store.close()
    return result
