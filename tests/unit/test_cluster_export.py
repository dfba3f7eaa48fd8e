"""The export's pure parts: mappings, templates, sources, ids, bulk files, options."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from corpora.model import AgendaItem, Body, Document, File, Meeting, Paper
from indexer.cluster_export import (BulkFiles, Embedding, ExportOptions, bulk_id, document_source, index_templates,
                                    load_script, passage_id, passage_sources, search_pipelines, shared_source,
                                    vector_mapping)
from indexer.export_sources import ExportError, ExportItem
from indexer.passages import Passage
from indexer.store import FACET_FIELDS

MINILM = Embedding(model="all-MiniLM-L6-v2", dimension=384, normalized=True, fingerprint="f")


def item() -> ExportItem:
    doc = Document(
        id="https://rats.example/oparl/file/7", document_type="Vorlage", source_key="file/7",
        file=File(id="https://rats.example/oparl/file/7", name="Beschlussvorlage Radweg DS 12/2024",
                  file_name="ds-12-2024.pdf", mime_type="application/pdf",
                  access_url="https://rats.example/files/ds-12-2024.pdf"),
        body=Body(id="b", name="Gemeinde Nordstemmen"),
        paper=Paper(id="p", name="Radwegeverbindung Barnten", reference="DS 12/2024", paper_type="Beschlussvorlage"),
        meeting=Meeting(id="m", name="Rat", start="2024-03-12T18:00:00+01:00"),
        agenda_item=AgendaItem(id="a", number="Ö 5", name="Radweg nach Barnten"),
        text_source="oparl")
    return ExportItem(document=doc, n_pages=2,
                      facets={"body": ("Gemeinde Nordstemmen",), "document_type": ("Vorlage",), "year": ("2024",),
                              "party": ("CDU", "SPD")},
                      passages=(Passage(ord=0, page=1, start=0, end=20, text="Der Radweg nach Barnten"),
                                Passage(ord=1, page=2, start=0, end=9, text="Beschluss", heading="Beschluss",
                                        speaker="Frau Meier")),
                      vectors={0: np.array([0.6, -0.8, 1 / 3], dtype=np.float32)})


def test_sources_of_a_document_and_its_passages():
    it = item()
    shared = shared_source(it)
    assert shared == {"doc_id": "https://rats.example/oparl/file/7",
                      "title": "Beschlussvorlage Radweg DS 12/2024 — Radwegeverbindung Barnten",
                      "date": "2024-03-12", "reference": "DS 12/2024", "refs": ["12/2024"],
                      "body": ["Gemeinde Nordstemmen"], "document_type": ["Vorlage"], "year": ["2024"],
                      "party": ["CDU", "SPD"]}
    assert document_source(it, shared) == {
        **shared, "url": "https://rats.example/files/ds-12-2024.pdf", "file_name": "ds-12-2024.pdf",
        "mime_type": "application/pdf", "text_source": "oparl", "needs_ocr": False, "n_pages": 2, "n_passages": 2,
        "meeting": {"id": "m", "name": "Rat", "start": "2024-03-12T18:00:00+01:00"},
        "agenda_item": {"number": "Ö 5", "name": "Radweg nach Barnten"},
        "paper": {"id": "p", "name": "Radwegeverbindung Barnten"}}
    passages = list(passage_sources(it, shared))
    assert passages == [
        (0, {**shared, "ord": 0, "page": 1, "start": 0, "end": 20, "heading": "Radweg nach Barnten",
             "text": "Der Radweg nach Barnten", "embedding": [0.6, -0.8, 0.333333]}),
        (1, {**shared, "ord": 1, "page": 2, "start": 0, "end": 9, "heading": "Beschluss", "speaker": "Frau Meier",
             "text": "Beschluss"})]


def test_ids_are_stable_and_within_the_limit():
    assert passage_id("https://rats.example/oparl/file/7", 3) == "https://rats.example/oparl/file/7#3"
    long = "x" * 600
    assert bulk_id(long) == bulk_id(long) != bulk_id(long + "y")
    assert bulk_id(long).startswith("sha1:") and len(bulk_id(long)) == 45
    assert bulk_id("ä" * 256) == "ä" * 256 and bulk_id("ä" * 257).startswith("sha1:")  # 512 bytes of UTF-8


def test_templates_for_opensearch_and_elasticsearch():
    os_t = index_templates(ExportOptions(), MINILM)
    assert list(os_t) == ["ratsuche-passages", "ratsuche-documents"]
    passages = os_t["ratsuche-passages"]
    assert passages["index_patterns"] == ["ratsuche-passages*"]
    assert passages["template"]["settings"]["index"] == {"knn": True}
    props = passages["template"]["mappings"]["properties"]
    assert props["embedding"] == {"type": "knn_vector", "dimension": 384, "method": {
        "name": "hnsw", "engine": "lucene", "space_type": "cosinesimil", "parameters": {"m": 16, "ef_construction": 128}}}
    assert passages["template"]["mappings"]["dynamic"] == "strict"
    assert passages["template"]["mappings"]["_meta"] == {"ratsuche": {"embedding": {
        "model": "all-MiniLM-L6-v2", "dimension": 384, "normalized": True, "fingerprint": "f"}}}
    documents = os_t["ratsuche-documents"]["template"]
    assert "index" not in documents["settings"] and "embedding" not in documents["mappings"]["properties"]
    for mapping in (props, documents["mappings"]["properties"]):
        assert all(mapping[f] == {"type": "keyword"} for f in FACET_FIELDS)
        assert mapping["date"]["type"] == "date" and mapping["date"]["ignore_malformed"] is True
        assert mapping["title"]["analyzer"] == "ratsuche_german"
    assert vector_mapping("elasticsearch", 768) == {"type": "dense_vector", "dims": 768, "index": True,
                                                    "similarity": "cosine",
                                                    "index_options": {"type": "hnsw", "m": 16, "ef_construction": 128}}
    es = index_templates(ExportOptions(format="elasticsearch", prefix="kreis"), MINILM)
    assert "index" not in es["kreis-passages"]["template"]["settings"]
    assert es["kreis-passages"]["template"]["mappings"]["properties"]["embedding"]["type"] == "dense_vector"
    no_vectors = index_templates(ExportOptions(), None)["ratsuche-passages"]["template"]
    assert "index" not in no_vectors["settings"] and "embedding" not in no_vectors["mappings"]["properties"]


def test_search_pipelines_fuse_like_ratsuche():
    pipes = search_pipelines(ExportOptions())
    assert pipes["ratsuche-hybrid-rrf"]["phase_results_processors"] == [
        {"score-ranker-processor": {"combination": {"technique": "rrf", "rank_constant": 60}}}]
    assert "normalization-processor" in pipes["ratsuche-hybrid-minmax"]["phase_results_processors"][0]
    assert search_pipelines(ExportOptions(format="elasticsearch")) == {}


def test_bulk_files_keep_pairs_whole_and_stay_under_the_limit(tmp_path):
    bulk = BulkFiles(tmp_path / "bulk", max_bytes=4096)
    for i in range(40):
        bulk.add("idx", f"d{i}", {"text": "x" * 200})
    bulk.add("idx", "big", {"text": "y" * 10_000})  # larger than a file: a file of its own
    bulk.add("idx", "last", {"text": "z"})
    bulk.close()
    sizes = [f["bytes"] for f in bulk.files]
    assert [f["actions"] for f in bulk.files] == [16, 16, 8, 1, 1]
    assert all(s <= 4096 for s in sizes[:3]) and sizes[3] > 10_000
    lines = [json.loads(line) for f in bulk.files for line in (tmp_path / f["file"]).read_text().splitlines()]
    assert [a["index"]["_id"] for a in lines[::2]] == [f"d{i}" for i in range(40)] + ["big", "last"]
    assert [f["file"] for f in bulk.files][:2] == ["bulk/bulk-00001.ndjson", "bulk/bulk-00002.ndjson"]


def test_options_are_checked():
    with pytest.raises(ExportError) as err:
        ExportOptions(format="solr")
    assert (str(err.value), err.value.reason, err.value.hint) == (
        "unknown export format 'solr'", "unknown_format", "formats: opensearch, elasticsearch")
    for bad in ("Ratsuche", "rat suche", "a/b", ""):
        with pytest.raises(ExportError):
            ExportOptions(prefix=bad)
    with pytest.raises(ExportError):
        ExportOptions(word_list="maybe")
    assert ExportOptions(prefix="kreis-soest").index("passages") == "kreis-soest-passages"


def test_load_script_is_valid_shell(tmp_path):
    script = load_script(ExportOptions(), ["ratsuche-passages"], ["ratsuche-hybrid-rrf"], "analysis/w.txt")
    (tmp_path / "load.sh").write_text(script)
    subprocess.run(["sh", "-n", str(tmp_path / "load.sh")], check=True)
    assert "must first be copied to <config dir>/analysis/ratsuche-decompound.txt" in script
    assert '"$URL/_index_template/ratsuche-passages"' in script and "_search/pipeline/ratsuche-hybrid-rrf" in script
