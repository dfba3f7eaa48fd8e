"""OParl JSON objects (1.0 and 1.1) into the document model: pure functions.

Vendor quirks seen in ALLRIS, SD.NET (Sternberg) and SessionNet servers are tolerated here, once,
for every reader: a single object where a list is expected (and the reverse), an embedded object
where an id is expected, mime types like ``"pdf"``, ``size: 0``, missing ``type`` fields (Nordstemmen),
vendor-prefixed fields (``STERNBERG:…``).
"""

from __future__ import annotations

from typing import Any, Iterable

from corpora.model import (
    AgendaItem, Body, Consultation, File, Location, Meeting, Membership, Organization, Paper, Person,
)

_MIME_ALIASES = {
    "pdf": "application/pdf",
    "application/x-pdf": "application/pdf",
    "html": "text/html",
    "htm": "text/html",
    "txt": "text/plain",
    "text": "text/plain",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def object_type(obj: dict[str, Any]) -> str | None:
    """``"Paper"`` for ``https://schema.oparl.org/1.1/Paper``; None when the object has no type."""
    raw = obj.get("type")
    if not isinstance(raw, str) or not raw:
        return None
    return raw.rstrip("/").rsplit("/", 1)[-1]


def as_list(value: Any) -> list[Any]:
    """A list for a list, a single object or None (vendors send either where OParl says list)."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    return [value]


def oid(obj: dict[str, Any]) -> str:
    """An object's id when it is a non-empty string (vendors and fuzzers send other things), else ""."""
    value = obj.get("id")
    return value if isinstance(value, str) else ""


def ref(value: Any) -> str | None:
    """An id for an id or for an embedded object."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, list):
        value = value[0] if value else None
        return ref(value)
    return value if isinstance(value, str) and value else None


def refs(value: Any) -> tuple[str, ...]:
    return tuple(r for r in (ref(v) for v in as_list(value)) if r)


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # some servers send one-element lists for scalars
        value = value[0] if value else None
        return text(value)
    s = str(value).strip()
    return s or None


def normalise_mime(raw: Any, file_name: str | None = None) -> str | None:
    mime = text(raw)
    if mime:
        mime = mime.lower().split(";", 1)[0].strip()
        mime = _MIME_ALIASES.get(mime, mime)
        if "/" in mime:
            return mime
    if file_name and "." in file_name:
        return _MIME_ALIASES.get(file_name.rsplit(".", 1)[-1].lower())
    return None


def _int(value: Any) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return None


def parse_location(obj: Any) -> Location | None:
    if not isinstance(obj, dict) or not oid(obj):
        return None
    return Location(
        id=oid(obj), description=text(obj.get("description")), street_address=text(obj.get("streetAddress")),
        room=text(obj.get("room")), postal_code=text(obj.get("postalCode")), locality=text(obj.get("locality")),
        sub_locality=text(obj.get("subLocality")),
    )


_BODY_LISTS = ("organization", "person", "meeting", "paper", "legislativeTerm", "agendaItem",
               "consultation", "file", "locationList", "legislativeTermList", "membership")


def parse_body(obj: dict[str, Any]) -> Body:
    return Body(
        id=oid(obj), name=text(obj.get("name")) or text(obj.get("shortName")) or oid(obj),
        short_name=text(obj.get("shortName")), website=text(obj.get("website")), ags=text(obj.get("ags")),
        lists={k: obj[k] for k in _BODY_LISTS if isinstance(obj.get(k), str)},
        location=parse_location(obj.get("location")), modified=text(obj.get("modified")),
    )


def parse_organization(obj: dict[str, Any]) -> Organization:
    return Organization(
        id=oid(obj), name=text(obj.get("name")) or text(obj.get("shortName")) or oid(obj),
        body=ref(obj.get("body")), short_name=text(obj.get("shortName")),
        organization_type=text(obj.get("organizationType")), classification=text(obj.get("classification")),
        start_date=text(obj.get("startDate")), end_date=text(obj.get("endDate")),
        modified=text(obj.get("modified")), deleted=bool(obj.get("deleted")),
    )


def parse_membership(obj: dict[str, Any], person: str | None = None) -> Membership:
    return Membership(
        id=oid(obj), person=ref(obj.get("person")) or person, organization=ref(obj.get("organization")),
        role=text(obj.get("role")), voting_right=_bool(obj.get("votingRight")),
        start_date=text(obj.get("startDate")), end_date=text(obj.get("endDate")),
        on_behalf_of=ref(obj.get("onBehalfOf")),
    )


def parse_person(obj: dict[str, Any]) -> Person:
    name = text(obj.get("name")) or " ".join(
        p for p in (text(obj.get("givenName")), text(obj.get("familyName"))) if p) or oid(obj)
    return Person(
        id=oid(obj), name=name, body=ref(obj.get("body")), family_name=text(obj.get("familyName")),
        given_name=text(obj.get("givenName")), form_of_address=text(obj.get("formOfAddress")),
        title=tuple(t for t in (text(v) for v in as_list(obj.get("title"))) if t), gender=text(obj.get("gender")),
        memberships=tuple(parse_membership(m, oid(obj)) for m in as_list(obj.get("membership")) if isinstance(m, dict)),
        modified=text(obj.get("modified")), deleted=bool(obj.get("deleted")),
    )


def parse_file(obj: dict[str, Any]) -> File:
    file_name = text(obj.get("fileName"))
    return File(
        id=oid(obj), name=text(obj.get("name")), file_name=file_name,
        mime_type=normalise_mime(obj.get("mimeType"), file_name or text(obj.get("accessUrl"))),
        date=text(obj.get("date")), size=_int(obj.get("size")), access_url=text(obj.get("accessUrl")),
        download_url=text(obj.get("downloadUrl")),
        text=obj.get("text") if isinstance(obj.get("text"), str) else None,
        papers=refs(obj.get("paper")), meetings=refs(obj.get("meeting")), agenda_items=refs(obj.get("agendaItem")),
        modified=text(obj.get("modified")), deleted=bool(obj.get("deleted")),
    )


def parse_agenda_item(obj: dict[str, Any], meeting: str | None = None) -> AgendaItem:
    order = obj.get("order")
    return AgendaItem(
        id=oid(obj), meeting=ref(obj.get("meeting")) or meeting, number=text(obj.get("number")),
        order=order if isinstance(order, int) else None, name=text(obj.get("name")), public=_bool(obj.get("public")),
        result=text(obj.get("result")), resolution_text=text(obj.get("resolutionText")),
        consultation=ref(obj.get("consultation")), resolution_file=ref(obj.get("resolutionFile")),
        auxiliary_files=refs(obj.get("auxiliaryFile")),
    )


def parse_meeting(obj: dict[str, Any]) -> Meeting:
    locations = as_list(obj.get("location"))
    return Meeting(
        id=oid(obj), name=text(obj.get("name")), start=text(obj.get("start")), end=text(obj.get("end")),
        meeting_state=text(obj.get("meetingState")), cancelled=bool(obj.get("cancelled")),
        location=parse_location(locations[0]) if locations else None,
        organizations=refs(obj.get("organization")),
        agenda_items=tuple(parse_agenda_item(a, oid(obj)) for a in as_list(obj.get("agendaItem")) if isinstance(a, dict)),
        invitation=ref(obj.get("invitation")), results_protocol=ref(obj.get("resultsProtocol")),
        verbatim_protocol=ref(obj.get("verbatimProtocol")), auxiliary_files=refs(obj.get("auxiliaryFile")),
        modified=text(obj.get("modified")), deleted=bool(obj.get("deleted")),
    )


def parse_consultation(obj: dict[str, Any], paper: str | None = None) -> Consultation:
    return Consultation(
        id=oid(obj), paper=ref(obj.get("paper")) or paper, agenda_item=ref(obj.get("agendaItem")),
        meeting=ref(obj.get("meeting")), organizations=refs(obj.get("organization")),
        authoritative=_bool(obj.get("authoritative")), role=text(obj.get("role")),
    )


def parse_paper(obj: dict[str, Any]) -> Paper:
    return Paper(
        id=oid(obj), name=text(obj.get("name")), body=ref(obj.get("body")), reference=text(obj.get("reference")),
        date=text(obj.get("date")), paper_type=text(obj.get("paperType")), main_file=ref(obj.get("mainFile")),
        auxiliary_files=refs(obj.get("auxiliaryFile")),
        consultations=tuple(parse_consultation(c, oid(obj)) for c in as_list(obj.get("consultation")) if isinstance(c, dict)),
        under_direction_of=refs(obj.get("underDirectionOf")),
        originator_organizations=refs(obj.get("originatorOrganization")),
        originator_persons=refs(obj.get("originatorPerson")),
        locations=tuple(l for l in (parse_location(x) for x in as_list(obj.get("location"))) if l),
        modified=text(obj.get("modified")), deleted=bool(obj.get("deleted")),
    )


def embedded_files(obj: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    """The File objects embedded in a Paper or Meeting (and its AgendaItems), with their role.

    Roles: ``main`` / ``auxiliary`` (Paper), ``invitation`` / ``resultsProtocol`` /
    ``verbatimProtocol`` / ``auxiliary`` (Meeting), ``resolution`` / ``auxiliary`` (AgendaItem).
    """
    for key, role in (("mainFile", "main"), ("invitation", "invitation"), ("resultsProtocol", "resultsProtocol"),
                      ("verbatimProtocol", "verbatimProtocol"), ("auxiliaryFile", "auxiliary")):
        for f in as_list(obj.get(key)):
            if isinstance(f, dict) and oid(f):
                yield role, f
    for item in as_list(obj.get("agendaItem")):
        if not isinstance(item, dict):
            continue
        for key, role in (("resolutionFile", "resolution"), ("auxiliaryFile", "auxiliary")):
            for f in as_list(item.get(key)):
                if isinstance(f, dict) and oid(f):
                    yield role, f
