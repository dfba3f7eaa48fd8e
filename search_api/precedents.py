"""Precedents: documents like a given document, or like a pasted text (a draft motion).

A document is represented by the mean of its passage embeddings; candidates come from the nearest
passages, aggregated to documents by their best passage. The score mixes that similarity with the
overlap of entities (parties, persons, places, Gremien): two motions about the same street by the
same faction are closer precedents than two merely similar texts. Near-duplicates of the document
itself (the same text attached to several papers, an Auszug of the same item) are left out.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

ENTITY_WEIGHT = 0.15
NEAR_DUPLICATE = 0.97


def mean_vector(vectors: np.ndarray) -> np.ndarray | None:
    if vectors.size == 0:
        return None
    v = vectors.mean(axis=0)
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float32) if norm > 0 else None


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 0.0


def precedent_score(similarity: float, shared_entities: float) -> float:
    return (1 - ENTITY_WEIGHT) * similarity + ENTITY_WEIGHT * shared_entities


def is_near_duplicate(similarity: float, title_a: str, title_b: str) -> bool:
    return similarity >= NEAR_DUPLICATE or (similarity >= 0.9 and title_a.strip().lower() == title_b.strip().lower())
