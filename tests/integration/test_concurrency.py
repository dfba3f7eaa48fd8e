"""Searches served while ingestion writes: one writer process, several reader threads.

Every response must be consistent (each result is a whole document: its stored pages are all
there), no reader may fail, and readers must see new documents without a restart.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from corpora.settings import Settings
from indexer.ingest import ingest
from corpora.oparl_dump import OParlDump
from search_api.search import SearchEngine, SearchRequest
from tests.conftest import REPO
from tests.integration.conftest import nordstemmen_slice

QUERIES = ["Rat", "Sitzung", "Feuerwehr", "Haushalt", "Bebauungsplan", "Ortsrat", "Schule", "Straße"]


@pytest.mark.slow
def test_readers_stay_consistent_while_ingestion_writes(tmp_path):
    settings = Settings.load({}, data_dir=str(tmp_path / "data"), embeddings=False, ner=False)
    # a first, small index so readers have something to open
    ingest([OParlDump(nordstemmen_slice(tmp_path / "first", 30))], settings, quiet=True)
    engine = SearchEngine(settings)
    first_total = len(engine.table())

    env = {**os.environ, "RATSUCHE_EMBEDDINGS": "0", "RATSUCHE_NER": "0", "PYTHONPATH": str(REPO)}
    writer = subprocess.Popen(
        [sys.executable, "-m", "ratsuche", "--data-dir", str(settings.data_dir), "-q", "ingest",
         str(nordstemmen_slice(tmp_path / "more", 400))], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    errors: list[BaseException] = []
    checks = [0]
    seen_totals: list[int] = []
    lock = threading.Lock()

    def reader(i: int) -> None:
        n = 0
        while writer.poll() is None or n < 3:
            q = QUERIES[(i + n) % len(QUERIES)]
            try:
                resp = engine.search(SearchRequest(q=q, mode="keyword", limit=10, facets=("year", "document_type")))
                for hit in resp.results:
                    # what the API's document endpoint returns: a whole document or none
                    with engine.store.snapshot() as con:
                        stored = engine.store.document(hit.id)
                        row = con.execute("SELECT n_pages FROM documents WHERE id = ?", (hit.id,)).fetchone()
                    if stored is None:  # deleted since: allowed, but never half there
                        continue
                    assert len(stored.document.pages) == row[0] > 0, hit.id
                with lock:
                    checks[0] += 1
                    seen_totals.append(len(engine.table()))
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)
                return
            n += 1
            if n > 2000:
                return

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    _, err = writer.communicate(timeout=600)
    for t in threads:
        t.join(timeout=120)
    assert writer.returncode == 0, err.decode()
    assert not errors, errors[0]
    assert checks[0] > 20
    # readers picked up the new documents without a restart
    assert max(seen_totals) > first_total
    assert len(engine.table()) == 400  # the first 30 documents are in both slices: replaced, not doubled
    resp = engine.search(SearchRequest(q="Rat", mode="keyword"))
    assert resp.total > 0
