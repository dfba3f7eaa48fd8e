"""Atom feeds: any search as a subscription, newest documents first."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, request, url_for

from search_api.params import parse_search
from search_api.serialize import context_line

feeds = Blueprint("feeds", __name__)
FEED_SIZE = 30


def _atom_date(date: str | None) -> str:
    if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date[:10]):
        return f"{date[:10]}T00:00:00Z"
    return "1970-01-01T00:00:00Z"


@feeds.get("/feed")
def feed() -> Any:
    state = current_app.extensions["ratsuche"]
    req, _ = parse_search(request.args, state.settings)
    req = replace(req, sort="date_desc", offset=0, limit=FEED_SIZE, facets=())
    resp = state.engine.search(req)
    base = request.host_url.rstrip("/")
    self_url = base + request.full_path.rstrip("?")
    title = f"Ratsuche: {req.q}" if req.q else "Ratsuche: neue Dokumente"
    updated = max((_atom_date(h.date) for h in resp.results), default=datetime.now(timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ"))
    feed_id = "urn:ratsuche:feed:" + hashlib.sha256(request.full_path.encode()).hexdigest()[:24]
    entries = []
    for h in resp.results:
        link = base + url_for("pages.document") + "?id=" + _quote(h.id)
        summary = context_line(h)
        if h.highlights:
            summary += " — " + re.sub(r"</?mark>", "", h.highlights[0].html)
        entries.append(
            "<entry>"
            f"<id>urn:ratsuche:document:{escape(hashlib.sha256(h.id.encode()).hexdigest()[:32])}</id>"
            f"<title>{escape(h.title)}</title>"
            f"<updated>{_atom_date(h.date)}</updated>"
            f'<link rel="alternate" type="text/html" href="{escape(link, {chr(34): "&quot;"})}"/>'
            + (f'<link rel="related" href="{escape(h.url, {chr(34): "&quot;"})}"/>' if h.url else "")
            + f"<summary>{escape(summary)}</summary>"
            "</entry>")
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{feed_id}</id><title>{escape(title)}</title><updated>{updated}</updated>"
        f'<link rel="self" href="{escape(self_url, {chr(34): "&quot;"})}"/>'
        "<author><name>Ratsuche</name></author>"
        + "".join(entries) + "</feed>")
    return Response(body, mimetype="application/atom+xml")


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
