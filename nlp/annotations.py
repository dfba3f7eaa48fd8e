"""What NER and the rules find in a document: entities, speakers, and the facet values built on them.

Offsets are character offsets into the text of the page named by ``page`` (counted from 1), so a
hit can be shown on its page. Labels: PER, ORG, LOC, MISC from the statistical model; PARTY from the
party rules (``canonical`` is then the party's one normalised name, e.g. "GRÜNE" for "Bündnis 90/Die
Grünen"); a PER linked to an OParl Person carries that person's name as ``canonical``.
"""

from __future__ import annotations

from dataclasses import dataclass

LABELS = ("PER", "ORG", "LOC", "MISC", "PARTY")
SPEAKER_ROLES = ("speaker", "interjection", "chair")


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    page: int
    start: int
    end: int
    canonical: str | None = None

    @property
    def value(self) -> str:
        return self.canonical or self.text


@dataclass(frozen=True)
class Speaker:
    """A person who speaks, proposes, asks or answers (not one merely mentioned)."""

    name: str
    party: str | None
    role: str
    page: int
    start: int
    end: int
    person_id: str | None = None


@dataclass(frozen=True)
class Analysis:
    entities: tuple[Entity, ...] = ()
    speakers: tuple[Speaker, ...] = ()

    def parties(self) -> list[str]:
        found = [e.value for e in self.entities if e.label == "PARTY"]
        found += [s.party for s in self.speakers if s.party]
        return sorted(set(found))

    def persons(self) -> list[str]:
        """Speakers and persons linked to the body's directory: names a facet can offer."""
        found = [s.name for s in self.speakers]
        found += [e.canonical for e in self.entities if e.label == "PER" and e.canonical]
        return sorted(set(found))

    def places(self) -> list[str]:
        return sorted({e.value for e in self.entities if e.label == "LOC"})
