"""Ingestion output as Parquet tables: what a distributed run writes and ``ratsuche index --from``
reads back into the store and the indexes.

One directory, one sub-directory per table (each may hold several part files):

- ``documents/``: id, source, source_key, content_hash, title, document_type, date, body, n_pages,
  document (the whole Document as JSON, pages included)
- ``passages/``: doc_id, ord, page, start, end, heading, speaker, tokens, text
- ``entities/``: doc_id, label, text, page, start, end, canonical
- ``speakers/``: doc_id, name, party, role, page, start, end, person_id
- ``embeddings/``: doc_id, ord, vector (float32 × dimension)
- ``manifest.json``: the embedding model, the sources with their sync state, deletions and failures,
  and the directory (organizations, persons) of each body

Rows are plain data, so any engine that writes these tables feeds the same loader.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

from corpora.model import Document, from_data, to_data
from corpora.sources import Directory
from indexer.passages import Passage
from indexer.store import Prepared
from nlp.annotations import Analysis, Entity, Speaker

TABLES = ("documents", "passages", "entities", "speakers", "embeddings")
MANIFEST = "manifest.json"


def document_row(doc: Document, source: str, content_hash: str) -> dict[str, Any]:
    return {"id": doc.id, "source": source, "source_key": doc.source_key, "content_hash": content_hash,
            "title": doc.title, "document_type": doc.document_type, "date": doc.date,
            "body": doc.body.name if doc.body else None, "n_pages": len(doc.pages),
            "document": json.dumps(to_data(doc), ensure_ascii=False)}


def prepared_rows(p: Prepared) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table but ``documents`` for one prepared document."""
    doc_id = p.document.id
    out: dict[str, list[dict[str, Any]]] = {
        "passages": [{"doc_id": doc_id, "ord": s.ord, "page": s.page, "start": s.start, "end": s.end,
                      "heading": s.heading, "speaker": s.speaker, "tokens": s.tokens, "text": s.text}
                     for s in p.passages],
        "entities": [], "speakers": [], "embeddings": []}
    if p.analysis:
        out["entities"] = [{"doc_id": doc_id, "label": e.label, "text": e.text, "page": e.page, "start": e.start,
                            "end": e.end, "canonical": e.canonical} for e in p.analysis.entities]
        out["speakers"] = [{"doc_id": doc_id, "name": s.name, "party": s.party, "role": s.role, "page": s.page,
                            "start": s.start, "end": s.end, "person_id": s.person_id} for s in p.analysis.speakers]
    if p.embeddings is not None:
        out["embeddings"] = [{"doc_id": doc_id, "ord": s.ord, "vector": p.embeddings[i].astype(np.float32).tolist()}
                             for i, s in enumerate(p.passages)]
    return out


@dataclass
class Manifest:
    embedding_info: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    directories: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def write(self, out: Path) -> None:
        (out / MANIFEST).write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def read(cls, out: Path) -> "Manifest":
        return cls(**json.loads((out / MANIFEST).read_text(encoding="utf-8")))

    def directory_objects(self) -> list[Directory]:
        from corpora.model import Body, Organization, Person

        return [Directory(bodies=tuple(from_data(Body, b) for b in d.get("bodies", ())),
                          organizations=tuple(from_data(Organization, o) for o in d.get("organizations", ())),
                          persons=tuple(from_data(Person, p) for p in d.get("persons", ())))
                for d in self.directories]


def _read_table(out: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    folder = out / name
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        return []
    return pq.read_table(folder).to_pylist()


def read_prepared(out: Path) -> Iterator[tuple[str, Prepared]]:
    """(source key, Prepared) for every document in an output directory."""
    docs = _read_table(out, "documents")
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for name in TABLES[1:]:
        for row in _read_table(out, name):
            grouped[row["doc_id"]][name].append(row)
    for row in sorted(docs, key=lambda r: (r["source"], r["id"])):
        doc: Document = from_data(Document, json.loads(row["document"]))
        g = grouped.get(doc.id, {})
        passages = tuple(Passage(ord=r["ord"], page=r["page"], start=r["start"], end=r["end"], text=r["text"],
                                 heading=r["heading"], speaker=r["speaker"], tokens=r["tokens"])
                         for r in sorted(g.get("passages", []), key=lambda r: r["ord"]))
        entities = tuple(Entity(label=r["label"], text=r["text"], page=r["page"], start=r["start"], end=r["end"],
                                canonical=r["canonical"]) for r in g.get("entities", []))
        speakers = tuple(Speaker(name=r["name"], party=r["party"], role=r["role"], page=r["page"],
                                 start=r["start"], end=r["end"], person_id=r["person_id"])
                         for r in g.get("speakers", []))
        vectors = None
        emb = sorted(g.get("embeddings", []), key=lambda r: r["ord"])
        if emb:
            vectors = np.asarray([r["vector"] for r in emb], dtype=np.float32)
        analysis = Analysis(entities=entities, speakers=speakers) if entities or speakers else None
        yield row["source"], Prepared(document=doc, content_hash=row["content_hash"], passages=passages,
                                      analysis=analysis, embeddings=vectors)


def write_table(out: Path, name: str, rows: Iterable[dict[str, Any]], part: int) -> int:
    """Write rows as one part file of a table (used by executors that write from the driver)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(rows)
    if not rows:
        return 0
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), folder / f"part-{part:05d}.parquet")
    return len(rows)
