"""Documents as columns in memory: the base of filters, facet counts and suggestions.

Built from the store (documents and their facet values) and rebuilt when the store changes. Arrays
are indexed by the store's document number (``documents.num``), so a filter is a boolean mask and a
facet count a ``bincount`` — fast enough to count every facet over every match on each request.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.hits import Filters, date_key
from indexer.store import FACET_FIELDS, Store


@dataclass(frozen=True)
class FacetColumn:
    values: tuple[str, ...]           # distinct values, sorted
    doc: np.ndarray                   # int32: document number of each (document, value) pair
    value: np.ndarray                 # int32: index into ``values`` of each pair
    index: dict[str, int]


class DocTable:
    def __init__(self, store: Store) -> None:
        con = store.con
        self.generation = store.last_change()
        rows = con.execute("SELECT num, id, date, title FROM documents").fetchall()
        size = (max((r[0] for r in rows), default=0)) + 1
        self.size = size
        self.exists = np.zeros(size, dtype=bool)
        self.dates = np.zeros(size, dtype=np.int64)
        self.ids: dict[int, str] = {}
        self.titles: dict[int, str] = {}
        for num, doc_id, date, title in rows:
            self.exists[num] = True
            self.ids[num] = doc_id
            self.titles[num] = title
            self.dates[num] = date_key(date) or 0
        pairs: dict[str, list[tuple[int, str]]] = {f: [] for f in FACET_FIELDS}
        for num, fld, value in con.execute("SELECT doc_num, field, value FROM facets"):
            if fld in pairs:
                pairs[fld].append((num, value))
        self.columns: dict[str, FacetColumn] = {}
        for fld, items in pairs.items():
            values = tuple(sorted({v for _, v in items}))
            index = {v: i for i, v in enumerate(values)}
            self.columns[fld] = FacetColumn(
                values=values,
                doc=np.fromiter((n for n, _ in items), dtype=np.int32, count=len(items)),
                value=np.fromiter((index[v] for _, v in items), dtype=np.int32, count=len(items)),
                index=index,
            )

    def __len__(self) -> int:
        return int(self.exists.sum())

    def mask(self, filters: Filters | None) -> np.ndarray:
        """Documents that pass every filter (OR within a field, AND across fields)."""
        mask = self.exists.copy()
        if filters is None or filters.empty:
            return mask
        for fld, wanted in filters.values.items():
            if not wanted:
                continue
            col = self.columns.get(fld)
            ok = np.zeros(self.size, dtype=bool)
            if col is not None:
                ids = [col.index[v] for v in wanted if v in col.index]
                if ids:
                    sel = np.isin(col.value, ids)
                    ok[col.doc[sel]] = True
            mask &= ok
        lo, hi = date_key(filters.date_from), date_key(filters.date_to, end=True)
        if lo is not None:
            mask &= self.dates >= lo
        if hi is not None:
            mask &= (self.dates <= hi) & (self.dates > 0)
        return mask

    def counts(self, fld: str, doc_mask: np.ndarray) -> list[tuple[str, int]]:
        """(value, number of documents in ``doc_mask`` with it), most frequent first."""
        col = self.columns.get(fld)
        if col is None or not len(col.doc):
            return []
        sel = doc_mask[col.doc]
        counts = np.bincount(col.value[sel], minlength=len(col.values))
        order = np.lexsort((np.arange(len(col.values)), -counts))
        return [(col.values[i], int(counts[i])) for i in order if counts[i] > 0]
