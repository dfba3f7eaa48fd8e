"""Reader for OParl dump folders: OParl objects as gzipped JSON lines.

The layout of ``../shared/data/council/{karlsruhe,nordstemmen,huertgenwald}``: ``body.json``,
``organizations.jsonl.gz``, ``persons.jsonl.gz``, ``meetings.jsonl.gz``, ``papers.jsonl.gz``,
``files.jsonl.gz`` (Files with their extracted ``text`` and back-references) and optionally
``deleted_tombstones.jsonl.gz``. Every File with text becomes a document, its pages split at form
feeds. Files without text (Hürtgenwald has only metadata) are counted, not documents.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any, Iterator, Mapping

from corpora import json_input, oparl
from corpora.catalog import Catalog
from corpora.errors import SourceError
from corpora.model import Body, Page
from corpora.sources import Delete, Directory, Event, Failure, Finished, Upsert

_LISTS = ("organizations", "persons", "meetings", "papers", "files", "deleted_tombstones", "consultations")


def is_oparl_dump(path: Path) -> bool:
    return path.is_dir() and (path / "body.json").is_file() and any(
        (path / f"{name}.jsonl.gz").is_file() or (path / f"{name}.jsonl").is_file() for name in ("papers", "meetings"))


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, object) for each line; a broken line is yielded as (line number, None)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield lineno, json_input.loads(line)
            except ValueError:
                yield lineno, None


def pages_from_text(text: str) -> tuple[Page, ...]:
    """OParl ``File.text`` as pages: page-structured sources join pages with form feeds."""
    return tuple(Page(number=i, text=t) for i, t in enumerate(text.split("\f"), 1))


class OParlDump:
    kind = "oparl-dump"

    def __init__(self, path: str | Path, *, force: bool = False) -> None:
        self.path = Path(path).resolve()
        if not is_oparl_dump(self.path):
            raise SourceError(f"{path}: not an OParl dump folder (needs body.json and papers/meetings .jsonl.gz)")
        self.key = f"{self.kind}:{self.path}"
        self.force = force

    def _list(self, name: str) -> Path | None:
        for candidate in (self.path / f"{name}.jsonl.gz", self.path / f"{name}.jsonl"):
            if candidate.is_file():
                return candidate
        return None

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for p in sorted(self.path.iterdir()):
            if p.is_file():
                st = p.stat()
                h.update(f"{p.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return h.hexdigest()

    def iter_events(self, state: Mapping[str, Any]) -> Iterator[Event]:
        fingerprint = self.fingerprint()
        if not self.force and state.get("fingerprint") == fingerprint:
            # Nothing on disk changed since the last complete run: no work, and no deletions.
            yield Finished(state=dict(state), complete=False)
            return
        try:
            body = oparl.parse_body(json_input.loads((self.path / "body.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as exc:
            raise SourceError(f"{self.path / 'body.json'}: unreadable body ({exc})") from exc
        catalog = Catalog(body)
        failures: list[Failure] = []
        deleted: list[str] = []

        def objects(name: str) -> Iterator[dict[str, Any]]:
            path = self._list(name)
            if path is None:
                return
            for lineno, obj in iter_jsonl(path):
                if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
                    failures.append(Failure(f"{path.name}:{lineno}", "invalid_json", "not a JSON object with an id"))
                    continue
                if obj.get("deleted") is True:
                    deleted.append(obj["id"])
                    continue
                yield obj

        for obj in objects("organizations"):
            catalog.add_organization(obj)
        for obj in objects("meetings"):
            catalog.add_meeting(obj)
        for obj in objects("papers"):
            catalog.add_paper(obj)
        persons = tuple(oparl.parse_person(obj) for obj in objects("persons"))
        list(objects("deleted_tombstones"))  # fills `deleted`
        yield Directory(bodies=(body,), organizations=tuple(catalog.all_organizations()), persons=persons)

        without_text = len(catalog.embedded)
        for obj in objects("files"):
            file = oparl.parse_file(obj)
            if not file.text or not file.text.strip():
                continue
            without_text -= file.id in catalog.embedded
            doc = catalog.document(file)
            yield Upsert(doc.with_pages(pages_from_text(file.text), text_source="oparl"))
        yield from failures
        for object_id in deleted:
            yield Delete(object_id)
        yield Finished(state={"fingerprint": fingerprint, "files_without_text": max(without_text, 0)}, complete=True)
