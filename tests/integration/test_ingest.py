"""Ingestion is idempotent, notices changes and deletions, and survives kill -9."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpora.folder import FolderReader
from corpora.oparl_dump import OParlDump
from corpora.settings import Settings
from indexer.consistency import check
from indexer.ingest import ingest
from indexer.keyword import KeywordIndex
from indexer.store import Store
from indexer.vectors import VectorIndex
from tests.conftest import FIXTURES, REPO

NORDSTEMMEN_FILES = 2482


def settings_for(data_dir: Path) -> Settings:
    return Settings.load({}, data_dir=str(data_dir), embeddings=False, ner=False)


def sub_dump(council: Path, target: Path, n: int, *, skip: int = 0) -> Path:
    """A real dump with only the first ``n`` files of Nordstemmen (all papers and meetings as context)."""
    target.mkdir(parents=True)
    for name in ("body.json", "papers.jsonl.gz", "meetings.jsonl.gz"):
        shutil.copy(council / "nordstemmen" / name, target / name)
    with gzip.open(council / "nordstemmen" / "files.jsonl.gz", "rt", encoding="utf-8") as src, \
            gzip.open(target / "files.jsonl.gz", "wt", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= skip + n:
                break
            if i >= skip:
                dst.write(line)
    return target


def consistent(settings: Settings):
    return check(Store.open(settings.store_path, readonly=True), KeywordIndex(settings.keyword_index_dir),
                 VectorIndex(settings.vector_index_dir))


def summary(result):
    (s,) = result
    return (s.added, s.updated, s.unchanged, s.deleted, sum(s.failed.values()))


def test_folder_ingest_is_idempotent_and_follows_changes_and_deletions(tmp_path, data_root):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(data_root / "seed" / "allris_auszug_kreis_soest_2017.txt", folder)
    for f in (FIXTURES / "allris").iterdir():
        shutil.copy(f, folder)
    (folder / "notiz.txt").write_text("Die Feuerwehr bekommt ein neues Gerätehaus.\fSeite zwei.", encoding="utf-8")
    settings = settings_for(tmp_path / "data")

    assert summary(ingest([FolderReader(folder)], settings, quiet=True)) == (4, 0, 0, 0, 0)
    # nothing changed on disk: no work at all
    assert summary(ingest([FolderReader(folder)], settings, quiet=True)) == (0, 0, 0, 0, 0)
    # one file changed, one removed
    time.sleep(0.01)
    (folder / "notiz.txt").write_text("Die Feuerwehr bekommt zwei neue Fahrzeuge.", encoding="utf-8")
    (folder / "sessionnet_to0050_bebauungsplan.html").unlink()
    assert summary(ingest([FolderReader(folder)], settings, quiet=True)) == (0, 1, 2, 1, 0)
    store = Store.open(settings.store_path, readonly=True)
    doc = store.document("notiz.txt")
    assert [p.text for p in doc.document.pages] == ["Die Feuerwehr bekommt zwei neue Fahrzeuge."]
    assert store.document("sessionnet_to0050_bebauungsplan.html") is None
    report = consistent(settings)
    assert report.ok and report.documents == 3


def test_same_relative_path_in_two_folders_gets_distinct_ids(tmp_path):
    for town in ("nord", "sued"):
        (tmp_path / town).mkdir()
        (tmp_path / town / "protokoll.txt").write_text(f"Protokoll aus {town}", encoding="utf-8")
    settings = settings_for(tmp_path / "data")
    ingest([FolderReader(tmp_path / "nord"), FolderReader(tmp_path / "sued")], settings, quiet=True)
    ingest([FolderReader(tmp_path / "sued")], settings, quiet=True)  # stable on re-ingest
    store = Store.open(settings.store_path, readonly=True)
    ids = sorted(r[0] for r in store.con.execute("SELECT id FROM documents"))
    assert ids == ["protokoll.txt", "sued/protokoll.txt"]


def test_tombstones_remove_documents_and_their_containers(tmp_path, council):
    dump = sub_dump(council, tmp_path / "dump", 40)
    settings = settings_for(tmp_path / "data")
    assert summary(ingest([OParlDump(dump)], settings, quiet=True))[0] == 40
    store = Store.open(settings.store_path, readonly=True)
    rows = store.con.execute("SELECT id, paper_id FROM documents WHERE paper_id IS NOT NULL ORDER BY num").fetchall()
    file_id, paper_id = rows[0][0], rows[1][1]
    doomed = {file_id} | {r[0] for r in rows if r[1] == paper_id}
    with gzip.open(dump / "deleted_tombstones.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": file_id, "deleted": True}) + "\n")
        fh.write(json.dumps({"id": paper_id, "type": "https://schema.oparl.org/1.1/Paper", "deleted": True}) + "\n")
    # the tombstoned file is also still listed in files.jsonl.gz: tombstones win only for deletion events,
    # so drop it from the listing as a real server would
    lines = gzip.open(dump / "files.jsonl.gz", "rt", encoding="utf-8").read().splitlines()
    kept = [l for l in lines if json.loads(l)["id"] not in doomed]
    with gzip.open(dump / "files.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(kept) + "\n")
    result = ingest([OParlDump(dump)], settings, quiet=True)
    assert summary(result)[3] == len(doomed)
    assert Store.open(settings.store_path, readonly=True).count_documents() == 40 - len(doomed)
    assert consistent(settings).ok


def _ingest_process(dump: Path, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "RATSUCHE_EMBEDDINGS": "0", "RATSUCHE_NER": "0", "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "ratsuche", "--data-dir", str(data_dir), "-q", "ingest", str(dump)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _documents(store_path: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _keyword_seq(data: Path) -> int:
    path = data / "keyword" / "sync.json"
    return json.loads(path.read_text())["seq"] if path.is_file() else 0


def _kill_when(dump: Path, data: Path, condition) -> None:
    proc = _ingest_process(dump, data)
    deadline = time.time() + 120
    while proc.poll() is None and not condition() and time.time() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.slow
def test_killed_ingestion_resumes_without_duplicates_or_loss(tmp_path, council):
    n = 300
    dump = sub_dump(council, tmp_path / "dump", n)
    data = tmp_path / "data"
    settings = settings_for(data)
    # 1. killed while documents are being written
    _kill_when(dump, data, lambda: _documents(settings.store_path) >= 50)
    written = _documents(settings.store_path)
    assert 50 <= written < n
    # 2. killed while the keyword index is being built (all documents are in the store by then)
    _kill_when(dump, data, lambda: _documents(settings.store_path) >= n)
    assert _documents(settings.store_path) == n
    assert _keyword_seq(data) < Store.open(settings.store_path, readonly=True).last_change()
    # 3. the next run completes
    proc = _ingest_process(dump, data)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    report = consistent(settings)
    assert report.ok, report
    assert report.documents == n and report.duplicate_documents == 0 and report.keyword_passages == report.passages
    # and a further run has nothing left to do
    again = ingest([OParlDump(dump)], settings, quiet=True)
    assert summary(again) == (0, 0, 0, 0, 0)


def test_reanalyze_adds_ner_and_reuses_embeddings(tmp_path, data_root):
    settings = Settings.load({}, data_dir=str(tmp_path / "data"), embeddings=True, ner=False)
    ingest([FolderReader(data_root / "seed"), FolderReader(FIXTURES / "allris")], settings, quiet=True)
    store = Store.open(settings.store_path, readonly=True)
    assert store.stats()["speakers"] == 0
    before = store.stats()["embedded_passages"]
    from indexer.ingest import reanalyze

    counts = reanalyze(settings.replace(ner=True), quiet=True)
    assert counts["documents"] == 3 and counts["reused"] + counts["embedded"] == counts["passages"]
    assert counts["reused"] >= before // 2  # unchanged passages keep their vectors
    seed = store.document("allris_auszug_kreis_soest_2017.txt")
    assert {(s.name, s.party) for s in seed.speakers} >= {("Münzberger", "FDP")}
    assert "FDP" in seed.facets["party"]
    report = consistent(settings)
    assert report.ok and report.vector_passages == report.passages


def test_reembed_switches_the_model_and_a_running_engine_notices(tmp_path, data_root):
    from indexer.embedding import Embedder, resolve_model_path
    from indexer.ingest import reembed
    from search_api.search import SearchEngine, SearchRequest

    settings = Settings.load({}, data_dir=str(tmp_path / "data"), embeddings=True, ner=False)
    ingest([FolderReader(data_root / "seed")], settings, quiet=True)
    running = SearchEngine(settings)
    assert running.search(SearchRequest(q="Digitalisierung", mode="hybrid")).mode_used == "hybrid"

    # "another model": the same weights with a changed config (so another fingerprint)
    other = tmp_path / "other-model"
    shutil.copytree(resolve_model_path(settings.embedding_model), other)
    config = other / "config_sentence_transformers.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "note": "tuned"}))
    switched = settings.replace(embedding_model=str(other))
    counts = reembed(switched, quiet=True)
    store = Store.open(settings.store_path, readonly=True)
    assert counts["passages"] == store.stats()["embedded_passages"] == store.stats()["passages"]
    info = VectorIndex(settings.vector_index_dir).info()
    assert info is not None and info.fingerprint == Embedder(str(other)).info.fingerprint
    assert consistent(settings).ok

    # the engine started with the old model answers by keyword and says why, never mixing models
    resp = running.search(SearchRequest(q="Digitalisierung", mode="hybrid"))
    assert resp.mode_used == "keyword" and "restart" in " ".join(resp.notes)
    fresh = SearchEngine(switched)
    assert fresh.search(SearchRequest(q="Digitalisierung", mode="hybrid")).mode_used == "hybrid"


def _store_rows_whole(store_path: Path) -> None:
    """Every committed document has all its pages and passages (with vectors): no half documents."""
    con = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=10)
    try:
        bad = con.execute(
            "SELECT count(*) FROM documents d WHERE d.n_pages != (SELECT count(*) FROM pages p WHERE p.doc_num = d.num)"
            " OR EXISTS (SELECT 1 FROM passages p WHERE p.doc_num = d.num AND p.embedding IS NULL)"
            " OR NOT EXISTS (SELECT 1 FROM passages p WHERE p.doc_num = d.num)").fetchone()[0]
        dup = con.execute("SELECT count(*) - count(DISTINCT id) FROM documents").fetchone()[0]
    finally:
        con.close()
    assert bad == 0 and dup == 0


@pytest.mark.slow
def test_ten_kills_at_random_points_lose_nothing(tmp_path, council):
    import random

    n = 120  # large enough that ten interrupted runs (one or two 16-document batches each) do not finish it
    dump = sub_dump(council, tmp_path / "dump", n, skip=200)
    data = tmp_path / "data"
    settings = Settings.load({}, data_dir=str(data))
    rng = random.Random(2026)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    kills = []
    for i in range(10):
        proc = subprocess.Popen([sys.executable, "-m", "ratsuche", "--data-dir", str(data), "-q", "ingest", str(dump)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        start = _documents(settings.store_path)
        how = rng.choice(["writes", "writes", "writes", "time"]) if start < n else "index"
        target = min(n, start + rng.randint(1, 12))
        wait_index = rng.uniform(0.0, 1.5)
        deadline = time.time() + rng.uniform(0.5, 8.0) if how == "time" else time.time() + 300
        while proc.poll() is None and time.time() < deadline:
            docs = _documents(settings.store_path)
            if how == "writes" and docs >= target:
                break
            if how == "index" and docs >= n:
                time.sleep(wait_index)
                break
            time.sleep(0.01)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        kills.append((how, start, _documents(settings.store_path), proc.returncode))
        _store_rows_whole(settings.store_path)
    assert sum(1 for k in kills if k[3] == -signal.SIGKILL) == 10, kills
    proc = subprocess.Popen([sys.executable, "-m", "ratsuche", "--data-dir", str(data), "-q", "ingest", str(dump)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err.decode()
    report = consistent(settings)
    assert report.ok, (report, kills)
    assert report.documents == n and report.vector_passages == report.passages == report.keyword_passages
