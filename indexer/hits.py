"""The small types every searcher shares: filters in, passage hits out."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Protocol, Sequence

import numpy as np


@dataclass(frozen=True)
class Filters:
    """Facet filters: OR between the values of one field, AND between fields; dates inclusive
    (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None

    @property
    def empty(self) -> bool:
        return not any(self.values.values()) and not self.date_from and not self.date_to

    def without(self, name: str) -> "Filters":
        return replace(self, values={k: v for k, v in self.values.items() if k != name})

    def with_values(self, extra: Mapping[str, Sequence[str]]) -> "Filters":
        merged = {k: tuple(v) for k, v in self.values.items()}
        for k, vs in extra.items():
            merged[k] = tuple(dict.fromkeys(merged.get(k, ()) + tuple(vs)))
        return replace(self, values=merged)


def date_key(date: str | None, *, end: bool = False) -> int | None:
    """``2023-05`` → 20230500 (start) or 20230599 (end): comparable integers for date ranges."""
    if not date:
        return None
    digits = "".join(ch for ch in date[:10] if ch.isdigit())
    if len(digits) not in (4, 6, 8):
        return None
    pad = "99" if end else "00"
    while len(digits) < 8:
        digits += pad
    return int(digits)


@dataclass(frozen=True)
class PassageHit:
    passage_id: int
    doc_num: int
    score: float


@dataclass(frozen=True)
class HitArrays:
    """Passage hits as arrays, best first. ``keys`` are the searcher's own row numbers; they become
    passage ids (``passage_ids``) only for the few hits a page shows, since a run aggregates hundreds
    of passages to documents and shows two of each."""

    keys: np.ndarray
    docs: np.ndarray
    scores: np.ndarray
    passage_ids: Callable[[np.ndarray], np.ndarray]

    def __len__(self) -> int:
        return len(self.keys)

    def of_document(self, num: int, limit: int) -> list[PassageHit]:
        """The best ``limit`` hits of one document."""
        where = np.flatnonzero(self.docs == num)[:limit]
        if not len(where):
            return []
        pids = self.passage_ids(self.keys[where])
        return [PassageHit(int(p), num, float(s)) for p, s in zip(pids.tolist(), self.scores[where].tolist())]

    def to_hits(self) -> list[PassageHit]:
        pids = self.passage_ids(self.keys).tolist() if len(self.keys) else []
        return [PassageHit(int(p), int(d), float(s))
                for p, d, s in zip(pids, self.docs.tolist(), self.scores.tolist())]


class Searcher(Protocol):
    """Keyword and vector search alike: the best passages for a query, within filters."""

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[PassageHit]: ...
