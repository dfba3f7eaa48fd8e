"""The keyword index: Whoosh (BM25F), one entry per passage, kept in step with the store.

Fields: ``title`` (document title, paper name; boosted), ``heading`` (the agenda item of the
passage), ``body`` (the passage), ``refs`` (normalised reference numbers of the paper and of
references in the title; boosted most), and ``dnum``/``pid`` to get back to the store. Facet
filters are not Whoosh fields: they are applied at document level (see ``search_api.doctable``), and
Whoosh gets the allowed passages as a docnum set.

Whoosh-Reloaded is no longer maintained (since 2025-05), so nothing outside this module and
:mod:`indexer.keyword_query` touches it: both sit behind the ``Searcher`` protocol.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer import analysis, bm25, keyword_query
from indexer.errors import IndexerError
from indexer.hits import HitArrays
from indexer.postings import IndexPostings, PostingsCache, write_bulk_postings
from indexer.store import Store

SYNC_FILE = "sync.json"
ANALYSIS_VERSION = "1"


def schema():  # type: ignore[no-untyped-def]
    from whoosh import fields

    text = analysis.index_analyzer()
    return fields.Schema(
        pid=fields.NUMERIC(int, bits=64, stored=True, unique=True),
        dnum=fields.NUMERIC(int, bits=64, stored=True, sortable=True),
        doc=fields.ID(),
        title=fields.TEXT(analyzer=text, field_boost=2.0, phrase=True),
        heading=fields.TEXT(analyzer=text, field_boost=1.5, phrase=True),
        body=fields.TEXT(analyzer=text, phrase=True),
        refs=fields.KEYWORD(lowercase=True, commas=True, field_boost=8.0),
    )


@dataclass(frozen=True)
class SyncState:
    seq: int
    analysis: str


class KeywordIndex:
    """The Whoosh index under ``<data dir>/keyword``: writing (:meth:`sync`) and opening searchers."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def exists(self) -> bool:
        from whoosh import index

        return self.directory.is_dir() and index.exists_in(str(self.directory))

    def open(self):  # type: ignore[no-untyped-def]
        from whoosh import index

        if not self.exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            return index.create_in(str(self.directory), schema())
        return index.open_dir(str(self.directory))

    def state(self) -> SyncState:
        path = self.directory / SYNC_FILE
        if not path.is_file():
            return SyncState(0, ANALYSIS_VERSION)
        data = json.loads(path.read_text())
        return SyncState(int(data.get("seq", 0)), str(data.get("analysis", ANALYSIS_VERSION)))

    def _save_state(self, state: SyncState) -> None:
        tmp = self.directory / (SYNC_FILE + ".tmp")
        tmp.write_text(json.dumps({"seq": state.seq, "analysis": state.analysis}))
        os.replace(tmp, self.directory / SYNC_FILE)

    def sync(self, store: Store, *, progress=None, batch_docs: int = 2000) -> int:  # type: ignore[no-untyped-def]
        """Apply the store's changes since the last sync; returns the number of documents touched.

        Deleting a document's passages and adding the current ones is idempotent, so replaying
        changes after a crash between the Whoosh commit and saving the sequence number is harmless."""
        ix = self.open()
        state = self.state()
        if state.analysis != ANALYSIS_VERSION:
            raise IndexerError("the keyword index was built with another analysis version", reason="index_mismatch",
                               hint="delete the keyword folder: the next 'ratsuche ingest' rebuilds it from the store")
        changes = store.changes_since(state.seq)
        if not changes:
            self.write_bulk_postings(ix)  # an index from before bulk postings, or an interrupted sync
            return 0
        last: OrderedDict[str, str] = OrderedDict()
        for _, doc_id, op in changes:
            last.pop(doc_id, None)
            last[doc_id] = op
        doc_ids = list(last)
        touched = 0
        for i in range(0, len(doc_ids), batch_docs):
            chunk = doc_ids[i:i + batch_docs]
            writer = ix.writer(limitmb=256)
            try:
                for doc_id in chunk:
                    writer.delete_by_term("doc", doc_id)
                passages = store.passages_of([d for d in chunk if last[d] == "upsert"])
                for stored in store.iter_documents([d for d in chunk if last[d] == "upsert"]):
                    doc = stored.document
                    title = index_title(doc)
                    refs = document_references(doc)
                    for row in passages.get(doc.id, []):
                        writer.add_document(pid=row["id"], dnum=stored.num, doc=doc.id, title=title,
                                            heading=row["heading"] or (doc.agenda_item.name if doc.agenda_item else "")
                                            or "", body=row["text"], refs=",".join(refs))
                    if progress is not None:
                        progress.update(1)
                writer.commit(optimize=False)
            except BaseException:
                writer.cancel()
                raise
            touched += len(chunk)
        self._save_state(SyncState(changes[-1][0], ANALYSIS_VERSION))
        self.write_bulk_postings(ix)
        return touched

    def write_bulk_postings(self, ix=None) -> int:  # type: ignore[no-untyped-def]
        """Decode the long posting lists of new segments once, for every searcher (:mod:`indexer.postings`)."""
        ix = ix or self.open()
        with ix.reader() as reader:
            fields = [name for name in reader.schema.names() if reader.schema[name].scorable]
            return write_bulk_postings(self.directory, reader, fields)

    def optimize(self) -> None:
        self.open().optimize()


def index_title(doc) -> str:  # type: ignore[no-untyped-def]
    """The title as the index holds it: the file's, and the paper's name when it differs."""
    if doc.paper and doc.paper.name and doc.paper.name.strip() not in doc.title:
        return f"{doc.title} — {doc.paper.name}"
    return doc.title


def document_references(doc) -> list[str]:  # type: ignore[no-untyped-def]
    """The paper's reference and those in the title, normalised ("DS 26/2022" → "26/2022")."""
    refs: list[str] = []
    if doc.paper and doc.paper.reference:
        refs.append(analysis.normalize_reference(doc.paper.reference))
    refs.extend(analysis.normalize_reference(r) for r in analysis.find_references(doc.title))
    return [r for r in dict.fromkeys(refs) if r]


def lucene_bm25f(k1: float, b: float):  # type: ignore[no-untyped-def]
    """BM25F with the Lucene/Robertson idf log(1 + (N − n + 0.5)/(n + 0.5)); Whoosh's own idf
    measured 0.003–0.033 nDCG@10 worse (docs/analysis.md)."""
    import math

    from whoosh import scoring

    class LuceneIdfBM25F(scoring.BM25F):
        def idf(self, searcher, fieldname, text):  # type: ignore[no-untyped-def]
            parent = searcher.get_parent()
            n, total = parent.doc_frequency(fieldname, text), parent.doc_count_all()
            return math.log(1 + (total - n + 0.5) / (n + 0.5))

    return LuceneIdfBM25F(B=b, K1=k1)


class KeywordView:
    """One generation of the index for one request: every docnum it gives is valid in ``dnums``.

    Plans are executed with vectorised BM25F over posting lists read in bulk (:mod:`indexer.postings`,
    :mod:`indexer.bm25`); only phrases ask Whoosh for their matches."""

    def __init__(self, searcher, dnums: np.ndarray, postings: IndexPostings) -> None:  # type: ignore[no-untyped-def]
        self.searcher = searcher
        self.dnums = dnums
        self.postings = postings

    # --- what query building asks (keyword_query.TermSource) ----------------------------------

    def term_exists(self, field: str, term: str) -> bool:
        return self.searcher.reader().doc_frequency(field, term) > 0

    def doc_frequency(self, field: str, term: str) -> int:
        return self.searcher.reader().doc_frequency(field, term)

    def expand_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Index terms starting with ``prefix``, the most frequent first, at most ``limit``."""
        reader = self.searcher.reader()
        terms = list(itertools.islice(reader.expand_prefix(field, prefix), limit * 20))
        terms.sort(key=lambda t: -reader.doc_frequency(field, t))
        return terms[:limit]

    def fuzzy_terms(self, field: str, term: str, maxdist: int, limit: int) -> list[str]:
        """Index terms within ``maxdist`` edits of ``term`` (same first letter), most frequent first."""
        reader = self.searcher.reader()
        terms = [t for t in itertools.islice(reader.terms_within(field, term, maxdist, prefix=1), limit * 20)
                 if t != term]
        terms.sort(key=lambda t: -reader.doc_frequency(field, t))
        return terms[:limit]

    # --- execution -----------------------------------------------------------------------------

    def _term(self, field: str, term: str, boost: float) -> bm25.Scored:
        ids, weights = self.postings.postings(field, term)
        if not len(ids):
            return bm25.Scored.empty()
        avg = self.postings.avg_length(field) or 1.0
        lengths = self.postings.lengths(field)
        lens = lengths[ids] if lengths is not None else avg
        idf = bm25.lucene_idf(self.postings.doc_frequency(field, term), self.postings.size)
        return bm25.Scored(ids, boost * bm25.bm25(idf, weights, lens, avg))

    def _option(self, option) -> bm25.Scored:  # type: ignore[no-untyped-def]
        per_term = [bm25.union([self._term(f, t, option.boost) for f in option.fields]) for t in option.terms]
        scored = bm25.intersection(per_term)
        if isinstance(option, keyword_query.Phrase) and len(scored):
            from whoosh import query as wq

            q = wq.Or([wq.Phrase(f, list(option.terms)) for f in option.fields])
            scored = scored.restricted(np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64))
        return scored

    def _clause(self, clause: keyword_query.PlanClause) -> bm25.Scored:
        return bm25.union([self._option(o) for o in clause.options])

    def execute(self, plan: keyword_query.Plan) -> bm25.Scored:
        """Every passage matching the plan, with its score."""
        clauses = [self._clause(c) for c in plan.clauses]
        if not clauses:
            main = bm25.Scored.empty()
        elif plan.combine == "and":
            main = bm25.intersection(clauses)
        else:
            main = bm25.union(clauses)
        if plan.references:
            refs = bm25.union([self._term("refs", r, keyword_query.REFERENCE_BOOST) for r in plan.references])
            main = bm25.union([refs, main])
        if plan.excluded and len(main):
            excluded = bm25.union([self._clause(c) for c in plan.excluded])
            main = main.without(excluded.ids)
        return main

    def top(self, scored: bm25.Scored, k: int, allowed: np.ndarray | None = None) -> HitArrays:
        """The ``k`` best passages (``allowed``: a bool mask over Whoosh docnums); passage ids are
        read from the stored fields only for the hits that are asked for."""
        ids, scores = bm25.top(scored, k, allowed)
        return HitArrays(ids, self.dnums[ids], scores, self._passage_ids)

    def _passage_ids(self, docnums: np.ndarray) -> np.ndarray:
        stored = self.searcher.stored_fields
        return np.fromiter((stored(int(i))["pid"] for i in docnums), dtype=np.int64, count=len(docnums))


class KeywordSearcher:
    """BM25F search over passages; one Whoosh searcher per thread, refreshed when the index
    changes — between requests, never inside one (see :meth:`view`)."""

    def __init__(self, index: KeywordIndex, *, k1: float = bm25.K1, b: float = bm25.B) -> None:
        if not index.exists():
            raise IndexerError("no keyword index", reason="no_index", hint="run 'ratsuche ingest SOURCE' first")
        self.index = index
        self._ix = index.open()
        self._local = threading.local()
        self._generation: tuple | None = None
        self._lock = threading.Lock()
        self.cache = PostingsCache()
        self.k1, self.b = k1, b

    def _searcher(self):  # type: ignore[no-untyped-def]
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._ix.searcher(weighting=lucene_bm25f(self.k1, self.b))
        elif not s.up_to_date():
            s = s.refresh()
        self._local.searcher = s
        return s

    def view(self) -> KeywordView:
        s = self._searcher()
        return KeywordView(s, *self._arrays_for(s))

    def _arrays_for(self, s):  # type: ignore[no-untyped-def]
        """For this searcher's generation: each Whoosh docnum's store document number (−1 when
        deleted), and the bulk postings reader."""
        reader = s.reader()
        gen = reader.generation()
        with self._lock:
            if self._generation is None or self._generation[0] != gen:
                n = reader.doc_count_all()
                col = reader.column_reader("dnum")
                dnums = np.fromiter((col[i] for i in range(n)), dtype=np.int64, count=n)
                if reader.has_deletions():
                    dnums[np.fromiter((i for i in range(n) if reader.is_deleted(i)), dtype=np.int64)] = -1
                self._generation = (gen, dnums, IndexPostings(reader, self.cache, self.index.directory))
            return self._generation[1:]


def docnums_for_docs(dnums: np.ndarray, doc_mask: np.ndarray) -> np.ndarray:
    """A bool mask over Whoosh docnums: those whose document ``doc_mask`` (indexed by store document
    number) allows."""
    ok = np.zeros(len(dnums), dtype=bool)
    inside = (dnums >= 0) & (dnums < len(doc_mask))
    ok[inside] = doc_mask[dnums[inside]]
    return ok
