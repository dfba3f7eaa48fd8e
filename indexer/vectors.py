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
from indexer.hits import PassageHit
from indexer.store import Store

DATA_FILE = "vectors.npz"
META_FILE = "meta.json"


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

    def sync(self, store: Store, info: EmbeddingInfo | None = None) -> int:
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
            return 0
        upserted = {doc_id for _, doc_id, op in changes if op == "upsert"}
        con = store.con
        live = np.fromiter((r[0] for r in con.execute("SELECT num FROM documents")), dtype=np.int64)
        fresh_ids: list[int] = []
        fresh_docs: list[int] = []
        fresh_vecs: list[bytes] = []
        fresh_nums: set[int] = set()
        ids = list(upserted)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = con.execute(
                "SELECT p.id, p.doc_num, p.embedding FROM passages p JOIN documents d ON d.num = p.doc_num "
                f"WHERE d.id IN ({','.join('?' * len(chunk))}) AND p.embedding IS NOT NULL ORDER BY p.id", chunk)
            for pid, num, blob in rows:
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
        return len({doc_id for _, doc_id, _ in changes})


class VectorSearcher:
    """Exact search (a matrix product) over the index, reloaded when the index file changes."""

    def __init__(self, index: VectorIndex) -> None:
        if not index.exists():
            raise IndexerError("no vector index", reason="no_index")
        self.index = index
        self._lock = threading.Lock()
        self._loaded: tuple[float, VectorData] | None = None

    def data(self) -> VectorData:
        mtime = (self.index.directory / META_FILE).stat().st_mtime
        with self._lock:
            if self._loaded is None or self._loaded[0] != mtime:
                self._loaded = (mtime, self.index.load())
            return self._loaded[1]

    @property
    def info(self) -> EmbeddingInfo | None:
        return self.data().info

    def search_vector(self, query: np.ndarray, k: int, doc_mask: np.ndarray | None = None) -> list[PassageHit]:
        data = self.data()
        if not len(data.ids) or k <= 0:
            return []
        if doc_mask is not None:
            inside = data.docs < len(doc_mask)
            rows = np.nonzero(inside)[0]
            rows = rows[doc_mask[data.docs[rows]]]
            if not len(rows):
                return []
            scores = data.vectors[rows] @ query.astype(np.float32)
        else:
            rows = None
            scores = data.vectors @ query.astype(np.float32)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        idx = rows[top] if rows is not None else top
        return [PassageHit(passage_id=int(data.ids[i]), doc_num=int(data.docs[i]), score=float(s))
                for i, s in zip(idx, scores[top])]
