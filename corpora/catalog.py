"""Resolving a File's context from OParl objects: shared by the dump reader and the HTTP client.

A :class:`Catalog` is fed raw OParl objects (Body, Organizations, Papers, Meetings) and turns a File
into a :class:`~corpora.model.Document`: its Paper or Meeting, AgendaItem, Organizations (the
Meeting's, else the Gremien the Paper was consulted in), Body, places and document type.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from corpora import oparl
from corpora.doctypes import classify
from corpora.model import AgendaItem, Body, Document, File, Location, Meeting, Organization, Paper

_SESSION_SUFFIX = re.compile(r"\s*\((?:[^()]*\bSitzung\b[^()]*)\)\s*$", re.IGNORECASE)


def organization_name_from_meeting(meeting_name: str | None) -> str | None:
    """"Fachausschuss Planung, Bau (52. Sitzung)" → "Fachausschuss Planung, Bau": sources without
    Organization objects (Nordstemmen) name the Gremium only in their meetings."""
    if not meeting_name:
        return None
    name = _SESSION_SUFFIX.sub("", meeting_name).strip()
    return name or None


class Catalog:
    def __init__(self, body: Body | None = None) -> None:
        self.body = body
        self.organizations: dict[str, Organization] = {}
        self.papers: dict[str, Paper] = {}
        self.meetings: dict[str, Meeting] = {}
        self.agenda_items: dict[str, AgendaItem] = {}
        #: file id -> (role, container id) for every embedded File seen
        self.file_roles: dict[str, tuple[str, str]] = {}
        #: file id -> the embedded File object (metadata; text may be missing)
        self.embedded: dict[str, dict[str, Any]] = {}
        self._guessed_orgs: dict[str, str] = {}

    # --- feeding ---------------------------------------------------------------------------

    def add_organization(self, raw: dict[str, Any]) -> Organization:
        org = oparl.parse_organization(raw)
        self.organizations[org.id] = org
        return org

    def add_paper(self, raw: dict[str, Any]) -> Paper:
        paper = oparl.parse_paper(raw)
        self.papers[paper.id] = paper
        self._add_files(raw, paper.id)
        return paper

    def add_meeting(self, raw: dict[str, Any]) -> Meeting:
        meeting = oparl.parse_meeting(raw)
        self.meetings[meeting.id] = meeting
        for item in meeting.agenda_items:
            if item.id:
                self.agenda_items[item.id] = item
        guess = organization_name_from_meeting(meeting.name)
        if guess:
            for org_id in meeting.organizations:
                self._guessed_orgs.setdefault(org_id, guess)
        self._add_files(raw, meeting.id)
        return meeting

    def _add_files(self, raw: dict[str, Any], container: str) -> None:
        for role, f in oparl.embedded_files(raw):
            self.file_roles.setdefault(f["id"], (role, container))
            self.embedded.setdefault(f["id"], f)

    # --- resolving -------------------------------------------------------------------------

    def organization(self, org_id: str) -> Organization | None:
        org = self.organizations.get(org_id)
        if org is None and org_id in self._guessed_orgs:
            org = Organization(id=org_id, name=self._guessed_orgs[org_id], organization_type="Gremium",
                               body=self.body.id if self.body else None)
            self.organizations[org_id] = org
        return org

    def all_organizations(self) -> list[Organization]:
        for org_id in list(self._guessed_orgs):
            self.organization(org_id)
        return list(self.organizations.values())

    def document(self, file: File, *, source_key: str | None = None) -> Document:
        role, container = self.file_roles.get(file.id, (None, None))
        paper = self.papers.get(file.papers[0]) if file.papers else None
        meeting = self.meetings.get(file.meetings[0]) if file.meetings else None
        if container and paper is None and container in self.papers:
            paper = self.papers[container]
        if container and meeting is None and container in self.meetings:
            meeting = self.meetings[container]
        agenda_item = self.agenda_items.get(file.agenda_items[0]) if file.agenda_items else None
        if agenda_item and meeting is None and agenda_item.meeting:
            meeting = self.meetings.get(agenda_item.meeting)

        org_ids: list[str] = []
        if meeting:
            org_ids.extend(meeting.organizations)
        if paper:
            for consultation in paper.consultations:
                org_ids.extend(consultation.organizations)
                if not consultation.organizations and consultation.meeting in self.meetings:
                    org_ids.extend(self.meetings[consultation.meeting].organizations)
        organizations = tuple(o for o in (self.organization(i) for i in dict.fromkeys(org_ids)) if o)

        locations: list[Location] = []
        if meeting and meeting.location:
            locations.append(meeting.location)
        if paper:
            locations.extend(paper.locations)

        if role == "auxiliary" and paper is not None and paper.main_file:
            role = "attachment"
        doc_type = classify(name=file.name or file.file_name, role=role,
                            paper_type=paper.paper_type if paper else None)
        # The file's metadata from its container fills what a separate file record lacks.
        embedded = self.embedded.get(file.id)
        if embedded:
            base = oparl.parse_file(embedded)
            file = replace(file, **{k: getattr(base, k) for k in ("name", "file_name", "mime_type", "date",
                                                                  "access_url", "download_url", "size")
                                    if getattr(file, k) is None and getattr(base, k) is not None})
        return Document(
            id=file.id, file=replace(file, text=None), document_type=doc_type, source_key=source_key or file.id,
            body=self.body, paper=paper, meeting=meeting, agenda_item=agenda_item, organizations=organizations,
            locations=tuple(locations),
        )
