"""Reader for folders (or single files) of PDF, HTML and TXT documents.

An optional ``metadata.jsonl`` sidecar describes files by their relative path (``"file"``):
title, date, body, organization (Gremium), document_type and source-specific extras, as in
``../shared/data/council/{koeln,erlangen,ahnsen}``. A document's id is its path relative to the
ingested folder (POSIX separators, NFC), e.g. ``pdf/2020-01-22_Einladung.pdf``.

HTML and TXT files that are ALLRIS/SessionNet "Auszug" pages become documents with their meeting,
agenda item, Gremium and Vorlage; other HTML and all PDFs are handed on as a :class:`Blob` for the
indexer to extract; plain text is read here (pages split at form feeds).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterator, Mapping

from corpora import json_input
from corpora.allris import Auszug, looks_like_auszug, parse_auszug, parse_auszug_html
from corpora.doctypes import classify
from corpora.errors import ItemError, SourceError
from corpora.html import decode_html, html_to_text
from corpora.model import (
    AgendaItem, Blob, Body, Document, File, Location, Meeting, Organization, Page, Paper,
)
from corpora.sources import Event, Failure, Finished, Upsert

SUFFIX_MIME = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}
METADATA_FILE = "metadata.jsonl"
_MEETING_TYPES = {"Niederschrift", "Wortprotokoll", "Einladung", "Bekanntmachung", "Sammeldokument"}
_PAPER_TYPES = {"Antrag", "Anfrage", "Stellungnahme", "Vorlage", "Brief"}


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"


def make_body(name: str) -> Body:
    return Body(id=f"urn:ratsuche:body:{slug(name)}", name=name)


def make_organization(name: str, body: Body | None) -> Organization:
    prefix = slug(body.name) if body else "unknown"
    return Organization(id=f"urn:ratsuche:org:{prefix}:{slug(name)}", name=name, organization_type="Gremium",
                        body=body.id if body else None)


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _relpath(path: Path, root: Path) -> str:
    return unicodedata.normalize("NFC", path.relative_to(root).as_posix())


class FolderReader:
    kind = "folder"

    def __init__(self, path: str | Path, *, body: str | None = None, force: bool = False) -> None:
        given = Path(path)
        if not given.exists():
            raise SourceError(f"{path}: no such file or folder")
        resolved = given.resolve()
        if resolved.is_file():
            if resolved.suffix.lower() not in SUFFIX_MIME:
                raise SourceError(f"{path}: not a PDF, HTML or TXT file",
                                  hint="Ratsuche reads .pdf, .html, .htm and .txt files")
            self.root, self.only = resolved.parent, resolved
            self.key = f"file:{resolved}"
        else:
            self.root, self.only = resolved, None
            self.key = f"{self.kind}:{resolved}"
        self.default_body = body
        self.force = force

    def files(self) -> list[Path]:
        if self.only is not None:
            return [self.only]
        return sorted(p for p in self.root.rglob("*")
                      if p.is_file() and p.suffix.lower() in SUFFIX_MIME
                      and not any(part.startswith(".") for part in p.relative_to(self.root).parts))

    def fingerprint(self, files: list[Path]) -> str:
        h = hashlib.sha256()
        for p in files + [self.root / METADATA_FILE]:
            if p.is_file():
                st = p.stat()
                h.update(f"{_relpath(p, self.root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return h.hexdigest()

    def metadata(self) -> tuple[dict[str, dict[str, Any]], list[Failure]]:
        path = self.root / METADATA_FILE
        records: dict[str, dict[str, Any]] = {}
        failures: list[Failure] = []
        if not path.is_file():
            return records, failures
        for lineno, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json_input.loads(line)
            except ValueError as exc:
                failures.append(Failure(f"{METADATA_FILE}:{lineno}", "invalid_json", str(exc)))
                continue
            if not isinstance(record, dict) or not isinstance(record.get("file"), str):
                failures.append(Failure(f"{METADATA_FILE}:{lineno}", "invalid_metadata", "no 'file' field"))
                continue
            records[unicodedata.normalize("NFC", record["file"].lstrip("./"))] = record
        return records, failures

    def iter_events(self, state: Mapping[str, Any]) -> Iterator[Event]:
        files = self.files()
        fingerprint = self.fingerprint(files)
        if not self.force and state.get("fingerprint") == fingerprint:
            yield Finished(state=dict(state), complete=False)
            return
        records, failures = self.metadata()
        yield from failures
        for path in files:
            rel = _relpath(path, self.root)
            try:
                yield Upsert(self.document(path, rel, records.get(rel, {})))
            except ItemError as exc:
                yield Failure(rel, exc.reason, str(exc))
            except OSError as exc:
                yield Failure(rel, "unreadable", str(exc))
        yield Finished(state={"fingerprint": fingerprint}, complete=self.only is None)

    # --- one file --------------------------------------------------------------------------

    def document(self, path: Path, rel: str, md: Mapping[str, Any]) -> Document:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        mime = SUFFIX_MIME[path.suffix.lower()]
        body_name = md.get("body") or self.default_body
        body = make_body(body_name) if body_name else None

        if mime in ("text/html", "text/plain"):
            text = decode_html(data) if mime == "text/html" else decode_text(data)
            rendered = html_to_text(text, cells="\t").text if mime == "text/html" else text
            if looks_like_auszug(rendered):
                auszug = parse_auszug_html(text) if mime == "text/html" else parse_auszug(text)
                return auszug_document(auszug, doc_id=rel, file_name=path.name, mime=mime, size=len(data),
                                       body=body, extra=_extras(md))
            if mime == "text/plain":
                pages = tuple(Page(i, t) for i, t in enumerate(text.split("\f"), 1))
                return self._document(rel, path, md, mime, len(data), body, pages=pages, text_source="txt")
        return self._document(rel, path, md, mime, len(data), body, content=Blob(str(path), mime, sha))

    def _document(self, rel: str, path: Path, md: Mapping[str, Any], mime: str, size: int, body: Body | None,
                  *, pages: tuple[Page, ...] = (), content: Blob | None = None,
                  text_source: str | None = None) -> Document:
        title = md.get("title") or re.sub(r"[_]+", " ", path.stem).strip()
        date = md.get("date") or None
        doc_type = classify(declared=md.get("document_type"), name=title)
        org = make_organization(md["organization"], body) if md.get("organization") else None
        meeting = paper = None
        if doc_type in _MEETING_TYPES and date:
            meeting_name = md.get("meeting_name") or " ".join(x for x in (org.name if org else None, date) if x)
            meeting = Meeting(id=f"urn:ratsuche:meeting:{slug(body.name if body else 'x')}:"
                                 f"{slug(org.name if org else 'x')}:{date}",
                              name=meeting_name, start=date, organizations=(org.id,) if org else ())
        elif doc_type in _PAPER_TYPES or md.get("reference"):
            paper = Paper(id=f"urn:ratsuche:paper:{rel}", name=title, body=body.id if body else None,
                          reference=md.get("reference"), date=date, paper_type=md.get("document_type") or doc_type)
        file = File(id=rel, name=title, file_name=path.name, mime_type=mime, date=date, size=size,
                    access_url=md.get("url"))
        return Document(id=rel, file=file, document_type=doc_type, source_key=rel, body=body, paper=paper,
                        meeting=meeting, organizations=(org,) if org else (), pages=pages, content=content,
                        text_source=text_source, extra=_extras(md))


_STANDARD_FIELDS = {"file", "title", "date", "body", "organization", "document_type", "url", "reference"}


def _extras(md: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in md.items() if k not in _STANDARD_FIELDS and isinstance(v, (str, int, float, bool))}


def auszug_document(auszug: Auszug, *, doc_id: str, file_name: str, mime: str, size: int,
                    body: Body | None, extra: Mapping[str, Any] | None = None) -> Document:
    """An ALLRIS/SessionNet agenda-item page as a document: an excerpt of the minutes
    (Niederschrift) with its meeting, agenda item, Gremium and Vorlage."""
    f = auszug.fields
    org = make_organization(f["gremium"], body) if f.get("gremium") else None
    body_slug = slug(body.name) if body else "x"
    place = ", ".join(x for x in (f.get("raum"), f.get("ort")) if x) or None
    meeting_id = f"urn:ratsuche:meeting:{body_slug}:{slug(f.get('sitzung') or (org.name if org else 'x'))}:" \
                 f"{auszug.date or 'undated'}"
    item = AgendaItem(id=f"{meeting_id}:top:{slug(auszug.top_number or doc_id)}", meeting=meeting_id,
                      number=auszug.top_number, name=auszug.paper_name or auszug.title, public=auszug.public,
                      result=f.get("beschlussart"))
    meeting = Meeting(id=meeting_id, name=f.get("sitzung") or (org.name if org else None), start=auszug.start,
                      location=Location(id=f"{meeting_id}:location", description=place) if place else None,
                      organizations=(org.id,) if org else (), agenda_items=(item,))
    paper = None
    if auszug.reference:
        paper = Paper(id=f"urn:ratsuche:paper:{body_slug}:{slug(auszug.reference)}", name=auszug.paper_name,
                      body=body.id if body else None, reference=auszug.reference,
                      paper_type=f.get("vorlage_art"), date=auszug.date)
    file = File(id=doc_id, name=auszug.title, file_name=file_name, mime_type=mime, date=auszug.date, size=size,
                access_url=auszug.canonical)
    details = {k: v for k, v in f.items() if k in {"aktenzeichen", "federfuehrend", "bearbeiter", "status", "anlass"}}
    text = auszug.body_text or auszug.title
    return Document(id=doc_id, file=file, document_type="Niederschrift", source_key=doc_id, body=body, paper=paper,
                    meeting=meeting, agenda_item=item, organizations=(org,) if org else (),
                    locations=(meeting.location,) if meeting.location else (),
                    pages=(Page(1, text),), text_source=mime.split("/")[-1].replace("plain", "txt"),
                    extra={**(extra or {}), **details})
