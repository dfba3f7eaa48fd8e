"""Search results and documents as JSON-ready dicts: the shapes the OpenAPI document describes."""

from __future__ import annotations

from typing import Any, Callable

from corpora.model import Document
from indexer.store import StoredDocument
from search_api.search import DocumentHit, SearchResponse


def context_line(hit: DocumentHit) -> str:
    """"Gremium · Datum · Drucksache": where a result comes from, in one line."""
    parts = [hit.organizations[0] if hit.organizations else hit.body, _german_date(hit.date),
             f"Drucksache {hit.reference}" if hit.reference else None, hit.document_type]
    return " · ".join(p for p in parts if p)


def _german_date(date: str | None) -> str | None:
    if not date or len(date) < 10:
        return date
    return f"{date[8:10]}.{date[5:7]}.{date[0:4]}"


def hit_dict(hit: DocumentHit, document_url: Callable[[str], str]) -> dict[str, Any]:
    return {
        "id": hit.id,
        "rank": hit.rank,
        "score": hit.score,
        "title": hit.title,
        "context": context_line(hit),
        "date": hit.date,
        "document_type": hit.document_type,
        "paper_type": hit.paper_type,
        "reference": hit.reference,
        "body": hit.body,
        "organizations": list(hit.organizations),
        "meeting": hit.meeting,
        "agenda_item": hit.agenda_item,
        "url": hit.url,
        "document_url": document_url(hit.id),
        "passages": [{"page": h.page, "html": h.html, "heading": h.heading, "speaker": h.speaker}
                     for h in hit.highlights],
        "entities": {"parties": list(hit.parties), "persons": list(hit.persons), "places": list(hit.places)},
    }


def search_dict(resp: SearchResponse, *, document_url: Callable[[str], str],
                toggle_url: Callable[[str, str, bool], str], next_cursor: str | None,
                page: int) -> dict[str, Any]:
    return {
        "query": resp.query,
        "mode": resp.mode,
        "mode_used": resp.mode_used,
        "total": resp.total,
        "page": page,
        "per_page": resp.limit,
        "next_cursor": next_cursor,
        "results": [hit_dict(h, document_url) for h in resp.results],
        "facets": {
            name: [{"value": v.value, "label": v.value, "count": v.count, "selected": v.selected,
                    "toggle_url": toggle_url(name, v.value, v.selected)} for v in values]
            for name, values in resp.facets.items()
        },
        "notes": list(resp.notes),
        "timing": {"took_ms": resp.took_ms},
    }


def _organizations(doc: Document) -> list[dict[str, Any]]:
    return [{"id": o.id, "name": o.name, "type": o.organization_type} for o in doc.organizations]


def document_dict(stored: StoredDocument, *, with_pages: bool = True) -> dict[str, Any]:
    doc = stored.document
    paper = doc.paper
    meeting = doc.meeting
    item = doc.agenda_item
    return {
        "id": doc.id,
        "title": doc.title,
        "document_type": doc.document_type,
        "date": doc.date,
        "body": doc.body.name if doc.body else None,
        "organizations": _organizations(doc),
        "paper": {"id": paper.id, "reference": paper.reference, "name": paper.name, "paper_type": paper.paper_type,
                  "date": paper.date} if paper else None,
        "meeting": {"id": meeting.id, "name": meeting.name, "start": meeting.start,
                    "location": meeting.location.description if meeting.location else None} if meeting else None,
        "agenda_item": {"number": item.number, "name": item.name, "result": item.result,
                        "public": item.public} if item else None,
        "url": doc.file.public_url,
        "file_name": doc.file.file_name,
        "mime_type": doc.file.mime_type,
        "text_source": doc.text_source,
        "needs_ocr": doc.needs_ocr,
        "pages": [{"number": p.number, "text": p.text} for p in doc.pages] if with_pages else [],
        "entities": [{"label": e.label, "text": e.text, "canonical": e.canonical, "page": e.page, "start": e.start,
                      "end": e.end} for e in stored.entities],
        "speakers": [{"name": s.name, "party": s.party, "role": s.role, "page": s.page, "start": s.start,
                      "end": s.end, "person_id": s.person_id} for s in stored.speakers],
        "facets": {k: list(v) for k, v in stored.facets.items()},
    }
