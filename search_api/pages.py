"""The search page for citizens: server-rendered, in German, usable without JavaScript."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for
from markupsafe import Markup

from indexer.store import StoredDocument
from search_api.errors import BadRequest
from search_api.params import FILTER_PARAMS, parse_search
from search_api.serialize import context_line, document_dict

pages = Blueprint("pages", __name__)

FACET_LABELS = {
    "body": "Kommune", "organization": "Gremium", "document_type": "Dokumentart", "paper_type": "Vorlagenart",
    "year": "Jahr", "party": "Partei", "person": "Person", "place": "Ort", "result": "Ergebnis",
}
MODE_LABELS = {"hybrid": "Hybrid (empfohlen)", "keyword": "Stichwortsuche", "semantic": "Semantische Suche"}
SORT_LABELS = {"relevance": "Relevanz", "date_desc": "Neueste zuerst", "date_asc": "Älteste zuerst"}
LABEL_CLASS = {"PER": "per", "PARTY": "party", "LOC": "loc", "ORG": "org", "MISC": "misc"}


def _state() -> Any:
    return current_app.extensions["ratsuche"]


def document_page_url(doc_id: str) -> str:
    return url_for("pages.document") + "?" + urlencode({"id": doc_id})


def page_url(**changes: Any) -> str:
    items = [(k, v) for k, v in request.args.items(multi=True) if k not in changes and k != "cursor"]
    items += [(k, str(v)) for k, v in changes.items() if v is not None]
    return url_for("pages.search") + ("?" + urlencode(items) if items else "")


@pages.get("/")
def search() -> Any:
    state = _state()
    error = None
    try:
        req, _ = parse_search(request.args, state.settings)
    except BadRequest as exc:
        error = str(exc)
        req = None
    resp = None
    if req is not None and (req.q or not req.filters.empty):
        try:
            resp = state.engine.search(req)
        except BadRequest as exc:
            error = str(exc)
    per_page = req.limit if req else 10
    current = (req.offset // per_page + 1) if req else 1
    last_page = max(1, min(-(-resp.total // per_page), state.settings.max_result_window // per_page)) if resp else 1
    selected = {name: set(request.args.getlist(name)) for name in FILTER_PARAMS}
    status = 400 if error else 200
    return render_template(
        "search.html", req=req, resp=resp, error=error, q=request.args.get("q", ""),
        mode=request.args.get("mode", state.settings.default_mode), sort=request.args.get("sort", "relevance"),
        date_from=request.args.get("date_from", ""), date_to=request.args.get("date_to", ""),
        selected=selected, facet_labels=FACET_LABELS, mode_labels=MODE_LABELS, sort_labels=SORT_LABELS,
        context_line=context_line, document_url=document_page_url, page_url=page_url, current=current,
        last_page=last_page, semantic=state.engine.semantic_available,
    ), status


def marked_text(text: str, spans: list[tuple[int, int, str, str]]) -> Markup:
    """Page text, escaped, with entity spans wrapped in ``<mark class=…>``; overlapping spans keep
    the first."""
    out: list[str] = []
    pos = 0
    for start, end, css, title in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="{css}" title="{escape(title)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def _page_spans(stored: StoredDocument) -> dict[int, list[tuple[int, int, str, str]]]:
    spans: dict[int, list[tuple[int, int, str, str]]] = {}
    for s in stored.speakers:
        label = f"Redner: {s.name}" + (f" ({s.party})" if s.party else "")
        spans.setdefault(s.page, []).append((s.start, s.end, "speaker", label))
    for e in stored.entities:
        if e.label in ("PER", "PARTY", "LOC"):
            title = {"PER": "Person", "PARTY": "Partei", "LOC": "Ort"}[e.label] + (f": {e.canonical}" if e.canonical else "")
            spans.setdefault(e.page, []).append((e.start, e.end, LABEL_CLASS[e.label], title))
    return spans


@pages.get("/dokument")
def document() -> Any:
    doc_id = request.args.get("id", "")
    if not doc_id:
        raise BadRequest("Es wurde kein Dokument angegeben.", param="id")
    stored = _state().engine.document(doc_id)
    data = document_dict(stored)
    spans = _page_spans(stored)
    pages_html = [(p.number, marked_text(p.text, spans.get(p.number, []))) for p in stored.document.pages]
    return render_template("document.html", doc=data, pages_html=pages_html, facet_labels=FACET_LABELS,
                           back=request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                           else url_for("pages.search"))
