"""A real OParl 1.1 server on 127.0.0.1, serving the Nordstemmen and Hürtgenwald dumps.

It serves, per source (``nordstemmen``, ``huertgenwald``), a System at ``/<source>/system``, a Body
list at ``/<source>/body`` and the Body's paginated external lists (``organization``, ``person``,
``meeting``, ``paper``) with ``links.next``, honouring ``modified_since``; every object at its id;
and Files at their ``accessUrl``/``downloadUrl``. A System over both Bodies sits at ``/system``.

Ids are the dump's ids with the original prefix (``https://nordstemmen.ratsinfomanagement.net/
webservice/oparl/v1.1/``) replaced by ``http://127.0.0.1:<port>/nordstemmen/``:
:meth:`OParlTestServer.original_id` maps back.

Files. Nordstemmen Files that have a text in ``files.jsonl.gz`` come in one of three ways, chosen
by a stable hash of the id (:func:`file_mode`): ``embed`` (the text in the File), ``pdf`` (a small
generated PDF at the accessUrl, one page per ``\\f`` page) or ``txt`` (the text as ``text/plain``;
the File says ``mimeType: text/plain``). Other Nordstemmen Files answer 404. Hürtgenwald (no texts)
serves a generated PDF for every fourth File (:func:`file_mode` ``stub``), 404 for the rest.

Quirks (``quirks=``) switch vendor behaviour on, each at one place (in the Nordstemmen lists when
they are served, else in the first source's): see :data:`QUIRKS`.
Papers or Meetings without ``modified`` (Nordstemmen) count as modified at :data:`EPOCH`.

Standalone: ``python -m tests.support.oparl_server --port 8765`` (Ctrl-C stops it).
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"
SOURCES = ("nordstemmen", "huertgenwald")
#: placeholder origin in the cached data; replaced by the server's own base URL when serving
PLACEHOLDER = "http://oparl.invalid"
EPOCH = "2000-01-01T00:00:00+00:00"
LISTS = ("organization", "person", "meeting", "paper")
_FILE_KEYS = ("mainFile", "auxiliaryFile", "invitation", "resultsProtocol", "verbatimProtocol")

QUIRKS = {
    "object_for_list": "the first paper with one auxiliaryFile sends it as an object, its mainFile as a list",
    "data_object": "the last meeting comes alone on an extra page, its `data` an object, not a list",
    "mime_pdf": "the first downloadable PDF File says mimeType 'pdf'",
    "size_zero": "the second downloadable PDF File says size 0",
    "no_links": "the last page of every list has no `links` (and no `pagination`)",
    "next_self": "the last paper page links to itself as `next`",
    "next_loop": "the last paper page links back to page 2 as `next`",
    "clamped_pages": "paper pages past the end repeat the last page, each linking to one more",
    "error_500_once": "paper page 2 answers 500 once, then OK",
    "error_500_always": "paper page 2 always answers 500",
    "slow_once": "meeting page 1 answers after `slow_seconds` once, then at once",
    "invalid_json_once": "paper page 1 answers broken JSON once, then OK",
    "invalid_json_always": "paper page 2 always answers broken JSON",
    "foreign_next": "paper page 1 links to page 2 on http://localhost:<port> (another host)",
    "localhost_file": "the first downloadable File's URLs name http://localhost:<port> (loopback, not the source)",
    "foreign_host_file": "the second downloadable File's URLs name https://ratsinfo.example.org",
    "tombstone": "the second paper is a tombstone; the first meeting File is a File tombstone",
    "file_as_url": "the first paper's mainFile is its URL, not the object (the File is served at its id)",
    "no_content_length": "JSON pages come without Content-Length (streamed until close)",
    "invalid_items": "paper page 1 also holds a number and an object without id",
    "login_page": "the first downloadable PDF's URLs answer an HTML login page (status 200) instead",
}


# --- the data, loaded once -----------------------------------------------------------------------

def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _rewrite(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return new + value[len(old):] if value.startswith(old) else value
    if isinstance(value, list):
        return [_rewrite(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, old, new) for k, v in value.items()}
    return value


def file_mode(source: str, original_file_id: str, has_text: bool) -> str:
    """How a File is served: ``embed``, ``pdf``, ``txt`` (Nordstemmen with text), ``stub`` (a
    generated PDF for a Hürtgenwald File) or ``missing`` (404)."""
    h = zlib.crc32(original_file_id.encode("utf-8"))
    if source == "nordstemmen":
        return ("embed", "pdf", "txt")[h % 3] if has_text else "missing"
    return "stub" if h % 4 == 0 else "missing"


@dataclass(frozen=True)
class Dump:
    """One source in placeholder form: ids start with ``PLACEHOLDER/<source>/``."""

    source: str
    original_prefix: str
    body: dict[str, Any]
    lists: dict[str, list[dict[str, Any]]]
    #: the dump's tombstones by list (served after the live objects, whatever the subset)
    tombstones: dict[str, list[dict[str, Any]]]
    #: placeholder file URL path ("/nordstemmen/body/1/files/…") → (mode, original File id)
    file_urls: dict[str, tuple[str, str]]
    #: original File id → text pages (Nordstemmen texts; Hürtgenwald stubs)
    file_pages: dict[str, list[str]]
    #: original File id → how it is served (:func:`file_mode`), for every embedded File
    file_modes: dict[str, str]


@lru_cache(maxsize=None)
def load_dump(source: str) -> Dump:
    folder = DATA / source
    body = json.loads((folder / "body.json").read_text(encoding="utf-8"))
    original_prefix = body["id"][: body["id"].index("/body/") + 1]
    new_prefix = f"{PLACEHOLDER}/{source}/"
    texts = {f["id"]: f for f in _jsonl(folder / "files.jsonl.gz")}
    file_urls: dict[str, tuple[str, str]] = {}
    file_pages: dict[str, list[str]] = {}
    file_modes: dict[str, str] = {}

    def serve_file(raw: dict[str, Any]) -> dict[str, Any]:
        record = texts.get(raw["id"])
        has_text = bool(record and record.get("text", "").strip())
        mode = file_mode(source, raw["id"], has_text)
        file_modes[raw["id"]] = mode
        if record is not None:
            raw = {k: v for k, v in record.items() if not k.startswith("x-")}
        if mode != "embed":
            raw.pop("text", None)
        if mode == "txt":
            raw["mimeType"] = "text/plain"
        if has_text:
            file_pages[raw["id"]] = record["text"].split("\f")
        elif mode == "stub":
            name = raw.get("name") or raw["id"]
            file_pages[raw["id"]] = [f"{name}\nGemeinde Hürtgenwald\nDatum: {raw.get('date') or 'unbekannt'}"]
        for key in ("accessUrl", "downloadUrl"):
            if isinstance(raw.get(key), str) and raw[key].startswith(original_prefix):
                file_urls["/" + source + "/" + raw[key][len(original_prefix):]] = (mode, raw["id"])
        return raw

    def with_served_files(obj: dict[str, Any]) -> dict[str, Any]:
        obj = dict(obj)
        for key in _FILE_KEYS:
            if isinstance(obj.get(key), dict):
                obj[key] = serve_file(obj[key])
            elif isinstance(obj.get(key), list):
                obj[key] = [serve_file(f) if isinstance(f, dict) else f for f in obj[key]]
        if isinstance(obj.get("agendaItem"), list):
            items = []
            for item in obj["agendaItem"]:
                if isinstance(item, dict):
                    item = dict(item)
                    for key in ("resolutionFile", "auxiliaryFile"):
                        if isinstance(item.get(key), dict):
                            item[key] = serve_file(item[key])
                        elif isinstance(item.get(key), list):
                            item[key] = [serve_file(f) if isinstance(f, dict) else f for f in item[key]]
                items.append(item)
            obj["agendaItem"] = items
        return obj

    lists = {
        "organization": _jsonl(folder / "organizations.jsonl.gz"),
        "person": _jsonl(folder / "persons.jsonl.gz"),
        "meeting": [with_served_files(m) for m in _jsonl(folder / "meetings.jsonl.gz")],
        "paper": [with_served_files(p) for p in _jsonl(folder / "papers.jsonl.gz")],
    }
    tombstones: dict[str, list[dict[str, Any]]] = {name: [] for name in LISTS}
    for tomb in _jsonl(folder / "deleted_tombstones.jsonl.gz"):
        for name in LISTS:
            if f"/{name}/" in tomb["id"]:
                tombstones[name].append(tomb)
    body = dict(body)
    body.pop("x-constructed", None)
    for name in LISTS:
        body.setdefault(name, f"{body['id']}/{name}")
    body = _rewrite(body, original_prefix, new_prefix)
    lists = {name: _rewrite(objs, original_prefix, new_prefix) for name, objs in lists.items()}
    tombstones = {name: _rewrite(objs, original_prefix, new_prefix) for name, objs in tombstones.items()}
    return Dump(source=source, original_prefix=original_prefix, body=body, lists=lists, tombstones=tombstones,
                file_urls=file_urls, file_pages=file_pages, file_modes=file_modes)


# --- generated files -----------------------------------------------------------------------------

def _pdf_string(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages: list[str], *, max_lines: int = 60, max_chars: int = 110) -> bytes:
    """A small valid PDF: one page per text page, its first lines in Helvetica (WinAnsi)."""
    objects: list[bytes] = []
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, page in enumerate(pages):
        lines = [ln.strip()[:max_chars] for ln in page.splitlines() if ln.strip()][:max_lines]
        stream = b"BT /F1 9 Tf 11 TL 40 800 Td\n" + b"".join(_pdf_string(ln) + b" '\n" for ln in lines) + b"ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def file_content(mode: str, pages: list[str]) -> tuple[bytes, str]:
    """The bytes and Content-Type served for a File in ``mode``."""
    if mode == "txt":
        return "\f".join(pages).encode("utf-8"), "text/plain; charset=utf-8"
    return make_pdf(pages), "application/pdf"


# --- the server ----------------------------------------------------------------------------------

def _parse_time(value: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


class OParlTestServer:
    """``with OParlTestServer(page_size=20, max_papers=50) as server: server.system_url("nordstemmen")``"""

    def __init__(self, sources: Iterable[str] = SOURCES, *, page_size: int = 50,
                 max_papers: int | None = None, max_meetings: int | None = None,
                 quirks: Iterable[str] = (), slow_seconds: float = 0.5, max_requests: int = 20_000,
                 port: int = 0) -> None:
        unknown = set(quirks) - set(QUIRKS)
        if unknown:
            raise ValueError(f"unknown quirks: {sorted(unknown)}")
        self.sources = tuple(sources)
        self.page_size = page_size
        self.quirks = frozenset(quirks)
        self.slow_seconds = slow_seconds
        self.max_requests = max_requests
        self.dumps = {s: load_dump(s) for s in self.sources}
        self._lock = threading.Lock()
        #: (method, path with query) of every request, in order
        self.log: list[str] = []
        self.overflowed = False
        self._once: set[str] = set()
        self._lists: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for s, dump in self.dumps.items():
            lists = {name: list(objs) for name, objs in dump.lists.items()}
            if max_papers is not None:
                lists["paper"] = lists["paper"][:max_papers]
            if max_meetings is not None:
                lists["meeting"] = lists["meeting"][:max_meetings]
            for name, tombs in dump.tombstones.items():
                lists[name].extend(tombs)
            self._lists[s] = lists
        self._apply_quirks()
        #: every object by placeholder id, dereferenceable even outside the served subset
        self._index: dict[str, dict[str, Any]] = {}
        for s, dump in self.dumps.items():
            self._index[dump.body["id"]] = dump.body
            for objs in (*dump.lists.values(), *self._lists[s].values()):
                for obj in objs:
                    self._index_object(obj)
        self._httpd = _QuietServer(("127.0.0.1", port), _handler(self))
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> "OParlTestServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"oparl-test-server:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> "OParlTestServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- URLs and ids ----------------------------------------------------------------------

    def system_url(self, source: str | None = None) -> str:
        return f"{self.base_url}/{source}/system" if source else f"{self.base_url}/system"

    def body_url(self, source: str) -> str:
        return self.served(self.dumps[source].body["id"])

    def list_url(self, source: str, name: str) -> str:
        return self.served(self.dumps[source].body[name])

    def served(self, placeholder_or_original: str) -> str:
        """The URL this server uses for a placeholder or an original id."""
        value = placeholder_or_original
        if value.startswith(PLACEHOLDER):
            return self.base_url + value[len(PLACEHOLDER):]
        for source, dump in self.dumps.items():
            if value.startswith(dump.original_prefix):
                return f"{self.base_url}/{source}/{value[len(dump.original_prefix):]}"
        return value

    def original_id(self, url: str) -> str:
        """The dump's id for a URL of this server (other strings unchanged)."""
        for source, dump in self.dumps.items():
            prefix = f"{self.base_url}/{source}/"
            if url.startswith(prefix):
                return dump.original_prefix + url[len(prefix):]
        return url

    def to_original(self, data: Any) -> Any:
        """Every URL of this server inside ``data`` (dicts, lists, strings) mapped back to the dump's."""
        if isinstance(data, str):
            return self.original_id(data)
        if isinstance(data, list):
            return [self.to_original(v) for v in data]
        if isinstance(data, dict):
            return {k: self.to_original(v) for k, v in data.items()}
        return data

    def _placeholder(self, original_id: str) -> str:
        for source, dump in self.dumps.items():
            if original_id.startswith(dump.original_prefix):
                return f"{PLACEHOLDER}/{source}/{original_id[len(dump.original_prefix):]}"
        return original_id

    # --- what tests look at and change -----------------------------------------------------

    def requests(self, contains: str = "") -> list[str]:
        with self._lock:
            return [r for r in self.log if contains in r]

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()

    def file_bytes(self, source: str, original_file_id: str) -> bytes:
        """The bytes served for a downloadable File."""
        dump = self.dumps[source]
        return file_content(dump.file_modes[original_file_id], dump.file_pages[original_file_id])[0]

    def served_files(self, source: str) -> dict[str, str]:
        """Original File id → mode, for the Files of the served Papers and Meetings."""
        result: dict[str, str] = {}
        for name in ("meeting", "paper"):
            for obj in self._lists[source][name]:
                for raw in _embedded(obj):
                    result[self._original(source, raw["id"])] = self._mode(source, raw)
        return result

    def touch(self, original_id: str, **changes: Any) -> str:
        """Change a Paper or Meeting now (its ``modified`` becomes the current time); the ISO time."""
        now = datetime.now(timezone.utc).isoformat()
        self._replace(original_id, lambda obj: {**obj, **changes, "modified": now})
        return now

    def delete(self, original_id: str) -> str:
        """Turn a Paper or Meeting into a tombstone, modified now."""
        now = datetime.now(timezone.utc).isoformat()
        self._replace(original_id, lambda obj: {"id": obj["id"], "type": obj.get("type"), "deleted": True,
                                                "created": obj.get("created", EPOCH), "modified": now})
        return now

    def _replace(self, original_id: str, change: Any) -> None:
        placeholder = self._placeholder(original_id)
        with self._lock:
            for lists in self._lists.values():
                for name in ("meeting", "paper"):
                    for i, obj in enumerate(lists[name]):
                        if obj.get("id") == placeholder:
                            lists[name][i] = change(obj)
                            self._index_object(lists[name][i])
                            return
        raise KeyError(original_id)

    # --- quirks ----------------------------------------------------------------------------

    def _apply_quirks(self) -> None:
        q = self.quirks
        lists = self._lists.get("nordstemmen") or next(iter(self._lists.values()))
        source = "nordstemmen" if "nordstemmen" in self._lists else next(iter(self._lists))
        papers, meetings = lists["paper"], lists["meeting"]
        if "object_for_list" in q:
            for i, paper in enumerate(papers):
                aux = paper.get("auxiliaryFile")
                if isinstance(aux, list) and len(aux) == 1 and isinstance(paper.get("mainFile"), dict):
                    papers[i] = {**paper, "auxiliaryFile": aux[0], "mainFile": [paper["mainFile"]]}
                    break
        # The n-th paper with a downloadable PDF gets the n-th of these File quirks.
        downloadable = [i for i, p in enumerate(papers) if any(self._mode(source, f) == "pdf" for f in _embedded(p))]
        file_quirks = (("mime_pdf", {"mimeType": "pdf"}), ("size_zero", {"size": 0}),
                       ("localhost_file", "localhost"), ("foreign_host_file", "foreign"))
        for slot, (quirk, edit) in enumerate(file_quirks):
            if quirk in q and slot < len(downloadable):
                self._edit_file(papers, downloadable[slot], source, edit)
        if "tombstone" in q:
            if len(papers) > 1:
                tomb = papers[1]
                papers[1] = {"id": tomb["id"], "type": "https://schema.oparl.org/1.1/Paper", "deleted": True,
                             "created": EPOCH, "modified": EPOCH}
            for i, meeting in enumerate(meetings):
                files = list(_embedded(meeting))
                if files:
                    target = files[0]["id"]
                    meetings[i] = _map_files(meeting, lambda f: {"id": f["id"], "type": f.get("type"), "deleted": True}
                                             if f["id"] == target else f)
                    break
        self._login_pages: set[str] = set()
        if "login_page" in q:
            for i in downloadable[:1]:
                target = next(f for f in _embedded(papers[i]) if self._mode(source, f) == "pdf")
                self._login_pages = {urlsplit(target[k]).path for k in ("accessUrl", "downloadUrl") if target.get(k)}
        if "file_as_url" in q and papers and isinstance(papers[0].get("mainFile"), dict):
            papers[0] = {**papers[0], "mainFile": papers[0]["mainFile"]["id"]}

    def _index_object(self, obj: dict[str, Any]) -> None:
        self._index[obj["id"]] = obj
        for f in _embedded(obj):
            self._index[f["id"]] = f

    def _original(self, source: str, placeholder: str) -> str:
        prefix = f"{PLACEHOLDER}/{source}/"
        if placeholder.startswith(prefix):
            return self.dumps[source].original_prefix + placeholder[len(prefix):]
        return placeholder

    def _mode(self, source: str, raw: dict[str, Any]) -> str:
        return self.dumps[source].file_modes.get(self._original(source, raw["id"]), "missing")

    def _edit_file(self, papers: list[dict[str, Any]], index: int, source: str, edit: Any) -> None:
        done = False

        def change(f: dict[str, Any]) -> dict[str, Any]:
            nonlocal done
            if done or self._mode(source, f) != "pdf":
                return f
            done = True
            if edit in ("localhost", "foreign"):
                host = "http://localhost:{port}" if edit == "localhost" else "https://ratsinfo.example.org"
                f = dict(f)
                for key in ("accessUrl", "downloadUrl"):
                    if isinstance(f.get(key), str):
                        f[key] = f[key].replace(PLACEHOLDER, host)
                return f
            return {**f, **edit}

        papers[index] = _map_files(papers[index], change)

    # --- answering -------------------------------------------------------------------------

    def _page(self, source: str, name: str, query: dict[str, list[str]], path: str) -> Any:
        objs = self._lists[source][name]
        since = _parse_time(query.get("modified_since", [""])[0]) if "modified_since" in query else None
        if since is not None:
            epoch = _parse_time(EPOCH)
            objs = [o for o in objs if (_parse_time(o.get("modified") or EPOCH) or epoch) >= since]
        size = self.page_size
        chunks = [objs[i:i + size] for i in range(0, len(objs), size)] or [[]]
        if "data_object" in self.quirks and name == "meeting" and objs:
            last = chunks[-1]
            chunks = chunks[:-1] + ([last[:-1]] if len(last) > 1 else []) + [[last[-1]]]
        try:
            number = int(query.get("page", ["1"])[0])
        except ValueError:
            number = 1
        total = len(chunks)
        clamped = "clamped_pages" in self.quirks and name == "paper" and number > total
        if number < 1 or (number > total and not clamped):
            return None
        items = chunks[min(number, total) - 1]
        keep = {k: v[0] for k, v in query.items() if k != "page"}

        def link(n: int, host: str | None = None) -> str:
            params = "&".join(f"{k}={_quote(v)}" for k, v in {**keep, "page": str(n)}.items())
            return f"{host or self.base_url}{path}?{params}"

        page: dict[str, Any] = {"data": items, "pagination": {
            "totalElements": len(objs), "elementsPerPage": size, "currentPage": number, "totalPages": total},
            "links": {"first": link(1), "self": link(number)}}
        if number < total or ("clamped_pages" in self.quirks and name == "paper"):
            page["links"]["next"] = link(number + 1)
        last = number >= total
        if name == "paper":
            if last and "next_self" in self.quirks:
                page["links"]["next"] = link(number)
            if last and "next_loop" in self.quirks and total > 2:
                page["links"]["next"] = link(2)
            if number == 1 and "foreign_next" in self.quirks and total > 1:
                page["links"]["next"] = link(2, host=f"http://localhost:{self.port}")
            if number == 1 and "invalid_items" in self.quirks:
                page["data"] = list(items) + [42, {"name": "ohne id"}]
        if "data_object" in self.quirks and name == "meeting" and last and len(items) == 1:
            page["data"] = items[0]
        if last and "no_links" in self.quirks:
            page.pop("links", None)
            page.pop("pagination", None)
        return page

    def _once_flag(self, key: str) -> bool:
        """True the first time ``key`` is asked for."""
        with self._lock:
            if key in self._once:
                return False
            self._once.add(key)
            return True

    def answer(self, raw_path: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a GET; the HTTP handler only writes it out."""
        parts = urlsplit(raw_path)
        path, query = unquote(parts.path).rstrip("/") or "/", parse_qs(parts.query)
        q = self.quirks
        with self._lock:
            self.log.append(raw_path)
            if len(self.log) > self.max_requests:
                self.overflowed = True
                return 503, {"Content-Type": "text/plain"}, b"request budget of this test server exhausted"
        if path == "/":
            html = "<html><body><h1>OParl test server</h1><ul>" + "".join(
                f'<li><a href="/{s}/system">{s}</a></li>' for s in self.sources) + "</ul></body></html>"
            return 200, {"Content-Type": "text/html; charset=utf-8"}, html.encode()
        segments = path.strip("/").split("/")
        source = segments[0]
        if path == "/system" or (len(segments) == 2 and segments[1] == "system" and source in self.dumps):
            body_list = f"{PLACEHOLDER}/bodies" if path == "/system" else f"{PLACEHOLDER}/{source}/body"
            return self._json({"id": f"{PLACEHOLDER}{path}", "type": "https://schema.oparl.org/1.1/System",
                               "oparlVersion": "https://schema.oparl.org/1.1/", "name": "Ratsuche OParl test server",
                               "body": body_list})
        if path == "/bodies" or (len(segments) == 2 and segments[1] == "body" and source in self.dumps):
            bodies = [d.body for d in self.dumps.values()] if path == "/bodies" else [self.dumps[source].body]
            return self._json({"data": bodies, "links": {}, "pagination": {
                "totalElements": len(bodies), "elementsPerPage": len(bodies), "currentPage": 1, "totalPages": 1}})
        if source in self.dumps and len(segments) == 4 and segments[1] == "body" and segments[3] in LISTS:
            name = segments[3]
            number = query.get("page", ["1"])[0]
            if name == "paper" and number == "2" and "error_500_always" in q:
                return 500, {"Content-Type": "text/plain"}, b"Internal Server Error"
            if name == "paper" and number == "2" and "error_500_once" in q and self._once_flag("500"):
                return 500, {"Content-Type": "text/plain"}, b"Internal Server Error"
            if name == "paper" and number == "2" and "invalid_json_always" in q:
                return 200, {"Content-Type": "application/json"}, b'{"data": [{"id": '
            if name == "paper" and number == "1" and "invalid_json_once" in q and self._once_flag("json"):
                return 200, {"Content-Type": "application/json"}, b'{"data": [{"id": '
            if name == "meeting" and number == "1" and "slow_once" in q and self._once_flag("slow"):
                time.sleep(self.slow_seconds)
            page = self._page(source, name, query, path)
            if page is None:
                return self._error(404, "no such page")
            return self._json(page)
        for source_name, dump in self.dumps.items():
            hit = dump.file_urls.get(path)
            if hit and path in self._login_pages:
                return 200, {"Content-Type": "text/html"}, b"<html><body>Bitte melden Sie sich an.</body></html>"
            if hit and hit[0] != "missing":
                mode, fid = hit
                content, ctype = file_content(mode, dump.file_pages[fid])
                return 200, {"Content-Type": ctype}, content
            if hit:
                return self._error(404, "file not available")
        with self._lock:
            obj = self._index.get(f"{PLACEHOLDER}{path}")
        if obj is not None:
            return self._json(obj)
        return self._error(404, "not found")

    def _json(self, data: Any) -> tuple[int, dict[str, str], bytes]:
        text = json.dumps(data, ensure_ascii=False).replace(PLACEHOLDER, self.base_url)
        text = text.replace("http://localhost:{port}", f"http://localhost:{self.port}")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if "no_content_length" in self.quirks:
            headers["X-No-Content-Length"] = "1"
        return 200, headers, text.encode("utf-8")

    def _error(self, status: int, message: str) -> tuple[int, dict[str, str], bytes]:
        return status, {"Content-Type": "application/problem+json"}, json.dumps(
            {"status": status, "title": message}).encode()


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _embedded(obj: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for key in _FILE_KEYS:
        for f in obj.get(key) if isinstance(obj.get(key), list) else [obj.get(key)]:
            if isinstance(f, dict) and f.get("id"):
                yield f
    for item in obj.get("agendaItem") or []:
        if isinstance(item, dict):
            for key in ("resolutionFile", "auxiliaryFile"):
                for f in item.get(key) if isinstance(item.get(key), list) else [item.get(key)]:
                    if isinstance(f, dict) and f.get("id"):
                        yield f


def _map_files(obj: dict[str, Any], change: Any) -> dict[str, Any]:
    """A copy of a Paper or Meeting with ``change`` applied to each embedded File."""
    obj = copy.deepcopy(obj)

    def fix(container: dict[str, Any], keys: tuple[str, ...]) -> None:
        for key in keys:
            value = container.get(key)
            if isinstance(value, dict):
                container[key] = change(value)
            elif isinstance(value, list):
                container[key] = [change(f) if isinstance(f, dict) else f for f in value]

    fix(obj, _FILE_KEYS)
    for item in obj.get("agendaItem") or []:
        if isinstance(item, dict):
            fix(item, ("resolutionFile", "auxiliaryFile"))
    return obj


class _QuietServer(ThreadingHTTPServer):
    """Threads die with the process; a client hanging up (as after a timeout) is no error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _handler(server: OParlTestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            status, headers, body = server.answer(self.path)
            streamed = headers.pop("X-No-Content-Length", None) is not None
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if streamed:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the server keeps its own log
            pass

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the Nordstemmen and Hürtgenwald dumps as OParl 1.1.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--max-papers", type=int, default=None)
    parser.add_argument("--max-meetings", type=int, default=None)
    parser.add_argument("--source", action="append", choices=SOURCES, help="serve only this source (repeatable)")
    parser.add_argument("--quirk", action="append", default=[], choices=sorted(QUIRKS))
    args = parser.parse_args(argv)
    server = OParlTestServer(args.source or SOURCES, page_size=args.page_size, max_papers=args.max_papers,
                             max_meetings=args.max_meetings, quirks=args.quirk, port=args.port,
                             max_requests=10 ** 9)
    print(f"OParl test server on {server.base_url}")
    for s in server.sources:
        print(f"  {s}: {server.system_url(s)}")
    print(f"  both bodies: {server.system_url()}")
    try:
        server.start()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
