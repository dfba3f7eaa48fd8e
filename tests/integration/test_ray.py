"""The Ray executor against the local one on the same real corpus: a local Ray instance with 2 CPUs."""

from __future__ import annotations

import numpy as np
import pytest

from corpora.folder import FolderReader
from corpora.oparl_dump import OParlDump
from corpora.settings import Settings
from indexer.ingest import ingest
from indexer.store import Store
from search_api.search import SearchEngine, SearchRequest
from tests.conftest import COUNCIL, DATA
from tests.integration.conftest import nordstemmen_slice

pytestmark = pytest.mark.slow
QUERIES = ["Protokoll Gemeinderat", "Feuerwehr", "Haushalt", "Digitalisierung Kreis", "Bebauungsplan"]


def readers(root):
    return [OParlDump(nordstemmen_slice(root / "nordstemmen", 20)), FolderReader(COUNCIL / "ahnsen"),
            FolderReader(DATA / "seed")]


def snapshot(settings: Settings) -> dict:
    store = Store.open(settings.store_path, readonly=True)
    docs = {}
    for stored in store.iter_documents(with_pages=True):
        d = stored.document
        docs[d.id] = {
            "title": d.title, "type": d.document_type, "pages": [p.text for p in d.pages],
            "entities": sorted((e.label, e.text, e.page, e.start, e.end, e.canonical or "") for e in stored.entities),
            "speakers": sorted((s.name, s.party or "", s.role, s.page, s.start) for s in stored.speakers),
            "facets": {k: sorted(v) for k, v in stored.facets.items()},
        }
    passages = {}
    vectors = {}
    for doc_id, rows in store.passages_of(sorted(docs)).items():
        passages[doc_id] = [(r["ord"], r["page"], r["start"], r["end"], r["heading"], r["speaker"], r["text"])
                            for r in rows]
    for doc_id, known in store.embeddings_of(sorted(docs)).items():
        vectors[doc_id] = {k[:3]: np.frombuffer(v, dtype=np.float32) for k, v in known.items()}
    return {"docs": docs, "passages": passages, "vectors": vectors}


def test_ray_and_local_give_the_same_index(tmp_path):
    local = Settings.load({}, data_dir=str(tmp_path / "local"))
    ingest(readers(tmp_path / "a"), local, quiet=True)

    from indexer.distributed import index_from, ingest_ray

    distributed = Settings.load({}, data_dir=str(tmp_path / "ray"))
    counts = ingest_ray(readers(tmp_path / "b"), distributed, tmp_path / "out", num_cpus=2, quiet=True)
    assert counts["documents"] == 27 and counts["failed"] == 0 and counts["cpus"] == 2
    assert index_from(tmp_path / "out", distributed, quiet=True)["added"] == 27

    a, b = snapshot(local), snapshot(distributed)
    assert a["docs"] == b["docs"]
    assert a["passages"] == b["passages"]
    assert a["vectors"].keys() == b["vectors"].keys()
    for doc_id, rows in a["vectors"].items():
        assert rows.keys() == b["vectors"][doc_id].keys()
        for key, v in rows.items():
            assert np.allclose(v, b["vectors"][doc_id][key], atol=1e-4), (doc_id, key)

    engines = SearchEngine(local), SearchEngine(distributed)
    for q in QUERIES:
        kw = [[h.id for h in e.search(SearchRequest(q=q, mode="keyword", limit=10, facets=())).results]
              for e in engines]
        assert kw[0] == kw[1] and kw[0], q
        hy = [[h.id for h in e.search(SearchRequest(q=q, mode="hybrid", limit=5, facets=())).results]
              for e in engines]
        assert hy[0] == hy[1], q

    # a second load of the same output changes nothing
    assert index_from(tmp_path / "out", distributed, quiet=True) == {
        "added": 0, "updated": 0, "unchanged": 27, "deleted": 0, "failed": 0}
