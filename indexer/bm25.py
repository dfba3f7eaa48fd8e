"""BM25F over numpy arrays, and the set algebra of scored matches: pure functions.

The formula is Whoosh's BM25F with the Lucene/Robertson idf (docs/analysis.md): per term and field,
``idf · w·(k1+1) / (w + k1·(1 − b + b·len/avglen))`` where ``w`` is the stored posting weight (the
term frequency times the field's boost) and ``len`` Whoosh's quantised field length; a query boost
multiplies the result; OR and AND add the scores of what matches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

K1 = 0.9
B = 0.4


def lucene_idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def bm25(idf: float, weights: np.ndarray, lengths: np.ndarray | float, avg_length: float, *, k1: float = K1,
         b: float = B) -> np.ndarray:
    norm = k1 * ((1 - b) + b * (lengths / avg_length))
    return (idf * (weights * (k1 + 1)) / (weights + norm)).astype(np.float64)


@dataclass(frozen=True)
class Scored:
    """Matching document numbers (ascending, unique) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> "Scored":
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))

    def __len__(self) -> int:
        return len(self.ids)

    def restricted(self, ids: np.ndarray) -> "Scored":
        keep = np.isin(self.ids, ids, assume_unique=True)
        return Scored(self.ids[keep], self.scores[keep])

    def without(self, ids: np.ndarray) -> "Scored":
        keep = ~np.isin(self.ids, ids, assume_unique=True)
        return Scored(self.ids[keep], self.scores[keep])


def union(parts: list[Scored]) -> Scored:
    """Every document of any part; scores of the parts it is in added (Whoosh's Or)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return Scored.empty()
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p.ids for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    size = max(int(p.ids[-1]) for p in parts) + 1
    if len(ids) * 8 >= size:
        # dense: counting over the number range is linear, where sorting a common word's long
        # postings (a third of all passages) is not
        present = np.bincount(ids, minlength=size).nonzero()[0]
        return Scored(present, np.bincount(ids, weights=scores, minlength=size)[present])
    uniq, inverse = np.unique(ids, return_inverse=True)
    return Scored(uniq, np.bincount(inverse, weights=scores, minlength=len(uniq)))


def intersection(parts: list[Scored]) -> Scored:
    """Documents of every part; scores added (Whoosh's And)."""
    if not parts:
        return Scored.empty()
    result = min(parts, key=len)
    others = [p for p in parts if p is not result]
    ids, scores = result.ids, result.scores
    for p in others:
        if not len(p):
            return Scored.empty()
        # binary search of the (shorter) running result in the sorted ids of the other part
        where = np.minimum(np.searchsorted(p.ids, ids), len(p.ids) - 1)
        found = p.ids[where] == ids
        ids, scores = ids[found], scores[found] + p.scores[where[found]]
        if not len(ids):
            break
    return Scored(ids, scores)


def top(scored: Scored, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best (document numbers, scores), ties by document number; ``allowed`` a bool mask."""
    ids, scores = scored.ids, scored.scores
    if allowed is not None and len(ids):
        inside = ids < len(allowed)
        keep = np.zeros(len(ids), dtype=bool)
        keep[inside] = allowed[ids[inside]]
        ids, scores = ids[keep], scores[keep]
    if not len(ids) or k <= 0:
        return ids[:0], scores[:0]
    if len(ids) > k:
        # everything scoring at least the k-th best (ties included), so the cut is deterministic
        kth = -np.partition(-scores, k - 1)[k - 1]
        keep = scores >= kth
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order], scores[order]
