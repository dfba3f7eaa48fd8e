"""Search: keyword, semantic and hybrid, aggregated to documents, with facets and highlights.

The :class:`SearchEngine` holds what the indexes need open (the store read-only, the keyword and
vector searchers, the query embedder, the document table) and answers :class:`SearchRequest`\\s.
It is built once (by the CLI or ``create_app``) and shared read-only between threads; it notices
when ingestion has changed the store and reloads its document table.

- keyword: BM25F over passages, all words preferred; when that finds fewer documents than asked
  for, documents that match any word follow.
- semantic: cosine similarity of the query's embedding to passage embeddings.
- hybrid: both runs aggregated to documents and fused (``fusion`` setting: keyword first with a
  semantic share by default, reciprocal rank fusion or a weighted sum as options).
- If the vector index or the embedding model is missing, semantic and hybrid answer by keyword
  and say so (``mode_used``).

Facet counts are over every document the query matches (keyword) or over the semantic candidates
(semantic), each facet counted with all other filters applied but its own ("disjunctive" facets),
so a user sees what choosing another value would give.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from corpora.settings import Settings
from indexer.doctable import DocTable
from indexer.errors import IndexMismatchError, MissingDependencyError
from indexer.hits import Filters, HitArrays, PassageHit
from indexer.query import ParsedQuery, parse_query
from indexer.store import FACET_FIELDS, Store, StoredDocument
from search_api.errors import BadRequest, NotFound, Unavailable
from search_api.fusion import depth_independent, ranked, reciprocal_rank_fusion, weighted_fusion
from search_api.highlight import highlight, query_terms
from search_api.suggest import Suggester, Suggestion, fold

MODES = ("keyword", "semantic", "hybrid")


SORTS = ("relevance", "date_desc", "date_asc")
DEFAULT_FACETS = ("body", "organization", "document_type", "paper_type", "year", "party", "person", "place")
SEMANTIC_CANDIDATES = 200
#: the head of each run that hybrid fusion reads, in passages: the same for every page, so a page of
#: 10 is the start of a page of 100 and paging neither repeats nor skips documents (every request
#: runs at least this deep: 2 × SEMANTIC_CANDIDATES)
FUSION_HEAD = 2 * SEMANTIC_CANDIDATES
PASSAGES_PER_DOC = 3
DOCUMENT_CACHE = 16384  # documents as hits show them, about 10 KiB each
ANY_WORD_BELOW = 100  # fewer documents than this contain every query word: any-word matches follow


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    mode: str = "hybrid"
    filters: Filters = field(default_factory=Filters)
    facets: tuple[str, ...] = DEFAULT_FACETS
    facet_size: int = 10
    sort: str = "relevance"
    offset: int = 0
    limit: int = 10
    highlight: bool = True


@dataclass(frozen=True)
class Highlight:
    passage_id: int
    page: int
    html: str
    heading: str | None = None
    speaker: str | None = None


@dataclass(frozen=True)
class DocumentHit:
    id: str
    rank: int
    score: float
    title: str
    document_type: str | None
    date: str | None
    body: str | None
    organizations: tuple[str, ...]
    paper_type: str | None
    reference: str | None
    meeting: str | None
    agenda_item: str | None
    url: str | None
    highlights: tuple[Highlight, ...]
    parties: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchResponse:
    query: str
    mode: str
    mode_used: str
    total: int
    offset: int
    limit: int
    results: tuple[DocumentHit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    took_ms: float
    notes: tuple[str, ...] = ()


class _Run:
    """A search run aggregated to documents: doc num -> best passage score; the passages behind a
    document are looked up only for the documents a page shows."""

    def __init__(self) -> None:
        self.scores: dict[int, float] = {}
        self.head: dict[int, float] = {}  # the documents of the first FUSION_HEAD passages
        self._hits: list[HitArrays] = []
        self._room = FUSION_HEAD  # passages the head can still take

    def add(self, hits: HitArrays) -> None:
        """Add hits (best first): a document's score is its best passage's."""
        if not len(hits):
            return
        docs, first = np.unique(hits.docs, return_index=True)
        for num, score, at in zip(docs.tolist(), hits.scores[first].tolist(), first.tolist()):
            if score > self.scores.get(num, float("-inf")):
                self.scores[num] = score
            if at < self._room and num not in self.head:
                self.head[num] = score
        self._room = max(0, self._room - len(hits))
        self._hits.append(hits)

    def add_below(self, other: "_Run") -> None:
        """Add the documents of ``other`` that are new, after all of this run's, in their own order
        (scores scaled below this run's lowest); their passages are looked up after this run's."""
        lowest = min(self.scores.values(), default=None)
        top = max(other.scores.values(), default=1.0) or 1.0
        head = set(np.unique(other._hits[0].docs[:self._room]).tolist()) if self._room and other._hits else set()
        for num in other.order():
            if num not in self.scores:
                s = other.scores[num]
                self.scores[num] = s if lowest is None else lowest * 0.99 * s / top
                if num in head:
                    self.head[num] = self.scores[num]
        self._hits.extend(other._hits)

    def passages(self, num: int, limit: int = PASSAGES_PER_DOC) -> list[PassageHit]:
        out: list[PassageHit] = []
        for hits in self._hits:
            if len(out) >= limit:
                break
            out.extend(hits.of_document(num, limit - len(out)))
        return out

    def order(self) -> list[int]:
        return sorted(self.scores, key=lambda n: -self.scores[n])


def _merged_passages(runs: list[_Run]) -> Callable[[int], list[PassageHit]]:
    """A document's best passages: the first run's, then the other runs' that are new."""
    def passages(num: int) -> list[PassageHit]:
        out: list[PassageHit] = []
        for run in runs:
            seen = {h.passage_id for h in out}
            out.extend(h for h in run.passages(num) if h.passage_id not in seen)
        return out
    return passages


class SearchEngine:
    def __init__(self, settings: Settings) -> None:
        from indexer.keyword import KeywordIndex, KeywordSearcher

        self.settings = settings
        self.store = Store.open(settings.store_path, readonly=True)
        self.keyword = KeywordSearcher(KeywordIndex(settings.keyword_index_dir))
        self._table: DocTable | None = None
        self._suggester: Suggester | None = None
        self._doc_cache: OrderedDict[int, StoredDocument] = OrderedDict()
        self._lock = threading.Lock()
        self._vectors: Any = None
        self._embedder: Any = None
        self.semantic_error: str | None = None
        self._init_semantic()

    def _init_semantic(self) -> None:
        from indexer.vectors import VectorIndex, VectorSearcher

        index = VectorIndex(self.settings.vector_index_dir)
        if not index.exists():
            self.semantic_error = "no vector index (ingested without embeddings)"
            return
        try:
            from indexer.embedding import Embedder

            embedder = Embedder.from_settings(self.settings)
            info = index.info()
            if info is not None:
                info.check_compatible(embedder.info)
        except (MissingDependencyError, IndexMismatchError) as exc:
            self.semantic_error = str(exc)
            return
        self._vectors = VectorSearcher(index)
        self._embedder = embedder
        # A query is one short input: a second intra-op thread buys nothing and spins against the
        # server's other request threads (measured: 28 ms with 1 thread, 820 ms with 2 under load).
        import torch

        torch.set_num_threads(1)

    def _check_vectors(self) -> None:
        """The vector index may have been rebuilt for another model while we served (``ratsuche
        reembed``): then semantic search is off until a restart with that model."""
        info = self._vectors.info
        if info is not None:
            try:
                info.check_compatible(self._embedder.info)
            except IndexMismatchError as exc:
                self.semantic_error = f"{exc}; restart the server with the index's model"

    @property
    def semantic_available(self) -> bool:
        return self._vectors is not None and self.semantic_error is None

    @property
    def vector_search(self) -> str | None:
        """"hnsw", "exact", or None without a vector index."""
        if self._vectors is None:
            return None
        return "hnsw" if self._vectors.uses_ann else "exact"

    def table(self) -> DocTable:
        generation = self.store.last_change()
        with self._lock:
            if self._table is None or self._table.generation != generation:
                self._table = DocTable(self.store)
                self._suggester = None
            return self._table

    def suggester(self) -> Suggester:
        table = self.table()
        with self._lock:
            if self._suggester is None:
                self._suggester = Suggester(table, table.titles)
            return self._suggester

    def clear_caches(self) -> None:
        """Forget cached query vectors and hit documents (benchmarks measure queries as first seen)."""
        with self._lock:
            self._doc_cache.clear()
        if self._embedder is not None:
            self._embedder.clear_query_cache()

    def suggest(self, prefix: str, limit: int = 10) -> list[Suggestion]:
        return self.suggester().suggest(prefix, limit)

    def entities(self, kind: str, q: str = "", limit: int = 50) -> list[tuple[str, int]]:
        """Entity values of a kind (person, party, place, organization) with their document counts,
        filtered by a folded substring of ``q``."""
        table = self.table()
        key = fold(q.strip())
        rows = table.counts(kind, table.exists)
        if key:
            rows = [(v, n) for v, n in rows if key in fold(v)]
        return rows[:limit]

    def document(self, doc_id: str) -> StoredDocument:
        stored = self.store.document(doc_id)
        if stored is None:
            raise NotFound(f"no document with id {doc_id!r}", param="id")
        return stored

    # --- precedents ---------------------------------------------------------------------------

    def _entity_sets(self, nums: list[int]) -> dict[int, set[str]]:
        table = self.table()
        out: dict[int, set[str]] = {n: set() for n in nums}
        wanted = np.zeros(table.size, dtype=bool)
        wanted[[n for n in nums if n < table.size]] = True
        for fld in ("party", "person", "place", "organization"):
            col = table.columns.get(fld)
            if col is None:
                continue
            sel = wanted[col.doc]
            for d, v in zip(col.doc[sel].tolist(), col.value[sel].tolist()):
                out[d].add(f"{fld}:{col.values[v]}")
        return out

    def _precedents(self, vector: np.ndarray, k: int, filters: Filters, *, exclude: int | None,
                    own_title: str, own_entities: set[str]) -> list[DocumentHit]:
        from search_api.precedents import is_near_duplicate, jaccard, precedent_score

        table = self.table()
        mask = table.mask(filters)
        if exclude is not None and exclude < table.size:
            mask[exclude] = False
        run = _Run()
        run.add(self._vectors.top(vector, k * 20, mask))
        nums = run.order()
        entities = self._entity_sets(nums)
        scores: dict[int, float] = {}
        for n in nums:
            sim = run.scores[n]
            if exclude is not None and is_near_duplicate(sim, own_title, table.titles.get(n, "")):
                continue
            scores[n] = precedent_score(sim, jaccard(own_entities, entities.get(n, set())))
        order = sorted(scores, key=lambda n: -scores[n])[:k]
        req = SearchRequest(limit=k)
        return self._hits(order, scores, run.passages, set(), req, table, offset=0)

    def similar_document(self, doc_id: str, k: int = 10, filters: Filters | None = None) -> list[DocumentHit]:
        """Documents like ``doc_id`` (precedents), best first."""
        from search_api.precedents import mean_vector

        stored = self.document(doc_id)
        if not self.semantic_available:
            raise Unavailable(f"precedents need the vector index: {self.semantic_error}")
        data = self._vectors.data()
        vector = mean_vector(data.vectors[data.docs == stored.num])
        if vector is None:
            return []
        own = self._entity_sets([stored.num])[stored.num]
        return self._precedents(vector, k, filters or Filters(), exclude=stored.num, own_title=stored.document.title,
                                own_entities=own)

    def similar_text(self, text: str, k: int = 10, filters: Filters | None = None) -> list[DocumentHit]:
        """Documents like a free text, e.g. a draft motion pasted in."""
        from search_api.precedents import mean_vector

        if not self.semantic_available:
            raise Unavailable(f"precedents need the vector index: {self.semantic_error}")
        from corpora.model import Page
        from indexer.passages import make_passages

        pieces = [p.text for p in make_passages([Page(1, text)], count=self._embedder.count_tokens,
                                                  max_tokens=self._embedder.max_tokens - 2)][:32]
        vector = mean_vector(self._embedder.encode(pieces or [text]))
        if vector is None:
            return []
        return self._precedents(vector, k, filters or Filters(), exclude=None, own_title="", own_entities=set())

    def stats(self) -> dict[str, Any]:
        facts = self.store.stats()
        facts.pop("error_items", None)
        facts["semantic"] = self.semantic_available
        if self.semantic_available:
            facts["embedding_model"] = self._embedder.info.model
        return facts

    # --- runs ----------------------------------------------------------------------------------

    def _keyword(self, pq: ParsedQuery, k: int, mask: np.ndarray | None) -> tuple[_Run, np.ndarray]:
        """Top passages aggregated to documents, and every matching document (for facets and totals)."""
        from dataclasses import replace

        from indexer import keyword_query
        from indexer.keyword import docnums_for_docs

        run = _Run()
        view = self.keyword.view()  # one index generation for the whole request
        words = sum(len(c.text.split()) for c in pq.clauses)
        first = "and" if words <= keyword_query.ALL_TERMS_MAX_WORDS else "or"
        plan = keyword_query.build(pq, index=view, combine=first)
        if plan.empty:
            return run, np.zeros(0, dtype=np.int64)
        allowed = docnums_for_docs(view.dnums, mask) if mask is not None else None
        scored = view.execute(plan)
        matched = self._docs_of(scored.ids, view.dnums)
        run.add(view.top(scored, k, allowed))
        # decided on the unfiltered matches and a fixed bound, so neither a filter nor the page
        # changes the result set the facets counted
        if len(pq.clauses) > 1 and first == "and":
            if len(matched) < ANY_WORD_BELOW:
                scored_any = view.execute(replace(plan, combine="or"))
                matched = np.union1d(matched, self._docs_of(scored_any.ids, view.dnums))
                extra = _Run()
                extra.add(view.top(scored_any, k, allowed))
                run.add_below(extra)  # any-word matches rank after all-word matches
        return run, matched

    @staticmethod
    def _docs_of(docnums: np.ndarray, dnums: np.ndarray) -> np.ndarray:
        docs = dnums[docnums]
        docs = docs[docs >= 0]
        if not len(docs):
            return np.zeros(0, dtype=np.int64)
        seen = np.zeros(int(docs.max()) + 1, dtype=bool)  # linear, where np.unique sorts
        seen[docs] = True
        return np.flatnonzero(seen)

    def _semantic(self, vector: np.ndarray, k: int, mask: np.ndarray | None) -> tuple[_Run, np.ndarray]:
        run = _Run()
        run.add(self._vectors.top(vector, k, mask))
        candidates = np.fromiter(run.scores, dtype=np.int64, count=len(run.scores))
        return run, candidates

    def document_runs(self, q: str, k: int) -> tuple[dict[int, float], dict[int, float]]:
        """The unfused keyword and semantic runs of a query at document level (for fusion studies)."""
        pq = parse_query(q)
        kw, _ = self._keyword(pq, k, None)
        sem = _Run()
        if self.semantic_available and pq.clauses:
            sem, _ = self._semantic(self._embedder.encode_query(" ".join(c.text for c in pq.clauses)), k, None)
        return kw.scores, sem.scores

    # --- the request -------------------------------------------------------------------------

    def _validate(self, req: SearchRequest) -> None:
        s = self.settings
        if req.mode not in MODES:
            raise BadRequest(f"mode must be one of {', '.join(MODES)}", param="mode")
        if req.sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}", param="sort")
        if len(req.q) > s.max_query_length:
            raise BadRequest(f"query longer than {s.max_query_length} characters", param="q")
        if req.offset + req.limit > s.max_result_window:
            raise BadRequest(f"results beyond position {s.max_result_window} are not available; narrow the search",
                             param="page")
        unknown = [f for f in req.facets if f not in FACET_FIELDS]
        if unknown:
            raise BadRequest(f"unknown facet {unknown[0]!r}", param="facets")

    def _fuse(self, kw: _Run, sem: _Run, pq: ParsedQuery, keyword_docs: np.ndarray) -> dict[int, float]:
        """The two runs fused (their heads only: ``depth_independent``); keyword-first ranks every
        document that the keyword search matches above the others."""
        # a paper reference ("DS 66/2024", "2024/0004") is a lookup: the embedding of a number says
        # nothing, so the keyword order stands and semantic only adds documents after its matches
        # (on the council dev set the four reference queries lost 0.02 nDCG@10 to the semantic share)
        lookup = bool(pq.references)
        if self.settings.fusion == "rrf":
            head = reciprocal_rank_fusion([ranked(kw.head), ranked(sem.head)], k=self.settings.rrf_k,
                                          weights=[1.0, 0.0 if lookup else 1.0])
            return depth_independent(head, kw.scores, sem.scores)
        w = 0.0 if lookup else self.settings.semantic_weight
        head = weighted_fusion([kw.head, sem.head], [1 - w, w])
        if self.settings.fusion == "weighted":
            return depth_independent(head, kw.scores, sem.scores)
        matched = np.zeros(int(keyword_docs.max()) + 1 if len(keyword_docs) else 0, dtype=bool)
        matched[keyword_docs] = True
        return depth_independent(head, kw.scores, sem.scores, first=lambda n: n < len(matched) and bool(matched[n]))

    def _ranked(self, pq: ParsedQuery, mode: str, depth: int, filtered_mask: np.ndarray | None
                ) -> tuple[dict[int, float], Callable[[int], list[PassageHit]], np.ndarray]:
        """Document scores, their best passages, and every document the query matches regardless of
        the filters (keyword: all matches; semantic: the candidates), the base of facet counts."""
        runs: dict[str, _Run] = {}
        matched: list[np.ndarray] = []
        if mode in ("keyword", "hybrid"):
            runs["keyword"], keyword_docs = self._keyword(pq, depth * 2, filtered_mask)
            matched.append(keyword_docs)
        if mode in ("semantic", "hybrid"):
            vector = self._embedder.encode_query(" ".join(c.text for c in pq.clauses))
            runs["semantic"], candidates = self._semantic(vector, depth * 2, filtered_mask)
            if filtered_mask is not None:
                _, candidates = self._semantic(vector, depth, None)
            matched.append(candidates)
        if len(runs) == 2:
            scores = self._fuse(runs["keyword"], runs["semantic"], pq, keyword_docs)
        else:
            scores = dict(next(iter(runs.values())).scores)
        return scores, _merged_passages(list(runs.values())), \
            np.unique(np.concatenate(matched)) if matched else np.zeros(0, np.int64)

    def _facets(self, req: SearchRequest, filters: Filters, base_mask: np.ndarray,
                table: DocTable) -> dict[str, tuple[FacetValue, ...]]:
        """Each facet counted over the base with every filter but its own (disjunctive facets);
        selected values are always listed, with their count or 0."""
        facets = {}
        for name in req.facets:
            counted = table.mask(filters.without(name)) & base_mask
            selected = set(filters.values.get(name, ()))
            values = table.counts(name, counted)[: req.facet_size]
            present = {v for v, _ in values}
            facets[name] = tuple(FacetValue(v, c, v in selected) for v, c in values) + tuple(
                FacetValue(v, 0, True) for v in sorted(selected - present))
        return facets

    def search(self, req: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        self._validate(req)
        pq = parse_query(req.q)
        filters = req.filters.with_values(pq.filters) if pq.filters else req.filters
        table = self.table()
        mask = table.mask(filters)
        notes: list[str] = []
        mode_used = req.mode
        if req.mode in ("semantic", "hybrid") and self.semantic_available:
            self._check_vectors()
        if req.mode in ("semantic", "hybrid") and not self.semantic_available:
            mode_used = "keyword"
            notes.append(f"semantic search unavailable: {self.semantic_error}; answered by keyword")
        if mode_used != "keyword" and not pq.clauses:
            mode_used = "keyword"  # only references or filters: nothing to embed

        if pq.empty:
            # no words: browse everything the filters allow, newest first
            scores: dict[int, float] = {}
            best: Callable[[int], list[PassageHit]] = lambda num: []
            base_mask = table.exists
            pool = np.nonzero(mask)[0]
            order = sorted((int(n) for n in pool), key=lambda n: (-table.dates[n], n))
        else:
            depth = max(SEMANTIC_CANDIDATES, (req.offset + req.limit) * 4)
            scores, best, matched = self._ranked(pq, mode_used, depth, None if filters.empty else mask)
            matched = matched[matched < table.size]
            base_mask = np.zeros(table.size, dtype=bool)
            base_mask[matched] = True
            base_mask &= table.exists
            pool = np.nonzero(base_mask & mask)[0]
            order = [n for n in ranked(scores) if n < table.size and mask[n]]
        total = int(len(pool))
        if req.sort != "relevance":
            sign = -1 if req.sort == "date_desc" else 1
            order = sorted((int(n) for n in pool), key=lambda n: (sign * table.dates[n], n))
        page = order[req.offset: req.offset + req.limit]

        terms = query_terms([w for c in pq.clauses for w in c.text.split()]) if req.highlight else set()
        results = self._hits(page, scores, best, terms, req, table, offset=req.offset)
        took = (time.perf_counter() - started) * 1000
        return SearchResponse(query=req.q, mode=req.mode, mode_used=mode_used, total=total, offset=req.offset,
                              limit=req.limit, results=tuple(results), facets=self._facets(req, filters, base_mask,
                                                                                           table),
                              took_ms=round(took, 2), notes=tuple(notes))

    def _documents(self, nums: list[int], table: DocTable) -> dict[str, StoredDocument]:
        """Documents as a hit shows them (no pages, entities or speakers) by id, through a cache keyed
        by the store's document number, which changes whenever a document is replaced (so a cached
        entry is never stale)."""
        out: dict[str, StoredDocument] = {}
        missing = []
        with self._lock:
            for n in nums:
                hit = self._doc_cache.get(n)
                if hit is not None:
                    self._doc_cache.move_to_end(n)
                    out[hit.document.id] = hit
                elif n in table.ids:
                    missing.append(table.ids[n])
        for sd in self.store.iter_documents(missing, annotations=False):
            out[sd.document.id] = sd
            with self._lock:
                self._doc_cache[sd.num] = sd
                while len(self._doc_cache) > DOCUMENT_CACHE:
                    self._doc_cache.popitem(last=False)
        return out

    def _hits(self, page: list[int], scores: dict[int, float], best: Callable[[int], list[PassageHit]],
              terms: set[str], req: SearchRequest, table: DocTable, *, offset: int) -> list[DocumentHit]:
        shown = {n: best(n)[:2] for n in page} if req.highlight else {}
        passage_ids = [h.passage_id for hits in shown.values() for h in hits]
        firsts: dict = {}
        with self.store.snapshot():  # documents and passages of one state of the store
            stored = self._documents(page, table)
            passages = self.store.passages_by_id(passage_ids) if req.highlight else {}
            if req.highlight:
                # documents without a passage hit (browsing, date sort) show their first passage
                missing = [table.ids[n] for n in page if n in table.ids and not shown[n]]
                firsts = self.store.passages_of(missing) if missing else {}
        out = []
        for rank, num in enumerate(page, offset + 1):
            doc_id = table.ids.get(num)
            sd = stored.get(doc_id) if doc_id else None
            if sd is None or sd.num != num:  # deleted or replaced while we searched
                continue
            doc = sd.document
            highlights: list[Highlight] = []
            if req.highlight:
                rows = [passages[h.passage_id] for h in shown[num] if h.passage_id in passages]
                if not rows:
                    rows = firsts.get(doc.id, [])[:1]
                highlights = [Highlight(passage_id=r["id"], page=r["page"], html=highlight(r["text"], terms),
                                        heading=r["heading"], speaker=r["speaker"]) for r in rows]
            out.append(DocumentHit(
                id=doc.id, rank=rank, score=round(float(scores.get(num, 0.0)), 6), title=doc.title,
                document_type=doc.document_type, date=doc.date, body=doc.body.name if doc.body else None,
                organizations=tuple(o.name for o in doc.organizations),
                paper_type=doc.paper.paper_type if doc.paper else None,
                reference=doc.paper.reference if doc.paper else None,
                meeting=doc.meeting.name if doc.meeting else None,
                agenda_item=" ".join(x for x in (doc.agenda_item.number, doc.agenda_item.name) if x)
                if doc.agenda_item else None,
                url=doc.file.public_url, highlights=tuple(highlights),
                parties=sd.facets.get("party", ()), persons=sd.facets.get("person", ())[:10],
                places=sd.facets.get("place", ())[:10],
            ))
        return out
