"""The JSON API under /api/v1. Read-only: nothing here writes the store or the indexes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, request, url_for

from search_api.errors import BadRequest
from search_api.params import Args, encode_cursor, parse_filters, parse_search
from search_api.serialize import document_dict, hit_dict, search_dict

api = Blueprint("api", __name__, url_prefix="/api/v1")
SIMILAR_MAX_TEXT = 20_000


def engine() -> Any:
    return current_app.extensions["ratsuche"].engine


def settings() -> Any:
    return current_app.extensions["ratsuche"].settings


def document_api_url(doc_id: str) -> str:
    return url_for("api.document", _external=False) + "?" + urlencode({"id": doc_id})


def toggle_url_for(endpoint: str):  # type: ignore[no-untyped-def]
    """A function giving the URL of the current request with one facet value switched on or off."""
    path = url_for(endpoint)
    items = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "cursor")]
    current = urlencode(items)

    def toggle(name: str, value: str, selected: bool) -> str:
        if selected:
            query = urlencode([(k, v) for k, v in items if not (k == name and v == value)])
        else:
            query = "&".join(x for x in (current, urlencode([(name, value)])) if x)
        return path + ("?" + query if query else "")
    return toggle


def _limit(name: str, default: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= hi:
        raise BadRequest(f"'{name}' must be a whole number from 1 to {hi}", param=name)
    return int(raw)


@api.get("/search")
def search() -> Any:
    req, fingerprint = parse_search(request.args, settings())
    resp = engine().search(req)
    nxt = req.offset + req.limit
    next_cursor = encode_cursor(nxt, fingerprint) if nxt < min(resp.total, settings().max_result_window) else None
    return jsonify(search_dict(resp, document_url=document_api_url, toggle_url=toggle_url_for("api.search"),
                               next_cursor=next_cursor, page=req.offset // req.limit + 1))


@api.get("/documents")
def document() -> Any:
    doc_id = request.args.get("id", "")
    if not doc_id:
        raise BadRequest("'id' is required", param="id")
    return jsonify(document_dict(engine().document(doc_id)))


@api.get("/documents/<path:doc_id>")
def document_by_path(doc_id: str) -> Any:
    if doc_id.endswith("/similar"):
        return similar_to_document(doc_id[: -len("/similar")])
    return jsonify(document_dict(engine().document(doc_id)))


def similar_to_document(doc_id: str) -> Any:
    k = _limit("limit", 10, 50)
    hits = engine().similar_document(doc_id, k, parse_filters(Args(request.args)))
    return jsonify({"id": doc_id, "results": [hit_dict(h, document_api_url) for h in hits]})


@api.get("/similar")
def similar_get() -> Any:
    doc_id = request.args.get("id", "")
    if not doc_id:
        raise BadRequest("'id' is required", param="id")
    return similar_to_document(doc_id)


@api.post("/similar")
def similar_text() -> Any:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str) or not payload["text"].strip():
        raise BadRequest("send JSON {\"text\": \"…\"} with the text to find precedents for", param="text")
    text = payload["text"]
    if len(text) > SIMILAR_MAX_TEXT:
        raise BadRequest(f"'text' is longer than {SIMILAR_MAX_TEXT} characters", param="text")
    limit = payload.get("limit", 10)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 50:
        raise BadRequest("'limit' must be a whole number from 1 to 50", param="limit")
    filters = payload.get("filters") or {}
    if not isinstance(filters, dict) or not all(isinstance(v, (str, list)) for v in filters.values()):
        raise BadRequest("'filters' must map filter names to a value or a list of values", param="filters")
    flt = parse_filters(Args({k: ([v] if isinstance(v, str) else [x for x in v if isinstance(x, str)])
                              for k, v in filters.items()}))
    hits = engine().similar_text(text, limit, flt)
    return jsonify({"results": [hit_dict(h, document_api_url) for h in hits]})


@api.get("/suggest")
def suggest() -> Any:
    q = request.args.get("q", "")
    if len(q) > 100:
        raise BadRequest("'q' is longer than 100 characters", param="q")
    limit = _limit("limit", 10, 50)
    return jsonify({"query": q, "suggestions": [{"text": s.text, "kind": s.kind, "count": s.count}
                                                for s in engine().suggest(q, limit)]})


ENTITY_KINDS = ("person", "party", "place", "organization")


@api.get("/entities")
def entities() -> Any:
    kind = request.args.get("type", "")
    if kind not in ENTITY_KINDS:
        raise BadRequest(f"'type' must be one of {', '.join(ENTITY_KINDS)}", param="type")
    q = request.args.get("q", "")
    if len(q) > 100:
        raise BadRequest("'q' is longer than 100 characters", param="q")
    limit = _limit("limit", 50, 500)
    return jsonify({"type": kind, "query": q,
                    "entities": [{"value": v, "count": n} for v, n in engine().entities(kind, q, limit)]})


@api.get("/health")
def health() -> Any:
    eng = engine()
    return jsonify({"status": "ok", "documents": len(eng.table()), "semantic": eng.semantic_available})


@api.get("/stats")
def stats() -> Any:
    return jsonify(engine().stats())
