"""The document model: OParl 1.1 objects as frozen dataclasses, and the search unit.

OParl (https://oparl.org) is the German standard for council information systems. Its objects are
named in English; the council words they stand for, once:

- ``Body``: a municipality or district (Körperschaft: Stadt, Gemeinde, Kreis).
- ``Organization``: a Gremium (Rat, Ausschuss, Ortschaftsrat, Beirat), a Fraktion or an office.
- ``Person`` and ``Membership``: who sits in which Organization, ``on_behalf_of`` the party (Fraktion).
- ``Meeting``: a Sitzung, with its ``AgendaItem``\\s (Tagesordnungspunkte, TOP).
- ``Paper``: a Drucksache (Vorlage, Antrag, Anfrage …) with its reference (Drucksachennummer).
- ``Consultation``: a Paper on the agenda of an Organization's Meeting (Beratungsfolge).
- ``File``: one document (PDF, text): a Paper's main file or attachment (Anlage), a Meeting's
  invitation (Einladung), results protocol (Niederschrift) or verbatim protocol (Wortprotokoll).

The search unit is the :class:`Document`: one File seen with its context and its pages. Dates are
ISO strings as OParl gives them (``YYYY-MM-DD`` or a full timestamp); ids are OParl ids (URLs).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping


@dataclass(frozen=True)
class Location:
    id: str
    description: str | None = None
    street_address: str | None = None
    room: str | None = None
    postal_code: str | None = None
    locality: str | None = None
    sub_locality: str | None = None


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    short_name: str | None = None
    website: str | None = None
    ags: str | None = None
    #: OParl list URLs by list name ("organization", "person", "meeting", "paper", …)
    lists: Mapping[str, str] = field(default_factory=dict)
    location: Location | None = None
    modified: str | None = None


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    body: str | None = None
    short_name: str | None = None
    organization_type: str | None = None  # Gremium, Fraktion, Verwaltungsbereich …
    classification: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    modified: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class Membership:
    id: str
    person: str | None = None
    organization: str | None = None
    role: str | None = None
    voting_right: bool | None = None
    start_date: str | None = None
    end_date: str | None = None
    on_behalf_of: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    body: str | None = None
    family_name: str | None = None
    given_name: str | None = None
    form_of_address: str | None = None
    title: tuple[str, ...] = ()
    gender: str | None = None
    memberships: tuple[Membership, ...] = ()
    modified: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class File:
    id: str
    name: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    date: str | None = None
    size: int | None = None
    access_url: str | None = None
    download_url: str | None = None
    text: str | None = None
    #: back-references (OParl 1.1 ``paper``, ``meeting``, ``agendaItem`` lists)
    papers: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()
    agenda_items: tuple[str, ...] = ()
    modified: str | None = None
    deleted: bool = False

    @property
    def public_url(self) -> str | None:
        """The source URL fit to hand to browsers and clients: http(s) only (a body's metadata could
        carry ``javascript:`` or ``file:`` URLs)."""
        url = (self.access_url or self.download_url or "").strip()
        return url if url.lower().startswith(("http://", "https://")) else None


@dataclass(frozen=True)
class AgendaItem:
    id: str
    meeting: str | None = None
    number: str | None = None
    order: int | None = None
    name: str | None = None
    public: bool | None = None
    result: str | None = None
    resolution_text: str | None = None
    consultation: str | None = None
    resolution_file: str | None = None
    auxiliary_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    id: str
    name: str | None = None
    start: str | None = None
    end: str | None = None
    meeting_state: str | None = None
    cancelled: bool = False
    location: Location | None = None
    organizations: tuple[str, ...] = ()
    agenda_items: tuple[AgendaItem, ...] = ()
    invitation: str | None = None
    results_protocol: str | None = None
    verbatim_protocol: str | None = None
    auxiliary_files: tuple[str, ...] = ()
    modified: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class Consultation:
    id: str
    paper: str | None = None
    agenda_item: str | None = None
    meeting: str | None = None
    organizations: tuple[str, ...] = ()
    authoritative: bool | None = None
    role: str | None = None


@dataclass(frozen=True)
class Paper:
    id: str
    name: str | None = None
    body: str | None = None
    reference: str | None = None
    date: str | None = None
    paper_type: str | None = None
    main_file: str | None = None
    auxiliary_files: tuple[str, ...] = ()
    consultations: tuple[Consultation, ...] = ()
    under_direction_of: tuple[str, ...] = ()
    originator_organizations: tuple[str, ...] = ()
    originator_persons: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    modified: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class Page:
    """One page of a document's text; ``number`` counts from 1."""

    number: int
    text: str


@dataclass(frozen=True)
class Blob:
    """Raw content still to be turned into pages (a PDF, an HTML page) at a local path."""

    path: str
    mime_type: str
    sha256: str


# Document types: what a File is, as citizens and clerks name it. Derived by
# :func:`corpora.doctypes.classify` from the File's role, its Paper's type and its name.
DOCUMENT_TYPES = (
    "Vorlage", "Antrag", "Anfrage", "Stellungnahme", "Niederschrift", "Wortprotokoll",
    "Einladung", "Bekanntmachung", "Beschluss", "Anlage", "Brief", "Sammeldokument", "Sonstiges",
)


@dataclass(frozen=True)
class Document:
    """The search unit: one File with its context and its pages.

    ``pages`` holds the text when the source gives it (OParl ``File.text``, a TXT file) or after
    extraction; until then ``content`` points at the raw bytes. ``source_key`` names the item inside
    its source (a relative path, an OParl id) so that re-ingestion can tell unchanged items apart.
    """

    id: str
    file: File
    document_type: str
    source_key: str
    body: Body | None = None
    paper: Paper | None = None
    meeting: Meeting | None = None
    agenda_item: AgendaItem | None = None
    organizations: tuple[Organization, ...] = ()
    locations: tuple[Location, ...] = ()
    pages: tuple[Page, ...] = ()
    content: Blob | None = None
    needs_ocr: bool = False
    #: where the text came from: "oparl", "pdf", "ocr", "html", "txt"
    text_source: str | None = None
    #: source-specific extras kept for display (metadata.jsonl fields, vendor fields)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        for candidate in (self.file.name, self.paper.name if self.paper else None,
                          self.meeting.name if self.meeting else None, self.file.file_name):
            if candidate and candidate.strip():
                return " ".join(candidate.split())
        return self.id

    @property
    def date(self) -> str | None:
        """The date a user would file the document under: the session, the paper, else the file."""
        if self.meeting and self.meeting.start:
            return self.meeting.start[:10]
        if self.paper and self.paper.date:
            return self.paper.date[:10]
        return self.file.date[:10] if self.file.date else None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)

    def with_pages(self, pages: tuple[Page, ...] | list[Page], *, text_source: str,
                   needs_ocr: bool = False) -> "Document":
        return dataclasses.replace(self, pages=tuple(pages), text_source=text_source,
                                   needs_ocr=needs_ocr, content=None)


# --- plain-data codec (store, JSON API, worker processes) --------------------------------------

def to_data(obj: Any) -> Any:
    """A dataclass tree as JSON-ready data (tuples become lists, mappings dicts)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_data(v) for v in obj]
    if isinstance(obj, Mapping):
        return {str(k): to_data(v) for k, v in obj.items()}
    return obj


def from_data(cls: type, data: Any) -> Any:
    """The inverse of :func:`to_data` for the classes of this module."""
    return _build(cls, data)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _build(tp: Any, data: Any) -> Any:
    return _builder(tp)(data)


_BUILDERS: dict[Any, Callable[[Any], Any]] = {}


def _identity(data: Any) -> Any:
    return data


def _builder(tp: Any) -> Callable[[Any], Any]:
    """A function turning plain data into ``tp``, made once per type: the type inspection is the
    costly part (documents are built for every search hit)."""
    built = _BUILDERS.get(tp)
    if built is None:
        built = _BUILDERS[tp] = _make_builder(tp)
    return built


def _make_builder(tp: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _builder(args[0]) if len(args) == 1 else _identity
    if origin is tuple:
        (item,) = typing.get_args(tp)[:1]
        return lambda data: None if data is None else tuple(_builder(item)(v) for v in data)
    if dataclasses.is_dataclass(tp):
        names = [f.name for f in dataclasses.fields(tp)]
        made: list[dict[str, Callable[[Any], Any]]] = []  # on first use: types may refer to each other

        def build(data: Any) -> Any:
            if data is None:
                return None
            if not made:
                hints = _hints(tp)
                made.append({name: _builder(hints[name]) for name in names})  # whole, then visible
            fields = made[0]
            return tp(**{k: (v if fields[k] is _identity else fields[k](v)) for k, v in data.items() if k in fields})
        return build
    return _identity