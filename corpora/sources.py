"""What every reader yields: events about documents, and the directory of a body.

A reader is an object with a stable ``key`` (the source's identity in the store), a ``kind``, and
``iter_events(state)``: given the sync state it saved last time (a JSON-ready dict, empty on the
first run), it yields :class:`Upsert`, :class:`Delete`, :class:`Failure` and :class:`Directory`
events and finally one :class:`Finished` with the state to save once everything before it is
committed. Readers never write anywhere; the indexer decides what to do with the events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Protocol, Union

from corpora.model import Body, Document, Organization, Person


@dataclass(frozen=True)
class Upsert:
    """A document as the source has it now (new, changed or unchanged: the store tells)."""

    document: Document


@dataclass(frozen=True)
class Delete:
    """The source deleted something: a document (File id) or a container (Paper or Meeting id)
    whose documents go with it."""

    object_id: str


@dataclass(frozen=True)
class Failure:
    """One item could not be read; recorded, skipped, never fatal."""

    source_key: str
    reason: str
    detail: str


@dataclass(frozen=True)
class Directory:
    """Who is who in a body: its organizations and persons (with memberships), for entity linking
    and facet labels."""

    bodies: tuple[Body, ...] = ()
    organizations: tuple[Organization, ...] = ()
    persons: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Finished:
    """The scan is complete; ``state`` is what the next run gets back. ``complete`` means the scan
    saw the whole source, so items it did not see are gone (a folder or a dump; not an incremental
    OParl run)."""

    state: Mapping[str, Any] = field(default_factory=dict)
    complete: bool = True


Event = Union[Upsert, Delete, Failure, Directory, Finished]


class Reader(Protocol):
    key: str
    kind: str

    def iter_events(self, state: Mapping[str, Any]) -> Iterator[Event]: ...
