"""Whoosh posting lists and field lengths read in bulk into numpy arrays, with a bounded cache.

Whoosh-Reloaded scores in pure Python, one posting at a time: a common word ("Rat", in a third of
all passages) costs about 50 ms per query on this machine, and collecting every match for facet
counts as much again. Its on-disk format, though, stores postings in blocks (a pickled tuple of
delta-encoded document numbers and an array of weights), so a whole posting list decodes with one
``cumsum`` per block. This module does that, for the pinned Whoosh-Reloaded 2.7.5 codec (W3), and
keeps the arrays in an LRU cache keyed by segment (segments are immutable; deletions are applied
when a list is read for a reader generation).

Decoding is Python work (unpickling each block), about half a microsecond per posting: a common
word's list at the 10× corpus (a quarter of a million postings) costs 150 ms the first time. So the
long lists of each segment (at least ``BULK_MIN_DF`` postings) are also decoded once, when the index
is synced, into plain arrays beside the index (``bulk/<segment id>/``) that every server process
maps from disk and slices without decoding (:func:`write_bulk_postings`).

The stored weight of a posting is the term frequency times the field's boost (Whoosh applies
``field_boost`` at index time), and lengths are Whoosh's one-byte quantised field lengths: with
them, :mod:`indexer.bm25` reproduces Whoosh's BM25F scores exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_W = np.zeros(0, dtype=np.float32)
BULK_DIR = "bulk"
BULK_MIN_DF = 1024  # 8 blocks of Whoosh's 128 postings: shorter lists decode in well under a millisecond


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
    bulk: "BulkPostings | None" = None


class BulkPostings:
    """The long posting lists of one segment, decoded: local document numbers (int32) and weights
    (float32) of every list, end to end, memory-mapped; ``terms`` gives each (field, term) its slice."""

    def __init__(self, directory: Path) -> None:
        spans = json.loads((directory / "terms.json").read_text(encoding="utf-8"))
        self.terms = {(f, t): (a, b) for f, by_term in spans.items() for t, (a, b) in by_term.items()}
        self.ids = np.load(directory / "ids.npy", mmap_mode="r")
        self.weights = np.load(directory / "weights.npy", mmap_mode="r")

    @classmethod
    def open(cls, index_dir: Path | None, segid: str) -> "BulkPostings | None":
        if index_dir is None:
            return None
        directory = Path(index_dir) / BULK_DIR / segid
        if not (directory / "terms.json").is_file():
            return None
        try:
            return cls(directory)
        except (OSError, ValueError, KeyError):
            return None  # unreadable: the lists are decoded as if there were none

    def get(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        span = self.terms.get((field, term))
        if span is None:
            return None
        a, b = span
        return self.ids[a:b].astype(np.int64), np.asarray(self.weights[a:b])


def write_bulk_postings(index_dir: Path, reader, fields: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Write the decoded long posting lists of every segment of ``reader`` that has none yet, and
    remove those of segments that are gone; returns the number of segments written. Segments never
    change once written, so neither do their files (written to a temporary folder, then renamed)."""
    root = Path(index_dir) / BULK_DIR
    root.mkdir(exist_ok=True)
    live = set()
    written = 0
    for leaf, _ in reader.leaf_readers():
        segid = leaf.segment().segment_id()
        live.add(segid)
        if (root / segid / "terms.json").is_file():
            continue
        spans: dict[str, dict[str, list[int]]] = {}
        id_parts: list[np.ndarray] = []
        w_parts: list[np.ndarray] = []
        pos = 0
        for field in fields:
            for text, info in leaf.iter_field(field):
                if info.doc_frequency() < BULK_MIN_DF:
                    continue
                term = text.decode("utf-8") if isinstance(text, bytes) else text
                ids, weights = _read_leaf_postings(leaf, field, term)
                spans.setdefault(field, {})[term] = [pos, pos + len(ids)]
                pos += len(ids)
                id_parts.append(ids.astype(np.int32))
                w_parts.append(weights.astype(np.float32))
        tmp = root / f".{segid}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        np.save(tmp / "ids.npy", np.concatenate(id_parts) if id_parts else np.zeros(0, np.int32))
        np.save(tmp / "weights.npy", np.concatenate(w_parts) if w_parts else np.zeros(0, np.float32))
        (tmp / "terms.json").write_text(json.dumps(spans, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(root / segid, ignore_errors=True)
        os.replace(tmp, root / segid)
        written += 1
    for stale in root.iterdir():
        if stale.name not in live:
            shutil.rmtree(stale, ignore_errors=True)
    return written


class IndexPostings:
    """Bulk access to one generation of a Whoosh index (a top-level reader)."""

    def __init__(self, reader, cache: PostingsCache, index_dir: Path | None = None) -> None:  # type: ignore[no-untyped-def]
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
            segid = leaf.segment().segment_id()
            self.leaves.append(_Leaf(leaf, base, count, segid, deleted, BulkPostings.open(index_dir, segid)))
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._table = _length_table()

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(global document numbers ascending, weights) of ``term`` in ``field``, deleted left out."""
        ids_parts, w_parts = [], []
        for leaf in self.leaves:
            key = (leaf.segid, field, term)
            cached = leaf.bulk.get(field, term) if leaf.bulk is not None else None
            if cached is None:
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
