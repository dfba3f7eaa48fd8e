"""The vector index above its size threshold: HNSW agrees with exact search, follows deletions and
replacements, and filtered searches stay correct."""

from __future__ import annotations

import numpy as np

from corpora.folder import FolderReader
from corpora.oparl_dump import OParlDump
from corpora.settings import Settings
from indexer.embedding import Embedder
from indexer.ingest import ingest
from indexer.store import Store
from indexer.vectors import VectorIndex, VectorSearcher, rows_of
from tests.conftest import DATA
from tests.integration.conftest import nordstemmen_slice


def test_rows_of():
    assert rows_of(np.array([5, 9, 1, 7]), np.array([9, 1, 4, 5])).tolist() == [3, 0, 1, -1]
    assert rows_of(np.array([3]), np.array([], dtype=np.int64)).tolist() == [-1]


def test_hnsw_above_the_threshold(tmp_path):
    settings = Settings.load({}, data_dir=str(tmp_path / "data"), ner=False, ann_threshold=50)
    ingest([OParlDump(nordstemmen_slice(tmp_path / "n", 25)), FolderReader(DATA / "seed")], settings, quiet=True)
    index = VectorIndex(settings.vector_index_dir)
    state = index.ann_state()
    data = index.load()
    assert state == (data.seq, len(data.ids)) and len(data.ids) > 50
    searcher = VectorSearcher(index)
    assert searcher.uses_ann
    embedder = Embedder()
    queries = ["Feuerwehr Fahrzeug Beschaffung", "Haushalt der Gemeinde", "Digitalisierung im Kreis",
               "Bebauungsplan Änderung", "Protokoll der Ratssitzung"]
    overlap = []
    for q in queries:
        v = embedder.encode_query(q)
        ann = [h.passage_id for h in searcher.search_vector(v, 10)]
        exact = data.ids[VectorSearcher._exact(data, v, 10, None)[0]].tolist()
        overlap.append(len(set(ann) & set(exact)) / 10)
    assert np.mean(overlap) >= 0.98

    # a filter to one document: exact over the subset, only that document's passages
    store = Store.open(settings.store_path, readonly=True)
    num = store.con.execute("SELECT num FROM documents WHERE id = 'allris_auszug_kreis_soest_2017.txt'").fetchone()[0]
    mask = np.zeros(num + 1, dtype=bool)
    mask[num] = True
    hits = searcher.search_vector(embedder.encode_query("Digitalisierung"), 10, mask)
    assert hits and {h.doc_num for h in hits} == {num}

    # delete the seed: the graph keeps its rows, but they are masked out until a rebuild
    store_rw = Store.open(settings.store_path)
    store_rw.delete("allris_auszug_kreis_soest_2017.txt")
    index.sync(store_rw, ann_threshold=50)
    searcher = VectorSearcher(index)
    hits = searcher.search_vector(embedder.encode_query("Die Kommunen im Kreis werden digital"), 50)
    assert num not in {h.doc_num for h in hits}
    assert index.ann_state()[0] == index.load().seq


def test_a_searcher_keeps_its_vectors_while_the_index_is_rebuilt(tmp_path):
    """ratsuche reembed removes and rebuilds the index folder: a running server goes on answering."""
    import shutil

    from indexer.vectors import VectorData

    index = VectorIndex(tmp_path / "vectors")
    unit = np.eye(4, dtype=np.float32)
    index.save(VectorData(np.arange(10, 14), np.arange(4), unit, 1, None))
    searcher = VectorSearcher(index)
    assert searcher.search_vector(unit[1], 1)[0].passage_id == 11
    shutil.rmtree(tmp_path / "vectors")
    assert searcher.search_vector(unit[2], 1)[0].passage_id == 12
