"""``ratsuche export``: templates and bulk files from a real ingestion output and from a real store.

20 files of the Nordstemmen dump go through the local stages once (extraction, NER, passages,
MiniLM embeddings). Their rows are written as an ingestion output the way the Ray executor writes
one (indexer.records' rows, each table in part files of its own order and size) and into a store;
both are exported and the files checked for structure. No OpenSearch server is at hand here, so the
checks are of what the ``_bulk`` and ``_index_template`` APIs accept: valid NDJSON, pairs of action
and source, each document and passage once, a strict mapping that holds every field of every
source, vectors of the mapping's dimension.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from corpora.oparl_dump import OParlDump
from corpora.settings import Settings
from corpora.sources import Directory, Upsert
from indexer import stages
from indexer.analysis.lucene import decompound_words
from indexer.cluster_export import ExportOptions, export_output, export_store
from indexer.ingest import Pipeline
from indexer.records import TABLES, Manifest, document_row, prepared_rows, write_table
from indexer.store import FACET_FIELDS, Store, facet_values
from ratsuche.cli import main
from tests.integration.conftest import nordstemmen_slice

pytestmark = pytest.mark.slow
N_DOCS = 20
N_PASSAGES = 282  # of those 20 files, as the local pipeline cuts them (MiniLM tokenizer, 240 tokens)
PARTS = {"documents": 3, "passages": 2, "entities": 4, "speakers": 1, "embeddings": 5}


def write_output(prepared, source: str, out: Path, embedding_info: str) -> None:
    """An ingestion output as ``ingest_ray`` writes it: each table's rows shuffled into part files
    of their own (so a document's passages and vectors lie in different parts)."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for p in prepared:
        tables["documents"].append(document_row(p.document, source, p.content_hash))
        for name, rows in prepared_rows(p).items():
            tables[name].extend(rows)
    rnd = random.Random(7)
    for name, rows in tables.items():
        rnd.shuffle(rows)
        n = PARTS[name]
        for part in range(n):
            write_table(out, name, rows[part::n], part)
    Manifest(embedding_info=embedding_info, sources=[{"key": source, "kind": "oparl_dump"}],
             counts={k: len(v) for k, v in tables.items()}).write(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    settings = Settings.load({}, data_dir=str(root / "data"), embeddings=True, ner=True)
    reader = OParlDump(nordstemmen_slice(root / "nordstemmen", N_DOCS))
    docs, directory = [], None
    for event in reader.iter_events({}):
        if isinstance(event, Upsert):
            docs.append(event.document)
        elif isinstance(event, Directory):
            directory = event
    pipeline = Pipeline(settings)
    prepared, failed = pipeline.process(docs, [stages.content_hash(d) for d in docs], directory)
    assert not failed
    info = pipeline.embedder.info.to_json()
    write_output(prepared, reader.key, root / "output", info)
    store = Store.open(settings.store_path)
    store.set_meta("embedding_info", info)
    store.write(store.source(reader.key, reader.kind).id, prepared)
    store.close()
    return {"root": root, "settings": settings, "prepared": prepared, "output": root / "output",
            "dimension": pipeline.embedder.info.dimension}


def read_bulk(out: Path) -> list[tuple[dict, dict]]:
    """The (action, source) pairs of all bulk files, every line parsed on its own."""
    pairs = []
    for path in sorted((out / "bulk").glob("bulk-*.ndjson")):
        raw = path.read_bytes()
        assert raw.endswith(b"\n")
        lines = raw.decode("utf-8").split("\n")[:-1]
        assert len(lines) % 2 == 0, path
        for action, source in zip(lines[::2], lines[1::2]):
            pairs.append((json.loads(action), json.loads(source)))
    return pairs


def check_against_mapping(source: dict, properties: dict, dimension: int) -> None:
    """Every field of a source is in the strict mapping, with a value of the field's type."""
    for name, value in source.items():
        assert name in properties, name
        kind = properties[name].get("type", "object")
        values = value if isinstance(value, list) and kind != "knn_vector" else [value]
        for v in values:
            if kind in ("keyword", "text"):
                assert isinstance(v, str) and v
            elif kind == "integer":
                assert isinstance(v, int) and not isinstance(v, bool)
            elif kind == "boolean":
                assert isinstance(v, bool)
            elif kind == "date":
                assert isinstance(v, str) and v[:4].isdigit()
            elif kind == "knn_vector":
                assert len(v) == dimension == properties[name]["dimension"]
                assert all(isinstance(x, float) for x in v)
            else:
                check_against_mapping(v, properties[name]["properties"], dimension)


def test_export_of_an_ingestion_output(corpus, tmp_path):
    out = tmp_path / "export"
    summary = export_output(corpus["output"], out, ExportOptions(bulk_bytes=256 * 1024))
    prepared = {p.document.id: p for p in corpus["prepared"]}
    assert (summary["documents"], summary["passages"], summary["vectors"]) == (N_DOCS, N_PASSAGES, N_PASSAGES)
    assert sum(len(p.passages) for p in prepared.values()) == N_PASSAGES
    assert summary["embedding"]["dimension"] == corpus["dimension"] == 384

    # the files: bounded, and together every action once
    assert len(summary["bulk"]) >= 4
    for entry in summary["bulk"]:
        assert (out / entry["file"]).stat().st_size == entry["bytes"] <= 256 * 1024
    pairs = read_bulk(out)
    assert len(pairs) == N_DOCS + N_PASSAGES == sum(e["actions"] for e in summary["bulk"])
    ids = [(a["index"]["_index"], a["index"]["_id"]) for a, _ in pairs]
    assert all(set(a) == {"index"} and set(a["index"]) == {"_index", "_id"} for a, _ in pairs)
    assert len(set(ids)) == len(ids)
    assert {i for x, i in ids if x == "ratsuche-documents"} == set(prepared)
    assert {i for x, i in ids if x == "ratsuche-passages"} == {
        f"{d}#{s.ord}" for d, p in prepared.items() for s in p.passages}

    templates = {n: json.loads((out / "templates" / f"{n}.json").read_text()) for n in
                 ("ratsuche-passages", "ratsuche-documents")}
    passage_props = templates["ratsuche-passages"]["template"]["mappings"]["properties"]
    document_props = templates["ratsuche-documents"]["template"]["mappings"]["properties"]
    for action, source in pairs:
        index, _id = action["index"]["_index"], action["index"]["_id"]
        props = passage_props if index == "ratsuche-passages" else document_props
        check_against_mapping(source, props, corpus["dimension"])
        p = prepared[source["doc_id"]]
        # facets as the store computes them, and the document's own fields
        assert {k: v for k, v in source.items() if k in FACET_FIELDS} == facet_values(p)
        assert source.get("date") == p.document.date
        if index == "ratsuche-passages":
            ord_ = int(_id.rsplit("#", 1)[1])
            passage = p.passages[ord_]
            assert (source["ord"], source["page"], source["text"]) == (ord_, passage.page, passage.text)
            assert np.allclose(source["embedding"], p.embeddings[ord_], atol=6e-7)
        else:
            assert source["n_passages"] == len(p.passages) and source["n_pages"] == len(p.document.pages)

    # facets of the real corpus: the body on every document; NER's parties, persons and places on some
    docs = [s for a, s in pairs if a["index"]["_index"] == "ratsuche-documents"]
    assert all(s["body"] == ["Gemeinde Nordstemmen"] for s in docs)
    for name in ("organization", "document_type", "year", "party", "person", "place"):
        assert any(name in s for s in docs), name
    for name in FACET_FIELDS:
        assert passage_props[name] == document_props[name] == {"type": "keyword"}

    # the mapping: vectors, dates, the German analyzers with our synonyms and decompounding words
    assert passage_props["embedding"]["type"] == "knn_vector"
    assert passage_props["embedding"]["dimension"] == 384
    assert passage_props["embedding"]["method"]["space_type"] == "cosinesimil"
    assert templates["ratsuche-passages"]["template"]["settings"]["index"] == {"knn": True}
    assert passage_props["date"]["type"] == document_props["meeting"]["properties"]["start"]["type"] == "date"
    assert passage_props["text"] == {"type": "text", "analyzer": "ratsuche_german",
                                     "search_analyzer": "ratsuche_german_search"}
    analysis = templates["ratsuche-passages"]["template"]["settings"]["analysis"]
    assert analysis == templates["ratsuche-documents"]["template"]["settings"]["analysis"]
    assert "ratsuche_decompound" in analysis["analyzer"]["ratsuche_german"]["filter"]
    assert "ratsuche_synonyms" in analysis["analyzer"]["ratsuche_german_search"]["filter"]
    assert "Kita, Kindertagesstätte, Kindertageseinrichtung, Kindergarten" in \
        analysis["filter"]["ratsuche_synonyms"]["synonyms"]
    assert analysis["filter"]["ratsuche_decompound"]["word_list"] == list(decompound_words())
    assert {"feuerwehr", "verwaltung", "kita", "gebuhr"} <= set(decompound_words())

    # the manifest of the export, the pipelines and the load script
    assert json.loads((out / "export.json").read_text()) == summary
    assert sorted(p.name for p in (out / "pipelines").iterdir()) == ["ratsuche-hybrid-minmax.json",
                                                                     "ratsuche-hybrid-rrf.json"]
    script = (out / "load.sh").read_text()
    subprocess.run(["sh", "-n", str(out / "load.sh")], check=True)
    for name in ("_index_template/ratsuche-passages", "_index_template/ratsuche-documents",
                 "_search/pipeline/ratsuche-hybrid-rrf", "bulk/bulk-*.ndjson", "application/x-ndjson"):
        assert name in script
    assert sorted(p.name for p in out.iterdir()) == ["bulk", "export.json", "load.sh", "pipelines", "templates"]


def bulk_bytes(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((out / "bulk").glob("bulk-*.ndjson")))


def test_buckets_and_the_store_give_the_same_documents(corpus, tmp_path):
    options = ExportOptions()
    whole = export_output(corpus["output"], tmp_path / "whole", options)
    # a bucket of ~20 KB: the output (~1 MB of Parquet) is joined bucket by bucket
    bucketed = export_output(corpus["output"], tmp_path / "bucketed", options, bucket_bytes=20_000)
    assert len(whole["bulk"]) == len(bucketed["bulk"]) == 1
    a, b = bulk_bytes(tmp_path / "whole"), bulk_bytes(tmp_path / "bucketed")
    assert a != b and sorted(a.split(b"\n")) == sorted(b.split(b"\n"))
    assert sorted(p.name for p in (tmp_path / "bucketed").iterdir()) == sorted(
        p.name for p in (tmp_path / "whole").iterdir())  # the scratch buckets are gone

    # the data directory's store, ingested from the same documents: the very same bytes
    stored = export_store(corpus["settings"].store_path, tmp_path / "store", options)
    assert (stored["documents"], stored["passages"], stored["vectors"]) == (N_DOCS, N_PASSAGES, N_PASSAGES)
    assert bulk_bytes(tmp_path / "store") == a
    for name in ("ratsuche-passages", "ratsuche-documents"):
        assert (tmp_path / "store" / "templates" / f"{name}.json").read_bytes() == \
            (tmp_path / "whole" / "templates" / f"{name}.json").read_bytes()


def test_cli_exports_and_explains_mistakes(corpus, tmp_path):
    runner = CliRunner()
    out = tmp_path / "es"
    result = runner.invoke(main, ["--data-dir", str(corpus["settings"].data_dir), "export", str(corpus["output"]),
                                  "--format", "elasticsearch", "--out", str(out), "--index-prefix", "rat",
                                  "--word-list", "file"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"exported {N_DOCS} documents, {N_PASSAGES} passages ({N_PASSAGES} with vectors)")
    template = json.loads((out / "templates" / "rat-passages.json").read_text())
    assert template["index_patterns"] == ["rat-passages*"]
    assert template["template"]["mappings"]["properties"]["embedding"] == {
        "type": "dense_vector", "dims": 384, "index": True, "similarity": "cosine",
        "index_options": {"type": "hnsw", "m": 16, "ef_construction": 128}}
    assert "index" not in template["template"]["settings"]  # no k-NN plugin setting in Elasticsearch
    decompound = template["template"]["settings"]["analysis"]["filter"]["ratsuche_decompound"]
    assert decompound["word_list_path"] == "analysis/ratsuche-decompound.txt" and "word_list" not in decompound
    assert (out / "analysis" / "ratsuche-decompound.txt").read_text().split() == list(decompound_words())
    assert not (out / "pipelines").exists()
    first = read_bulk(out)[0][0]["index"]["_index"]
    assert first == "rat-documents"

    # the data directory (no SOURCE) works from the CLI too
    result = runner.invoke(main, ["--data-dir", str(corpus["settings"].data_dir), "export", "--json",
                                  "--out", str(tmp_path / "from-store")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["passages"] == N_PASSAGES

    not_output = tmp_path / "plain"
    not_output.mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    for args, message in [
        ([str(tmp_path / "missing")], f"Error: {tmp_path / 'missing'} is not a directory"),
        ([str(not_output)], f"Error: {not_output} is not an ingestion output (no manifest.json)"),
        ([str(corpus["output"]), "--format", "solr"], "Error: unknown export format 'solr'\nHint: formats: "
                                                      "opensearch, elasticsearch"),
    ]:
        result = runner.invoke(main, ["export", *args, "--out", str(tmp_path / "new")])
        assert result.exit_code == 1 and result.output.startswith(message), result.output
        assert not (tmp_path / "new").exists()
    result = runner.invoke(main, ["export", str(corpus["output"]), "--out", str(tmp_path / "full")])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'full'} already exists and is not an empty directory\n"
                             "Hint: give a new or empty directory to --out\n")
    result = runner.invoke(main, ["--data-dir", str(tmp_path / "nodata"), "export", "--out", str(tmp_path / "new")])
    assert result.exit_code == 1 and result.output.startswith(f"Error: no index at {tmp_path / 'nodata'}")
