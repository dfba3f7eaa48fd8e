"""Ingestion: readers' events through the stages into the store, then the indexes in step.

Idempotent and resumable:
- an item whose content hash is unchanged is skipped (a re-run with nothing changed does no work);
- a changed item replaces its document; a deleted one (tombstone, file gone from a folder) is removed;
- documents are committed in batches; a run killed half-way keeps every committed batch, the
  source's sync state is saved only at the end, so the next run scans again and skips what is there;
- the keyword and vector indexes replay the store's change log, so they catch up after a crash.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from corpora.model import Document
from corpora.settings import Settings
from corpora.sources import Delete, Directory, Failure, Finished, Reader, Upsert
from indexer import stages
from indexer.errors import IndexerError, IndexMismatchError, MissingDependencyError
from indexer.store import Prepared, Store

BATCH_DOCS = 16


@dataclass
class SourceSummary:
    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: Counter = field(default_factory=Counter)
    passages: int = 0
    pages: int = 0
    seconds: float = 0.0
    complete: bool = True
    notes: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "deleted": self.deleted, "failed": sum(self.failed.values()), "failed_by_reason": dict(self.failed),
                "pages": self.pages, "passages": self.passages, "seconds": round(self.seconds, 2),
                "complete": self.complete, **self.notes}


class Pipeline:
    """The models of the stages, loaded once and only when needed."""

    def __init__(self, settings: Settings, *, warn: Callable[[str], None] = lambda m: None) -> None:
        self.settings = settings
        self.warn = warn
        self._embedder: Any = None
        self._nlp: Any = None
        self._loaded = False

    def load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        s = self.settings
        if s.embeddings:
            try:
                from indexer.embedding import Embedder

                self._embedder = Embedder.from_settings(s)
                self._embedder.info  # load now: fail early, not in the middle of a batch
            except MissingDependencyError as exc:
                self.warn(f"embeddings off: {exc} ({exc.hint})")
                self._embedder = None
        if s.ner:
            try:
                from nlp.pipeline import NlpModelError, default_model_path, load_pipeline

                model = s.ner_model or default_model_path()
                if model is None:
                    self.warn("no NER model installed: NER runs on rules only (parties, speakers, places)")
                self._nlp = load_pipeline(model)
            except (ImportError, MissingDependencyError, NlpModelError) as exc:
                self.warn(f"NER off: {exc}")
                self._nlp = None

    @property
    def embedder(self) -> Any:
        self.load()
        return self._embedder

    @property
    def nlp(self) -> Any:
        self.load()
        return self._nlp

    def token_counter(self) -> Callable[[str], int]:
        return self.embedder.count_tokens if self.embedder is not None else stages.estimate_tokens

    def process(self, docs: Sequence[Document], hashes: Sequence[str],
                directory: Directory | None) -> tuple[list[Prepared], list[stages.Failed]]:
        return self.embed(self.analyse(docs, hashes, directory))

    def analyse(self, docs: Sequence[Document], hashes: Sequence[str], directory: Directory | None) -> "Analysed":
        """Extraction, cleaning, NER and passages of a batch: everything before the embedding."""
        extracted = stages.extract_documents(docs, self.settings)
        ok_docs: list[Document] = []
        ok_hashes: list[str] = []
        failed: list[stages.Failed] = []
        for item, h in zip(extracted, hashes):
            if isinstance(item, stages.Failed):
                failed.append(item)
            else:
                ok_docs.append(item)
                ok_hashes.append(h)
        ok_docs = stages.clean_documents(ok_docs)
        analyses = stages.analyze_documents(ok_docs, self.nlp.analyze if self.nlp is not None else None, directory)
        passages = stages.passages_for(ok_docs, analyses, count=self.token_counter(),
                                       max_tokens=min(self.settings.passage_max_tokens,
                                                      self.embedder.max_tokens - 2 if self.embedder else 10**6))
        return Analysed(ok_docs, ok_hashes, analyses, passages, failed)

    def embed(self, batch: "Analysed") -> tuple[list[Prepared], list[stages.Failed]]:
        vectors = stages.embed_passages(batch.passages, self.embedder)
        return stages.prepare(batch.docs, batch.hashes, batch.analyses, batch.passages, vectors), batch.failed


@dataclass
class Analysed:
    """A batch between :meth:`Pipeline.analyse` and :meth:`Pipeline.embed`."""

    docs: list[Document]
    hashes: list[str]
    analyses: list[Any]
    passages: list[Any]
    failed: list[stages.Failed]


def _check_embedding_model(store: Store, pipeline: Pipeline) -> None:
    embedder = pipeline.embedder
    if embedder is None:
        return
    stored = store.meta("embedding_info")
    from indexer.embedding import EmbeddingInfo

    if stored is None:
        if store.count_documents():
            # documents ingested without embeddings: mixing is refused too
            with_vectors = store.con.execute("SELECT count(*) FROM passages WHERE embedding IS NOT NULL").fetchone()[0]
            if not with_vectors and store.con.execute("SELECT count(*) FROM passages").fetchone()[0]:
                raise IndexMismatchError("this data directory was ingested without embeddings",
                                         hint="ingest with embeddings off (RATSUCHE_EMBEDDINGS=0) or into a fresh data dir")
        store.set_meta("embedding_info", embedder.info.to_json())
    else:
        EmbeddingInfo.from_json(stored).check_compatible(embedder.info)


def _collision_free(doc: Document, reader: Reader, store: Store, source_id: int,
                    known: dict[str, tuple[str, str]]) -> Document:
    """Folder documents are named by their relative path; when another source already owns that id,
    this source's documents get its folder's name in front."""
    if reader.kind not in ("folder", "file"):
        return doc
    if doc.source_key in known:
        assigned = known[doc.source_key][0]
    else:
        owner = store.owner(doc.id)
        assigned = doc.id if owner is None or owner[0] == source_id else f"{Path(reader.key.split(':', 1)[1]).name}/{doc.id}"
    if assigned == doc.id:
        return doc
    return replace(doc, id=assigned, file=replace(doc.file, id=assigned))


def ingest_source(reader: Reader, store: Store, pipeline: Pipeline, *, limit: int | None = None,
                  progress: Any = None) -> SourceSummary:
    started = time.perf_counter()
    summary = SourceSummary(source=reader.key)
    record = store.source(reader.key, reader.kind)
    known = store.source_items(record.id)
    seen: set[str] = set()
    pending: list[tuple[Document, str, bool]] = []
    directory: Directory | None = None
    limited = False
    failed_items: list[str] = []
    # One batch is embedded (torch, in a thread: it releases the GIL) while the next one is
    # extracted and analysed here; batches are still written one after the other, in order, so a
    # kill loses at most the batches not yet written and the next run redoes them.
    embedding = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ratsuche-embed")
    in_flight: list[tuple[Future, list[tuple[Document, str, bool]]]] = []

    def drain() -> None:
        while in_flight:
            future, batch = in_flight.pop(0)
            write(*future.result(), batch)

    def flush() -> None:
        if not pending:
            return
        batch = list(pending)
        pending.clear()
        analysed = pipeline.analyse([d for d, _, _ in batch], [h for _, h, _ in batch], directory)
        drain()
        in_flight.append((embedding.submit(pipeline.embed, analysed), batch))

    def write(prepared: list[Prepared], failed: list[stages.Failed], batch: list[tuple[Document, str, bool]]) -> None:
        if pipeline.embedder is not None and prepared:
            _check_embedding_model(store, pipeline)
        store.write(record.id, prepared)
        is_update = {d.id: upd for d, _, upd in batch}
        for p in prepared:
            if is_update[p.document.id]:
                summary.updated += 1
            else:
                summary.added += 1
            summary.passages += len(p.passages)
            summary.pages += len(p.document.pages)
        for f in failed:
            summary.failed[f.reason] += 1
            store.record_error(record.id, f.document.source_key, f.reason, f.detail)
        if progress is not None:
            progress.update(len(batch))

    finished: Finished | None = None
    try:
        for event in reader.iter_events(record.state):
            if isinstance(event, Upsert):
                doc = _collision_free(event.document, reader, store, record.id, known)
                seen.add(doc.source_key)
                digest = stages.content_hash(doc)
                previous = known.get(doc.source_key)
                if previous and previous[1] == digest:
                    summary.unchanged += 1
                    if progress is not None:
                        progress.update(1)
                    continue
                queued = len(pending) + sum(len(batch) for _, batch in in_flight)
                if limit is not None and summary.added + summary.updated + queued >= limit:
                    limited = True
                    break
                pending.append((doc, digest, previous is not None))
                if len(pending) >= BATCH_DOCS:
                    flush()
            elif isinstance(event, Delete):
                # a tombstone may concern a document still on its way: write those first
                flush()
                drain()
                summary.deleted += len(store.delete(event.object_id))
            elif isinstance(event, Failure):
                summary.failed[event.reason] += 1
                failed_items.append(event.source_key)
                store.record_error(record.id, event.source_key, event.reason, event.detail)
            elif isinstance(event, Directory):
                directory = event
                store.save_directory(event)
            elif isinstance(event, Finished):
                finished = event
        flush()
        drain()
    finally:
        embedding.shutdown(wait=True, cancel_futures=True)
    summary.complete = finished is not None and not limited
    if finished is not None and not limited:
        if finished.complete:
            gone = [doc_id for key, (doc_id, _) in known.items() if key not in seen]
            summary.deleted += len(store.delete_documents(gone))
        summary.notes.update({k: v for k, v in finished.state.items() if k != "fingerprint"})
        store.finish_source(record.id, finished.state, summary.as_dict())
    summary.seconds = time.perf_counter() - started
    return summary


def reanalyze(settings: Settings, *, quiet: bool = False, warn: Callable[[str], None] = lambda m: None,
              batch_docs: int = 32) -> dict[str, int]:
    """Run NER and passage cutting again over every stored document (after a new NER model or new
    rules), without reading the sources again; embeddings of passages whose text is unchanged are
    reused, so only changed passages are embedded."""
    import numpy as np
    from tqdm import tqdm

    store = Store.open(settings.store_path)
    pipeline = Pipeline(settings, warn=warn)
    directory = store.directory()
    counts = {"documents": 0, "passages": 0, "embedded": 0, "reused": 0}
    by_source = store.documents_by_source()
    total = sum(len(v) for v in by_source.values())
    with tqdm(total=total, desc="reanalyze", unit="doc", disable=quiet, leave=False) as bar:
        for source_id, doc_ids in by_source.items():
            for i in range(0, len(doc_ids), batch_docs):
                chunk = doc_ids[i:i + batch_docs]
                docs = [sd.document for sd in store.iter_documents(chunk, with_pages=True)]
                hashes = store.content_hashes(chunk)
                analyses = stages.analyze_documents(docs, pipeline.nlp.analyze if pipeline.nlp else None, directory)
                passages = stages.passages_for(docs, analyses, count=pipeline.token_counter(),
                                               max_tokens=min(settings.passage_max_tokens,
                                                              pipeline.embedder.max_tokens - 2
                                                              if pipeline.embedder else 10**6))
                old = store.embeddings_of(chunk) if pipeline.embedder is not None else {}
                vectors: list[np.ndarray | None] = []
                for doc, ps in zip(docs, passages):
                    if pipeline.embedder is None:
                        vectors.append(None)
                        continue
                    known = old.get(doc.id, {})
                    rows: list[np.ndarray | None] = [
                        np.frombuffer(known[(p.page, p.start, p.end, p.text)], dtype=np.float32)
                        if (p.page, p.start, p.end, p.text) in known else None for p in ps]
                    missing = [j for j, r in enumerate(rows) if r is None]
                    if missing:
                        fresh = pipeline.embedder.encode([ps[j].text for j in missing])
                        for j, v in zip(missing, fresh):
                            rows[j] = v
                    counts["embedded"] += len(missing)
                    counts["reused"] += len(ps) - len(missing)
                    dim = pipeline.embedder.info.dimension
                    vectors.append(np.vstack(rows) if rows else np.zeros((0, dim), np.float32))
                prepared = stages.prepare(docs, [hashes[d.id] for d in docs], analyses, passages, vectors)
                store.write(source_id, prepared)
                counts["documents"] += len(docs)
                counts["passages"] += sum(len(p) for p in passages)
                bar.update(len(docs))
    sync_indexes(store, settings, progress_factory=None if quiet else (lambda **kw: tqdm(leave=False, **kw)))
    store.close()
    return counts


def reembed(settings: Settings, *, quiet: bool = False, chunk: int = 2048) -> dict[str, object]:
    """Embed every stored passage again with the configured model (a tuned or another model),
    keeping the passages, and rebuild the vector index for it.

    Nothing is written until every passage is embedded: an interrupted run leaves the data
    directory as it was. The new vectors and the new model's record are then written in one
    transaction, and the vector index is rebuilt from them (it refuses to mix models)."""
    import shutil

    import numpy as np
    from tqdm import tqdm

    from indexer.embedding import Embedder
    from indexer.vectors import VectorIndex

    store = Store.open(settings.store_path)
    embedder = Embedder.from_settings(settings)
    rows = store.con.execute("SELECT id, text FROM passages ORDER BY id").fetchall()
    if not rows:
        raise IndexerError("no passages to embed in this data directory", reason="empty",
                           hint="ingest a corpus first")
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][1]))  # similar lengths batch together
    vectors = np.empty((len(rows), embedder.info.dimension), dtype=np.float32)
    started = time.perf_counter()
    with tqdm(total=len(rows), desc="reembed", unit="passage", disable=quiet, leave=False) as bar:
        for i in range(0, len(order), chunk):
            idx = order[i:i + chunk]
            vectors[idx] = embedder.encode([rows[j][1] for j in idx])
            bar.update(len(idx))
    seconds = time.perf_counter() - started
    with store.transaction() as con:
        con.executemany("UPDATE passages SET embedding = ? WHERE id = ?",
                        ((vectors[i].tobytes(), rows[i][0]) for i in range(len(rows))))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('embedding_info', ?)", (embedder.info.to_json(),))
    shutil.rmtree(settings.vector_index_dir, ignore_errors=True)
    VectorIndex(settings.vector_index_dir).sync(store, ann_threshold=settings.ann_threshold)
    return {"passages": len(rows), "model": embedder.info.model, "seconds": round(seconds, 1),
            "passages_per_s": round(len(rows) / seconds, 1) if seconds else None}


def sync_indexes(store: Store, settings: Settings, *, progress_factory: Any = None) -> dict[str, int]:
    """Bring the keyword and vector indexes in step with the store."""
    from indexer.keyword import KeywordIndex
    from indexer.vectors import VectorIndex

    keyword = KeywordIndex(settings.keyword_index_dir)
    pending = len({d for _, d, _ in store.changes_since(keyword.state().seq)})
    bar = progress_factory(total=pending, desc="keyword index", unit="doc") if progress_factory and pending else None
    touched = keyword.sync(store, progress=bar)
    if bar is not None:
        bar.close()
    vectors = 0
    if store.meta("embedding_info"):
        vectors = VectorIndex(settings.vector_index_dir).sync(store, ann_threshold=settings.ann_threshold)
    return {"keyword": touched, "vectors": vectors}


def ingest(readers: Iterable[Reader], settings: Settings, *, limit: int | None = None, quiet: bool = False,
           warn: Callable[[str], None] = lambda m: None) -> list[SourceSummary]:
    """Ingest every reader's documents into the data directory and update the indexes."""
    from tqdm import tqdm

    store = Store.open(settings.store_path)
    pipeline = Pipeline(settings, warn=warn)
    summaries = []
    remaining = limit
    for reader in readers:
        with tqdm(desc=f"ingest {reader.key.split(':', 1)[-1][-40:]}", unit="doc", disable=quiet,
                  leave=False) as bar:
            summary = ingest_source(reader, store, pipeline, limit=remaining, progress=bar)
        summaries.append(summary)
        if remaining is not None:
            remaining -= summary.added + summary.updated
            if remaining <= 0:
                break
    sync_indexes(store, settings, progress_factory=None if quiet else (lambda **kw: tqdm(leave=False, **kw)))
    store.close()
    return summaries
