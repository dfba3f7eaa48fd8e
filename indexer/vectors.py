"""The vector index: one embedding per passage, searched exactly or with HNSW above a size.

The embeddings themselves live in the store (``passages.embedding``); this index is a cache of
them in one ``.npz`` file (replaced atomically) that catches up with the store's change log, like
the keyword index. Rows of documents that are no longer in the store are dropped; rows of changed
documents are replaced. The index records the model it was built with and refuses another.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.embedding import EmbeddingInfo
from indexer.errors import IndexerError
from indexer.hits import HitArrays, PassageHit
from indexer.store import Store

DATA_FILE = "vectors.npz"
META_FILE = "meta.json"
ANN_FILE = "hnsw.faiss"
ANN_IDS = "hnsw_ids.npy"
ANN_META = "hnsw.json"
# faiss HNSW, chosen by measurement (docs/semantic.md): on real query embeddings over the public
# council corpus (109,200 passages), recall@10 0.996 against exact search (ties counted: the corpus
# repeats passages word for word) at 2.3 ms per query, against 5.9 ms exact (one thread,
# benchmarks/results/ann-product.json); usearch was slower to build at the same recall
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 512
#: a share of dead (deleted or replaced) rows in the graph above which it is rebuilt
ANN_REBUILD_DEAD = 0.2
#: filtered searches over fewer rows than this are exact (cheaper than filtering graph results)
EXACT_SUBSET = 50_000


@dataclass
class VectorData:
    ids: np.ndarray      # int64 passage ids
    docs: np.ndarray     # int64 store document numbers
    vectors: np.ndarray  # float32 (n, dim), normalised
    seq: int
    info: EmbeddingInfo | None


class VectorIndex:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def exists(self) -> bool:
        return (self.directory / META_FILE).is_file() and (self.directory / DATA_FILE).is_file()

    def info(self) -> EmbeddingInfo | None:
        path = self.directory / META_FILE
        if not path.is_file():
            return None
        meta = json.loads(path.read_text())
        return EmbeddingInfo.from_json(meta["info"]) if meta.get("info") else None

    def load(self) -> VectorData:
        if not self.exists():
            return VectorData(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 0), np.float32), 0, None)
        meta = json.loads((self.directory / META_FILE).read_text())
        with np.load(self.directory / DATA_FILE) as npz:
            data = VectorData(npz["ids"], npz["docs"], npz["vectors"], int(meta["seq"]),
                              EmbeddingInfo.from_json(meta["info"]) if meta.get("info") else None)
        if len(data.ids) != int(meta.get("count", len(data.ids))):
            raise IndexerError("vector index files disagree; rebuild it", reason="index_corrupt")
        return data

    def save(self, data: VectorData) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / (DATA_FILE + ".tmp.npz")
        np.savez(tmp, ids=data.ids, docs=data.docs, vectors=data.vectors)
        # the meta names the count: a crash between the two replaces is detected and repaired by sync
        os.replace(tmp, self.directory / DATA_FILE)
        meta_tmp = self.directory / (META_FILE + ".tmp")
        meta_tmp.write_text(json.dumps({"seq": data.seq, "count": int(len(data.ids)),
                                        "info": data.info.to_json() if data.info else None}))
        os.replace(meta_tmp, self.directory / META_FILE)

    # --- the HNSW graph above the size threshold ---------------------------------------------

    def ann_state(self) -> tuple[int, int] | None:
        """(sequence number, rows) of the stored graph, or None."""
        meta = self.directory / ANN_META
        if not meta.is_file():
            return None
        data = json.loads(meta.read_text())
        return int(data["seq"]), int(data["rows"])

    def load_ann(self):  # type: ignore[no-untyped-def]
        """(faiss index, passage ids in graph order) or None."""
        if self.ann_state() is None:
            return None
        import faiss

        index = faiss.read_index(str(self.directory / ANN_FILE))
        index.hnsw.efSearch = HNSW_EF_SEARCH
        return index, np.load(self.directory / ANN_IDS)

    def update_ann(self, data: VectorData, threshold: int) -> str:
        """Build, extend or drop the graph to match ``data``; returns what was done."""
        if len(data.ids) <= threshold:
            for name in (ANN_META, ANN_FILE, ANN_IDS):
                (self.directory / name).unlink(missing_ok=True)
            return "exact"
        import faiss

        faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))
        loaded = self.load_ann()
        action = "built"
        if loaded is not None:
            index, ids = loaded
            dead = ~np.isin(ids, data.ids)
            if dead.mean() <= ANN_REBUILD_DEAD and index.d == data.vectors.shape[1]:
                new = ~np.isin(data.ids, ids)
                if new.any():
                    index.add(data.vectors[new])
                    ids = np.concatenate([ids, data.ids[new]])
                action = "extended"
            else:
                loaded = None
        if loaded is None:
            index = faiss.IndexHNSWFlat(data.vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.add(data.vectors)
            ids = data.ids.copy()
        faiss.write_index(index, str(self.directory / (ANN_FILE + ".tmp")))
        np.save(self.directory / (ANN_IDS + ".tmp.npy"), ids)
        os.replace(self.directory / (ANN_FILE + ".tmp"), self.directory / ANN_FILE)
        os.replace(self.directory / (ANN_IDS + ".tmp.npy"), self.directory / ANN_IDS)
        # written last: a graph whose sequence number is not the vectors' is never used
        (self.directory / (ANN_META + ".tmp")).write_text(json.dumps({"seq": data.seq, "rows": int(len(ids))}))
        os.replace(self.directory / (ANN_META + ".tmp"), self.directory / ANN_META)
        return action

    def sync(self, store: Store, info: EmbeddingInfo | None = None, *, ann_threshold: int | None = None) -> int:
        """Bring the index in step with the store; returns the number of changed documents."""
        try:
            data = self.load()
        except (IndexerError, OSError, ValueError, KeyError):
            data = VectorData(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 0), np.float32), 0, None)
        stored_info = store.meta("embedding_info")
        if stored_info:
            store_info = EmbeddingInfo.from_json(stored_info)
            if data.info is not None:
                data.info.check_compatible(store_info)
            data.info = store_info
        if info is not None and data.info is not None:
            data.info.check_compatible(info)
        changes = store.changes_since(data.seq)
        if not changes:
            if ann_threshold is not None and data.info is not None and self.ann_state() != (data.seq, len(data.ids)) \
                    and (len(data.ids) > ann_threshold or self.ann_state() is not None):
                self.update_ann(data, ann_threshold)
            return 0
        upserted = {doc_id for _, doc_id, op in changes if op == "upsert"}
        con = store.con
        live = np.fromiter((r[0] for r in con.execute("SELECT num FROM documents")), dtype=np.int64)
        fresh_ids: list[int] = []
        fresh_docs: list[int] = []
        fresh_vecs: list[bytes] = []
        fresh_nums: set[int] = set()
        for pid, num, blob in store.rows_in(
                "SELECT p.id, p.doc_num, p.embedding FROM passages p JOIN documents d ON d.num = p.doc_num "
                "WHERE d.id IN ({marks}) AND p.embedding IS NOT NULL ORDER BY p.id", sorted(upserted)):
            fresh_ids.append(pid)
            fresh_docs.append(num)
            fresh_vecs.append(blob)
            fresh_nums.add(num)
        keep = np.isin(data.docs, live) & ~np.isin(data.docs, np.fromiter(fresh_nums, dtype=np.int64))
        if fresh_vecs:
            dim = len(fresh_vecs[0]) // 4
            new = np.frombuffer(b"".join(fresh_vecs), dtype=np.float32).reshape(-1, dim)
            old = data.vectors[keep] if data.vectors.size else np.zeros((0, dim), np.float32)
            data.vectors = np.concatenate([old, new]) if len(old) else new.copy()
        else:
            data.vectors = data.vectors[keep] if data.vectors.size else data.vectors
        data.ids = np.concatenate([data.ids[keep], np.asarray(fresh_ids, dtype=np.int64)])
        data.docs = np.concatenate([data.docs[keep], np.asarray(fresh_docs, dtype=np.int64)])
        data.seq = changes[-1][0]
        self.save(data)
        if ann_threshold is not None:
            self.update_ann(data, ann_threshold)
        return len({doc_id for _, doc_id, _ in changes})


def rows_of(ids: np.ndarray, row_ids: np.ndarray) -> np.ndarray:
    """For each of ``ids``, its position in ``row_ids`` (−1 where it is not there)."""
    if not len(row_ids):
        return np.full(len(ids), -1, dtype=np.int64)
    order = np.argsort(row_ids)
    sorted_ids = row_ids[order]
    where = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return np.where(sorted_ids[where] == ids, order[where], -1)


class VectorSearcher:
    """Search over the index, reloaded when the index files change: exact (a matrix product) below
    the size threshold, HNSW above it (when its graph is in step with the vectors)."""

    def __init__(self, index: VectorIndex) -> None:
        if not index.exists():
            raise IndexerError("no vector index", reason="no_index")
        self.index = index
        self._lock = threading.Lock()
        self._loaded: tuple[float, float, VectorData, object] | None = None

    def _state(self) -> tuple[VectorData, object]:
        try:
            meta = (self.index.directory / META_FILE).stat().st_mtime
        except FileNotFoundError:  # being rebuilt (ratsuche reembed): keep searching what we have
            with self._lock:
                if self._loaded is not None:
                    return self._loaded[2], self._loaded[3]
            raise IndexerError("no vector index", reason="no_index") from None
        ann_path = self.index.directory / ANN_META
        ann_mtime = ann_path.stat().st_mtime if ann_path.is_file() else 0.0
        with self._lock:
            if self._loaded is None or self._loaded[:2] != (meta, ann_mtime):
                data = self.index.load()
                ann = None
                if self.index.ann_state() is not None and self.index.ann_state()[0] == data.seq:
                    import faiss

                    faiss.omp_set_num_threads(1)  # one request, one thread
                    index, ids = self.index.load_ann()
                    ann = (index, rows_of(ids, data.ids))
                self._loaded = (meta, ann_mtime, data, ann)
            return self._loaded[2], self._loaded[3]

    def data(self) -> VectorData:
        return self._state()[0]

    @property
    def info(self) -> EmbeddingInfo | None:
        return self.data().info

    @property
    def uses_ann(self) -> bool:
        return self._state()[1] is not None

    def search_vector(self, query: np.ndarray, k: int, doc_mask: np.ndarray | None = None) -> list[PassageHit]:
        return self.top(query, k, doc_mask).to_hits()

    def top(self, query: np.ndarray, k: int, doc_mask: np.ndarray | None = None) -> HitArrays:
        """The ``k`` passages nearest to ``query`` (a normalised vector), best first, within the
        documents ``doc_mask`` (indexed by store document number) allows."""
        data, ann = self._state()
        rows = self._top_rows(data, ann, query.astype(np.float32), k, doc_mask)
        return HitArrays(rows[0], data.docs[rows[0]], rows[1], lambda keys: data.ids[keys])

    def _top_rows(self, data: VectorData, ann, query: np.ndarray, k: int,  # type: ignore[no-untyped-def]
                  doc_mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        none = (np.zeros(0, np.int64), np.zeros(0, np.float32))
        if not len(data.ids) or k <= 0:
            return none
        allowed_rows = None
        if doc_mask is not None:
            inside = data.docs < len(doc_mask)
            allowed_rows = np.nonzero(inside)[0]
            allowed_rows = allowed_rows[doc_mask[data.docs[allowed_rows]]]
            if not len(allowed_rows):
                return none
        if ann is None or (allowed_rows is not None and len(allowed_rows) < EXACT_SUBSET):
            return self._exact(data, query, k, allowed_rows)
        index, rows_of = ann
        allowed = None
        if allowed_rows is not None:
            allowed = np.zeros(len(data.ids), dtype=bool)
            allowed[allowed_rows] = True
        fetch = k if allowed is None else k * 4  # more when a filter will drop some
        while True:
            scores, labels = index.search(query[None, :], min(fetch, index.ntotal))
            labels, scores = labels[0], scores[0]
            ok = labels >= 0
            rows = rows_of[labels[ok]]
            scores = scores[ok]
            keep = rows >= 0
            if allowed is not None:
                keep &= allowed[np.maximum(rows, 0)]
            rows, scores = rows[keep], scores[keep]
            if len(rows) >= k or fetch >= index.ntotal:
                break
            fetch *= 4
            if fetch > 64 * k:  # the filter is too selective for the graph: exact is cheaper
                return self._exact(data, query, k, allowed_rows)
        return rows[:k], scores[:k]

    @staticmethod
    def _exact(data: VectorData, query: np.ndarray, k: int, rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        scores = (data.vectors[rows] if rows is not None else data.vectors) @ query
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return (rows[top] if rows is not None else top), scores[top]
