"""Places: the statistical model's LOC, plus a gazetteer built from the body's own context.

A council's documents name its *Ortsteile*/*Stadtteile* (villages and districts of a municipality:
Rössing in Nordstemmen, Durlach in Karlsruhe), its streets and its own name far more often than any
general model knows them. The gazetteer collects them from OParl data:

- the body's name without its kind ("Gemeinde Nordstemmen" → Nordstemmen, "Stadt Köln" → Köln), its
  short name and the locality of its address;
- organisations named after a part of the municipality: an *Ortsrat*/*Ortschaftsrat* (council of a
  village), *Stadtteilbeirat*, *Stadtbezirksbeirat*, *Bezirksvertretung*, *Ortsbeirat*,
  *Ortsverwaltung* … ("Ortsrat Rössing" → Rössing, "Ortschaftsrat Durlach" → Durlach);
- OParl Locations of the document's meeting and paper: locality, sub-locality, the street of the
  street address ("Rathausstraße 3" → Rathausstraße) and short descriptions ("Tierheim Karlsruhe").

Matches become LOC entities with ``canonical`` = the gazetteer's name; a model LOC with the same words
gets that canonical name too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from corpora.model import Body, Document, Location, Organization
from corpora.sources import Directory

_BODY_KIND = re.compile(
    r"^(?:(?:Große[ \t]+)?Kreisstadt|Landeshauptstadt|Universitätsstadt|Hansestadt|Freie[ \t]+und[ \t]+Hansestadt"
    r"|Stadt|Gemeinde|Samtgemeinde|Verbandsgemeinde|Ortsgemeinde|Marktgemeinde|Markt|Flecken|Landkreis|Kreis"
    r"|Amt|Region|Bezirk|Stadtbezirk)[ \t]+(?P<name>.+)$")
_PLACE_ORGANIZATION = re.compile(
    r"^(?:Ortsrat(?:es)?|Ortschaftsrat|Stadtteilbeirat|Stadtbezirksbeirat|Stadtbezirksrat|Bezirksbeirat"
    r"|Bezirksvertretung|Bezirksausschuss|Ortsbeirat|Ortsteilrat|Stadtteilrat|Ortsverwaltung|Stadtamt"
    r"|Ortsvorsteher(?:in)?|Ortsbürgermeister(?:in)?|OR)[ \t]+(?:\d+[ \t]+)?(?P<name>.+)$")
_STREET = re.compile(  # "Rathausstraße 3", "Schulstraße 9 a", "Reichsstraße 19/21"
    r"^(?P<street>[^\d,]*?[^\W\d_][^\d,]*?)[ \t]*\d+[ \t]*[a-zA-Z]?(?:[ \t]*[-–/][ \t]*\d+[ \t]*[a-zA-Z]?)?$")
_TRAILING_PAREN = re.compile(r"[ \t]*\([^()]*\)[ \t]*$")


@dataclass(frozen=True)
class PlaceMatch:
    start: int
    end: int
    text: str
    canonical: str


def _clean(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.split()).strip(" ,;:-")
    # "Bezirksvertretung 1 (Innenstadt)" keeps the district; other trailing parentheses go
    inner = re.fullmatch(r"(?:\d+[ \t]*)?\((?P<inner>[^()]+)\)", name)
    if inner:
        name = inner.group("inner")
    name = _TRAILING_PAREN.sub("", name)
    if len(name) < 3 or not name[0].isupper() or any(ch.isdigit() for ch in name):
        return None
    return name


def body_place_names(body: Body | None) -> list[str]:
    if body is None:
        return []
    names = []
    for raw in (body.name, body.short_name, body.location.locality if body.location else None):
        raw = _clean(raw)
        if not raw:
            continue
        m = _BODY_KIND.match(raw)
        names.append(_clean(m.group("name")) if m else raw)
    return [n for n in names if n]


def organization_place_name(organization: Organization) -> str | None:
    """The Ortsteil/Stadtteil an organisation is named after ("Ortsrat Rössing" → "Rössing")."""
    m = _PLACE_ORGANIZATION.match(" ".join(organization.name.split()))
    return _clean(m.group("name")) if m else None


def location_place_names(location: Location) -> list[str]:
    names = [_clean(location.locality), _clean(location.sub_locality)]
    if location.street_address:
        m = _STREET.match(" ".join(location.street_address.split()))
        names.append(_clean(m.group("street")) if m else None)
    if location.description:
        desc = " ".join(location.description.split())
        if "," not in desc and len(desc.split()) <= 5:
            names.append(_clean(desc))
    return [n for n in names if n]


def _street_variants(name: str) -> list[str]:
    """Street names are also written abbreviated: "Rathausstraße" → "Rathausstr.", "Schulstrasse"."""
    out = [name]
    for full, short in (("straße", "str."), ("Straße", "Str."), ("strasse", "str.")):
        if name.endswith(full):
            out.append(name[: -len(full)] + short)
            out.append(name[: -len(full)] + full.replace("ß", "ss"))
    return out


@dataclass(frozen=True)
class Gazetteer:
    """Surface forms of the places of one context → canonical name."""

    names: Mapping[str, str] = field(default_factory=dict)

    def find(self, text: str) -> list[PlaceMatch]:
        if not self.names:
            return []
        pattern = _compile(tuple(sorted(self.names)))
        return [PlaceMatch(m.start(), m.end(), m.group(0), self.names[" ".join(m.group(0).split())])
                for m in pattern.finditer(text)]

    def canonical(self, text: str) -> str | None:
        return self.names.get(" ".join(text.split()))


@functools.lru_cache(maxsize=64)
def _compile(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


def build_gazetteer(*, bodies: Iterable[Body | None] = (), organizations: Iterable[Organization] = (),
                    locations: Iterable[Location] = (), extra: Sequence[str] = ()) -> Gazetteer:
    names: dict[str, str] = {}

    def add(name: str | None, variants: bool = False) -> None:
        if not name:
            return
        for surface in (_street_variants(name) if variants else [name]):
            names.setdefault(surface, name)

    for body in bodies:
        for n in body_place_names(body):
            add(n)
    for org in organizations:
        add(organization_place_name(org))
    for loc in locations:
        for n in location_place_names(loc):
            add(n, variants=True)
    for n in extra:
        add(_clean(n))
    return Gazetteer(names)


def document_gazetteer(document: Document, directory: Directory | None = None) -> Gazetteer:
    """The gazetteer for one document: its body, the body's organisations in the directory, the
    document's own organisations and the Locations of its meeting and paper."""
    body_id = document.body.id if document.body else None
    organizations = list(document.organizations)
    bodies: list[Body | None] = [document.body]
    if directory is not None:
        organizations += [o for o in directory.organizations if body_id is None or o.body in (None, body_id)]
        bodies += [b for b in directory.bodies if body_id is None or b.id == body_id]
    locations = list(document.locations)
    if document.meeting and document.meeting.location:
        locations.append(document.meeting.location)
    if document.paper:
        locations.extend(document.paper.locations)
    return build_gazetteer(bodies=bodies, organizations=organizations, locations=locations)
