"""Fusing ranked runs: pure functions.

Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score(d) = Σ_runs w / (k + rank(d)),
ranks from 1. It needs no score calibration, which suits BM25 and cosine scores that live on
different scales. The weighted alternative min-max normalises each run's scores and adds them with
weights (a convex combination), which keeps score gaps that RRF discards. Keyword-first (the
product's default) is the weighted fusion with every keyword match ranked above the documents only
the semantic run found: semantic re-orders the keyword matches and adds recall after them, but cannot
push a merely similar document above one that has the query's words (on the council dev set, plain
weighted fusion lost to keyword alone because of exactly that; docs/semantic.md).
"""

from __future__ import annotations

from typing import Callable, Hashable, Mapping, Sequence, TypeVar

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


def depth_independent(fused_head: Mapping[K, float], keyword: Mapping[K, float], semantic: Mapping[K, float], *,
                      first: Callable[[K], bool] | None = None) -> dict[K, float]:
    """Every document of both runs in one order, whose start does not depend on how deep the runs went.

    Fusion normalises scores within a run, so fusing whole runs of different depths orders the same
    documents differently: a page of 10 would not be the start of a page of 100, and paging would
    repeat and skip documents. So only each run's fixed head is fused (``fused_head``, the same at
    every depth) and ranked first; with ``first`` (keyword-first) the head documents it accepts
    precede the other head documents and score 1 more. The documents beyond the heads follow, those
    ``first`` accepts first, then by keyword score, then by semantic score.
    Returns scores in rank order (non-increasing), so :func:`ranked` keeps the order."""
    def tier(key: K) -> bool:
        return bool(first(key)) if first is not None else False

    below = float("-inf")

    def rank_key(key: K) -> tuple:
        if key in fused_head:  # decided by the heads alone (ties: the heads' order)
            return True, tier(key), fused_head[key], below, below
        return False, tier(key), below, keyword.get(key, below), semantic.get(key, below)

    keys = list(dict.fromkeys([*fused_head, *keyword, *semantic]))
    keys.sort(key=rank_key, reverse=True)
    out: dict[K, float] = {}
    floor = float("inf")
    for key in keys:
        score = (1.0 if tier(key) else 0.0) + fused_head[key] if key in fused_head else 0.0
        floor = min(floor, score)
        out[key] = floor
    return out


def ranked(scores: Mapping[K, float]) -> list[K]:
    """Keys by descending score; ties keep insertion order."""
    return sorted(scores, key=lambda key: -scores[key])
