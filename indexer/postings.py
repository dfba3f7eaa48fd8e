"""Whoosh posting lists and field lengths read in bulk into numpy arrays, with a bounded cache.

Whoosh-Reloaded scores in pure Python, one posting at a time: a common word ("Rat", in a third of
all passages) costs about 50 ms per query on this machine, and collecting every match for facet
counts as much again. Its on-disk format, though, stores postings in blocks (a pickled tuple of
delta-encoded document numbers and an array of weights), so a whole posting list decodes with one
``cumsum`` per block. This module does that, for the pinned Whoosh-Reloaded 2.7.5 codec (W3), and
keeps the arrays in an LRU cache keyed by segment (segments are immutable; deletions are applied
when a list is read for a reader generation).

The stored weight of a posting is the term frequency times the field's boost (Whoosh applies
``field_boost`` at index time), and lengths are Whoosh's one-byte quantised field lengths: with
them, :mod:`indexer.bm25` reproduces Whoosh's BM25F scores exactly.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_W = np.zeros(0, dtype=np.float32)


def _length_table() -> np.ndarray:
    from whoosh.util.numeric import byte_to_length

    return np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


class PostingsCache:
    """Posting arrays by (segment id, field, term), least recently used dropped beyond a byte budget."""

    def __init__(self, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._data: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: tuple, value: tuple[np.ndarray, np.ndarray]) -> None:
        size = value[0].nbytes + value[1].nbytes
        with self._lock:
            if key in self._data:
                return
            self._data[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._data) > 1:
                _, (a, b) = self._data.popitem(last=False)
                self._bytes -= a.nbytes + b.nbytes


def _read_leaf_postings(leaf, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """(local document numbers, weights) of one term in one segment, deletions NOT applied."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    if (field, term) not in leaf:
        return EMPTY_IDS, EMPTY_W
    matcher = leaf._terms.matcher(field, leaf._text_to_bytes(field, term), leaf.schema[field].format)
    if not isinstance(matcher, W3LeafMatcher):  # short lists are stored inline with the term
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)
    id_parts: list[np.ndarray] = []
    w_parts: list[np.ndarray] = []
    while True:
        matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        n = matcher._blocklength
        id_parts.append(np.cumsum(np.asarray(raw_ids, dtype=np.int64)))
        if raw_weights is None:
            w_parts.append(np.ones(n, dtype=np.float32))
        elif isinstance(raw_weights, float):
            w_parts.append(np.full(n, raw_weights, dtype=np.float32))
        else:
            w_parts.append(np.asarray(raw_weights, dtype=np.float32))
        if matcher._lastblock:
            break
        matcher._next_block()
    return np.concatenate(id_parts), np.concatenate(w_parts)


@dataclass
class _Leaf:
    reader: object
    base: int
    count: int
    segid: str
    deleted: np.ndarray | None  # bool mask of deleted local docnums, None if none


class IndexPostings:
    """Bulk access to one generation of a Whoosh index (a top-level reader)."""

    def __init__(self, reader, cache: PostingsCache) -> None:  # type: ignore[no-untyped-def]
        self.reader = reader
        self.cache = cache
        self.size = reader.doc_count_all()
        self.leaves: list[_Leaf] = []
        for leaf, base in reader.leaf_readers():
            count = leaf.doc_count_all()
            deleted = None
            if leaf.has_deletions():
                deleted = np.zeros(count, dtype=bool)
                deleted[np.fromiter(leaf.deleted_docs_set, dtype=np.int64)] = True
            self.leaves.append(_Leaf(leaf, base, count, leaf.segment().segment_id(), deleted))
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._table = _length_table()

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(global document numbers ascending, weights) of ``term`` in ``field``, deleted left out."""
        ids_parts, w_parts = [], []
        for leaf in self.leaves:
            key = (leaf.segid, field, term)
            cached = self.cache.get(key)
            if cached is None:
                # the segment readers are shared by the request threads, and a Whoosh reader's file
                # is not safe for concurrent reads (seek, then read): reads take turns
                with self._lock:
                    cached = _read_leaf_postings(leaf.reader, field, term)
                self.cache.put(key, cached)
            ids, weights = cached
            if not len(ids):
                continue
            if leaf.deleted is not None:
                keep = ~leaf.deleted[ids]
                ids, weights = ids[keep], weights[keep]
            ids_parts.append(ids + leaf.base)
            w_parts.append(weights)
        if not ids_parts:
            return EMPTY_IDS, EMPTY_W
        if len(ids_parts) == 1:
            return ids_parts[0], w_parts[0]
        return np.concatenate(ids_parts), np.concatenate(w_parts)

    def lengths(self, field: str) -> np.ndarray | None:
        """Whoosh's stored length of ``field`` for every document number (None: a field without lengths)."""
        with self._lock:
            if field in self._lengths:
                return self._lengths[field]
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

            parts = []
            for leaf in self.leaves:
                key = (leaf.segid, "_lengths", field)
                cached = self.cache.get(key)
                if cached is None:
                    col = leaf.reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                    if col is None:
                        self._lengths[field] = None  # type: ignore[assignment]
                        return None
                    raw = np.fromiter((col[i] for i in range(leaf.count)), dtype=np.uint8, count=leaf.count)
                    cached = (self._table[raw], EMPTY_W)
                    self.cache.put(key, cached)
                parts.append(cached[0])
            arr = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
            arr[arr <= 0] = 1.0
            self._lengths[field] = arr
            return arr

    def avg_length(self, field: str) -> float:
        return (self.reader.field_length(field) / self.size) if self.size else 1.0

    def doc_frequency(self, field: str, term: str) -> int:
        with self._lock:  # a term lookup reads the shared terms file (see postings)
            return self.reader.doc_frequency(field, term)
