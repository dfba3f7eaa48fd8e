"""Person linking: a name in a text → an OParl Person of the document's body, and that person's party.

OParl sources with a person list (Hürtgenwald) give each Person a ``givenName``, ``familyName`` and
``formOfAddress`` (Herr/Frau) and Memberships in Organizations; a Membership in an Organization of
``organizationType`` "Fraktion" (or one naming it as ``onBehalfOf``) tells the person's party for the
Membership's ``startDate``–``endDate`` ("Christlich Demokratische Union" → CDU through
:func:`nlp.parties.canonical_party`).

A name links when it is the person's given and family name ("Peter Huppertz", "Volker Beißel" for
"Volker R. Beißel") and no other person of the body has it, or a form of address plus the family name
("Herr Huppertz", "Frau Dr. Grewe") and exactly one person of the body with that family name has that
form of address. A bare family name never links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from corpora.model import Organization, Person
from corpora.sources import Directory
from nlp.parties import canonical_party

_HONORIFICS = re.compile(r"\b(?:Herrn?|Frau|Dr\.|Prof\.|Dipl\.-Ing\.|med\.|rer\.\s*nat\.|h\.\s*c\.)(?=\s|$)")
_ADDRESS_BEFORE = re.compile(r"(?P<addr>Herrn?|Frau)\s+(?:(?:Dr|Prof)\.\s*)*$")


def normalise_name(name: str) -> str:
    """A name for comparison: no form of address or academic titles, single spaces, case-folded."""
    return " ".join(_HONORIFICS.sub(" ", name).split()).casefold()


def display_name(person: Person) -> str:
    """The name a facet shows: given and family name ("Peter Huppertz"), else OParl ``name`` without
    "Herr"/"Frau" and titles."""
    if person.given_name and person.family_name:
        return f"{person.given_name.strip()} {person.family_name.strip()}"
    words = [w for w in person.name.split() if not _HONORIFICS.fullmatch(w)]
    return " ".join(words) or person.name


def address_of(person: Person) -> str | None:
    form = (person.form_of_address or "").strip()
    if form.startswith("Herr"):
        return "Herr"
    if form.startswith("Frau"):
        return "Frau"
    gender = (person.gender or "").casefold()
    return {"male": "Herr", "female": "Frau"}.get(gender)


def address_before(text: str, start: int) -> str | None:
    """The form of address written just before a name in a text ("Herrn Dr. Wiertz" → "Herr")."""
    m = _ADDRESS_BEFORE.search(text[max(0, start - 30):start])
    if not m:
        return None
    return "Frau" if m.group("addr") == "Frau" else "Herr"


@dataclass(frozen=True)
class PersonLink:
    person_id: str
    name: str
    party: str | None


@dataclass(frozen=True)
class PersonMention:
    start: int
    end: int
    person: Person


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


class PersonIndex:
    """The persons of one body, indexed by name, with their parties from Fraktion memberships."""

    def __init__(self, persons: Iterable[Person], organizations: Iterable[Organization] = ()) -> None:
        self.persons = tuple(p for p in persons if not p.deleted)
        self.organizations = {o.id: o for o in organizations}
        self._full: dict[str, list[Person]] = {}
        self._family: dict[str, list[Person]] = {}
        for person in self.persons:
            keys = {normalise_name(display_name(person)), normalise_name(person.name)}
            if person.given_name and person.family_name:
                first = person.given_name.split()[0]
                keys.add(normalise_name(f"{first} {person.family_name}"))
            for key in keys:
                if key:
                    self._full.setdefault(key, []).append(person)
            if person.family_name:
                self._family.setdefault(normalise_name(person.family_name), []).append(person)
        self._pattern = self._compile()

    @classmethod
    def from_directory(cls, directory: Directory, body_id: str | None = None) -> "PersonIndex":
        """The persons and organisations of ``body_id`` (all of them when the body is unknown or the
        directory does not say which body a person belongs to)."""

        def ours(body: str | None) -> bool:
            return body_id is None or body is None or body == body_id

        return cls([p for p in directory.persons if ours(p.body)],
                   [o for o in directory.organizations if ours(o.body)])

    # --- parties ---------------------------------------------------------------------------------

    def party(self, person: Person, date: str | None = None) -> str | None:
        """The person's party from Fraktion memberships valid at ``date`` (the latest one when the
        date is unknown)."""
        date = _date(date)
        candidates: list[tuple[str, str]] = []
        for m in person.memberships:
            party = None
            org = self.organizations.get(m.organization or "")
            if org is not None and "fraktion" in (org.organization_type or "").casefold():
                party = canonical_party(org.name) or org.name
            elif m.on_behalf_of:
                behalf = self.organizations.get(m.on_behalf_of)
                party = canonical_party(behalf.name) or behalf.name if behalf else None
            if party is None:
                continue
            start, end = _date(m.start_date), _date(m.end_date)
            if date is not None and ((start and start > date) or (end and end < date)):
                continue
            candidates.append((start or "", party))
        if not candidates:
            return None
        return max(candidates)[1]

    # --- linking ---------------------------------------------------------------------------------

    def resolve(self, name: str, address: str | None = None) -> Person | None:
        """The one person ``name`` (with the form of address written before it) stands for."""
        key = normalise_name(name)
        if not key:
            return None
        found = self._full.get(key, [])
        if len(found) == 1:
            return found[0]
        if found:
            return None
        if address is None:
            return None
        same_family = [p for p in self._family.get(key, []) if address_of(p) in (address, None)]
        return same_family[0] if len(same_family) == 1 else None

    def link(self, name: str, address: str | None = None, date: str | None = None) -> PersonLink | None:
        person = self.resolve(name, address)
        if person is None:
            return None
        return PersonLink(person.id, display_name(person), self.party(person, date))

    # --- finding persons in a text (works without a statistical model) ---------------------------

    def _compile(self) -> re.Pattern[str] | None:
        full = {display_name(p) for p in self.persons if p.given_name and p.family_name}
        full = {n for n in full if len(self._full.get(normalise_name(n), [])) == 1}
        families = set()
        for fam, people in self._family.items():
            for addr in ("Herr", "Frau"):
                if len([p for p in people if address_of(p) in (addr, None)]) == 1:
                    families.add(people[0].family_name.strip())
        if not full and not families:
            return None
        full_rx = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(full, key=len, reverse=True))
        fam_rx = "|".join(re.escape(n) for n in sorted(families, key=len, reverse=True))
        parts = []
        if full_rx:
            parts.append(rf"(?P<full>{full_rx})")
        if fam_rx:
            parts.append(rf"(?:Herrn?|Frau)\s+(?:(?:Dr|Prof)\.\s*)*(?P<family>{fam_rx})")
        return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])")

    def find(self, text: str) -> list[PersonMention]:
        """Mentions of the body's persons: full names, and "Herr/Frau" + a family name that is unique
        for that form of address."""
        if self._pattern is None:
            return []
        out = []
        for m in self._pattern.finditer(text):
            group = "full" if "full" in self._pattern.groupindex and m.group("full") else "family"
            start, end = m.start(group), m.end(group)
            person = self.resolve(text[start:end], address_before(text, start) if group == "family" else None)
            if person is not None:
                out.append(PersonMention(start, end, person))
        return out

