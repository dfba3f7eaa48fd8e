"""The document store: one SQLite database in the data directory, the source of truth.

It keeps documents (metadata as JSON and the columns that facets and stats need), their pages,
passages (with embeddings), entities and speakers, the facet values of each document, the directory
of each body (organizations, persons), the ingestion state of each source (its sync state and the
content hash of each item), and ingestion errors.

Every write of documents is one transaction that also appends to the ``changes`` log; the keyword
and vector indexes are derived from the store and catch up by replaying that log from the last
sequence number they applied. A crash therefore loses nothing committed, and an index can always be
brought back in step with the store.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from corpora.model import Body, Document, Organization, Page, Person, from_data, to_data
from corpora.sources import Directory
from indexer.errors import StoreError
from indexer.passages import Passage
from nlp.annotations import Analysis, Entity, Speaker

SCHEMA_VERSION = 1
FACET_FIELDS = ("body", "organization", "paper_type", "document_type", "year", "party", "person", "place", "result")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '{}',
    last_started TEXT,
    last_finished TEXT,
    last_summary TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    source_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    document_type TEXT,
    paper_type TEXT,
    reference TEXT,
    date TEXT,
    body TEXT,
    paper_id TEXT,
    meeting_id TEXT,
    url TEXT,
    text_source TEXT,
    needs_ocr INTEGER NOT NULL DEFAULT 0,
    n_pages INTEGER NOT NULL DEFAULT 0,
    n_chars INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS documents_by_source ON documents(source_id, source_key);
CREATE INDEX IF NOT EXISTS documents_by_paper ON documents(paper_id);
CREATE INDEX IF NOT EXISTS documents_by_meeting ON documents(meeting_id);
CREATE TABLE IF NOT EXISTS pages (
    doc_num INTEGER NOT NULL REFERENCES documents(num) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_num, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_num INTEGER NOT NULL REFERENCES documents(num) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    page INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    heading TEXT,
    speaker TEXT,
    text TEXT NOT NULL,
    embedding BLOB
);
CREATE INDEX IF NOT EXISTS passages_by_doc ON passages(doc_num);
CREATE TABLE IF NOT EXISTS entities (
    doc_num INTEGER NOT NULL REFERENCES documents(num) ON DELETE CASCADE,
    page INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    label TEXT NOT NULL, text TEXT NOT NULL, canonical TEXT
);
CREATE INDEX IF NOT EXISTS entities_by_doc ON entities(doc_num);
CREATE TABLE IF NOT EXISTS speakers (
    doc_num INTEGER NOT NULL REFERENCES documents(num) ON DELETE CASCADE,
    page INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    name TEXT NOT NULL, party TEXT, role TEXT NOT NULL, person_id TEXT
);
CREATE INDEX IF NOT EXISTS speakers_by_doc ON speakers(doc_num);
CREATE TABLE IF NOT EXISTS facets (
    doc_num INTEGER NOT NULL REFERENCES documents(num) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (doc_num, field, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_by_value ON facets(field, value);
CREATE TABLE IF NOT EXISTS directory (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    body TEXT,
    name TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS errors (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (source_id, item)
);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete'))
);
"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SourceRecord:
    id: int
    key: str
    kind: str
    state: Mapping[str, Any]


@dataclass(frozen=True)
class Prepared:
    """A document ready to be written: its pages, passages (with embeddings) and analysis."""

    document: Document
    content_hash: str
    passages: tuple[Passage, ...] = ()
    analysis: Analysis | None = None
    embeddings: np.ndarray | None = None  # (len(passages), dim) float32, rows in passage order


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    num: int
    entities: tuple[Entity, ...]
    speakers: tuple[Speaker, ...]
    facets: Mapping[str, tuple[str, ...]]


def facet_values(prepared: Prepared) -> dict[str, list[str]]:
    """The facet values of a document: what users filter by."""
    doc = prepared.document
    values: dict[str, list[str]] = {f: [] for f in FACET_FIELDS}
    if doc.body:
        values["body"].append(doc.body.name)
    values["organization"] = sorted({o.name for o in doc.organizations})
    if doc.paper and doc.paper.paper_type:
        values["paper_type"].append(doc.paper.paper_type)
    values["document_type"].append(doc.document_type)
    if doc.date:
        values["year"].append(doc.date[:4])
    if doc.agenda_item and doc.agenda_item.result:
        values["result"].append(doc.agenda_item.result)
    if prepared.analysis:
        values["party"] = prepared.analysis.parties()
        values["person"] = prepared.analysis.persons()
        values["place"] = prepared.analysis.places()
    return {k: v for k, v in values.items() if v}


class Store:
    """Open with :meth:`open`; one writer at a time (ingestion), any number of readers.

    Connections are per thread: a Flask worker thread and the ingesting thread each get their own.
    """

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._local = threading.local()

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False) -> "Store":
        store = cls(path, readonly=readonly)
        if readonly:
            if not store.path.exists():
                raise StoreError(f"no index at {store.path.parent}", reason="no_index",
                                 hint="run 'ratsuche ingest SOURCE' first")
        else:
            store.path.parent.mkdir(parents=True, exist_ok=True)
            with store.transaction() as con:
                con.executescript(_SCHEMA)
                con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        version = store.meta("schema_version")
        if version is not None and int(version) != SCHEMA_VERSION:
            raise StoreError(f"store schema {version} is not {SCHEMA_VERSION}", reason="schema_mismatch",
                             hint="re-ingest into a fresh data directory")
        return store

    # --- connections -------------------------------------------------------------------------

    @property
    def con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            if self.readonly:
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30, check_same_thread=False)
            else:
                con = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("PRAGMA foreign_keys=ON")
            con.row_factory = sqlite3.Row
            self._local.con = con
        return con

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one state of the store (WAL snapshot isolation), even while
        ingestion writes. Nested snapshots join the outer one."""
        con = self.con
        if con.in_transaction:
            yield con
            return
        con.execute("BEGIN")
        try:
            yield con
        finally:
            con.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.rollback()
            raise
        else:
            con.commit()

    # --- meta ----------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- sources -------------------------------------------------------------------------------

    def source(self, key: str, kind: str) -> SourceRecord:
        with self.transaction() as con:
            con.execute("INSERT OR IGNORE INTO sources (key, kind) VALUES (?, ?)", (key, kind))
            con.execute("UPDATE sources SET last_started = ? WHERE key = ?", (now(), key))
            row = con.execute("SELECT id, key, kind, state FROM sources WHERE key = ?", (key,)).fetchone()
        return SourceRecord(row["id"], row["key"], row["kind"], json.loads(row["state"]))

    def finish_source(self, source_id: int, state: Mapping[str, Any], summary: Mapping[str, Any]) -> None:
        with self.transaction() as con:
            con.execute("UPDATE sources SET state = ?, last_finished = ?, last_summary = ? WHERE id = ?",
                        (json.dumps(state), now(), json.dumps(summary), source_id))

    def sources(self) -> list[dict[str, Any]]:
        rows = self.con.execute("SELECT key, kind, last_started, last_finished, last_summary FROM sources ORDER BY id")
        return [{**dict(r), "last_summary": json.loads(r["last_summary"] or "null")} for r in rows]

    # --- errors --------------------------------------------------------------------------------

    def record_error(self, source_id: int, item: str, reason: str, detail: str) -> None:
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO errors VALUES (?, ?, ?, ?, ?)",
                        (source_id, item, reason, detail[:2000], now()))

    def clear_errors(self, source_id: int, items: Sequence[str]) -> None:
        if items:
            with self.transaction() as con:
                con.executemany("DELETE FROM errors WHERE source_id = ? AND item = ?", [(source_id, i) for i in items])

    # --- directory -----------------------------------------------------------------------------

    def save_directory(self, directory: Directory) -> None:
        rows: list[tuple[str, str, str | None, str, str]] = []
        for b in directory.bodies:
            rows.append((b.id, "body", b.id, b.name, json.dumps(to_data(b))))
        for o in directory.organizations:
            rows.append((o.id, "organization", o.body, o.name, json.dumps(to_data(o))))
        for p in directory.persons:
            rows.append((p.id, "person", p.body, p.name, json.dumps(to_data(p))))
        with self.transaction() as con:
            con.executemany("INSERT OR REPLACE INTO directory VALUES (?, ?, ?, ?, ?)", rows)

    def directory(self, body_id: str | None = None) -> Directory:
        sql = "SELECT type, data FROM directory" + (" WHERE body = ?" if body_id else "")
        rows = self.con.execute(sql, (body_id,) if body_id else ()).fetchall()
        kinds = {"body": (Body, []), "organization": (Organization, []), "person": (Person, [])}
        for r in rows:
            cls, out = kinds[r["type"]]
            out.append(from_data(cls, json.loads(r["data"])))
        return Directory(bodies=tuple(kinds["body"][1]), organizations=tuple(kinds["organization"][1]),
                         persons=tuple(kinds["person"][1]))

    # --- documents: reading ------------------------------------------------------------------

    def rows_in(self, sql: str, keys: Sequence, *, size: int = 500) -> Iterator[sqlite3.Row]:
        """Rows of ``sql`` for ``keys``, run in chunks (``{marks}`` in ``sql`` is the IN list)."""
        keys = list(keys)
        for i in range(0, len(keys), size):
            chunk = keys[i:i + size]
            yield from self.con.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)

    def owner(self, doc_id: str) -> tuple[int, str, str] | None:
        """(source id, source key, content hash) of a stored document, or None."""
        row = self.con.execute("SELECT source_id, source_key, content_hash FROM documents WHERE id = ?",
                               (doc_id,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def source_item(self, source_id: int, source_key: str) -> tuple[str, str] | None:
        """(document id, content hash) of an item of a source, or None."""
        row = self.con.execute("SELECT id, content_hash FROM documents WHERE source_id = ? AND source_key = ?",
                               (source_id, source_key)).fetchone()
        return (row[0], row[1]) if row else None

    def source_items(self, source_id: int) -> dict[str, tuple[str, str]]:
        rows = self.con.execute("SELECT source_key, id, content_hash FROM documents WHERE source_id = ?", (source_id,))
        return {r[0]: (r[1], r[2]) for r in rows}

    def count_documents(self) -> int:
        return self.con.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document(self, doc_id: str, *, with_pages: bool = True) -> StoredDocument | None:
        with self.snapshot() as con:
            row = con.execute("SELECT num, data FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                return None
            return self._stored(row["num"], row["data"], with_pages=with_pages)

    def _stored(self, num: int, data: str, *, with_pages: bool, annotations: bool = True) -> StoredDocument:
        doc: Document = from_data(Document, json.loads(data))
        con = self.con
        if with_pages:
            pages = tuple(Page(r[0], r[1]) for r in con.execute(
                "SELECT number, text FROM pages WHERE doc_num = ? ORDER BY number", (num,)))
            doc = doc.with_pages(pages, text_source=doc.text_source or "", needs_ocr=doc.needs_ocr)
        facets: dict[str, list[str]] = {}
        for r in con.execute("SELECT field, value FROM facets WHERE doc_num = ? ORDER BY field, value", (num,)):
            facets.setdefault(r[0], []).append(r[1])
        if not annotations:
            return StoredDocument(doc, num, (), (), {k: tuple(v) for k, v in facets.items()})
        entities = tuple(Entity(label=r["label"], text=r["text"], page=r["page"], start=r["start"], end=r["end"],
                                canonical=r["canonical"])
                         for r in con.execute("SELECT * FROM entities WHERE doc_num = ? ORDER BY page, start", (num,)))
        speakers = tuple(Speaker(name=r["name"], party=r["party"], role=r["role"], page=r["page"], start=r["start"],
                                 end=r["end"], person_id=r["person_id"])
                         for r in con.execute("SELECT * FROM speakers WHERE doc_num = ? ORDER BY page, start", (num,)))
        return StoredDocument(doc, num, entities, speakers, {k: tuple(v) for k, v in facets.items()})

    def iter_documents(self, doc_ids: Iterable[str] | None = None, *, with_pages: bool = False,
                       annotations: bool = True) -> list[StoredDocument]:
        """Documents (all, or those of ``doc_ids`` that exist), read in one snapshot; without
        ``annotations`` their entities and speakers are left out (facet values stay)."""
        with self.snapshot() as con:
            if doc_ids is None:
                rows = con.execute("SELECT num, data FROM documents ORDER BY num").fetchall()
            else:
                rows = list(self.rows_in("SELECT num, data FROM documents WHERE id IN ({marks})", doc_ids))
            return [self._stored(row["num"], row["data"], with_pages=with_pages, annotations=annotations)
                    for row in rows]

    def embeddings_of(self, doc_ids: Sequence[str]) -> dict[str, dict[tuple[int, int, int, str], bytes]]:
        """Stored embeddings by document and passage (page, start, end, text): reusable when a
        document is re-cut into the same passages."""
        out: dict[str, dict[tuple[int, int, int, str], bytes]] = {}
        for doc_id, page, start, end, text, blob in self.rows_in(
                'SELECT d.id, p.page, p.start, p."end", p.text, p.embedding FROM passages p '
                "JOIN documents d ON d.num = p.doc_num WHERE d.id IN ({marks}) AND p.embedding IS NOT NULL", doc_ids):
            out.setdefault(doc_id, {})[(page, start, end, text)] = blob
        return out

    def documents_by_source(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for source_id, doc_id in self.con.execute("SELECT source_id, id FROM documents ORDER BY num"):
            out.setdefault(source_id, []).append(doc_id)
        return out

    def content_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        return {r[0]: r[1] for r in self.rows_in("SELECT id, content_hash FROM documents WHERE id IN ({marks})",
                                                 doc_ids)}

    def passages_of(self, doc_ids: Sequence[str]) -> dict[str, list[sqlite3.Row]]:
        out: dict[str, list[sqlite3.Row]] = {}
        for r in self.rows_in('SELECT d.id AS doc_id, p.id, p.ord, p.page, p.start, p."end", p.heading, p.speaker, '
                              "p.text FROM passages p JOIN documents d ON d.num = p.doc_num WHERE d.id IN ({marks}) "
                              "ORDER BY p.doc_num, p.ord", doc_ids):
            out.setdefault(r["doc_id"], []).append(r)
        return out

    def passages_by_id(self, passage_ids: Sequence[int]) -> dict[int, sqlite3.Row]:
        return {r["id"]: r for r in self.rows_in(
            'SELECT p.id, d.id AS doc_id, p.ord, p.page, p.start, p."end", p.heading, p.speaker, p.text '
            "FROM passages p JOIN documents d ON d.num = p.doc_num WHERE p.id IN ({marks})",
            [int(x) for x in passage_ids])}

    # --- documents: writing ------------------------------------------------------------------

    def write(self, source_id: int, batch: Sequence[Prepared]) -> None:
        """Insert or replace documents with everything derived from them, in one transaction."""
        if not batch:
            return
        stamp = now()
        with self.transaction() as con:
            for p in batch:
                doc = p.document
                self._delete_nums(con, [r[0] for r in con.execute(
                    "SELECT num FROM documents WHERE id = ? OR (source_id = ? AND source_key = ?)",
                    (doc.id, source_id, doc.source_key))])
                data = to_data(doc)
                data["pages"] = []
                cur = con.execute(
                    "INSERT INTO documents (id, source_id, source_key, content_hash, title, document_type, paper_type,"
                    " reference, date, body, paper_id, meeting_id, url, text_source, needs_ocr, n_pages, n_chars,"
                    " data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc.id, source_id, doc.source_key, p.content_hash, doc.title, doc.document_type,
                     doc.paper.paper_type if doc.paper else None, doc.paper.reference if doc.paper else None,
                     doc.date, doc.body.name if doc.body else None, doc.paper.id if doc.paper else None,
                     doc.meeting.id if doc.meeting else None, doc.file.access_url or doc.file.download_url,
                     doc.text_source, int(doc.needs_ocr), len(doc.pages), sum(len(pg.text) for pg in doc.pages),
                     json.dumps(data, ensure_ascii=False), stamp))
                num = cur.lastrowid
                con.executemany("INSERT INTO pages VALUES (?, ?, ?)", [(num, pg.number, pg.text) for pg in doc.pages])
                vectors = p.embeddings
                con.executemany(
                    "INSERT INTO passages (doc_num, ord, page, start, \"end\", heading, speaker, text, embedding)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(num, ps.ord, ps.page, ps.start, ps.end, ps.heading, ps.speaker, ps.text,
                      vectors[i].astype(np.float32).tobytes() if vectors is not None else None)
                     for i, ps in enumerate(p.passages)])
                if p.analysis:
                    con.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    [(num, e.page, e.start, e.end, e.label, e.text, e.canonical)
                                     for e in p.analysis.entities])
                    con.executemany("INSERT INTO speakers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    [(num, s.page, s.start, s.end, s.name, s.party, s.role, s.person_id)
                                     for s in p.analysis.speakers])
                con.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?, ?)",
                                [(num, f, v) for f, vs in facet_values(p).items() for v in vs])
                con.execute("INSERT INTO changes (doc_id, op) VALUES (?, 'upsert')", (doc.id,))
                con.execute("DELETE FROM errors WHERE source_id = ? AND item = ?", (source_id, doc.source_key))

    @staticmethod
    def _delete_nums(con: sqlite3.Connection, nums: Sequence[int]) -> list[str]:
        deleted = []
        for num in nums:
            row = con.execute("SELECT id FROM documents WHERE num = ?", (num,)).fetchone()
            if row is None:
                continue
            # children go by ON DELETE CASCADE
            con.execute("DELETE FROM documents WHERE num = ?", (num,))
            deleted.append(row[0])
        return deleted

    def delete(self, object_id: str) -> list[str]:
        """Delete a document by id, or every document of a Paper or Meeting by the container's id."""
        with self.transaction() as con:
            nums = [r[0] for r in con.execute(
                "SELECT num FROM documents WHERE id = ? OR paper_id = ? OR meeting_id = ?",
                (object_id, object_id, object_id))]
            deleted = self._delete_nums(con, nums)
            con.executemany("INSERT INTO changes (doc_id, op) VALUES (?, 'delete')", [(d,) for d in deleted])
        return deleted

    def delete_documents(self, doc_ids: Sequence[str]) -> list[str]:
        deleted: list[str] = []
        with self.transaction() as con:
            for doc_id in doc_ids:
                nums = [r[0] for r in con.execute("SELECT num FROM documents WHERE id = ?", (doc_id,))]
                deleted += self._delete_nums(con, nums)
            con.executemany("INSERT INTO changes (doc_id, op) VALUES (?, 'delete')", [(d,) for d in deleted])
        return deleted

    # --- the change log ------------------------------------------------------------------------

    def last_change(self) -> int:
        return self.con.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]

    def changes_since(self, seq: int, limit: int | None = None) -> list[tuple[int, str, str]]:
        sql = "SELECT seq, doc_id, op FROM changes WHERE seq > ? ORDER BY seq"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [(r[0], r[1], r[2]) for r in self.con.execute(sql, (seq,))]

    # --- facts ----------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        con = self.con

        def grouped(sql: str) -> dict[str, int]:
            return {str(k) if k is not None else "(none)": n for k, n in con.execute(sql)}

        totals = con.execute(
            "SELECT count(*), coalesce(sum(n_pages), 0), coalesce(sum(n_chars), 0), coalesce(sum(needs_ocr), 0)"
            " FROM documents").fetchone()
        return {
            "documents": totals[0], "pages": totals[1], "characters": totals[2], "needs_ocr": totals[3],
            "passages": con.execute("SELECT count(*) FROM passages").fetchone()[0],
            "embedded_passages": con.execute("SELECT count(*) FROM passages WHERE embedding IS NOT NULL").fetchone()[0],
            "entities": con.execute("SELECT count(*) FROM entities").fetchone()[0],
            "speakers": con.execute("SELECT count(*) FROM speakers").fetchone()[0],
            "by_body": grouped("SELECT body, count(*) FROM documents GROUP BY body ORDER BY count(*) DESC"),
            "by_type": grouped("SELECT document_type, count(*) FROM documents GROUP BY document_type ORDER BY count(*) DESC"),
            "by_year": grouped("SELECT substr(date, 1, 4) AS y, count(*) FROM documents GROUP BY y ORDER BY y"),
            "by_text_source": grouped("SELECT text_source, count(*) FROM documents GROUP BY text_source"),
            "errors": grouped("SELECT reason, count(*) FROM errors GROUP BY reason ORDER BY count(*) DESC"),
            "error_items": [dict(r) for r in con.execute(
                "SELECT s.key AS source, e.item, e.reason, e.detail FROM errors e JOIN sources s ON s.id = e.source_id"
                " ORDER BY s.key, e.item LIMIT 50")],
            "sources": self.sources(),
        }
