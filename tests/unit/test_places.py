"""The places gazetteer: Ortsteile from organisations, streets and localities from OParl Locations, the body."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from corpora import oparl
from corpora.catalog import organization_name_from_meeting
from corpora.model import Body, Document, File, Location, Meeting, Organization, Page
from nlp.places import body_place_names, build_gazetteer, document_gazetteer, organization_place_name

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"


def nordstemmen() -> tuple[Body, list[Organization], list[Location]]:
    body = oparl.parse_body(json.loads((DATA / "nordstemmen" / "body.json").read_text(encoding="utf-8")))
    names, locations = set(), []
    with gzip.open(DATA / "nordstemmen" / "meetings.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            meeting = oparl.parse_meeting(json.loads(line))
            name = organization_name_from_meeting(meeting.name)
            if name:
                names.add(name)
            if meeting.location:
                locations.append(meeting.location)
    return body, [Organization(id=n, name=n) for n in sorted(names)], locations


def test_the_ortsteile_of_nordstemmen_come_from_its_ortsraete() -> None:
    _, organizations, _ = nordstemmen()
    assert sorted({organization_place_name(o) for o in organizations} - {None}) == [
        "Adensen", "Barnten", "Burgstemmen", "Groß Escherde", "Heyersum", "Klein Escherde", "Mahlerten",
        "Nordstemmen", "Rössing"]


def test_streets_and_localities_come_from_meeting_locations() -> None:
    body, organizations, locations = nordstemmen()
    gazetteer = build_gazetteer(bodies=[body], organizations=organizations, locations=locations)
    places = set(gazetteer.names.values())
    assert {"Rathausstraße", "Glückaufstraße", "Sackstraße", "Martin-Luther-Platz", "Nordstemmen", "Barnten"} <= places
    assert gazetteer.canonical("Rathausstr.") == "Rathausstraße"
    text = "Im Ortsrat Rössing wurde über die Rathausstr. in Groß  Escherde und Nordstemmen gesprochen."
    assert [(m.text, m.canonical, m.start) for m in gazetteer.find(text)] == [
        ("Rössing", "Rössing", 11), ("Rathausstr.", "Rathausstraße", 34), ("Groß  Escherde", "Groß Escherde", 49),
        ("Nordstemmen", "Nordstemmen", 68)]


def test_place_names_of_organisations_and_bodies() -> None:
    with gzip.open(DATA / "karlsruhe" / "organizations.jsonl.gz", "rt", encoding="utf-8") as fh:
        karlsruhe = [oparl.parse_organization(json.loads(line)) for line in fh]
    places = sorted({organization_place_name(o) for o in karlsruhe} - {None})
    assert places == ["Durlach", "Grötzingen", "Hohenwettersbach", "Neureut", "Stupferich", "Wettersbach",
                      "Wolfartsweier"]
    for name, place in [("Stadtteilbeirat Büchenbach", "Büchenbach"), ("Stadtbezirksbeirat Südost", "Südost"),
                        ("Bezirksvertretung 1 (Innenstadt)", "Innenstadt"), ("Ausschuss für Jugend", None),
                        ("OR Mölkau", "Mölkau")]:
        assert organization_place_name(Organization(id=name, name=name)) == place
    huertgenwald = oparl.parse_body(json.loads((DATA / "huertgenwald" / "body.json").read_text(encoding="utf-8")))
    assert body_place_names(huertgenwald) == ["Hürtgenwald", "Hürtgenwald"]
    assert body_place_names(Body(id="b", name="Stadt Köln")) == ["Köln"]


def test_a_documents_gazetteer_uses_its_meeting_and_body() -> None:
    body, organizations, _ = nordstemmen()
    location = Location(id="l", street_address="Glückaufstraße 1", locality="Nordstemmen", sub_locality="Barnten",
                        description="Dorfgemeinschaftshaus Barnten, Glückaufstraße 1, 31171 Nordstemmen")
    doc = Document(id="d", file=File(id="d"), document_type="Niederschrift", source_key="d", body=body,
                   meeting=Meeting(id="m", location=location), organizations=tuple(organizations[:0]),
                   pages=(Page(1, "x"),))
    assert set(document_gazetteer(doc).names.values()) == {"Nordstemmen", "Barnten", "Glückaufstraße"}
