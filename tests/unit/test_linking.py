"""Person linking with Hürtgenwald's real OParl persons and Fraktion memberships (texts written for the tests:
the source has no document texts)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from corpora import oparl
from corpora.model import Document, File, Page
from corpora.sources import Directory
from nlp.linking import PersonIndex, display_name, normalise_name

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council" / "huertgenwald"
PERSON = "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/body/1/person/"


def _objects(name: str) -> list[dict]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def directory() -> Directory:
    body = oparl.parse_body(json.loads((DATA / "body.json").read_text(encoding="utf-8")))
    return Directory(bodies=(body,),
                     organizations=tuple(oparl.parse_organization(o) for o in _objects("organizations.jsonl.gz")),
                     persons=tuple(oparl.parse_person(o) for o in _objects("persons.jsonl.gz")))


@pytest.fixture(scope="module")
def index(directory: Directory) -> PersonIndex:
    return PersonIndex.from_directory(directory, directory.bodies[0].id)


def test_all_49_persons_are_indexed(index: PersonIndex) -> None:
    assert len(index.persons) == 49


@pytest.mark.parametrize(("name", "address", "person", "display"), [
    ("Peter Huppertz", None, "13", "Peter Huppertz"),
    ("Huppertz", "Herr", "13", "Peter Huppertz"),
    ("Helma Grewe", None, "277", "Helma Grewe"),
    ("Grewe", "Frau", "277", "Helma Grewe"),
    ("Dr. Rainer Wiertz", None, "89", "Rainer Wiertz"),
    ("Wiertz", "Herr", "89", "Rainer Wiertz"),
    ("Volker Beißel", None, "66", "Volker R. Beißel"),
    ("Karl Werner Schmidt", None, "352", "Karl Werner Schmidt"),
    ("Christian Bergs", None, "311", "Christian Bergs"),
])
def test_names_link_to_persons(index: PersonIndex, name: str, address: str | None, person: str, display: str) -> None:
    link = index.link(name, address)
    assert link is not None and (link.person_id, link.name) == (PERSON + person, display)


@pytest.mark.parametrize(("name", "address"), [
    ("Grewe", None),          # a bare family name never links
    ("Bergs", "Herr"),        # Norbert and Christian Bergs
    ("Schmidt", "Herr"),      # Arno and Karl Werner Schmidt
    ("Grewe", "Herr"),        # Helma Grewe is Frau Grewe
    ("Peter Müller", None),   # nobody of the body
])
def test_ambiguous_or_unknown_names_do_not_link(index: PersonIndex, name: str, address: str | None) -> None:
    assert index.link(name, address) is None


def test_the_party_follows_the_fraktion_membership_of_the_date(index: PersonIndex) -> None:
    # Karsten Pelzer: SPD until 2017-06-08, Freie für Hürtgenwald from 2017-06-18
    assert index.link("Karsten Pelzer", date="2016-03-01").party == "SPD"
    assert index.link("Karsten Pelzer", date="2019-03-01").party == "FfH"
    assert index.link("Karsten Pelzer").party == "FfH"  # no date: the latest membership
    # Markus Schlepütz: CDU until 2017-06-17, then FfH
    assert index.link("Herr Schlepütz", "Herr", "2015-05-05").party == "CDU"
    assert index.link("Peter Huppertz").party == "CDU"
    assert index.link("Helma Grewe").party == "GRÜNE"
    assert index.link("Stephan Cranen").party == "FDP"
    # no Fraktion membership yet at that date
    assert index.link("Julia Junges", date="2019-01-01").party is None


def test_names_are_compared_without_titles_and_case() -> None:
    assert normalise_name("Herrn Dr. Rainer  WIERTZ") == "rainer wiertz"


def test_persons_are_found_in_a_text_without_a_model(index: PersonIndex) -> None:
    text = "Herr Huppertz und Helma Grewe sprechen mit Herrn Bergs und Frau Dr. Kondering-Latzke."
    found = [(text[m.start:m.end], display_name(m.person)) for m in index.find(text)]
    assert found == [("Huppertz", "Peter Huppertz"), ("Helma Grewe", "Helma Grewe"),
                     ("Kondering-Latzke", "Maria Kondering-Latzke")]


def test_the_pipeline_links_speakers_and_persons(directory: Directory) -> None:
    from nlp.pipeline import load_pipeline

    text = ("Zu Punkt 3: Haushalt\n"
            "Herr Kaumanns erläutert den Entwurf. Frau Grewe (Bündnis 90/Die Grünen) fragt nach den Kosten.\n"
            "Herr Pelzer beantragt die Vertagung. Herr Bergs stimmt zu. Dazu hat Jürgen Bergschneider\n"
            "eine Stellungnahme eingereicht.\n")
    doc = Document(id="t", file=File(id="t"), document_type="Niederschrift", source_key="t",
                   body=directory.bodies[0], pages=(Page(1, text),), extra={})
    doc_2016 = Document(id="t16", file=File(id="t16", date="2016-05-10"), document_type="Niederschrift",
                        source_key="t16", body=directory.bodies[0], pages=(Page(1, text),))
    analysis, analysis_2016 = load_pipeline().analyze([doc, doc_2016], directory)
    assert [(s.name, s.party, s.role, s.person_id) for s in analysis.speakers] == [
        ("Heinz Kaumanns", "SPD", "speaker", PERSON + "15"),
        ("Helma Grewe", "GRÜNE", "speaker", PERSON + "277"),
        ("Karsten Pelzer", "FfH", "speaker", PERSON + "267"),
        ("Bergs", None, "speaker", None),
    ]
    assert [s.party for s in analysis_2016.speakers][2] == "SPD"
    persons = [(e.text, e.canonical) for e in analysis.entities if e.label == "PER"]
    assert persons == [("Kaumanns", "Heinz Kaumanns"), ("Grewe", "Helma Grewe"), ("Pelzer", "Karsten Pelzer"),
                       ("Bergs", None), ("Jürgen Bergschneider", "Jürgen Bergschneider")]
    assert analysis.persons() == ["Bergs", "Heinz Kaumanns", "Helma Grewe", "Jürgen Bergschneider", "Karsten Pelzer"]
