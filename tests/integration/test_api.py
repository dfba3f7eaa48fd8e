"""The JSON API on a real index: every response checked against the OpenAPI document."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen
from urllib.error import HTTPError

import pytest
from openapi_spec_validator import validate

from search_api.openapi import openapi_document
from tests.openapi_check import check_response

SEED_ID = "allris_auszug_kreis_soest_2017.txt"


def get(client, path, **params):
    url = path + ("?" + urlencode(params, doseq=True) if params else "")
    resp = client.get(url)
    body = resp.get_json(silent=True)
    check_response("GET", path, resp.status_code, resp.content_type, body)
    return resp.status_code, body


def test_openapi_document_is_valid_and_served(client):
    validate(openapi_document())
    resp = client.get("/openapi.json")
    assert resp.status_code == 200 and resp.get_json()["openapi"] == "3.1.0"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


def test_search_returns_documents_with_context_passages_and_facets(client):
    status, body = get(client, "/api/v1/search", q="Digitalisierung Modellregion", mode="keyword")
    assert status == 200 and body["mode_used"] == "keyword"
    top = body["results"][0]
    assert top["id"] == SEED_ID
    assert top["reference"] == "253/2017" and top["document_type"] == "Niederschrift"
    assert top["context"] == "Ausschuss für Personal, Organisation und Effizienz · 28.11.2017 · Drucksache 253/2017 · Niederschrift"
    assert top["passages"][0]["page"] == 1 and "<mark>" in top["passages"][0]["html"]
    assert set(body["facets"]) == {"body", "organization", "document_type", "paper_type", "year", "party", "person",
                                   "place"}


def test_facet_counts_respect_the_other_filters(client):
    _, all_docs = get(client, "/api/v1/search", q="Sitzung", mode="keyword", facets="year,document_type",
                      facet_size=50)
    years = {f["value"]: f["count"] for f in all_docs["facets"]["year"]}
    year, count = max(years.items(), key=lambda kv: kv[1])
    _, one_year = get(client, "/api/v1/search", q="Sitzung", mode="keyword", year=year,
                      facets="year,document_type", facet_size=50)
    assert one_year["total"] == count
    # the year facet still offers the other years (disjunctive), with unchanged counts
    assert {f["value"]: f["count"] for f in one_year["facets"]["year"]} == years
    assert [f["selected"] for f in one_year["facets"]["year"] if f["value"] == year] == [True]
    # the type facet is counted within the chosen year
    assert sum(f["count"] for f in one_year["facets"]["document_type"]) == count
    # toggle_url switches the value off again
    toggle = next(f["toggle_url"] for f in one_year["facets"]["year"] if f["value"] == year)
    assert f"year={year}" not in toggle


def test_every_facet_count_is_the_total_of_its_filter(client):
    # two words: documents with both come first and the set must not change with a filter
    _, all_docs = get(client, "/api/v1/search", q="Sitzung Rat", mode="keyword", facets="document_type,year")
    for name in ("document_type", "year"):
        for value in all_docs["facets"][name][:4]:
            _, filtered = get(client, "/api/v1/search", q="Sitzung Rat", mode="keyword", facets="none",
                              **{name: value["value"]})
            assert filtered["total"] == value["count"], (name, value)


def test_filters_dates_sort_and_paging(client):
    _, newest = get(client, "/api/v1/search", q="Rat", mode="keyword", sort="date_desc", per_page=5)
    dates = [r["date"] for r in newest["results"]]
    assert dates == sorted(dates, reverse=True)
    _, ranged = get(client, "/api/v1/search", q="Rat", mode="keyword", date_from="2008", date_to="2009-06",
                    per_page=50, facets="none")
    assert ranged["results"] and all("2008-01-01" <= r["date"] <= "2009-06-31" for r in ranged["results"])
    _, page2 = get(client, "/api/v1/search", q="Rat", mode="keyword", page=2, per_page=3, facets="none")
    _, first = get(client, "/api/v1/search", q="Rat", mode="keyword", per_page=3, facets="none")
    _, via_cursor = get(client, "/api/v1/search", q="Rat", mode="keyword", per_page=3, facets="none",
                        cursor=first["next_cursor"])
    assert [r["id"] for r in via_cursor["results"]] == [r["id"] for r in page2["results"]]
    assert [r["rank"] for r in page2["results"]] == [4, 5, 6]


@pytest.mark.parametrize("params, param", [
    ({"q": "x" * 501}, "q"),
    ({"q": "Rat", "mode": "fulltext"}, "mode"),
    ({"q": "Rat", "per_page": "1000"}, "per_page"),
    ({"q": "Rat", "page": "abc"}, "page"),
    ({"q": "Rat", "page": "200", "per_page": "10"}, "page"),
    ({"q": "Rat", "date_from": "2020-13-01"}, "date_from"),
    ({"q": "Rat", "date_from": "gestern"}, "date_from"),
    ({"q": "Rat", "facets": "colour"}, "facets"),
    ({"q": "Rat", "sort": "random"}, "sort"),
    ({"q": "Rat", "cursor": "bm90LWEtY3Vyc29y"}, "cursor"),
    ({"q": "Rat", "date_from": "2020", "date_to": "2019"}, "date_from"),
])
def test_bad_parameters_are_400_problems_naming_the_parameter(client, params, param):
    status, body = get(client, "/api/v1/search", **params)
    assert status == 400 and body["param"] == param and body["status"] == 400
    assert "Traceback" not in body["detail"] and "/work" not in body["detail"]


def test_malformed_queries_still_answer(client):
    for q in ['"unbalanced', "OR OR", "-", "a:b:c", "(((", "~~~", "*", "DS 26/2022", "Feuerwher~"]:
        status, body = get(client, "/api/v1/search", q=q, mode="keyword")
        assert status == 200, q


def test_documents_by_query_and_by_path(client):
    status, doc = get(client, "/api/v1/documents", id=SEED_ID)
    assert status == 200 and doc["paper"]["reference"] == "253/2017"
    assert doc["pages"][0]["text"].startswith("Wortprotokoll")
    status, same = get(client, "/api/v1/documents/" + quote(SEED_ID, safe=""))
    assert status == 200 and same == doc
    status, body = get(client, "/api/v1/documents", id="nope")
    assert status == 404 and body["param"] == "id"


def test_semantic_and_hybrid_modes_use_the_vectors(client):
    for mode in ("semantic", "hybrid"):
        status, body = get(client, "/api/v1/search", q="Digitale Modellregion für Kommunen", mode=mode)
        assert status == 200 and body["mode_used"] == mode and body["results"], mode
    _, sem = get(client, "/api/v1/search", q="Digitale Modellregion für Kommunen", mode="semantic")
    assert SEED_ID in [r["id"] for r in sem["results"][:5]]


def test_a_paper_reference_keeps_the_keyword_order_in_hybrid(client):
    """A reference is a lookup: hybrid lists the keyword matches in keyword order, and the semantic
    run may only add documents after them."""
    q = "Drucksache 253/2017"
    _, keyword = get(client, "/api/v1/search", q=q, mode="keyword", per_page=50)
    _, hybrid = get(client, "/api/v1/search", q=q, mode="hybrid", per_page=50)
    assert hybrid["mode_used"] == "hybrid" and keyword["results"][0]["id"] == SEED_ID
    ids = [r["id"] for r in keyword["results"]]
    assert [r["id"] for r in hybrid["results"]][: len(ids)] == ids


def test_hybrid_pages_are_slices_of_one_ranking(client):
    """Deeper pages run deeper searches; the fused order must not move, or paging would repeat and
    skip documents."""
    _, whole = get(client, "/api/v1/search", q="Sitzung", mode="hybrid", per_page=60)
    paged = []
    for page in range(1, 7):
        _, body = get(client, "/api/v1/search", q="Sitzung", mode="hybrid", per_page=10, page=page)
        paged += [r["id"] for r in body["results"]]
    assert len(paged) == 60 and len(set(paged)) == 60
    assert paged == [r["id"] for r in whole["results"]]


def test_precedents_of_a_document_and_of_a_text(client):
    status, body = get(client, f"/api/v1/documents/{quote(SEED_ID, safe='')}/similar", limit=5)
    assert status == 200 and 0 < len(body["results"]) <= 5
    assert SEED_ID not in [r["id"] for r in body["results"]]
    resp = client.post("/api/v1/similar", json={"text": "Antrag: Der Kreis soll Modellregion für Digitalisierung "
                                                         "werden, gemeinsam mit allen Gemeinden.", "limit": 3})
    check_response("POST", "/api/v1/similar", resp.status_code, resp.content_type, resp.get_json())
    assert resp.status_code == 200 and resp.get_json()["results"][0]["id"] == SEED_ID
    resp = client.post("/api/v1/similar", json={"text": ""})
    check_response("POST", "/api/v1/similar", resp.status_code, resp.content_type, resp.get_json())
    assert resp.status_code == 400 and resp.get_json()["param"] == "text"


def test_suggest_entities_health_stats(client):
    status, body = get(client, "/api/v1/suggest", q="nieder")
    assert status == 200 and body["suggestions"][0] == {"text": "Niederschrift", "kind": "term",
                                                          "count": body["suggestions"][0]["count"]}
    assert body["suggestions"][0]["count"] > 10
    status, body = get(client, "/api/v1/suggest", q="bür")  # folded: finds Bürger…, Buerger…
    assert status == 200 and all(s["text"].lower().replace("ü", "u").startswith("bur") or
                                 any(w.lower().replace("ü", "u").startswith("bur") for w in s["text"].split())
                                 for s in body["suggestions"])
    status, body = get(client, "/api/v1/entities", type="organization", q="rat")
    assert status == 200 and body["entities"] and all("rat" in e["value"].lower() for e in body["entities"])
    status, body = get(client, "/api/v1/entities", type="colour")
    assert status == 400 and body["param"] == "type"
    status, body = get(client, "/api/v1/health")
    assert status == 200 and body["semantic"] is True and body["documents"] > 100
    status, body = get(client, "/api/v1/stats")
    assert status == 200 and body["documents"] == sum(body["by_body"].values())


def test_the_api_is_read_only(client):
    for method in ("post", "put", "delete", "patch"):
        resp = getattr(client, method)("/api/v1/search?q=Rat")
        assert resp.status_code == 405 and resp.content_type == "application/problem+json"
    resp = client.delete("/api/v1/documents?id=" + SEED_ID)
    assert resp.status_code == 405


def test_xss_in_queries_comes_back_escaped(client):
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    resp = client.get("/?" + urlencode({"q": evil}))
    html = resp.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_atom_feed_newest_first(client):
    import xml.etree.ElementTree as ET

    resp = client.get("/feed?q=Rat")
    assert resp.status_code == 200 and resp.content_type.startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(resp.data)
    updated = [e.find("a:updated", ns).text for e in root.findall("a:entry", ns)]
    assert updated and updated == sorted(updated, reverse=True)


def test_keyword_only_index_degrades_visibly(keyword_only_settings):
    from search_api.app import create_app

    client = create_app(keyword_only_settings).test_client()
    status, body = get(client, "/api/v1/search", q="Schulwege Südstadt", mode="hybrid")
    assert status == 200 and body["mode_used"] == "keyword" and body["notes"]
    assert body["results"][0]["id"] == "allris_to020_schulwege.html"
    status, body = get(client, "/api/v1/documents/allris_to020_schulwege.html/similar")
    assert status == 503


def test_over_real_http(live_server):
    with urlopen(f"{live_server}/api/v1/search?q=Rat&mode=keyword&per_page=2", timeout=30) as resp:
        body = json.loads(resp.read())
        check_response("GET", "/api/v1/search", resp.status, resp.headers["Content-Type"], body)
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
    with pytest.raises(HTTPError) as err:
        urlopen(f"{live_server}/api/v1/search?q=Rat&mode=bogus", timeout=30)
    assert err.value.code == 400 and err.value.headers["Content-Type"] == "application/problem+json"
    req = Request(f"{live_server}/api/v1/similar", data=b"x" * 400_000, method="POST",
                  headers={"Content-Type": "application/json"})
    with pytest.raises(HTTPError) as err:
        urlopen(req, timeout=30)
    assert err.value.code == 413


def test_xss_inside_documents_comes_back_escaped(keyword_only_settings):
    import xml.etree.ElementTree as ET

    from search_api.app import create_app

    client = create_app(keyword_only_settings).test_client()
    needles = ["<script>alert(", "<img src=x", "<svg onload", "<iframe", "<b>Fett</b>", 'href="javascript:']
    for url in ("/?q=Turnhalle&mode=keyword", "/dokument?id=antrag.txt"):
        html = client.get(url).get_data(as_text=True)
        assert "Turnhalle" in html and not [n for n in needles if n in html], url
        assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;" in html
    status, body = get(client, "/api/v1/search", q="Turnhalle", mode="keyword")
    hit = body["results"][0]
    assert hit["title"] == "Turnhalle <script>alert('titel')</script>"  # data stays data in JSON
    assert "<script>" not in hit["passages"][0]["html"] and "&lt;script&gt;" in hit["passages"][0]["html"]
    assert "<mark>Turnhalle</mark>" in hit["passages"][0]["html"]
    feed = client.get("/feed?q=Turnhalle")
    entry = ET.fromstring(feed.data).find("{http://www.w3.org/2005/Atom}entry")
    assert entry.find("{http://www.w3.org/2005/Atom}title").text == "Turnhalle <script>alert('titel')</script>"
