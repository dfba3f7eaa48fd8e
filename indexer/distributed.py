"""The distributed executor: the ingestion stages on Ray Data, output as Parquet (indexer.records).

The driver reads the sources (reading is I/O, and readers keep their own sync state), then

    extract (tasks) → NER (actor pool: the model loads once per worker) → passages (actor pool:
    the tokenizer loads once) → embed (actor pool; a GPU per actor when the cluster has GPUs)

each stage a ``map_batches`` over the very functions of :mod:`indexer.stages` that the local
executor calls, and every table is written with ``write_parquet``. ``ratsuche index --from DIR``
then builds or updates the store and the indexes from the output (:func:`index_from`).
Ray is an optional extra: nothing imports it unless this executor is asked for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from corpora.model import Document, from_data, to_data
from corpora.settings import Settings
from corpora.sources import Delete, Directory, Failure, Finished, Reader, Upsert
from indexer import stages
from indexer.errors import MissingDependencyError
from indexer.records import MANIFEST, TABLES, Manifest, document_row, prepared_rows, read_prepared

BATCH = 16


def _docs(batch: dict[str, Any]) -> list[Document]:
    return [from_data(Document, json.loads(d)) for d in batch["document"]]


def _with_docs(batch: dict[str, Any], docs: list[Document]) -> dict[str, Any]:
    return {**{k: list(v) for k, v in batch.items()}, "document": [json.dumps(to_data(d), ensure_ascii=False)
                                                                    for d in docs]}


def extract_batch(batch: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Stage 1: raw content to pages, then the cleaning of source texts. A document that fails is
    kept with its reason (the loader records it as an ingestion error)."""
    docs = _docs(batch)
    failed = [""] * len(docs)
    detail = [""] * len(docs)
    out: list[Document] = []
    for i, item in enumerate(stages.extract_documents(docs, settings)):
        if isinstance(item, stages.Failed):
            failed[i], detail[i] = item.reason, item.detail
            out.append(docs[i])
        else:
            out.append(item)
    cleaned = stages.clean_documents([d for d, f in zip(out, failed) if not f])
    it = iter(cleaned)
    out = [next(it) if not f else d for d, f in zip(out, failed)]
    return {**_with_docs(batch, out), "failed": failed, "detail": detail}


class NerStage:
    """Stage 2, an actor: the NER pipeline is loaded once per worker."""

    def __init__(self, settings: Settings, directories: dict[str, dict[str, Any]]) -> None:
        from indexer.ingest import Pipeline

        self.nlp = Pipeline(settings).nlp if settings.ner else None
        self.directories = {key: _directory(d) for key, d in directories.items()}

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        docs = _docs(batch)
        analyses: list[str] = [""] * len(docs)
        by_source: dict[str, list[int]] = {}
        for i, (source, failed) in enumerate(zip(batch["source"], batch["failed"])):
            if not failed:
                by_source.setdefault(str(source), []).append(i)
        for source, idx in by_source.items():
            result = stages.analyze_documents([docs[i] for i in idx], self.nlp.analyze if self.nlp else None,
                                              self.directories.get(source))
            for i, a in zip(idx, result):
                analyses[i] = json.dumps(to_data(a), ensure_ascii=False) if a is not None else ""
        return {**{k: list(v) for k, v in batch.items()}, "analysis": analyses}


class PassageStage:
    """Stage 3, an actor: passages sized by the embedding model's tokenizer (loaded once)."""

    def __init__(self, settings: Settings) -> None:
        from indexer.ingest import Pipeline

        pipeline = Pipeline(settings)
        self.count = pipeline.token_counter()
        self.max_tokens = min(settings.passage_max_tokens,
                              pipeline.embedder.max_tokens - 2 if pipeline.embedder else 10**6)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from nlp.annotations import Analysis

        docs = _docs(batch)
        analyses = [from_data(Analysis, json.loads(a)) if a else None for a in batch["analysis"]]
        passages = stages.passages_for(docs, analyses, count=self.count, max_tokens=self.max_tokens)
        rows = [json.dumps([to_data(p) for p in ps], ensure_ascii=False) if not f else "[]"
                for ps, f in zip(passages, batch["failed"])]
        return {**{k: list(v) for k, v in batch.items()}, "passages": rows}


class EmbedStage:
    """Stage 4, an actor: the embedding model is loaded once per worker (on its GPU if it has one)."""

    def __init__(self, settings: Settings) -> None:
        from indexer.embedding import Embedder

        self.embedder = Embedder.from_settings(settings) if settings.embeddings else None

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from indexer.passages import Passage

        passages = [[from_data(Passage, p) for p in json.loads(ps)] for ps in batch["passages"]]
        vectors = stages.embed_passages(passages, self.embedder)
        blobs = [v.astype(np.float32).tobytes() if v is not None else b"" for v in vectors]
        return {**{k: list(v) for k, v in batch.items()}, "embeddings": blobs}


def _directory(data: dict[str, Any]) -> Directory:
    from corpora.model import Body, Organization, Person

    return Directory(bodies=tuple(from_data(Body, b) for b in data.get("bodies", ())),
                     organizations=tuple(from_data(Organization, o) for o in data.get("organizations", ())),
                     persons=tuple(from_data(Person, p) for p in data.get("persons", ())))


def _prepared(row: dict[str, Any], dim: int | None):  # type: ignore[no-untyped-def]
    from indexer.passages import Passage
    from indexer.store import Prepared
    from nlp.annotations import Analysis

    passages = tuple(from_data(Passage, p) for p in json.loads(row["passages"]))
    vectors = None
    if row["embeddings"]:
        vectors = np.frombuffer(row["embeddings"], dtype=np.float32).reshape(len(passages), -1)
    analysis = from_data(Analysis, json.loads(row["analysis"])) if row["analysis"] else None
    return Prepared(document=from_data(Document, json.loads(row["document"])), content_hash=row["hash"],
                    passages=passages, analysis=analysis, embeddings=vectors)


def _table_rows(name: str) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    def rows(row: dict[str, Any]) -> list[dict[str, Any]]:
        if row["failed"]:
            return []
        prepared = _prepared(row, None)
        if name == "documents":
            return [document_row(prepared.document, row["source"], row["hash"])]
        return prepared_rows(prepared)[name]
    return rows


def _read_sources(readers: Iterable[Reader], skip: Callable[[str, Document, str], bool]) -> tuple[list[dict], Manifest]:
    """Read every source in the driver: document rows, and the manifest of what else happened."""
    rows: list[dict[str, Any]] = []
    manifest = Manifest()
    for reader in readers:
        entry: dict[str, Any] = {"key": reader.key, "kind": reader.kind, "deletions": [], "failures": [],
                                 "seen": [], "state": None, "complete": False}
        for event in reader.iter_events({}):
            if isinstance(event, Upsert):
                doc = event.document
                digest = stages.content_hash(doc)
                entry["seen"].append(doc.source_key)
                if skip(reader.key, doc, digest):
                    continue
                rows.append({"source": reader.key, "hash": digest,
                             "document": json.dumps(to_data(doc), ensure_ascii=False)})
            elif isinstance(event, Delete):
                entry["deletions"].append(event.object_id)
            elif isinstance(event, Failure):
                entry["failures"].append([event.source_key, event.reason, event.detail])
            elif isinstance(event, Directory):
                manifest.directories.append({"source": reader.key, **to_data(event)})
            elif isinstance(event, Finished):
                entry["state"], entry["complete"] = dict(event.state), event.complete
        manifest.sources.append(entry)
    return rows, manifest


def ingest_ray(readers: Iterable[Reader], settings: Settings, out: Path, *, address: str | None = None,
               num_cpus: int | None = None, quiet: bool = False) -> dict[str, Any]:
    """Run the stages on Ray and write the Parquet output to ``out``."""
    try:
        import ray
    except ImportError as exc:
        raise MissingDependencyError("the Ray executor needs Ray", hint="pip install 'ratsuche[ray]'") from exc
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        if (out / name).exists():
            raise MissingDependencyError(f"{out} already holds ingestion output", reason="output_exists",
                                         hint="give an empty directory to --out")
    rows, manifest = _read_sources(readers, lambda source, doc, digest: False)
    started = ray.is_initialized()
    if not started:
        ray.init(address=address, num_cpus=num_cpus if address is None else None, include_dashboard=False,
                 log_to_driver=not quiet, configure_logging=not quiet, ignore_reinit_error=True)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = not quiet
        gpus = ray.cluster_resources().get("GPU", 0)
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        directories = {d["source"]: d for d in manifest.directories}
        ds = ray.data.from_items(rows, override_num_blocks=max(1, min(len(rows) // BATCH or 1, cpus * 4)))
        # CPU shares: the stages before embedding are light next to it; on a 2-CPU machine they
        # share one CPU and the embedding actor has the other (several, and GPUs, on a cluster)
        embed_actors = int(gpus) if gpus else max(1, (cpus - 1) // 2)
        ds = ds.map_batches(extract_batch, fn_kwargs={"settings": settings}, batch_size=BATCH, num_cpus=0.25)
        ds = ds.map_batches(NerStage, fn_constructor_kwargs={"settings": settings, "directories": directories},
                            batch_size=BATCH, concurrency=max(1, (cpus - embed_actors) // 2), num_cpus=0.5)
        ds = ds.map_batches(PassageStage, fn_constructor_kwargs={"settings": settings}, batch_size=BATCH,
                            concurrency=1, num_cpus=0.25)
        embed_kw: dict[str, Any] = {"num_gpus": 1, "num_cpus": 1} if gpus else {"num_cpus": 1}
        ds = ds.map_batches(EmbedStage, fn_constructor_kwargs={"settings": settings},
                            batch_size=BATCH * 4, concurrency=embed_actors, **embed_kw)
        ds = ds.materialize()
        counts = {}
        for name in TABLES:
            table = ds.flat_map(_table_rows(name))
            counts[name] = table.count()
            if counts[name]:
                table.write_parquet(str(out / name))
        failed = ds.filter(lambda r: bool(r["failed"])).take_all()
        by_source: dict[str, Any] = {s["key"]: s for s in manifest.sources}
        for r in failed:
            by_source[r["source"]]["failures"].append([json.loads(r["document"])["source_key"], r["failed"],
                                                       r["detail"]])
        if settings.embeddings:
            from indexer.embedding import Embedder

            manifest.embedding_info = Embedder.from_settings(settings).info.to_json()
        manifest.counts = {**counts, "failed": len(failed), "gpus": int(gpus), "cpus": cpus}
        manifest.write(out)
        return manifest.counts
    finally:
        if not started:
            ray.shutdown()


def index_from(out: Path, settings: Settings, *, quiet: bool = False) -> dict[str, int]:
    """Build or update the store and the indexes of ``settings`` from an ingestion output."""
    from indexer.ingest import sync_indexes
    from indexer.embedding import EmbeddingInfo
    from indexer.store import Store

    if not (out / MANIFEST).is_file():
        raise MissingDependencyError(f"{out} is not an ingestion output (no {MANIFEST})", reason="bad_source")
    manifest = Manifest.read(out)
    store = Store.open(settings.store_path)
    if manifest.embedding_info:
        stored = store.meta("embedding_info")
        if stored is None:
            store.set_meta("embedding_info", manifest.embedding_info)
        else:
            EmbeddingInfo.from_json(stored).check_compatible(EmbeddingInfo.from_json(manifest.embedding_info))
    records = {s["key"]: store.source(s["key"], s["kind"]) for s in manifest.sources}
    for directory in manifest.directory_objects():
        store.save_directory(directory)
    counts = {"added": 0, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
    batch: dict[int, list[Any]] = {}
    for source, prepared in read_prepared(out):
        record = records[source]
        known = store.source_item(record.id, prepared.document.source_key)
        if known and known[1] == prepared.content_hash:
            counts["unchanged"] += 1
            continue
        counts["updated" if known else "added"] += 1
        batch.setdefault(record.id, []).append(prepared)
        if len(batch[record.id]) >= 64:
            store.write(record.id, batch.pop(record.id))
    for source_id, items in batch.items():
        store.write(source_id, items)
    for entry in manifest.sources:
        record = records[entry["key"]]
        for object_id in entry["deletions"]:
            counts["deleted"] += len(store.delete(object_id))
        for key, reason, detail in entry["failures"]:
            store.record_error(record.id, key, reason, detail)
            counts["failed"] += 1
        if entry["complete"]:
            seen = set(entry["seen"])
            gone = [doc_id for key, (doc_id, _) in store.source_items(record.id).items() if key not in seen]
            counts["deleted"] += len(store.delete_documents(gone))
        if entry["state"] is not None:
            store.finish_source(record.id, entry["state"], {"executor": "ray", **counts})
    sync_indexes(store, settings)
    store.close()
    return counts
