"""Export for a search cluster: index templates and ``_bulk`` files for OpenSearch 2.x or Elasticsearch 8.

Two indexes, so that a cluster can answer what Ratsuche answers:

- ``<prefix>-passages``: one entry per passage, the unit our keyword (BM25F over title, heading and
  passage) and semantic (one vector per passage) searches rank. Each carries its document's id,
  title, date, references and facet values, so a filter or a hybrid query needs no join; hits are
  grouped by ``doc_id`` into documents, as :mod:`search_api.search` does.
- ``<prefix>-documents``: one entry per document without its text: metadata for the result list,
  facet counts per document (a terms aggregation over passages counts passages), listings by date.

Output directory::

    templates/<prefix>-passages.json    index templates (PUT _index_template/<name>)
    templates/<prefix>-documents.json
    pipelines/<prefix>-hybrid-*.json    OpenSearch search pipelines for hybrid queries
    analysis/ratsuche-decompound.txt    the decompounder's word list, when not inline
    bulk/bulk-00001.ndjson …            action and source lines, at most ``bulk_bytes`` a file
    load.sh                             curl commands that load all of it
    export.json                         what was exported: counts, files, model, dimension

The mapping and the bulk lines are the same for both engines except the vector field: OpenSearch's
``knn_vector`` (k-NN plugin, ``index.knn: true``) or Elasticsearch's ``dense_vector``.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from corpora.model import Document
from indexer.keyword import document_references, index_title
from indexer.analysis.lucene import INDEX_ANALYZER, SEARCH_ANALYZER, analysis_settings, decompound_words
from indexer.export_sources import (BUCKET_BYTES, ExportError, ExportItem, check_output, iter_output_items,
                                    iter_store_items)
from indexer.store import FACET_FIELDS, Store

FORMATS = ("opensearch", "elasticsearch")
WORD_LISTS = ("auto", "inline", "file")
BULK_BYTES = 10 * 1024 * 1024
#: above this size the decompounder's word list goes to a file instead of the index settings
WORD_LIST_INLINE_BYTES = 256 * 1024
#: where that file must lie, relative to each node's config directory
WORD_LIST_PATH = "analysis/ratsuche-decompound.txt"
#: _id is limited to 512 bytes; longer ids are replaced by a hash
MAX_ID_BYTES = 512
#: decimals of vector components in the bulk files (error below 5e-7, cosine change below 1e-5)
VECTOR_DECIMALS = 6
HNSW = {"m": 16, "ef_construction": 128}


@dataclass(frozen=True)
class ExportOptions:
    format: str = "opensearch"
    prefix: str = "ratsuche"
    bulk_bytes: int = BULK_BYTES
    word_list: str = "auto"

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ExportError(f"unknown export format {self.format!r}", reason="unknown_format",
                              hint="formats: " + ", ".join(FORMATS))
        if self.word_list not in WORD_LISTS:
            raise ExportError(f"unknown word list mode {self.word_list!r}", hint="auto, inline or file")
        if not self.prefix or self.prefix != self.prefix.lower() or any(c in self.prefix for c in ' "*\\<|,>/?#:'):
            raise ExportError(f"{self.prefix!r} is no valid index name prefix",
                              hint="lower case, no spaces or */?\"<>|,#:")
        if self.bulk_bytes < 4096:
            raise ExportError("bulk files must be allowed at least 4 KiB")

    def index(self, kind: str) -> str:
        return f"{self.prefix}-{kind}"


@dataclass(frozen=True)
class Embedding:
    """The model the passage vectors were made with (from the output's manifest or the store)."""

    model: str
    dimension: int
    normalized: bool
    fingerprint: str

    @classmethod
    def from_json(cls, text: str | None) -> "Embedding | None":
        if not text:
            return None
        data = json.loads(text)
        return cls(model=data["model"], dimension=int(data["dimension"]), normalized=bool(data["normalized"]),
                   fingerprint=data.get("fingerprint", ""))


# --- mappings and templates ------------------------------------------------------------------

def _text() -> dict[str, Any]:
    return {"type": "text", "analyzer": INDEX_ANALYZER, "search_analyzer": SEARCH_ANALYZER}


def _date() -> dict[str, Any]:
    return {"type": "date", "format": "strict_date_optional_time||yyyy-MM||yyyy", "ignore_malformed": True}


def _facets() -> dict[str, Any]:
    return {name: {"type": "keyword"} for name in FACET_FIELDS}


def vector_mapping(fmt: str, dimension: int) -> dict[str, Any]:
    """The vector field: HNSW by cosine similarity (our vectors are normalised, so inner product
    would rank alike; cosine is what every 2.x OpenSearch engine and Elasticsearch accept)."""
    if fmt == "elasticsearch":
        return {"type": "dense_vector", "dims": dimension, "index": True, "similarity": "cosine",
                "index_options": {"type": "hnsw", **HNSW}}
    return {"type": "knn_vector", "dimension": dimension,
            "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil", "parameters": dict(HNSW)}}


def _shared_fields() -> dict[str, Any]:
    """Fields of the document that passages carry too."""
    return {"doc_id": {"type": "keyword"}, "title": _text(), "date": _date(), "reference": {"type": "keyword"},
            "refs": {"type": "keyword"}, **_facets()}


def passage_mapping(fmt: str, embedding: Embedding | None) -> dict[str, Any]:
    props = {**_shared_fields(), "ord": {"type": "integer"}, "page": {"type": "integer"},
             "start": {"type": "integer", "index": False}, "end": {"type": "integer", "index": False},
             "heading": _text(), "speaker": {"type": "keyword"}, "text": _text()}
    if embedding is not None:
        props["embedding"] = vector_mapping(fmt, embedding.dimension)
    return {"dynamic": "strict", "_meta": _meta(embedding), "properties": props}


def document_mapping(embedding: Embedding | None) -> dict[str, Any]:
    props = {**_shared_fields(),
             "title": {**_text(), "fields": {"raw": {"type": "keyword", "ignore_above": 1024}}},
             "url": {"type": "keyword", "index": False}, "file_name": {"type": "keyword"},
             "mime_type": {"type": "keyword"}, "text_source": {"type": "keyword"}, "needs_ocr": {"type": "boolean"},
             "n_pages": {"type": "integer"}, "n_passages": {"type": "integer"},
             "meeting": {"properties": {"id": {"type": "keyword"}, "name": _text(), "start": _date()}},
             "agenda_item": {"properties": {"number": {"type": "keyword"}, "name": _text()}},
             "paper": {"properties": {"id": {"type": "keyword"}, "name": _text()}}}
    return {"dynamic": "strict", "_meta": _meta(embedding), "properties": props}


def _meta(embedding: Embedding | None) -> dict[str, Any]:
    return {"ratsuche": {"embedding": asdict(embedding) if embedding else None}}


def index_templates(options: ExportOptions, embedding: Embedding | None, *,
                    word_list_path: str | None = None) -> dict[str, dict[str, Any]]:
    """Index template bodies by template name (``PUT _index_template/<name>``); the ``template``
    part of each is also a valid body for ``PUT <index>``."""
    analysis = analysis_settings(word_list_path=word_list_path)
    passages_settings: dict[str, Any] = {"analysis": analysis}
    if embedding is not None and options.format == "opensearch":
        passages_settings["index"] = {"knn": True}
    return {
        options.index("passages"): {"index_patterns": [options.index("passages") + "*"], "priority": 200,
                                    "template": {"settings": passages_settings,
                                                 "mappings": passage_mapping(options.format, embedding)}},
        options.index("documents"): {"index_patterns": [options.index("documents") + "*"], "priority": 200,
                                     "template": {"settings": {"analysis": analysis},
                                                  "mappings": document_mapping(embedding)}},
    }


def search_pipelines(options: ExportOptions) -> dict[str, dict[str, Any]]:
    """OpenSearch search pipelines for a ``hybrid`` query of [BM25, knn]: reciprocal rank fusion
    as Ratsuche's default (k = 60; OpenSearch 2.19+), and min-max normalised scores, arithmetic
    mean (2.10+)."""
    if options.format != "opensearch":
        return {}
    return {
        options.index("hybrid-rrf"): {
            "description": "Ratsuche hybrid search: reciprocal rank fusion of BM25 and knn (k=60)",
            "phase_results_processors": [{"score-ranker-processor": {
                "combination": {"technique": "rrf", "rank_constant": 60}}}]},
        options.index("hybrid-minmax"): {
            "description": "Ratsuche hybrid search: min-max normalised BM25 and knn scores, equal weights",
            "phase_results_processors": [{"normalization-processor": {
                "normalization": {"technique": "min_max"},
                "combination": {"technique": "arithmetic_mean", "parameters": {"weights": [0.5, 0.5]}}}}]},
    }


# --- documents -------------------------------------------------------------------------------

def shared_source(item: ExportItem) -> dict[str, Any]:
    """The fields of a document that its passages carry as well."""
    doc = item.document
    out: dict[str, Any] = {"doc_id": doc.id, "title": index_title(doc), "date": doc.date,
                           "reference": doc.paper.reference if doc.paper else None, "refs": document_references(doc)}
    for name in FACET_FIELDS:
        if item.facets.get(name):
            out[name] = list(item.facets[name])
    return {k: v for k, v in out.items() if v not in (None, [])}


def document_source(item: ExportItem, shared: Mapping[str, Any]) -> dict[str, Any]:
    doc = item.document
    out: dict[str, Any] = {**shared, "url": doc.file.public_url,
                           "file_name": doc.file.file_name, "mime_type": doc.file.mime_type,
                           "text_source": doc.text_source, "needs_ocr": doc.needs_ocr, "n_pages": item.n_pages,
                           "n_passages": len(item.passages)}
    if doc.meeting:
        out["meeting"] = {k: v for k, v in {"id": doc.meeting.id, "name": doc.meeting.name,
                                            "start": doc.meeting.start}.items() if v}
    if doc.agenda_item:
        out["agenda_item"] = {k: v for k, v in {"number": doc.agenda_item.number,
                                                "name": doc.agenda_item.name}.items() if v}
    if doc.paper:
        out["paper"] = {k: v for k, v in {"id": doc.paper.id, "name": doc.paper.name}.items() if v}
    return {k: v for k, v in out.items() if v not in (None, [], {})}


def vector_list(vector: np.ndarray) -> list[float]:
    return np.round(vector.astype(np.float64), VECTOR_DECIMALS).tolist()


def passage_sources(item: ExportItem, shared: Mapping[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(ord, source) of each passage of a document. A passage without its own heading gets the
    agenda item's name, as in the keyword index."""
    doc = item.document
    default_heading = doc.agenda_item.name if doc.agenda_item else None
    for p in item.passages:
        out: dict[str, Any] = {**shared, "ord": p.ord, "page": p.page, "start": p.start, "end": p.end,
                               "heading": p.heading or default_heading, "speaker": p.speaker, "text": p.text}
        vector = item.vectors.get(p.ord)
        if vector is not None:
            out["embedding"] = vector_list(vector)
        yield p.ord, {k: v for k, v in out.items() if v is not None}


def bulk_id(key: str) -> str:
    """A stable ``_id``: the key itself, or its SHA-1 when longer than OpenSearch allows."""
    if len(key.encode("utf-8")) <= MAX_ID_BYTES:
        return key
    return "sha1:" + hashlib.sha1(key.encode("utf-8")).hexdigest()


def passage_id(doc_id: str, ord_: int) -> str:
    return bulk_id(f"{doc_id}#{ord_}")


# --- bulk files --------------------------------------------------------------------------------

def _line(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass
class BulkFiles:
    """NDJSON files of ``index`` actions, each pair of lines whole in one file, a new file before
    one would pass ``max_bytes`` (a single pair larger than that gets a file of its own)."""

    folder: Path
    max_bytes: int
    files: list[dict[str, Any]] = field(default_factory=list)
    _fh: Any = None
    _size: int = 0

    def add(self, index: str, doc_id: str, source: Mapping[str, Any]) -> None:
        pair = _line({"index": {"_index": index, "_id": doc_id}}) + _line(source)
        if self._fh is None or (self._size and self._size + len(pair) > self.max_bytes):
            self._next()
        self._fh.write(pair)
        self._size += len(pair)
        entry = self.files[-1]
        entry["bytes"] = self._size
        entry["actions"] += 1

    def _next(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"bulk-{len(self.files) + 1:05d}.ndjson"
        self._fh = open(path, "wb")
        self._size = 0
        self.files.append({"file": f"{self.folder.name}/{path.name}", "actions": 0, "bytes": 0})

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


# --- the export --------------------------------------------------------------------------------

def check_out_dir(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out} already exists and is not an empty directory", reason="output_exists",
                          hint="give a new or empty directory to --out")


def _word_list_path(options: ExportOptions) -> str | None:
    if options.word_list == "file":
        return WORD_LIST_PATH
    if options.word_list == "inline":
        return None
    size = len(json.dumps(list(decompound_words()), ensure_ascii=False).encode("utf-8"))
    return WORD_LIST_PATH if size > WORD_LIST_INLINE_BYTES else None


def load_script(options: ExportOptions, templates: Iterable[str], pipelines: Iterable[str],
                word_list_file: str | None) -> str:
    """A POSIX shell script that loads the export with curl (``URL=https://host:9200 sh load.sh``)."""
    engine = "OpenSearch 2.x" if options.format == "opensearch" else "Elasticsearch 8"
    lines = ["#!/bin/sh", f"# Load a Ratsuche export into {engine}:",
             "#   URL=https://user:password@host:9200 sh load.sh",
             "set -eu", 'URL="${URL:-http://localhost:9200}"', 'cd "$(dirname "$0")"',
             "json='Content-Type: application/json'"]
    if word_list_file:
        lines += [f"# {word_list_file} must first be copied to <config dir>/{WORD_LIST_PATH} on every node"]
    put = 'curl -fsS -XPUT "$URL/{api}/{name}" -H "$json" --data-binary @{folder}/{name}.json; echo'
    lines += [put.format(api="_index_template", name=name, folder="templates") for name in templates]
    lines += [put.format(api="_search/pipeline", name=name, folder="pipelines") for name in pipelines]
    lines += ['for f in bulk/bulk-*.ndjson; do',
              '  out=$(curl -fsS -XPOST "$URL/_bulk?filter_path=errors,items.*.error" '
              '-H "Content-Type: application/x-ndjson" --data-binary "@$f")',
              '  case "$out" in *\'"errors":false\'*) echo "$f loaded" ;; *) echo "$f: $out" >&2; exit 1 ;; esac',
              "done",
              f'curl -fsS -XPOST "$URL/{options.index("passages")},{options.index("documents")}/_refresh"; echo']
    return "\n".join(lines) + "\n"


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _check_vectors(item: ExportItem, embedding: Embedding | None) -> None:
    for vector in item.vectors.values():
        if embedding is None:
            raise ExportError(f"{item.document.id} has passage vectors but the input names no embedding model",
                              reason="bad_source")
        if vector.shape != (embedding.dimension,):
            raise ExportError(f"{item.document.id} has a vector of {vector.size} dimensions, the model "
                              f"{embedding.model} has {embedding.dimension}", reason="bad_source")


def export(items: Iterable[ExportItem], embedding: Embedding | None, out: Path, options: ExportOptions,
           *, source: str) -> dict[str, Any]:
    """Write templates, pipelines and bulk files for ``items`` to the new directory ``out``; the
    summary is also written to ``out/export.json``."""
    started = time.perf_counter()
    check_out_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    word_list_path = _word_list_path(options)
    word_list_file = None
    if word_list_path is not None:
        word_list_file = WORD_LIST_PATH
        (out / "analysis").mkdir()
        (out / word_list_file).write_text("\n".join(decompound_words()) + "\n", encoding="utf-8")
    templates = index_templates(options, embedding, word_list_path=word_list_path)
    for name, body in templates.items():
        _write_json(out / "templates" / f"{name}.json", body)
    pipelines = search_pipelines(options)
    for name, body in pipelines.items():
        _write_json(out / "pipelines" / f"{name}.json", body)
    counts = {"documents": 0, "passages": 0, "vectors": 0}
    bulk = BulkFiles(out / "bulk", options.bulk_bytes)
    try:
        for item in items:
            _check_vectors(item, embedding)
            shared = shared_source(item)
            bulk.add(options.index("documents"), bulk_id(item.document.id), document_source(item, shared))
            counts["documents"] += 1
            for ord_, body in passage_sources(item, shared):
                bulk.add(options.index("passages"), passage_id(item.document.id, ord_), body)
                counts["passages"] += 1
                counts["vectors"] += "embedding" in body
    finally:
        bulk.close()
    (out / "load.sh").write_text(load_script(options, templates, pipelines, word_list_file), encoding="utf-8")
    summary = {"format": options.format, "source": source, "out": str(out), **counts,
               "indexes": {"passages": options.index("passages"), "documents": options.index("documents")},
               "embedding": asdict(embedding) if embedding else None,
               "word_list": {"words": len(decompound_words()), "file": word_list_file,
                             "word_list_path": word_list_path},
               "templates": [f"templates/{n}.json" for n in templates],
               "pipelines": [f"pipelines/{n}.json" for n in pipelines], "bulk": bulk.files,
               "seconds": round(time.perf_counter() - started, 3)}
    _write_json(out / "export.json", summary)
    return summary


def export_output(src: Path, out: Path, options: ExportOptions, *,
                  bucket_bytes: int = BUCKET_BYTES) -> dict[str, Any]:
    """Export an ingestion output (``ratsuche ingest --executor ray --out SRC``); scratch files of a
    large output's buckets go to a hidden directory in ``out`` and are removed at the end."""
    manifest = check_output(src)
    check_out_dir(out)
    embedding = Embedding.from_json(manifest.get("embedding_info"))
    items = iter_output_items(src, bucket_bytes=bucket_bytes, scratch=out)
    return export(items, embedding, out, options, source=str(src))


def export_store(store_path: Path, out: Path, options: ExportOptions) -> dict[str, Any]:
    """Export the store of a data directory (what the local executor ingested)."""
    if not store_path.is_file():
        raise ExportError(f"no index at {store_path.parent}", reason="bad_source",
                          hint="run 'ratsuche ingest SOURCE' first, or give an ingestion output directory")
    check_out_dir(out)
    store = Store.open(store_path, readonly=True)
    try:
        embedding = Embedding.from_json(store.meta("embedding_info"))
        return export(iter_store_items(store), embedding, out, options, source=str(store_path.parent))
    finally:
        store.close()
