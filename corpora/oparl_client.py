"""Reader for live OParl servers: System → Bodies → lists → documents, incrementally.

OParl (https://oparl.org/spezifikation/) is the German standard API of council information systems
(Ratsinformationssysteme: ALLRIS, SD.NET/Sternberg, SessionNet …). A server starts at a System
object whose ``body`` names the list of Bodies (Städte, Gemeinden, Kreise); each Body names its
external lists (``organization``: Gremien and Fraktionen, ``person``, ``meeting``: Sitzungen,
``paper``: Drucksachen). Lists are paginated (``links.next``) and take the filter
``modified_since``; deleted objects come as tombstones (``"deleted": true``).

For each Body this reader fetches organizations and persons (always whole: they are the context and
the :class:`~corpora.sources.Directory`), then meetings, then papers, and turns every File embedded
in them into a :class:`~corpora.model.Document` through the same :class:`~corpora.catalog.Catalog`
as the dump reader, so the same data gives the same documents:

- a File with ``text`` gets its pages from it (split at form feeds);
- else a File with an ``accessUrl``/``downloadUrl`` and a mime type we can extract (PDF, HTML, text)
  is downloaded into ``settings.downloads_dir`` and referenced as a :class:`~corpora.model.Blob`
  (the indexer extracts it later);
- else it is skipped and counted.

Tombstones of Papers, Meetings and Files become :class:`~corpora.sources.Delete` events; what fails
(a page after its retries, an invalid object, a download) becomes a :class:`~corpora.sources.Failure`,
never an exception. Only an unreachable or non-OParl start URL raises :class:`SourceError`.

The state saved between runs holds, per meeting and paper list, the server's time at the start of
the last successful listing: the next run asks only for objects modified since then.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generator, Iterable, Iterator, Mapping
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from corpora import oparl
from corpora.catalog import Catalog
from corpora.errors import FetchError, SourceError
from corpora.http import EXTRACTABLE_SUFFIXES, HostPolicy, HttpFetcher, origin_of
from corpora.model import Blob, Body, Person
from corpora.oparl_dump import pages_from_text
from corpora.settings import Settings
from corpora.sources import Delete, Directory, Event, Failure, Finished, Upsert

log = logging.getLogger(__name__)

#: where the Files of a Paper or Meeting sit (as ids, some servers give URLs instead of objects)
_FILE_KEYS = ("mainFile", "auxiliaryFile", "invitation", "resultsProtocol", "verbatimProtocol")
_ITEM_FILE_KEYS = ("resolutionFile", "auxiliaryFile")
#: Meetings fetched one by one in an incremental run, for the context of changed Papers
_MAX_CONTEXT_FETCHES = 500
_MAX_WARNINGS = 50


def with_query(url: str, **params: str) -> str:
    """``url`` with query parameters added (replacing ones of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True)
class ListEnd:
    """How a list ended: ``ok`` when it was read to its end; ``server_time`` of its first page."""

    ok: bool
    server_time: str | None


@dataclass(frozen=True)
class _Page:
    items: list[Any]
    next_url: str | None


def split_page(data: Any) -> _Page | None:
    """The objects and the ``next`` link of a list page, tolerating vendor shapes: ``data`` as a
    single object, a bare JSON list, a page without ``links``, a single object instead of a page.
    None when the answer is no list page at all."""
    if isinstance(data, list):
        return _Page(items=data, next_url=None)
    if not isinstance(data, dict):
        return None
    if "data" in data:
        links = data.get("links")
        nxt = links.get("next") if isinstance(links, dict) else None
        return _Page(items=oparl.as_list(data["data"]), next_url=nxt if isinstance(nxt, str) and nxt else None)
    if isinstance(data.get("id"), str):
        return _Page(items=[data], next_url=None)
    return None


def _is_system(obj: dict[str, Any]) -> bool:
    return oparl.object_type(obj) == "System" or ("oparlVersion" in obj and "body" in obj)


def _is_body(obj: dict[str, Any]) -> bool:
    return oparl.object_type(obj) == "Body" or (
        isinstance(obj.get("id"), str) and any(isinstance(obj.get(k), str) for k in ("paper", "meeting")))


class OParlClient:
    """``for event in OParlClient(url, settings).iter_events(state): ...``

    ``url`` is a System or Body URL (a Body list works too). ``full`` ignores the saved state and
    reads everything (a complete run, after which the caller may drop what was not seen).
    ``extra_hosts`` names further public hosts that downloads may come from (see
    :class:`~corpora.http.HostPolicy`).
    """

    kind = "oparl"

    def __init__(self, url: str, settings: Settings, *, full: bool = False,
                 extra_hosts: Iterable[str] = ()) -> None:
        self.url = url.strip()
        try:
            origin_of(self.url)
        except FetchError as exc:
            raise SourceError(f"{url}: not an http(s) URL", hint="give the URL of an OParl System or Body") from exc
        self.key = f"{self.kind}:{self.url}"
        self.settings = settings
        self.full = full
        self.policy = HostPolicy(self.url, allow_private_hosts=settings.allow_private_hosts, extra_hosts=extra_hosts)
        #: requests made by the last run (pages, objects, downloads, every retry), for logs and tests
        self.requests = 0

    def iter_events(self, state: Mapping[str, Any]) -> Iterator[Event]:
        fetcher = HttpFetcher(self.settings, self.policy)
        try:
            yield from _Run(self, fetcher, state).events()
        finally:
            self.requests = fetcher.requests
            fetcher.close()


class _Run:
    """One pass over the server; holds what the pass learns."""

    def __init__(self, client: OParlClient, fetcher: HttpFetcher, state: Mapping[str, Any]) -> None:
        self.client = client
        self.fetcher = fetcher
        self.settings = client.settings
        since = {} if client.full else state.get("modified_since")
        self.since_in: dict[str, str] = dict(since) if isinstance(since, Mapping) else {}
        self.since_out: dict[str, str] = dict(self.since_in)
        known = state.get("downloads")
        self.downloads_in: dict[str, Any] = dict(known) if isinstance(known, Mapping) else {}
        self.downloads_out: dict[str, Any] = {}
        self.incremental = False
        self.all_ok = True
        self.stats: Counter[str] = Counter()
        self.warnings: list[str] = []
        self.seen_files: set[str] = set()
        self.context_fetches = 0

    # --- the pass --------------------------------------------------------------------------

    def events(self) -> Iterator[Event]:
        bodies, failures = self._bodies()
        yield from failures
        for raw_body in bodies:
            yield from self._body_events(raw_body)
        complete = self.all_ok and not self.incremental
        downloads = self.downloads_out if complete else {**self.downloads_in, **self.downloads_out}
        yield Finished(state={"modified_since": self.since_out, "downloads": downloads,
                              "stats": dict(sorted(self.stats.items())), "warnings": self.warnings},
                       complete=complete)

    def _warn(self, message: str) -> None:
        log.warning("%s", message)
        if len(self.warnings) < _MAX_WARNINGS:
            self.warnings.append(message)

    def _bodies(self) -> tuple[list[dict[str, Any]], list[Failure]]:
        url = self.client.url
        try:
            start = self.fetcher.get_json(url).data
        except FetchError as exc:
            raise SourceError(f"{url}: unreachable or not JSON ({exc})", reason="unreachable",
                              hint="check the URL of the OParl System or Body and the network") from exc
        failures: list[Failure] = []
        if isinstance(start, dict) and _is_system(start):
            candidates: list[Any] = []
            for ref in oparl.as_list(start.get("body")):
                if isinstance(ref, str) and ref:
                    end = _collect_list(candidates, failures, self._iter_list(urljoin(url, ref), None))
                    if not end.ok:
                        self.all_ok = False
                elif isinstance(ref, dict):
                    candidates.append(ref)
        elif isinstance(start, dict) and _is_body(start):
            candidates = [start]
        else:
            page = split_page(start)
            candidates = [o for o in page.items if isinstance(o, dict) and _is_body(o)] if page else []
            if not candidates:
                raise SourceError(f"{url}: not an OParl System, Body or Body list", reason="not_oparl",
                                  hint="OParl servers start at a System object (often …/oparl/v1.1/system)")
        bodies: list[dict[str, Any]] = []
        for candidate in candidates:
            if isinstance(candidate, str):  # a body list of URLs instead of objects
                candidate = self._fetch_object(candidate, failures)
            if isinstance(candidate, dict) and isinstance(candidate.get("id"), str) and not candidate.get("deleted"):
                bodies.append(candidate)
        if not bodies:
            detail = "; ".join(f.detail for f in failures)
            raise SourceError(f"{url}: the server names no readable Body" + (f" ({detail})" if detail else ""),
                              reason="not_oparl")
        return bodies, failures

    def _fetch_object(self, url: str, failures: list[Failure]) -> dict[str, Any] | None:
        try:
            data = self.fetcher.get_json(url).data
        except FetchError as exc:
            failures.append(Failure(url, exc.reason, str(exc)))
            return None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            return data
        failures.append(Failure(url, "invalid_object", "not an OParl object with an id"))
        return None

    # --- lists -----------------------------------------------------------------------------

    def _iter_list(self, list_url: str, since: str | None) -> Generator[Any, None, ListEnd]:
        """The objects of one external list (dicts), and Failures for pages or items that fail.

        Stops at the end, at a ``next`` link already fetched (a loop) and at a page that brings no
        object not seen before (a server repeating a page): both with a warning.
        """
        url: str | None = with_query(list_url, modified_since=since) if since else list_url
        fetched: set[str] = set()
        seen: set[str] = set()
        first_time: str | None = None
        while url:
            if url in fetched:
                self._warn(f"{list_url}: the next link {url} was fetched before (a loop); list stopped")
                break
            fetched.add(url)
            try:
                page = self.fetcher.get_json(url)
            except FetchError as exc:
                yield Failure(url, exc.reason, str(exc))
                return ListEnd(ok=False, server_time=first_time)
            first_time = first_time or page.server_time
            shape = split_page(page.data)
            if shape is None:
                yield Failure(url, "invalid_page", "not an OParl list page")
                return ListEnd(ok=False, server_time=first_time)
            new = 0
            for index, obj in enumerate(shape.items):
                if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not obj["id"]:
                    yield Failure(f"{url}#{index}", "invalid_object", "a list item that is not an object with an id")
                    continue
                if obj["id"] in seen:
                    continue
                seen.add(obj["id"])
                new += 1
                yield obj
            if shape.items and not new:
                self._warn(f"{list_url}: the page {url} repeats objects seen before; list stopped")
                break
            url = urljoin(url, shape.next_url) if shape.next_url else None
        return ListEnd(ok=True, server_time=first_time)

    def _list(self, body: Body, name: str, *, incremental: bool) -> Generator[Any, None, ListEnd]:
        """A Body's list by name; incremental lists ask for what changed since the last run."""
        list_url = body.lists.get(name)
        if not list_url:
            log.info("%s: no %s list", body.id, name)
            return ListEnd(ok=True, server_time=None)
        since = self.since_in.get(list_url) if incremental else None
        if since:
            self.incremental = True
        end = yield from self._iter_list(list_url, since)
        if not end.ok:
            self.all_ok = False
        elif incremental and end.server_time:
            self.since_out[list_url] = end.server_time
        return end

    # --- one body --------------------------------------------------------------------------

    def _body_events(self, raw_body: dict[str, Any]) -> Iterator[Event]:
        try:
            body = oparl.parse_body(raw_body)
        except (KeyError, TypeError, ValueError) as exc:
            yield Failure(str(raw_body.get("id")), "invalid_object", f"unreadable Body ({exc})")
            self.all_ok = False
            return
        catalog = Catalog(body)
        held: list[Event] = []  # Failures and Deletes found before the Directory is out

        for obj in self._drain(self._list(body, "organization", incremental=False), held):
            if not obj.get("deleted"):
                self._guard(held, obj, catalog.add_organization)
        persons: list[Person] = []
        for obj in self._drain(self._list(body, "person", incremental=False), held):
            if not obj.get("deleted"):
                person = self._guard(held, obj, oparl.parse_person)
                if person is not None:
                    persons.append(person)
        meetings: list[dict[str, Any]] = []
        for obj in self._drain(self._list(body, "meeting", incremental=True), held):
            if obj.get("deleted"):
                held.append(Delete(obj["id"]))
                self.stats["deleted"] += 1
                continue
            obj = self._inline_files(obj, held)
            if self._guard(held, obj, catalog.add_meeting) is not None:
                meetings.append(obj)

        yield Directory(bodies=(body,), organizations=tuple(catalog.all_organizations()), persons=tuple(persons))
        yield from held
        for obj in meetings:
            yield from self._container_files(catalog, obj)

        incremental_papers = bool(self.since_in.get(body.lists.get("paper", "")))
        for item in self._list(body, "paper", incremental=True):
            if isinstance(item, Failure):
                yield item
                continue
            if item.get("deleted"):
                self.stats["deleted"] += 1
                yield Delete(item["id"])
                continue
            failures: list[Event] = []
            item = self._inline_files(item, failures)
            paper = self._guard(failures, item, catalog.add_paper)
            yield from failures
            if paper is None:
                continue
            if incremental_papers:
                self._add_context(catalog, paper.consultations)
            yield from self._container_files(catalog, item)

    def _drain(self, gen: Generator[Any, None, ListEnd], held: list[Event]) -> Iterator[dict[str, Any]]:
        for item in gen:
            if isinstance(item, Failure):
                held.append(item)
            else:
                yield item

    def _guard(self, failures: list[Event], obj: dict[str, Any], parse: Any) -> Any:
        """``parse(obj)``, or a Failure for an object the parsers cannot read."""
        try:
            return parse(obj)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.stats["invalid_objects"] += 1
            failures.append(Failure(obj["id"], "invalid_object", f"unreadable object ({type(exc).__name__}: {exc})"))
            return None

    def _inline_files(self, obj: dict[str, Any], failures: list[Event]) -> dict[str, Any]:
        """Files given as URLs instead of embedded objects are fetched and put in place."""
        def inline(container: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
            changed = {}
            for key in keys:
                value = container.get(key)
                if isinstance(value, str) or (isinstance(value, list) and any(isinstance(v, str) for v in value)):
                    fetched = []
                    for ref in oparl.as_list(value):
                        if isinstance(ref, str):
                            found: list[Failure] = []
                            ref = self._fetch_object(urljoin(self.client.url, ref), found)
                            failures.extend(found)
                            self.stats["files_fetched_by_url"] += 1
                        if isinstance(ref, dict):
                            fetched.append(ref)
                    changed[key] = fetched
            return {**container, **changed} if changed else container

        obj = inline(obj, _FILE_KEYS)
        items = obj.get("agendaItem")
        if isinstance(items, list) and any(isinstance(i, dict) for i in items):
            obj = {**obj, "agendaItem": [inline(i, _ITEM_FILE_KEYS) if isinstance(i, dict) else i for i in items]}
        return obj

    def _add_context(self, catalog: Catalog, consultations: Iterable[Any]) -> None:
        """In an incremental run, a changed Paper's consultations may name Meetings this run did not
        list; they are fetched one by one (OParl ids are URLs) so the Paper's Gremien are known."""
        for consultation in consultations:
            meeting_id = consultation.meeting
            if not meeting_id or meeting_id in catalog.meetings or self.context_fetches >= _MAX_CONTEXT_FETCHES:
                continue
            self.context_fetches += 1
            try:
                data = self.fetcher.get_json(meeting_id).data
            except FetchError as exc:
                log.info("%s: context meeting not fetched (%s)", meeting_id, exc)
                continue
            if isinstance(data, dict) and data.get("id") == meeting_id and not data.get("deleted"):
                try:
                    catalog.add_meeting(data)
                except (KeyError, TypeError, ValueError, AttributeError):
                    pass

    # --- files -----------------------------------------------------------------------------

    def _container_files(self, catalog: Catalog, container: dict[str, Any]) -> Iterator[Event]:
        for _role, raw in oparl.embedded_files(container):
            yield from self._file_events(catalog, raw)

    def _file_events(self, catalog: Catalog, raw: dict[str, Any]) -> Iterator[Event]:
        file_id = raw["id"]
        if file_id in self.seen_files:
            return
        self.seen_files.add(file_id)
        if raw.get("deleted") is True:
            self.stats["deleted"] += 1
            yield Delete(file_id)
            return
        try:
            file = oparl.parse_file(raw)
            doc = catalog.document(file)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.stats["invalid_objects"] += 1
            yield Failure(file_id, "invalid_object", f"unreadable File ({type(exc).__name__}: {exc})")
            return
        if file.text and file.text.strip():
            self.stats["files_with_text"] += 1
            yield Upsert(doc.with_pages(pages_from_text(file.text), text_source="oparl"))
            return
        mime = doc.file.mime_type
        urls = list(dict.fromkeys(u for u in (doc.file.access_url, doc.file.download_url) if u))
        if not urls or mime not in EXTRACTABLE_SUFFIXES:
            self.stats["files_skipped"] += 1
            return
        blob = self._known_blob(file_id, doc.file.modified, mime)
        if blob is not None:
            self.stats["files_reused"] += 1
        else:
            blob, failure = self._download(file_id, urls, mime)
            if failure is not None:
                self.stats["files_failed"] += 1
                yield failure
                return
            self.stats["files_downloaded"] += 1
        if doc.file.modified:
            self.downloads_out[file_id] = {"modified": doc.file.modified, "sha256": blob.sha256, "mime_type": mime}
        yield Upsert(replace(doc, content=blob))

    def _blob_path(self, sha256: str, mime: str) -> Path:
        return self.settings.downloads_dir / sha256[:2] / f"{sha256}{EXTRACTABLE_SUFFIXES[mime]}"

    def _known_blob(self, file_id: str, modified: str | None, mime: str) -> Blob | None:
        """The blob of an earlier run, when the File is unchanged and the blob still on disk."""
        entry = self.downloads_in.get(file_id)
        if not modified or not isinstance(entry, Mapping) or entry.get("modified") != modified \
                or entry.get("mime_type") != mime or not isinstance(entry.get("sha256"), str):
            return None
        path = self._blob_path(entry["sha256"], mime)
        return Blob(path=str(path), mime_type=mime, sha256=entry["sha256"]) if path.is_file() else None

    def _download(self, file_id: str, urls: list[str], mime: str) -> tuple[Blob | None, Failure | None]:
        errors: list[FetchError] = []
        for url in urls:  # accessUrl first, downloadUrl when that fails
            try:
                got = self.fetcher.download(url, self.settings.downloads_dir, mime_type=mime)
            except FetchError as exc:
                errors.append(exc)
                continue
            return Blob(path=str(got.path), mime_type=mime, sha256=got.sha256), None
        last = errors[-1]
        return None, Failure(file_id, last.reason, "; ".join(str(e) for e in errors))


def _collect_list(items: list[Any], failures: list[Failure], gen: Generator[Any, None, ListEnd]) -> ListEnd:
    """Run a list generator to its end, sorting objects and Failures apart."""
    while True:
        try:
            item = next(gen)
        except StopIteration as stop:
            return stop.value
        (failures if isinstance(item, Failure) else items).append(item)
