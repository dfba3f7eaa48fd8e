"""One real index per test session, built from real council data with the real models.

A slice of the Nordstemmen dump (its first files, with all papers and meetings as context), the
seed Auszug, and the ALLRIS/SessionNet fixture pages, ingested with embeddings — the search, API and
browser tests all run against it.
"""

from __future__ import annotations

import gzip
import shutil
import threading
from pathlib import Path

import pytest

from corpora.folder import FolderReader
from corpora.oparl_dump import OParlDump
from corpora.settings import Settings
from indexer.ingest import ingest
from tests.conftest import COUNCIL, DATA, FIXTURES

SLICE = 120


def nordstemmen_slice(target: Path, n: int = SLICE) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in ("body.json", "papers.jsonl.gz", "meetings.jsonl.gz"):
        shutil.copy(COUNCIL / "nordstemmen" / name, target / name)
    with gzip.open(COUNCIL / "nordstemmen" / "files.jsonl.gz", "rt", encoding="utf-8") as src, \
            gzip.open(target / "files.jsonl.gz", "wt", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return target


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("index")
    settings = Settings.load({}, data_dir=str(root / "data"), embeddings=True, ner=True)
    readers = [OParlDump(nordstemmen_slice(root / "nordstemmen")),
               FolderReader(DATA / "seed"),
               FolderReader(FIXTURES / "allris", body="Stadt Musterhausen")]
    ingest(readers, settings, quiet=True)
    return settings


@pytest.fixture(scope="session")
def keyword_only_settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("kwindex")
    settings = Settings.load({}, data_dir=str(root / "data"), embeddings=False, ner=False)
    ingest([FolderReader(DATA / "seed"), FolderReader(FIXTURES / "allris"), FolderReader(FIXTURES / "xss")], settings,
           quiet=True)
    return settings


@pytest.fixture(scope="session")
def app(index_settings):
    from search_api.app import create_app

    return create_app(index_settings)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    """The app on a real WSGI server (waitress) on 127.0.0.1, an ephemeral port."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()
