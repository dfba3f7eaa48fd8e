"""The OParl client against a real HTTP server on 127.0.0.1 that serves the council dumps.

The server (tests/support/oparl_server.py) serves ../shared/data/council/{nordstemmen,huertgenwald}
as OParl 1.1 with ids rewritten to its own URLs; ``server.original_id`` maps them back so the
client's documents can be compared with the dump reader's.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from corpora.errors import SourceError
from corpora.model import Document, to_data
from corpora.oparl_client import OParlClient
from corpora.oparl_dump import OParlDump, pages_from_text
from corpora.settings import Settings
from corpora.sources import Delete, Directory, Failure, Finished, Upsert
from tests.support.oparl_server import DATA, EPOCH, OParlTestServer

pytestmark = pytest.mark.slow

NORDSTEMMEN_PREFIX = "https://nordstemmen.ratsinfomanagement.net/webservice/oparl/v1.1/body/1/"
HUERTGENWALD_PREFIX = "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/body/1/"
#: a small Nordstemmen subset: 12 papers in 3 pages, 20 meetings in 4 pages
SMALL = {"page_size": 5, "max_papers": 12, "max_meetings": 20}
#: papers by position in the served list (reference, the embedded Files and how they are served):
#: 0 DS 1/2007 (1-161 pdf, 2-6 missing), 1 DS 1/2008 (1-2146 txt), 2 DS 1/2009 (1-3591 pdf),
#: 3 DS 1/2011 (1-6198 pdf), 4 DS 1/2012 (1-7568 embed), 5 DS 1/2015 (1-13464 embed, 2-1249 missing),
#: 6 DS 1/2016 (1-15361 txt), 7 DS 1/2017 (1-18268 pdf), 8 DS 1/2020 (1-28852 txt),
#: 9 DS 1/2020 1. Ergänzung (1-36076 missing, 2-6173 embed), 10 DS 1/2025 (1-40836 embed, 2-7157 and
#: 2-7158 missing), 11 DS 10/2007 (1-224 pdf). Meetings 11 and 14–19 hold one File each, served
#: txt, txt, embed, txt, pdf, txt, embed.
SMALL_PAPER_FILES = ["1-161", "1-2146", "1-3591", "1-6198", "1-7568", "1-13464", "1-15361", "1-18268",
                     "1-28852", "2-6173", "1-40836", "1-224"]
SMALL_MISSING = ["2-6", "2-1249", "1-36076", "2-7157", "2-7158"]


@dataclass
class Run:
    events: list[Any]
    client: OParlClient

    @property
    def upserts(self) -> list[Document]:
        return [e.document for e in self.events if isinstance(e, Upsert)]

    @property
    def failures(self) -> list[Failure]:
        return [e for e in self.events if isinstance(e, Failure)]

    @property
    def deletes(self) -> list[str]:
        return [e.object_id for e in self.events if isinstance(e, Delete)]

    @property
    def directories(self) -> list[Directory]:
        return [e for e in self.events if isinstance(e, Directory)]

    @property
    def finished(self) -> Finished:
        assert isinstance(self.events[-1], Finished)
        assert sum(isinstance(e, Finished) for e in self.events) == 1
        return self.events[-1]


def run(url: str, settings: Settings, state: dict[str, Any] | None = None, **kw: Any) -> Run:
    client = OParlClient(url, settings, **kw)
    return Run(list(client.iter_events(state or {})), client)


def make_settings(path: Path, **changes: Any) -> Settings:
    values = {"data_dir": path, "http_backoff": 0.001, "http_timeout": 2.0, "http_retries": 2, **changes}
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start test servers; each is stopped and checked for its request budget in teardown."""
    servers: list[OParlTestServer] = []

    def start(sources: tuple[str, ...] = ("nordstemmen",), **kw: Any) -> OParlTestServer:
        kw.setdefault("max_requests", 3000)
        server = OParlTestServer(sources, **kw).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
        assert not server.overflowed, "the test made more requests than its server allows"


def nid(tail: str) -> str:
    """An original Nordstemmen id: ``nid("file/1-161")``."""
    return NORDSTEMMEN_PREFIX + tail


def normalised(server: OParlTestServer, docs: list[Document]) -> dict[str, Any]:
    """Documents as plain data with the server's URLs mapped back and blob paths cut to file names."""
    out = {}
    for doc in docs:
        data = server.to_original(to_data(doc))
        if data["content"]:
            data["content"]["path"] = Path(data["content"]["path"]).name
        out[data["id"]] = data
    return out


def served_page(server: OParlTestServer, name: str, n: int) -> Any:
    """A list page as the server sends it (without a request over the network)."""
    status, _headers, body = server.answer(f"/nordstemmen/body/1/{name}?page={n}")
    assert status == 200
    return json.loads(body)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The SMALL subset read without quirks: what every tolerated quirk must still give."""
    with OParlTestServer(["nordstemmen"], **SMALL) as server:
        result = run(server.system_url("nordstemmen"), make_settings(tmp_path_factory.mktemp("baseline")))
        return normalised(server, result.upserts)


# --- a full run equals the dump reader ------------------------------------------------------------

def test_full_nordstemmen_run_gives_the_dump_readers_documents(serve: Any, settings: Settings) -> None:
    server = serve(page_size=100, max_requests=10_000)
    result = run(server.system_url("nordstemmen"), settings)
    dump_events = list(OParlDump(DATA / "nordstemmen").iter_events({}))
    expected = {e.document.id: e.document for e in dump_events if isinstance(e, Upsert)}
    got = {server.original_id(d.id): d for d in result.upserts}

    # The dump has 2,482 texts; 8 are constructed stand-ins embedded in no Paper or Meeting.
    assert len(expected) == 2482
    assert sorted(set(expected) - set(got)) == sorted(i for i in expected if i.startswith("urn:nordstemmen:file:"))
    assert len(got) == 2474 and set(got) <= set(expected)
    modes = server.dumps["nordstemmen"].file_modes
    assert sum(modes[i] == "embed" for i in got) == 834
    assert sum(modes[i] == "pdf" for i in got) == 818
    assert sum(modes[i] == "txt" for i in got) == 822

    downloads = settings.downloads_dir.resolve()
    for file_id, doc in got.items():
        want = to_data(expected[file_id])
        have = server.to_original(to_data(doc))
        assert have["body"]["id"] == want["body"]["id"] and have["body"]["name"] == "Gemeinde Nordstemmen"
        have.pop("body"), want.pop("body")  # the served Body names its lists, the dump's does not
        mode = modes[file_id]
        if mode == "embed":
            assert have == want
            continue
        # Downloaded: a blob in the downloads dir, named by its sha256, the very bytes served.
        blob = doc.content
        path = Path(blob.path)
        data = path.read_bytes()
        assert path.parent.parent.resolve() == downloads and path.name.startswith(blob.sha256)
        assert hashlib.sha256(data).hexdigest() == blob.sha256
        assert data == server.file_bytes("nordstemmen", file_id)
        assert (blob.mime_type, path.suffix) == (("text/plain", ".txt") if mode == "txt" else ("application/pdf", ".pdf"))
        if mode == "txt":
            assert pages_from_text(data.decode("utf-8")) == expected[file_id].pages
            assert have["file"]["mime_type"] == "text/plain"
            have["file"]["mime_type"] = "application/pdf"  # the server says text/plain for these
        else:
            assert data.startswith(b"%PDF-1.4")
        assert (have["pages"], have["text_source"]) == ([], None)
        have.update(pages=want["pages"], text_source="oparl", content=None)
        assert have == want

    # One document spelled out: its paper reference, type, Gremien and pages.
    doc = got[nid("file/1-161")]
    assert doc.paper.reference == "DS 1/2007" and doc.document_type == "Vorlage"
    assert doc.paper.id == server.served(nid("paper/28"))
    assert [o.name for o in doc.organizations] == [o.name for o in expected[nid("file/1-161")].organizations]

    # Files without a text answer 404 (accessUrl, then downloadUrl): each one Failure.
    assert len(result.failures) == 3538
    assert {f.reason for f in result.failures} == {"http_404"}
    assert result.finished.complete is True
    assert result.finished.state["stats"] == {"files_downloaded": 1640, "files_failed": 3538,
                                              "files_skipped": 4, "files_with_text": 834}
    directory = next(e for e in dump_events if isinstance(e, Directory))
    assert len(result.directories) == 1
    assert server.to_original(to_data(result.directories[0].organizations)) == to_data(directory.organizations)
    assert result.directories[0].persons == ()
    assert result.directories[0].bodies[0].lists == {
        name: server.served(NORDSTEMMEN_PREFIX + name) for name in ("organization", "person", "meeting", "paper")}


def test_small_run_events_in_order(serve: Any, settings: Settings) -> None:
    server = serve(**SMALL)
    result = run(server.system_url("nordstemmen"), settings)
    kinds = [type(e).__name__ for e in result.events]
    assert kinds[0] == "Directory" and kinds[-1] == "Finished"
    ids = [server.original_id(d.id) for d in result.upserts]
    meeting_files = ids[:7]
    assert ids[7:] == [nid(f"file/{f}") for f in SMALL_PAPER_FILES]
    assert all(d.meeting is not None and d.paper is None for d in result.upserts[:7])
    assert [server.original_id(f.source_key) for f in result.failures] == [nid(f"file/{f}") for f in SMALL_MISSING]
    assert result.finished.state["stats"] == {"files_downloaded": 13, "files_failed": 5, "files_with_text": 6}
    assert len(set(meeting_files)) == 7
    requests = server.requests()
    lists = ["/nordstemmen/system", "/nordstemmen/body", "/nordstemmen/body/1/organization",
             "/nordstemmen/body/1/person", "/nordstemmen/body/1/meeting", "/nordstemmen/body/1/meeting?page=2",
             "/nordstemmen/body/1/meeting?page=3", "/nordstemmen/body/1/meeting?page=4"]
    assert requests[:8] == lists
    # Then the 5 downloadable meeting Files, then the papers page by page, each with its Files.
    assert all("/files/" in r for r in requests[8:13]) and requests[13] == "/nordstemmen/body/1/paper"
    # 13 downloads + 5 files × 2 URLs (accessUrl, downloadUrl) that answer 404
    assert len([r for r in requests if "/files/" in r]) == 13 + 10
    assert len([r for r in server.requests() if "/paper" in r]) == 3


# --- incremental runs -----------------------------------------------------------------------------

def test_incremental_run_fetches_only_what_changed(serve: Any, settings: Settings) -> None:
    server = serve(**SMALL)
    url = server.system_url("nordstemmen")
    first = run(url, settings)
    state = dict(first.finished.state)
    meeting_list, paper_list = server.list_url("nordstemmen", "meeting"), server.list_url("nordstemmen", "paper")
    assert set(state["modified_since"]) == {meeting_list, paper_list}
    assert first.finished.complete is True
    # Every downloaded File with a `modified` is remembered, so an unchanged one is not fetched again.
    assert len(state["downloads"]) == 13

    touched = server.touch(nid("paper/345"), name="Mitteilung (geändert)")  # DS 1/2009, its File a PDF
    server.delete(nid("paper/1339"))  # DS 1/2017
    # The next run's `modified_since` is the server's clock in whole seconds at the start of its
    # listing: a change in that same second comes again in the run after (at least once, never lost).
    # Waiting for the next second keeps the third run below empty.
    time.sleep(1.05)
    server.reset_log()
    second = run(url, settings, state)

    assert [type(e).__name__ for e in second.events] == ["Directory", "Upsert", "Delete", "Finished"]
    assert second.deletes == [server.served(nid("paper/1339"))]
    (doc,) = second.upserts
    assert server.original_id(doc.id) == nid("file/1-3591")
    assert doc.paper.name == "Mitteilung (geändert)" and doc.paper.modified == touched
    assert doc.content == next(d for d in first.upserts if d.id == doc.id).content  # the same blob, not refetched
    # The changed Paper's consultations name Meetings 1196 "Fachausschuss Finanzen (8. Sitzung)" and
    # 1198 "Rat (13. Sitzung)", not in this run's lists: fetched by id for its Gremien.
    assert [o.name for o in doc.organizations] == ["Fachausschuss Finanzen", "Rat"]
    since = {k: v.replace("+", "%2B").replace(":", "%3A") for k, v in state["modified_since"].items()}
    assert server.requests() == [
        "/nordstemmen/system", "/nordstemmen/body", "/nordstemmen/body/1/organization",
        "/nordstemmen/body/1/person",
        f"/nordstemmen/body/1/meeting?modified_since={since[meeting_list]}",
        f"/nordstemmen/body/1/paper?modified_since={since[paper_list]}",
        "/nordstemmen/body/1/meeting/1196", "/nordstemmen/body/1/meeting/1198",
    ]
    assert second.finished.complete is False
    assert second.finished.state["stats"] == {"deleted": 1, "files_reused": 1}
    assert all(second.finished.state["modified_since"][k] >= state["modified_since"][k] for k in since)

    # Nothing changed since: the lists come back empty.
    server.reset_log()
    third = run(url, settings, second.finished.state)
    assert [type(e).__name__ for e in third.events] == ["Directory", "Finished"]
    assert len(server.requests()) == 6

    # A full run (full=True) ignores the state and reads everything again, reusing the blobs.
    fourth = run(url, settings, third.finished.state, full=True)
    assert fourth.finished.complete is True
    assert fourth.finished.state["stats"]["files_reused"] == 12  # 13 blobs, less the deleted paper's
    assert EPOCH < touched


# --- tombstones ------------------------------------------------------------------------------------

def test_tombstones_become_deletes(serve: Any, settings: Settings, baseline: dict[str, Any]) -> None:
    server = serve(quirks=["tombstone"], **SMALL)
    result = run(server.system_url("nordstemmen"), settings)
    first_meeting_file = next(d for d in baseline.values() if d["meeting"])["id"]
    assert [server.original_id(i) for i in result.deletes] == [first_meeting_file, nid("paper/220")]
    got = normalised(server, result.upserts)
    assert set(baseline) - set(got) == {first_meeting_file, nid("file/1-2146")}


def test_huertgenwald_directory_tombstones_and_stub_files(serve: Any, settings: Settings) -> None:
    server = serve(("huertgenwald",), page_size=20, max_papers=20, max_meetings=10)
    result = run(server.system_url("huertgenwald"), settings)
    dump_events = list(OParlDump(DATA / "huertgenwald").iter_events({}))
    dump_directory = next(e for e in dump_events if isinstance(e, Directory))
    (directory,) = result.directories
    assert len(directory.organizations) == 22 and len(directory.persons) == 49
    assert server.to_original(to_data(directory)) == to_data(dump_directory)
    assert any(m.on_behalf_of is None and m.organization for p in directory.persons for m in p.memberships)
    # All 39 tombstones of the dump (21 Meetings, 18 Papers) are Deletes, whatever the subset.
    dump_deletes = [e.object_id for e in dump_events if isinstance(e, Delete)]
    assert len(dump_deletes) == 39
    assert sorted(server.original_id(i) for i in result.deletes) == sorted(dump_deletes)
    # Every fourth File has a generated PDF, the rest answer 404; images are skipped.
    served = server.served_files("huertgenwald")
    stubs = sorted(i for i, mode in served.items() if mode == "stub")
    assert sorted(server.original_id(d.id) for d in result.upserts) == stubs
    assert len(stubs) == 27 and len(served) == 101
    for doc in result.upserts:
        assert doc.content.mime_type == "application/pdf" and doc.pages == ()
        assert Path(doc.content.path).read_bytes() == server.file_bytes("huertgenwald", server.original_id(doc.id))
    assert len(result.failures) == 74 and {f.reason for f in result.failures} == {"http_404"}
    assert result.finished.state["stats"] == {"deleted": 39, "files_downloaded": 27, "files_failed": 74}


def test_a_system_with_two_bodies(serve: Any, settings: Settings) -> None:
    server = serve(("nordstemmen", "huertgenwald"), page_size=5, max_papers=3, max_meetings=3)
    result = run(server.system_url(), settings)
    assert [d.bodies[0].name for d in result.directories] == ["Gemeinde Nordstemmen", "Gemeinde Hürtgenwald"]
    bodies = {server.original_id(d.body.id) for d in result.upserts}
    assert bodies == {NORDSTEMMEN_PREFIX.rstrip("/"), HUERTGENWALD_PREFIX.rstrip("/")}
    assert len(result.finished.state["modified_since"]) == 4
    assert result.finished.complete is True


# --- quirks that change nothing -------------------------------------------------------------------

@pytest.mark.parametrize("quirk", ["object_for_list", "data_object", "no_links", "no_content_length",
                                   "file_as_url"])
def test_tolerated_quirks_give_the_same_documents(serve: Any, settings: Settings, baseline: dict[str, Any],
                                                  quirk: str) -> None:
    server = serve(quirks=[quirk], **SMALL)
    # The quirk is there to be tolerated:
    papers = [p for n in (1, 2, 3) for p in served_page(server, "paper", n)["data"]]
    if quirk == "object_for_list":
        assert [(type(p.get("mainFile")), type(p.get("auxiliaryFile"))) for p in papers].count((list, dict)) == 1
    if quirk == "data_object":
        assert isinstance(served_page(server, "meeting", 5)["data"], dict)
    if quirk == "no_links":
        assert "links" not in served_page(server, "paper", 3) and "links" in served_page(server, "paper", 2)
    if quirk == "no_content_length":
        assert "X-No-Content-Length" in server.answer("/nordstemmen/body/1/paper")[1]
    if quirk == "file_as_url":
        assert papers[0]["mainFile"] == server.served(nid("file/1-161"))
    server.reset_log()
    result = run(server.system_url("nordstemmen"), settings)
    assert normalised(server, result.upserts) == baseline
    assert len(result.failures) == 5 and result.finished.complete is True
    assert result.finished.state["warnings"] == []
    meeting_pages = [r for r in server.requests() if r.startswith("/nordstemmen/body/1/meeting")]
    assert len(meeting_pages) == (5 if quirk == "data_object" else 4)
    if quirk == "file_as_url":
        assert server.requests("/nordstemmen/body/1/file/1-161") == ["/nordstemmen/body/1/file/1-161"]
        assert result.finished.state["stats"]["files_fetched_by_url"] == 1


@pytest.mark.parametrize("quirk", ["next_self", "next_loop", "clamped_pages"])
def test_repeated_pages_stop_the_list_with_a_warning(serve: Any, settings: Settings, baseline: dict[str, Any],
                                                     quirk: str) -> None:
    server = serve(quirks=[quirk], **SMALL)
    result = run(server.system_url("nordstemmen"), settings)
    assert normalised(server, result.upserts) == baseline
    pages = [r for r in server.requests() if r.startswith("/nordstemmen/body/1/paper")]
    expected = ["/nordstemmen/body/1/paper", "/nordstemmen/body/1/paper?page=2", "/nordstemmen/body/1/paper?page=3"]
    # A loop is seen in the link (page 3 → page 3 or page 2) before it is fetched; a server that
    # clamps the page number repeats page 3 as page 4, whose objects are all known.
    assert pages == expected + (["/nordstemmen/body/1/paper?page=4"] if quirk == "clamped_pages" else [])
    (warning,) = result.finished.state["warnings"]
    assert warning.startswith(server.list_url("nordstemmen", "paper"))
    assert ("repeats objects seen before" in warning) == (quirk == "clamped_pages")
    assert ("a loop" in warning) == (quirk != "clamped_pages")
    assert result.finished.complete is True


def test_vendor_file_fields(serve: Any, settings: Settings, baseline: dict[str, Any]) -> None:
    server = serve(quirks=["mime_pdf", "size_zero"], **SMALL)
    papers = served_page(server, "paper", 1)["data"]
    assert (papers[0]["mainFile"]["mimeType"], papers[2]["mainFile"]["size"]) == ("pdf", 0)
    result = run(server.system_url("nordstemmen"), settings)
    docs = {server.original_id(d.id): d for d in result.upserts}
    # The first two Papers with a downloadable PDF: DS 1/2007 (1-161) and DS 1/2009 (1-3591).
    pdf, zero = docs[nid("file/1-161")], docs[nid("file/1-3591")]
    assert pdf.file.mime_type == "application/pdf" and pdf.content.mime_type == "application/pdf"
    assert pdf.content.path.endswith(".pdf")
    assert zero.file.size is None and zero.content is not None
    assert normalised(server, result.upserts) == baseline


# --- failures -------------------------------------------------------------------------------------

def test_a_500_is_retried(serve: Any, settings: Settings, baseline: dict[str, Any]) -> None:
    server = serve(quirks=["error_500_once", "invalid_json_once"], **SMALL)
    result = run(server.system_url("nordstemmen"), settings)
    assert normalised(server, result.upserts) == baseline
    assert server.requests("/nordstemmen/body/1/paper") == [
        "/nordstemmen/body/1/paper", "/nordstemmen/body/1/paper",
        "/nordstemmen/body/1/paper?page=2", "/nordstemmen/body/1/paper?page=2",
        "/nordstemmen/body/1/paper?page=3"]
    assert result.finished.complete is True


@pytest.mark.parametrize("quirk, reason", [("error_500_always", "http_500"), ("invalid_json_always", "invalid_json")])
def test_a_page_that_keeps_failing_is_a_failure(serve: Any, settings: Settings, baseline: dict[str, Any],
                                                quirk: str, reason: str) -> None:
    server = serve(quirks=[quirk], **SMALL)
    first = run(server.system_url("nordstemmen"), settings)
    page2 = server.list_url("nordstemmen", "paper") + "?page=2"
    page_failures = [f for f in first.failures if f.source_key == page2]
    assert [f.reason for f in page_failures] == [reason]
    assert "after 3 attempts" in page_failures[0].detail
    assert server.requests("/nordstemmen/body/1/paper?page=2") == ["/nordstemmen/body/1/paper?page=2"] * 3
    # Page 1's papers and every meeting File are there; the list stops at the broken page.
    got = normalised(server, first.upserts)
    page1 = {nid(f"file/{f}") for f in SMALL_PAPER_FILES[:5]}
    assert set(got) == {k for k in baseline if baseline[k]["meeting"]} | page1
    # The paper list is not marked as read: the next run reads it from the start again.
    assert first.finished.complete is False
    assert server.list_url("nordstemmen", "paper") not in first.finished.state["modified_since"]
    assert server.list_url("nordstemmen", "meeting") in first.finished.state["modified_since"]


def test_a_slow_answer_times_out_and_is_retried(serve: Any, tmp_path: Path, baseline: dict[str, Any]) -> None:
    server = serve(quirks=["slow_once"], slow_seconds=1.0, **SMALL)
    result = run(server.system_url("nordstemmen"), make_settings(tmp_path, http_timeout=0.25))
    assert normalised(server, result.upserts) == baseline
    assert server.requests("/nordstemmen/body/1/meeting") [:2] == ["/nordstemmen/body/1/meeting"] * 2


def test_invalid_list_items_are_failures(serve: Any, settings: Settings, baseline: dict[str, Any]) -> None:
    server = serve(quirks=["invalid_items"], **SMALL)
    result = run(server.system_url("nordstemmen"), settings)
    page1 = server.list_url("nordstemmen", "paper")
    invalid = [f for f in result.failures if f.reason == "invalid_object"]
    assert [f.source_key for f in invalid] == [f"{page1}#5", f"{page1}#6"]
    assert normalised(server, result.upserts) == baseline


@pytest.mark.parametrize("quirk", [None, "no_content_length"])
def test_a_page_over_the_limit_is_refused(serve: Any, tmp_path: Path, quirk: str | None) -> None:
    server = serve(quirks=[quirk] if quirk else [], **SMALL)
    settings = make_settings(tmp_path, max_page_bytes=26_000)
    result = run(server.system_url("nordstemmen"), settings)
    # Meeting page 1 is 27,845 bytes (agenda items), the others 16–25 kB: that page is refused, once
    # (no retry), with or without a Content-Length to announce it.
    too_large = [f for f in result.failures if f.reason == "too_large"]
    meeting_list = server.list_url("nordstemmen", "meeting")
    assert [f.source_key for f in too_large] == [meeting_list]
    assert ("27845 bytes announced" in too_large[0].detail) == (quirk is None)
    assert server.requests("/nordstemmen/body/1/meeting") == ["/nordstemmen/body/1/meeting"]
    assert [server.original_id(d.id) for d in result.upserts] == [nid(f"file/{f}") for f in SMALL_PAPER_FILES]
    assert result.finished.complete is False
    assert list(result.finished.state["modified_since"]) == [server.list_url("nordstemmen", "paper")]


def test_a_download_over_the_limit_is_a_failure(serve: Any, tmp_path: Path) -> None:
    server = serve(**SMALL)
    settings = make_settings(tmp_path, max_download_bytes=2_000)
    result = run(server.system_url("nordstemmen"), settings)
    sizes = {server.original_id(d.id): len(server.file_bytes("nordstemmen", server.original_id(d.id)))
             for d in run(server.system_url("nordstemmen"), make_settings(tmp_path / "all")).upserts if d.content}
    big = sorted(i for i, n in sizes.items() if n > 2_000)
    assert big and len(big) < len(sizes)
    assert sorted(server.original_id(f.source_key) for f in result.failures if f.reason == "too_large") == big
    assert not list(settings.downloads_dir.glob(".partial/*"))


def test_an_html_page_for_a_declared_pdf_is_a_failure(serve: Any, settings: Settings) -> None:
    server = serve(quirks=["login_page"], **SMALL)
    result = run(server.system_url("nordstemmen"), settings)
    not_pdf = [f for f in result.failures if f.reason == "not_pdf"]
    assert [server.original_id(f.source_key) for f in not_pdf] == [nid("file/1-161")]
    assert "text/html" in not_pdf[0].detail
    # The accessUrl answers HTML (not retried), then the downloadUrl is tried and answers the same.
    assert [r.split("/files/")[1][:9] for r in server.requests() if r.endswith("/Beschlussvorlage_DS_1-2007.pdf")] == [
        "UGhVM0hpd", "download/"]
    assert nid("file/1-161") not in {server.original_id(d.id) for d in result.upserts}


# --- hosts ----------------------------------------------------------------------------------------

def test_a_next_link_to_another_host_is_refused(serve: Any, settings: Settings) -> None:
    server = serve(quirks=["foreign_next"], **SMALL)
    result = run(server.system_url("nordstemmen"), settings)
    refused = [f for f in result.failures if f.reason == "refused_host"]
    assert [f.source_key for f in refused] == [f"http://localhost:{server.port}/nordstemmen/body/1/paper?page=2"]
    assert server.requests("/nordstemmen/body/1/paper") == ["/nordstemmen/body/1/paper"]
    assert result.finished.complete is False


def test_downloads_only_from_the_sources_host(serve: Any, tmp_path: Path) -> None:
    server = serve(quirks=["localhost_file", "foreign_host_file"], **SMALL)
    url = server.system_url("nordstemmen")
    # The third and fourth Papers with a downloadable PDF: DS 1/2011 (1-6198) and DS 1/2017 (1-18268).
    loopback, foreign = nid("file/1-6198"), nid("file/1-18268")
    result = run(url, make_settings(tmp_path / "a"))
    refused = {server.original_id(f.source_key): f for f in result.failures if f.reason == "refused_host"}
    assert set(refused) == {loopback, foreign}
    assert "localhost" in refused[loopback].detail and "ratsinfo.example.org" in refused[foreign].detail
    assert not any("Beschlussvorlage_DS_1-2011" in r or "Beschlussvorlage_DS_1-2017" in r for r in server.requests())

    # allow_private_hosts lets the loopback name through; the public foreign host stays refused.
    server.reset_log()
    allowed = run(url, make_settings(tmp_path / "b", allow_private_hosts=True))
    assert loopback in {server.original_id(d.id) for d in allowed.upserts}
    assert [server.original_id(f.source_key) for f in allowed.failures if f.reason == "refused_host"] == [foreign]
    assert len([r for r in server.requests() if "Beschlussvorlage_DS_1-2011" in r]) == 1


# --- the start URL --------------------------------------------------------------------------------

def test_a_body_url_works_as_start(serve: Any, settings: Settings, baseline: dict[str, Any]) -> None:
    server = serve(**SMALL)
    result = run(server.body_url("nordstemmen"), settings)
    assert normalised(server, result.upserts) == baseline
    assert result.client.key == "oparl:" + server.body_url("nordstemmen")


def test_an_unreachable_start_url_is_a_source_error(settings: Settings) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError) as err:
        run(f"http://127.0.0.1:{port}/oparl/v1.1/system", settings)
    assert err.value.reason == "unreachable" and "connection failed" in str(err.value)


def test_a_start_url_that_is_not_oparl_is_a_source_error(serve: Any, settings: Settings) -> None:
    server = serve(**SMALL)
    with pytest.raises(SourceError) as err:
        run(server.base_url + "/", settings)  # an HTML page
    assert err.value.reason == "unreachable" and "not JSON" in str(err.value)
    assert server.requests() == ["/"] * 3  # retried as broken JSON, then given up
    with pytest.raises(SourceError) as err:
        run(server.base_url + "/nordstemmen/body/1/file/1-161", settings)  # JSON, but a File
    assert err.value.reason == "not_oparl"
    with pytest.raises(SourceError):
        run(server.base_url + "/nowhere", settings)  # 404
    with pytest.raises(SourceError):
        OParlClient("ftp://example.org/oparl", settings)
