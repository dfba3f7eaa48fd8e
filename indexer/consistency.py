"""Are the store and the indexes in step? Used after crashes (tests, ``ratsuche check``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.keyword import KeywordIndex
from indexer.store import Store
from indexer.vectors import VectorIndex


@dataclass(frozen=True)
class Consistency:
    documents: int
    passages: int
    keyword_passages: int
    vector_passages: int | None
    missing_in_keyword: int
    extra_in_keyword: int
    missing_in_vectors: int
    extra_in_vectors: int
    duplicate_documents: int

    @property
    def ok(self) -> bool:
        return not (self.missing_in_keyword or self.extra_in_keyword or self.missing_in_vectors
                    or self.extra_in_vectors or self.duplicate_documents)


def check(store: Store, keyword: KeywordIndex, vectors: VectorIndex | None = None) -> Consistency:
    con = store.con
    passages = {r[0] for r in con.execute("SELECT id FROM passages")}
    embedded = {r[0] for r in con.execute("SELECT id FROM passages WHERE embedding IS NOT NULL")}
    duplicates = con.execute("SELECT count(*) - count(DISTINCT id) FROM documents").fetchone()[0]
    kw: set[int] = set()
    if keyword.exists():
        with keyword.open().searcher() as s:
            for fields in s.all_stored_fields():
                kw.add(int(fields["pid"]))
    vec: set[int] | None = None
    if vectors is not None and vectors.exists():
        vec = set(np.asarray(vectors.load().ids).tolist())
    return Consistency(
        documents=store.count_documents(), passages=len(passages), keyword_passages=len(kw),
        vector_passages=len(vec) if vec is not None else None,
        missing_in_keyword=len(passages - kw), extra_in_keyword=len(kw - passages),
        missing_in_vectors=len(embedded - vec) if vec is not None else len(embedded),
        extra_in_vectors=len(vec - embedded) if vec is not None else 0,
        duplicate_documents=duplicates,
    )
