"""What an export reads: documents with their facets, passages and vectors, streamed one document at
a time from an ingestion output (Parquet, :mod:`indexer.records`) or from a data directory's store.

An ingestion output keeps each table in part files in no particular order, so the rows of one
document are spread over files. :func:`iter_output_items` joins them in bounded memory: when the
output is larger than ``bucket_bytes`` it first streams every table into ``k`` buckets by a hash of
the document id (Parquet files in a scratch directory), then joins one bucket at a time. Documents
come out sorted by id within a bucket; with one bucket (small outputs) sorted by id overall, as
:func:`iter_store_items` gives them.
"""

from __future__ import annotations

import json
import math
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np

from corpora.model import Document, from_data
from indexer.errors import IndexerError
from indexer.passages import Passage
from indexer.records import MANIFEST, TABLES
from indexer.store import Prepared, Store, facet_values
from nlp.annotations import Analysis, Entity, Speaker

#: on-disk Parquet bytes joined in memory at once (rows in memory take several times as much)
BUCKET_BYTES = 256 * 1024 * 1024
_KEYS = {"documents": "id"}


class ExportError(IndexerError):
    """An export cannot start or cannot read its input (the reason says which)."""

    reason = "export_error"


@dataclass(frozen=True)
class ExportItem:
    """One document as an export needs it: metadata (pages left out), facet values, passages and
    the vector of each passage that has one (by passage ``ord``)."""

    document: Document
    n_pages: int
    facets: Mapping[str, tuple[str, ...]]
    passages: tuple[Passage, ...]
    vectors: Mapping[int, np.ndarray]


# --- an ingestion output ---------------------------------------------------------------------

def check_output(out: Path) -> dict[str, Any]:
    """The manifest of an ingestion output, or an :class:`ExportError` that says what is wrong."""
    hint = "give the directory written by 'ratsuche ingest --executor ray --out DIR', or leave DIR out " \
           "to export the data directory"
    if not out.is_dir():
        raise ExportError(f"{out} is not a directory", reason="bad_source", hint=hint)
    if not (out / MANIFEST).is_file():
        raise ExportError(f"{out} is not an ingestion output (no {MANIFEST})", reason="bad_source", hint=hint)
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ExportError(f"{out / MANIFEST} is not valid JSON: {exc}", reason="bad_source", hint=hint) from None
    if not isinstance(manifest, dict):
        raise ExportError(f"{out / MANIFEST} is not an ingestion manifest", reason="bad_source", hint=hint)
    if not _part_files(out, "documents"):
        raise ExportError(f"{out} holds no documents (documents/*.parquet)", reason="bad_source", hint=hint)
    return manifest


def _part_files(folder: Path, name: str) -> list[Path]:
    return sorted((folder / name).glob("*.parquet")) if (folder / name).is_dir() else []


def _batches(files: list[Path], name: str) -> Iterator[Any]:
    """Record batches of a table's part files, cast to one schema (a part whose column is all
    null has type null there)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not files:
        return
    try:
        schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
        for f in files:
            for batch in pq.ParquetFile(f).iter_batches(batch_size=4096):
                if batch.num_rows:
                    yield from pa.Table.from_batches([batch]).select(schema.names).cast(schema).to_batches()
    except (pa.ArrowException, OSError, KeyError) as exc:
        raise ExportError(f"cannot read the {name} table: {exc}", reason="bad_source") from None


def _spill(out: Path, scratch: Path, k: int) -> list[Path]:
    """Stream every table of ``out`` into ``k`` bucket directories under ``scratch``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buckets = [scratch / f"bucket-{b:04d}" for b in range(k)]
    for name in TABLES:
        files = _part_files(out, name)
        writers: dict[int, Any] = {}
        try:
            for batch in _batches(files, name):
                ids = batch.column(_KEYS.get(name, "doc_id")).to_pylist()
                which = np.fromiter((zlib.crc32(i.encode("utf-8")) % k for i in ids), dtype=np.int64, count=len(ids))
                for b in np.unique(which):
                    part = batch.filter(pa.array(which == b))
                    if int(b) not in writers:
                        (buckets[b] / name).mkdir(parents=True, exist_ok=True)
                        writers[int(b)] = pq.ParquetWriter(buckets[b] / name / "part-00000.parquet", part.schema)
                    writers[int(b)].write_batch(part)
        finally:
            for w in writers.values():
                w.close()
    return buckets


def _vectors(folder: Path) -> dict[tuple[str, int], np.ndarray]:
    import pyarrow.compute as pc

    out: dict[tuple[str, int], np.ndarray] = {}
    for batch in _batches(_part_files(folder, "embeddings"), "embeddings"):
        if not batch.num_rows:
            continue
        column = batch.column("vector")
        lengths = pc.list_value_length(column).to_numpy(zero_copy_only=False)
        dim = int(lengths[0])
        if (lengths != dim).any():
            raise ExportError("the embeddings table holds vectors of different lengths", reason="bad_source")
        matrix = pc.list_flatten(column).to_numpy(zero_copy_only=False).astype(np.float32).reshape(-1, dim)
        for i, (doc_id, ord_) in enumerate(zip(batch.column("doc_id").to_pylist(), batch.column("ord").to_pylist())):
            out[(doc_id, ord_)] = matrix[i]
    return out


def _rows(folder: Path, name: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for batch in _batches(_part_files(folder, name), name):
        for row in batch.to_pylist():
            grouped.setdefault(row["doc_id"], []).append(row)
    return grouped


def _join(folder: Path) -> Iterator[ExportItem]:
    """The documents of one bucket (or of a whole small output), sorted by id."""
    docs: list[dict[str, Any]] = []
    for batch in _batches(_part_files(folder, "documents"), "documents"):
        docs.extend(batch.select(["id", "n_pages", "document"]).to_pylist())
    passages, entities, speakers = _rows(folder, "passages"), _rows(folder, "entities"), _rows(folder, "speakers")
    vectors = _vectors(folder)
    for row in sorted(docs, key=lambda r: r["id"]):
        data = json.loads(row["document"])
        data["pages"] = []  # the text is in the passages
        doc: Document = from_data(Document, data)
        ps = tuple(Passage(ord=r["ord"], page=r["page"], start=r["start"], end=r["end"], text=r["text"],
                           heading=r["heading"], speaker=r["speaker"], tokens=r["tokens"] or 0)
                   for r in sorted(passages.get(doc.id, []), key=lambda r: r["ord"]))
        analysis = Analysis(
            entities=tuple(Entity(label=r["label"], text=r["text"], page=r["page"], start=r["start"], end=r["end"],
                                  canonical=r["canonical"]) for r in entities.get(doc.id, [])),
            speakers=tuple(Speaker(name=r["name"], party=r["party"], role=r["role"], page=r["page"], start=r["start"],
                                   end=r["end"], person_id=r["person_id"]) for r in speakers.get(doc.id, [])))
        facets = facet_values(Prepared(document=doc, content_hash="", passages=ps, analysis=analysis))
        yield ExportItem(document=doc, n_pages=row["n_pages"] or 0,
                         facets={k: tuple(v) for k, v in facets.items()}, passages=ps,
                         vectors={p.ord: vectors[(doc.id, p.ord)] for p in ps if (doc.id, p.ord) in vectors})


def bucket_count(out: Path, bucket_bytes: int = BUCKET_BYTES) -> int:
    size = sum(f.stat().st_size for name in TABLES for f in _part_files(out, name))
    return max(1, math.ceil(size / bucket_bytes))


def iter_output_items(out: Path, *, bucket_bytes: int = BUCKET_BYTES,
                      scratch: Path | None = None) -> Iterator[ExportItem]:
    """Every document of an ingestion output, joined with its rows (see the module docstring).
    Buckets go to a scratch directory under ``scratch`` (default: the system's temporary
    directory), removed when the iteration ends."""
    check_output(out)
    k = bucket_count(out, bucket_bytes)
    if k == 1:
        yield from _join(out)
        return
    with tempfile.TemporaryDirectory(prefix=".scratch-", dir=scratch) as tmp:
        for folder in _spill(out, Path(tmp), k):
            if folder.is_dir():
                yield from _join(folder)


# --- a data directory's store ----------------------------------------------------------------

def iter_store_items(store: Store, *, batch: int = 256) -> Iterator[ExportItem]:
    """Every document of a store, sorted by id, ``batch`` documents read at a time."""
    ids = sorted(doc_id for ids in store.documents_by_source().values() for doc_id in ids)
    for i in range(0, len(ids), batch):
        chunk = ids[i:i + batch]
        n_pages = {r[0]: r[1] for r in store.rows_in("SELECT id, n_pages FROM documents WHERE id IN ({marks})", chunk)}
        passages = store.passages_of(chunk)
        blobs = store.embeddings_of(chunk)
        stored = {s.document.id: s for s in store.iter_documents(chunk)}
        for doc_id in chunk:
            s = stored.get(doc_id)
            if s is None:  # deleted while we read
                continue
            rows = passages.get(doc_id, [])
            known = blobs.get(doc_id, {})
            vectors = {}
            for r in rows:
                blob = known.get((r["page"], r["start"], r["end"], r["text"]))
                if blob is not None:
                    vectors[r["ord"]] = np.frombuffer(blob, dtype=np.float32)
            yield ExportItem(
                document=s.document, n_pages=n_pages.get(doc_id, 0), facets=dict(s.facets),
                passages=tuple(Passage(ord=r["ord"], page=r["page"], start=r["start"], end=r["end"], text=r["text"],
                                       heading=r["heading"], speaker=r["speaker"]) for r in rows),
                vectors=vectors)
