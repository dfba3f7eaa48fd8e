"""Request parameters into a :class:`SearchRequest`: one place that validates them.

Every mistake is a :class:`BadRequest` naming the parameter, so the client gets a 400 with a
message it can act on. The HTML page and the JSON API and the Atom feed share this parsing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Mapping, Sequence

from corpora.settings import Settings
from indexer.hits import Filters, date_key
from indexer.store import FACET_FIELDS
from search_api.errors import BadRequest
from search_api.search import DEFAULT_FACETS, MODES, SORTS, SearchRequest

FILTER_PARAMS = ("body", "organization", "paper_type", "document_type", "year", "party", "person", "place", "result")
MAX_VALUE_LENGTH = 300
MAX_VALUES = 20


class Args:
    """Multi-valued request arguments (werkzeug's MultiDict or a plain dict of lists)."""

    def __init__(self, source: Mapping[str, Sequence[str]] | object) -> None:
        self.source = source

    def all(self, name: str) -> list[str]:
        getlist = getattr(self.source, "getlist", None)
        if getlist is not None:
            values = getlist(name)
        else:
            raw = self.source.get(name, [])  # type: ignore[union-attr]
            values = [raw] if isinstance(raw, str) else list(raw)
        return [v for v in values if isinstance(v, str)]

    def one(self, name: str, default: str | None = None) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise BadRequest(f"'{name}' may be given once", param=name)
        return values[0] if values else default


def _int(args: Args, name: str, default: int, lo: int, hi: int) -> int:
    raw = args.one(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\d{1,9}", raw.strip()):
        raise BadRequest(f"'{name}' must be a whole number", param=name)
    value = int(raw)
    if not lo <= value <= hi:
        raise BadRequest(f"'{name}' must be between {lo} and {hi}", param=name)
    return value


def _date(args: Args, name: str) -> str | None:
    raw = args.one(name)
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", raw) or date_key(raw) is None:
        raise BadRequest(f"'{name}' must be a date: YYYY, YYYY-MM or YYYY-MM-DD", param=name)
    month = int(raw[5:7]) if len(raw) >= 7 else 1
    day = int(raw[8:10]) if len(raw) == 10 else 1
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise BadRequest(f"'{name}' is not a valid date", param=name)
    return raw


def parse_filters(args: Args) -> Filters:
    values: dict[str, tuple[str, ...]] = {}
    for name in FILTER_PARAMS:
        raw = [v.strip() for v in args.all(name) if v.strip()]
        if len(raw) > MAX_VALUES:
            raise BadRequest(f"at most {MAX_VALUES} values of '{name}'", param=name)
        if any(len(v) > MAX_VALUE_LENGTH for v in raw):
            raise BadRequest(f"a value of '{name}' is too long", param=name)
        if raw:
            values[name] = tuple(dict.fromkeys(raw))
    date_from, date_to = _date(args, "date_from"), _date(args, "date_to")
    if date_from and date_to and date_key(date_from) > date_key(date_to, end=True):  # type: ignore[operator]
        raise BadRequest("'date_from' lies after 'date_to'", param="date_from")
    return Filters(values, date_from, date_to)


def parse_facets(args: Args) -> tuple[tuple[str, ...], int]:
    raw = args.all("facets")
    if not raw:
        names = DEFAULT_FACETS
    else:
        names = tuple(dict.fromkeys(n.strip() for v in raw for n in v.split(",") if n.strip()))
        if names == ("none",):
            names = ()
        for n in names:
            if n not in FACET_FIELDS:
                raise BadRequest(f"unknown facet {n!r}; facets: {', '.join(FACET_FIELDS)}", param="facets")
    size = _int(args, "facet_size", 10, 1, 100)
    return names, size


def _cursor_key(req_fields: dict) -> str:
    return hashlib.sha256(json.dumps(req_fields, sort_keys=True).encode()).hexdigest()[:12]


def encode_cursor(offset: int, fingerprint: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "f": fingerprint}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        offset, fp = int(data["o"]), str(data["f"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BadRequest("'cursor' is not a cursor this server made", param="cursor") from None
    if fp != fingerprint or offset < 0:
        raise BadRequest("'cursor' belongs to another query", param="cursor")
    return offset


def parse_search(args_source: object, settings: Settings) -> tuple[SearchRequest, str]:
    """The search request and its fingerprint (for cursors: same query, filters, mode, sort)."""
    args = Args(args_source)
    q = (args.one("q", "") or "").strip()
    if len(q) > settings.max_query_length:
        raise BadRequest(f"'q' is longer than {settings.max_query_length} characters", param="q")
    if "\x00" in q:
        raise BadRequest("'q' contains a NUL character", param="q")
    mode = (args.one("mode") or settings.default_mode).strip()
    if mode not in MODES:
        raise BadRequest(f"'mode' must be one of {', '.join(MODES)}", param="mode")
    sort = (args.one("sort") or "relevance").strip()
    if sort not in SORTS:
        raise BadRequest(f"'sort' must be one of {', '.join(SORTS)}", param="sort")
    filters = parse_filters(args)
    facets, facet_size = parse_facets(args)
    per_page = _int(args, "per_page", 10, 1, settings.max_per_page)
    fingerprint = _cursor_key({"q": q, "mode": mode, "sort": sort, "filters": {k: list(v) for k, v in filters.values.items()},
                               "from": filters.date_from, "to": filters.date_to})
    cursor = args.one("cursor")
    if cursor:
        if args.one("page"):
            raise BadRequest("give 'page' or 'cursor', not both", param="cursor")
        offset = decode_cursor(cursor, fingerprint)
    else:
        page = _int(args, "page", 1, 1, 10_000)
        offset = (page - 1) * per_page
    if offset + per_page > settings.max_result_window:
        raise BadRequest(f"results beyond position {settings.max_result_window} are not available; "
                         "narrow the search with filters", param="cursor" if cursor else "page")
    highlight = (args.one("highlight") or "true").lower() not in ("false", "0", "no")
    return SearchRequest(q=q, mode=mode, filters=filters, facets=facets, facet_size=facet_size, sort=sort,
                         offset=offset, limit=per_page, highlight=highlight), fingerprint
