"""The OpenAPI 3.1 document of the JSON API (served at /openapi.json; validated by the tests,
and every API response in the tests is checked against it)."""

from __future__ import annotations

from typing import Any

from indexer.store import FACET_FIELDS
from search_api.params import FILTER_PARAMS
from search_api.search import MODES, SORTS

DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
FILTER_HELP = {
    "body": "Body (Kommune), e.g. 'Stadt Karlsruhe'.",
    "organization": "Organization (Gremium), e.g. 'Gemeinderat'.",
    "paper_type": "Paper type as the source names it (Beschlussvorlage, Antrag, Anfrage …).",
    "document_type": "Document type: Vorlage, Antrag, Anfrage, Stellungnahme, Niederschrift, Wortprotokoll, "
                     "Einladung, Bekanntmachung, Beschluss, Anlage, Brief, Sammeldokument, Sonstiges.",
    "year": "Year of the document's date, e.g. '2023'.",
    "party": "Party or Fraktion (normalised, e.g. 'GRÜNE', 'SPD', 'LINKE').",
    "person": "Person (a speaker, or a member of the body).",
    "place": "Place (Ortsteil, street, town).",
    "result": "Result of the agenda item, e.g. 'einstimmig beschlossen'.",
}


def _str(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "type": [schema["type"], "null"]}


def _param(name: str, description: str, schema: dict[str, Any], *, required: bool = False,
           explode: bool | None = None) -> dict[str, Any]:
    p: dict[str, Any] = {"name": name, "in": "query", "description": description, "required": required,
                         "schema": schema}
    if explode is not None:
        p["style"], p["explode"] = "form", explode
    return p


def _problem(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


FILTER_PARAMETERS = [
    _param(name, FILTER_HELP[name] + " Repeatable: values of one filter are ORed, filters are ANDed.",
           {"type": "array", "items": {"type": "string", "maxLength": 300}, "maxItems": 20}, explode=True)
    for name in FILTER_PARAMS
] + [
    _param("date_from", "Earliest date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD (not after date_to).",
           {"type": "string", "pattern": DATE_PATTERN}),
    _param("date_to", "Latest date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD.",
           {"type": "string", "pattern": DATE_PATTERN}),
]

SEARCH_PARAMETERS = [
    _param("q", "The query: words (all preferred, any as fallback), \"phrases\", -exclusions, A OR B, "
                "word~ (fuzzy), prefix*, field:value filters, reference numbers (DS 26/2022).",
           {"type": "string", "maxLength": 500}),
    _param("mode", "keyword (BM25), semantic (embeddings) or hybrid (both, fused). Default: hybrid.",
           {"type": "string", "enum": list(MODES)}),
    *FILTER_PARAMETERS,
    _param("facets", "Facets to count, comma-separated; 'none' for no facets. Default: "
                     "body, organization, document_type, paper_type, year, party, person, place.",
           {"type": "string"}),
    _param("facet_size", "Values per facet (1–100, default 10).", {"type": "integer", "minimum": 1, "maximum": 100}),
    _param("sort", "relevance (default), date_desc or date_asc.", {"type": "string", "enum": list(SORTS)}),
    _param("page", "Page number from 1 (page × per_page may not pass 1000).", {"type": "integer", "minimum": 1}),
    _param("per_page", "Results per page (1–100, default 10).", {"type": "integer", "minimum": 1, "maximum": 100}),
    _param("cursor", "Opaque cursor from next_cursor of the previous page (instead of page).", {"type": "string"}),
    _param("highlight", "Highlighted passages in results (default true).", {"type": "boolean"}),
]

HIT_SCHEMA = {
    "type": "object",
    "required": ["id", "rank", "score", "title", "context", "passages", "entities", "document_url"],
    "properties": {
        "id": _str("OParl File id, or the path of a file relative to its ingested folder."),
        "rank": {"type": "integer", "minimum": 1},
        "score": {"type": "number"},
        "title": _str("Title of the document."),
        "context": _str("Gremium · Datum · Drucksache · Dokumentart, for display."),
        "date": _nullable(_str("ISO date (YYYY-MM-DD).")),
        "document_type": _nullable(_str("Document type.")),
        "paper_type": _nullable(_str("Paper type.")),
        "reference": _nullable(_str("Drucksache reference number.")),
        "body": _nullable(_str("Body (Kommune).")),
        "organizations": {"type": "array", "items": {"type": "string"}},
        "meeting": _nullable(_str("Meeting (Sitzung) name.")),
        "agenda_item": _nullable(_str("Agenda item (TOP) number and name.")),
        "url": _nullable(_str("URL of the source file (PDF), if the source gives one.")),
        "document_url": _str("API URL of the full document."),
        "passages": {"type": "array", "items": {
            "type": "object", "required": ["page", "html"],
            "properties": {
                "page": {"type": "integer", "minimum": 1},
                "html": _str("Escaped passage text with matches in <mark>."),
                "heading": _nullable(_str("Agenda item the passage belongs to.")),
                "speaker": _nullable(_str("Speaker of the passage, with party.")),
            }}},
        "entities": {"type": "object", "required": ["parties", "persons", "places"], "properties": {
            "parties": {"type": "array", "items": {"type": "string"}},
            "persons": {"type": "array", "items": {"type": "string"}},
            "places": {"type": "array", "items": {"type": "string"}},
        }},
    },
}


def openapi_document() -> dict[str, Any]:
    facet_value = {
        "type": "object", "required": ["value", "label", "count", "selected", "toggle_url"],
        "properties": {"value": {"type": "string"}, "label": {"type": "string"},
                       "count": {"type": "integer", "minimum": 0}, "selected": {"type": "boolean"},
                       "toggle_url": _str("This search with the value switched on or off.")},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ratsuche API",
            "version": "1.0.0",
            "description": "Search German council documents: keyword, semantic and hybrid search with facets, "
                           "documents with entities and speakers, precedents, suggestions. Read-only.",
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/search": {"get": {
                "operationId": "search", "summary": "Search documents",
                "parameters": SEARCH_PARAMETERS,
                "responses": {"200": _json("#/components/schemas/SearchResponse", "Results, facets and timing."),
                              "400": _problem("A parameter is wrong; `param` names it."),
                              "503": _problem("No index has been built yet.")}}},
            "/api/v1/documents": {"get": {
                "operationId": "getDocument", "summary": "A document with its pages, entities and speakers",
                "parameters": [_param("id", "Document id.", {"type": "string", "minLength": 1}, required=True)],
                "responses": {"200": _json("#/components/schemas/Document", "The document."),
                              "400": _problem("No id given."), "404": _problem("No such document.")}}},
            "/api/v1/documents/{id}": {"get": {
                "operationId": "getDocumentByPath", "summary": "A document by id in the path (URL-encoded)",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("#/components/schemas/Document", "The document."),
                              "404": _problem("No such document.")}}},
            "/api/v1/documents/{id}/similar": {"get": {
                "operationId": "similarDocuments", "summary": "Precedents: documents like this one",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                               _param("limit", "Number of results (1–50).", {"type": "integer", "minimum": 1,
                                                                          "maximum": 50}),
                               *FILTER_PARAMETERS],
                "responses": {"200": _json("#/components/schemas/SimilarResponse", "Similar documents."),
                              "400": _problem("A parameter is wrong."), "404": _problem("No such document."),
                              "503": _problem("No vector index.")}}},
            "/api/v1/similar": {
                "get": {
                    "operationId": "similarById", "summary": "Precedents of a document given by ?id=",
                    "parameters": [_param("id", "Document id.", {"type": "string", "minLength": 1}, required=True),
                                   _param("limit", "Number of results (1–50).", {"type": "integer", "minimum": 1,
                                                                              "maximum": 50}),
                                   *FILTER_PARAMETERS],
                    "responses": {"200": _json("#/components/schemas/SimilarResponse", "Similar documents."),
                                  "400": _problem("A parameter is wrong."), "404": _problem("No such document."),
                                  "503": _problem("No vector index.")}},
                "post": {
                    "operationId": "similarToText", "summary": "Precedents of a free text (a draft motion)",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["text"],
                        "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 20000},
                                       "limit": {"type": "integer", "minimum": 1, "maximum": 50},
                                       "filters": {"type": "object", "additionalProperties": {
                                           "oneOf": [{"type": "string"},
                                                     {"type": "array", "items": {"type": "string"}}]}}}}}}},
                    "responses": {"200": _json("#/components/schemas/SimilarResponse", "Similar documents."),
                                  "400": _problem("The body is wrong."), "413": _problem("The body is too large."),
                                  "503": _problem("No vector index.")}}},
            "/api/v1/suggest": {"get": {
                "operationId": "suggest", "summary": "Autocomplete: words of titles, persons, parties, places",
                "parameters": [_param("q", "Prefix (2 characters or more).", {"type": "string", "maxLength": 100}),
                               _param("limit", "Number of suggestions (1–50).", {"type": "integer", "minimum": 1,
                                                                              "maximum": 50})],
                "responses": {"200": _json("#/components/schemas/SuggestResponse", "Suggestions."),
                              "400": _problem("A parameter is wrong.")}}},
            "/api/v1/entities": {"get": {
                "operationId": "entities", "summary": "Persons, parties, places or Gremien with document counts",
                "parameters": [_param("type", "Entity type.", {"type": "string",
                                                               "enum": ["person", "party", "place", "organization"]},
                                      required=True),
                               _param("q", "Substring filter.", {"type": "string", "maxLength": 100}),
                               _param("limit", "Number of entities (1–500).", {"type": "integer", "minimum": 1,
                                                                            "maximum": 500})],
                "responses": {"200": _json("#/components/schemas/EntitiesResponse", "Entities."),
                              "400": _problem("A parameter is wrong.")}}},
            "/api/v1/health": {"get": {
                "operationId": "health", "summary": "Liveness and index facts",
                "responses": {"200": _json("#/components/schemas/Health", "The service is up.")}}},
            "/api/v1/stats": {"get": {
                "operationId": "stats", "summary": "Counts per body, type and year; errors",
                "responses": {"200": _json("#/components/schemas/Stats", "Statistics.")}}},
        },
        "components": {"schemas": {
            "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "param": _str("The offending parameter.")}},
            "Hit": HIT_SCHEMA,
            "FacetValue": facet_value,
            "SearchResponse": {"type": "object", "required": ["query", "mode", "mode_used", "total", "page",
                                                              "per_page", "results", "facets", "timing"],
                               "properties": {
                                   "query": {"type": "string"}, "mode": {"type": "string", "enum": list(MODES)},
                                   "mode_used": {"type": "string", "enum": list(MODES),
                                                 "description": "keyword when semantic search was unavailable."},
                                   "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer"},
                                   "per_page": {"type": "integer"},
                                   "next_cursor": _nullable(_str("Cursor of the next page; null on the last.")),
                                   "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                                   "facets": {"type": "object", "propertyNames": {"enum": list(FACET_FIELDS)},
                                              "additionalProperties": {"type": "array", "items": {
                                                  "$ref": "#/components/schemas/FacetValue"}}},
                                   "notes": {"type": "array", "items": {"type": "string"}},
                                   "timing": {"type": "object", "required": ["took_ms"],
                                              "properties": {"took_ms": {"type": "number"}}},
                               }},
            "SimilarResponse": {"type": "object", "required": ["results"], "properties": {
                "id": {"type": "string"},
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}}}},
            "Document": {"type": "object", "required": ["id", "title", "document_type", "pages", "entities",
                                                        "speakers", "facets"], "properties": {
                "id": {"type": "string"}, "title": {"type": "string"}, "document_type": {"type": "string"},
                "date": _nullable(_str("ISO date.")), "body": _nullable(_str("Body.")),
                "organizations": {"type": "array", "items": {"type": "object", "required": ["id", "name"],
                                                             "properties": {"id": {"type": "string"},
                                                                            "name": {"type": "string"},
                                                                            "type": {"type": ["string", "null"]}}}},
                "paper": {"type": ["object", "null"]}, "meeting": {"type": ["object", "null"]},
                "agenda_item": {"type": ["object", "null"]},
                "url": _nullable(_str("Source file URL.")), "file_name": _nullable(_str("File name.")),
                "mime_type": _nullable(_str("MIME type.")), "text_source": _nullable(_str("oparl, pdf, ocr, html, txt")),
                "needs_ocr": {"type": "boolean"},
                "pages": {"type": "array", "items": {"type": "object", "required": ["number", "text"], "properties": {
                    "number": {"type": "integer", "minimum": 1}, "text": {"type": "string"}}}},
                "entities": {"type": "array", "items": {"type": "object", "required": ["label", "text", "page",
                                                                                     "start", "end"], "properties": {
                    "label": {"type": "string", "enum": ["PER", "ORG", "LOC", "MISC", "PARTY"]},
                    "text": {"type": "string"}, "canonical": {"type": ["string", "null"]},
                    "page": {"type": "integer"}, "start": {"type": "integer"}, "end": {"type": "integer"}}}},
                "speakers": {"type": "array", "items": {"type": "object", "required": ["name", "role", "page"],
                                                         "properties": {
                    "name": {"type": "string"}, "party": {"type": ["string", "null"]},
                    "role": {"type": "string", "enum": ["speaker", "interjection", "chair"]},
                    "page": {"type": "integer"}, "start": {"type": "integer"}, "end": {"type": "integer"},
                    "person_id": {"type": ["string", "null"]}}}},
                "facets": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            }},
            "SuggestResponse": {"type": "object", "required": ["query", "suggestions"], "properties": {
                "query": {"type": "string"},
                "suggestions": {"type": "array", "items": {"type": "object", "required": ["text", "kind", "count"],
                                                            "properties": {
                    "text": {"type": "string"},
                    "kind": {"type": "string", "enum": ["term", "person", "party", "place", "organization"]},
                    "count": {"type": "integer"}}}}}},
            "EntitiesResponse": {"type": "object", "required": ["type", "entities"], "properties": {
                "type": {"type": "string"}, "query": {"type": "string"},
                "entities": {"type": "array", "items": {"type": "object", "required": ["value", "count"],
                                                         "properties": {"value": {"type": "string"},
                                                                        "count": {"type": "integer"}}}}}},
            "Health": {"type": "object", "required": ["status", "documents", "semantic"], "properties": {
                "status": {"type": "string", "enum": ["ok"]}, "documents": {"type": "integer"},
                "semantic": {"type": "boolean"}}},
            "Stats": {"type": "object", "required": ["documents", "pages", "passages", "by_body", "by_type",
                                                     "by_year", "errors"], "properties": {
                "documents": {"type": "integer"}, "pages": {"type": "integer"}, "passages": {"type": "integer"},
                "by_body": {"type": "object", "additionalProperties": {"type": "integer"}},
                "by_type": {"type": "object", "additionalProperties": {"type": "integer"}},
                "by_year": {"type": "object", "additionalProperties": {"type": "integer"}},
                "errors": {"type": "object", "additionalProperties": {"type": "integer"}}}},
        }},
    }
