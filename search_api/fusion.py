"""Fusing ranked runs: pure functions.

Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score(d) = Σ_runs w / (k + rank(d)),
ranks from 1. It needs no score calibration, which suits BM25 and cosine scores that live on
different scales. The weighted alternative min-max normalises each run's scores and adds them with
weights (a convex combination), which keeps score gaps that RRF discards.
"""

from __future__ import annotations

from typing import Hashable, Mapping, Sequence, TypeVar

K = TypeVar("K", bound=Hashable)


def reciprocal_rank_fusion(runs: Sequence[Sequence[K]], *, k: int = 60,
                           weights: Sequence[float] | None = None) -> dict[K, float]:
    weights = weights or [1.0] * len(runs)
    fused: dict[K, float] = {}
    for run, w in zip(runs, weights):
        for rank, key in enumerate(run, 1):
            fused[key] = fused.get(key, 0.0) + w / (k + rank)
    return fused


def min_max(scores: Mapping[K, float]) -> dict[K, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi <= lo:
        return {key: 1.0 for key in scores}
    return {key: (s - lo) / (hi - lo) for key, s in scores.items()}


def weighted_fusion(runs: Sequence[Mapping[K, float]], weights: Sequence[float]) -> dict[K, float]:
    fused: dict[K, float] = {}
    for scores, w in zip(runs, weights):
        for key, s in min_max(scores).items():
            fused[key] = fused.get(key, 0.0) + w * s
    return fused


def keyword_first_fusion(keyword: Mapping[K, float], semantic: Mapping[K, float], semantic_weight: float
                         ) -> dict[K, float]:
    """The weighted fusion, with every keyword match ranked above the documents only the semantic
    run found: semantic re-orders the keyword matches and adds recall after them, but cannot push a
    merely similar document above one that has the query's words (on the council dev set, plain
    weighted fusion lost to keyword alone because of exactly that; docs/semantic.md)."""
    fused = weighted_fusion([keyword, semantic], [1 - semantic_weight, semantic_weight])
    return {key: s + (1.0 if key in keyword else 0.0) for key, s in fused.items()}


def ranked(scores: Mapping[K, float]) -> list[K]:
    """Keys by descending score; ties keep insertion order."""
    return sorted(scores, key=lambda key: -scores[key])
