"""Hostile documents: fuzzed PDF, HTML and OParl JSON seeded from the real files, and a folder of
hand-made hostile files next to good ones. Every bad input ends as a recorded error with a reason;
nothing else is lost, nothing crashes or hangs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpora import oparl
from corpora.catalog import Catalog
from corpora.folder import FolderReader
from corpora.settings import Settings
from corpora.sources import Failure, Finished, Upsert
from indexer.extract import Extraction, ExtractionError, ExtractionPool, extract_file
from indexer.ingest import ingest
from indexer.store import Store
from tests.conftest import COUNCIL, FIXTURES
from tests.fixtures.extract import minipdf

SEEDS = [COUNCIL / "erlangen" / "pdf" / "2022-04-05_Einladung_Einladung_1_Sitzung_Buechenbach.pdf",
         COUNCIL / "ahnsen" / "pdf" / "2022-11-23_protokoll_5_sitzung.pdf",
         COUNCIL / "erlangen" / "pdf" / "Brief vom Stbr Büba an OB Janik.pdf"]
REASONS = {"encrypted", "truncated", "empty_file", "not_a_pdf", "timeout", "memory", "no_text", "broken",
           "no_pages", "unsupported_type", "crashed"}
FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def mutated_pdf(draw) -> bytes:
    data = bytearray(SEEDS[draw(st.integers(0, len(SEEDS) - 1))].read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "duplicate", "zero"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip":
            data[pos] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[pos:pos + draw(st.integers(1, 4096))]
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "duplicate":
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 2048))]
        else:
            data[pos:pos + 512] = bytes(min(512, len(data) - pos))
    return bytes(data)


@pytest.fixture(scope="module")
def pool():
    with ExtractionPool() as p:
        yield p


PDF_CASES = 60
HTML_CASES = 150
OPARL_CASES = 300


def test_mutated_real_pdfs_end_as_pages_or_a_reasoned_error(tmp_path, pool):
    seen = {"ok": 0, "error": 0}

    @settings(FUZZ, max_examples=PDF_CASES)
    @given(data=mutated_pdf())
    def run(data: bytes) -> None:
        path = tmp_path / "fuzz.pdf"
        path.write_bytes(data)
        try:
            result = pool.extract(path, "application/pdf", timeout=20, memory_mb=512, ocr="off")
        except ExtractionError as exc:
            assert exc.reason in REASONS, exc.reason
            seen["error"] += 1
        else:
            assert isinstance(result, Extraction) and all(p.number == i for i, p in enumerate(result.pages, 1))
            seen["ok"] += 1

    run()
    assert seen["ok"] + seen["error"] == PDF_CASES and seen["ok"] and seen["error"]


def test_fuzzed_html_and_text_never_crash(tmp_path):
    seed = (FIXTURES / "allris" / "allris_to020_schulwege.html").read_bytes()
    count = [0]

    @settings(FUZZ, max_examples=HTML_CASES)
    @given(cut=st.integers(0, len(seed)), noise=st.binary(max_size=2048), suffix=st.sampled_from([".html", ".txt"]))
    def run(cut: int, noise: bytes, suffix: str) -> None:
        folder = tmp_path / f"case{count[0]}"
        folder.mkdir()
        (folder / f"page{suffix}").write_bytes(seed[:cut] + noise + seed[cut:cut + 4000])
        events = list(FolderReader(folder).iter_events({}))
        assert all(isinstance(e, (Upsert, Failure, Finished)) for e in events)
        for e in events:
            if isinstance(e, Upsert) and e.document.content is not None:
                try:
                    extract_file(e.document.content.path, e.document.content.mime_type, ocr="off")
                except ExtractionError as exc:
                    assert exc.reason in REASONS
        count[0] += 1

    run()
    assert count[0] == HTML_CASES


_OPARL_KEYS = ["id", "name", "reference", "paperType", "date", "mainFile", "auxiliaryFile", "consultation",
               "organization", "agendaItem", "meeting", "location", "text", "mimeType", "size", "accessUrl",
               "paper", "start", "invitation", "resultsProtocol", "membership", "deleted", "public", "order"]
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(_OPARL_KEYS), inner,
                                                                                  max_size=6),
                     max_leaves=25)


def test_fuzzed_oparl_objects_parse_or_are_skipped():
    count = [0]

    @settings(FUZZ, max_examples=OPARL_CASES)
    @given(obj=st.dictionaries(st.sampled_from(_OPARL_KEYS), _JSON, max_size=12), oid=st.text(min_size=1, max_size=30))
    def run(obj: dict, oid: str) -> None:
        obj = {**obj, "id": oid}
        catalog = Catalog()
        catalog.add_paper(obj)
        catalog.add_meeting(obj)
        catalog.add_organization(obj)
        oparl.parse_person(obj)
        doc = catalog.document(oparl.parse_file(obj))
        assert doc.id == oid and isinstance(doc.document_type, str)
        count[0] += 1

    run()
    assert count[0] == OPARL_CASES


def test_a_hostile_folder_keeps_the_good_files_and_records_every_bad_one(tmp_path):
    folder = tmp_path / "ordner"
    folder.mkdir()
    good = SEEDS[:2]
    for p in good:
        shutil.copy(p, folder / p.name)
    (folder / "notiz.txt").write_text("Der Ortsrat berät über den Spielplatz.", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Gebühren für die Straßenreinigung".encode("latin-1") + b"\xff\xfe")
    real = SEEDS[2].read_bytes()
    (folder / "abgeschnitten.pdf").write_bytes(real[: len(real) // 3])
    (folder / "leer.pdf").write_bytes(b"")
    (folder / "fehlerseite.pdf").write_bytes(b"<html><body>404 Not Found</body></html>")
    page = minipdf.text_content(["Geheim: Haushalt 2024"])
    (folder / "verschluesselt.pdf").write_bytes(minipdf.build_pdf([page], user_password="geheim"))
    bomb = {0: (b"/Filter /FlateDecode", minipdf.deflate_bomb(1024))}  # 1 KB per MB: 1 GB inflated
    (folder / "bombe.pdf").write_bytes(minipdf.build_pdf([b""], raw_streams=bomb))
    lines = [f"Zeile {j}: Der Rat beschließt die Vorlage zum Haushalt." for j in range(40)]
    (folder / "riesig.pdf").write_bytes(minipdf.build_pdf([minipdf.text_content(lines, size=9, leading=11)] * 5000,
                                                         compress=True))
    (folder / "metadata.jsonl").write_text(json.dumps({"file": "notiz.txt", "title": "Notiz"}) + "\n{kaputt\n",
                                           encoding="utf-8")
    settings = Settings.load({}, data_dir=str(tmp_path / "data"), embeddings=False, ner=False,
                             extract_timeout=8, extract_memory_mb=400)
    (summary,) = ingest([FolderReader(folder)], settings, quiet=True)
    assert summary.added == 4
    assert dict(summary.failed) == {"truncated": 1, "empty_file": 1, "not_a_pdf": 1, "encrypted": 1, "memory": 1,
                                    "timeout": 1, "invalid_json": 1}
    store = Store.open(settings.store_path, readonly=True)
    errors = {r["item"]: r["reason"] for r in store.stats()["error_items"]}
    assert errors == {"abgeschnitten.pdf": "truncated", "leer.pdf": "empty_file", "fehlerseite.pdf": "not_a_pdf",
                      "verschluesselt.pdf": "encrypted", "bombe.pdf": "memory", "riesig.pdf": "timeout",
                      "metadata.jsonl:2": "invalid_json"}
    ids = {r[0] for r in store.con.execute("SELECT id FROM documents")}
    assert ids == {p.name for p in good} | {"notiz.txt", "latin1.txt"}
    assert store.document("notiz.txt").document.title == "Notiz"
