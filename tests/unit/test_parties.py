"""The party table: every spelling to one canonical name, and the adjectives and units that are not parties."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from nlp.parties import (PartyComponent, PartyTable, RuleTableError, canonical_parties, canonical_party,
                         find_parties, load_party_table, party_table)

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"

SPELLINGS = [
    ("Bündnis 90/Die Grünen", "GRÜNE"), ("BÜNDNIS 90/DIE GRÜNEN", "GRÜNE"), ("GRÜNE", "GRÜNE"),
    ("Grünen", "GRÜNE"), ("Die Grünen", "GRÜNE"), ("B'90/Grüne", "GRÜNE"), ("B`90/Die Grünen", "GRÜNE"),
    ("B 90/Die Grünen", "GRÜNE"), ("Bündnis90/Die Grünen", "GRÜNE"), ("Bündnis 90 / Die Grünen", "GRÜNE"),
    ("Grüne-Fraktion", "GRÜNE"), ("GRÜNE-Gemeinderatsfraktion", "GRÜNE"), ("Fraktion Bündnis 90/Die Grünen", "GRÜNE"),
    ("SPD-Fraktion", "SPD"), ("Fraktion der SPD", "SPD"), ("SPD-Ratsfraktion", "SPD"),
    ("Sozialdemokratische Partei Deutschlands", "SPD"),
    ("DIE LINKE", "LINKE"), ("Die Linke.", "LINKE"), ("DIE LINKE.", "LINKE"), ("Linke", "LINKE"),
    ("Die Linke", "LINKE"),
    ("Fraktion DIE LINKE", "LINKE"),
    ("CDU", "CDU"), ("Christlich Demokratische Union", "CDU"), ("CDU-Fraktion", "CDU"), ("CSU", "CSU"),
    ("FDP", "FDP"), ("Freie Demokratische Partei", "FDP"), ("Freie Demokraten", "FDP"), ("FDP/Aufbruch", "FDP"),
    ("AfD", "AfD"), ("Fraktion AfD", "AfD"), ("Alternative für Deutschland", "AfD"),
    ("Freie Wähler", "Freie Wähler"), ("FREIE WÄHLER", "Freie Wähler"), ("FW", "Freie Wähler"),
    ("Freie Wähler Köln", "Freie Wähler"),
    ("Volt", "Volt"), ("Die PARTEI", "Die PARTEI"), ("ÖDP", "ÖDP"), ("Piraten", "Piraten"),
    ("Piratenpartei", "Piraten"), ("Tierschutzpartei", "Tierschutzpartei"), ("BSW", "BSW"),
    ("KLIMA FREUNDE", "KLIMA FREUNDE"), ("GUT Köln", "GUT"), ("Ratsgruppe GUT", "GUT"),
    ("Die FRAKTION", "Die FRAKTION"),
    ("Karlsruher Liste", "KAL"), ("KAL", "KAL"), ("KULT-Fraktion", "KULT"), ("GfK", "GfK"), ("UWG", "UWG"),
    ("WG", "WG"), ("BfK", "BfK"), ("Freie für Hürtgenwald", "FfH"), ("FfH", "FfH"),
    ("Ratsfraktion Die Unabhängigen in Nordstemmen", "Die Unabhängigen"), ("Fraktion Freibeuter", "Freibeuter"),
]


@pytest.mark.parametrize(("spelling", "canonical"), SPELLINGS)
def test_every_spelling_has_one_canonical_name(spelling: str, canonical: str) -> None:
    assert canonical_party(spelling) == canonical


@pytest.mark.parametrize("sentence", [
    "Die Ampel steht im grünen Bereich.",
    "Die grünen Flächen am Bahnhof werden gemäht.",
    "Der Bus nimmt die linke Spur.",
    "Die Grüne Woche findet in Berlin statt.",
    "Die Leitung hat eine Spannung von 230 Volt.",
    "Am Wochenende waren wir im Grünen.",
    "Die Partei hat keine Mehrheit, sagt die Verwaltung.",
    "Freie Träger und freie Wähler sind gemeint.",
    "Die Anschlüsse an Fernwärme (FW) bzw. Nahwärme (NW) werden geprüft.",
    "Die Piratenschiffe auf dem Spielplatz bleiben.",
    "Die Grünen Damen besuchen das Krankenhaus.",
])
def test_adjectives_units_and_common_words_are_no_party(sentence: str) -> None:
    assert find_parties(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Dem Antrag stimmen die Grünen zu.", [("Grünen", "GRÜNE")]),
    ("Der Antrag der Linken wird abgelehnt.", [("Linken", "LINKE")]),
    ("(Beifall bei Volt)", [("Volt", "Volt")]),
    ("Und der PARTEI!", [("PARTEI", "Die PARTEI")]),
    ("Dafür stimmen SPD, Grüne und FDP.", [("SPD", "SPD"), ("Grüne", "GRÜNE"), ("FDP", "FDP")]),
    ("Anfrage StR Mossuto, StR Wenzel (FW): Radwege", [("FW", "Freie Wähler")]),
    ("Antrag KAL: Bäume", [("KAL", "KAL")]),
    ("Antrag CDU/FWV: Haushalt", [("CDU", "CDU"), ("FWV", "Freie Wähler")]),
    ("Die SPD-Ortsratsmitglieder bilden eine Fraktion.", [("SPD-Ortsratsmitglieder", "SPD")]),
    ("Gruppe SPD - Bündnis 90/Die Grünen", [("Gruppe SPD", "SPD"), ("Bündnis 90/Die Grünen", "GRÜNE")]),
])
def test_ambiguous_spellings_count_in_party_context(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.text, m.canonical) for m in find_parties(sentence)] == expected


def test_offsets_point_at_the_party_in_the_text() -> None:
    text = "Güldane  Tokyürek  (DIE  LINKE):  Sehr geehrte Frau Oberbürgermeisterin!"
    (match,) = find_parties(text)
    assert (match.start, match.end, match.canonical) == (20, 30, "LINKE")
    assert text[match.start:match.end] == "DIE  LINKE"


def test_the_fraktion_names_of_huertgenwald_map_to_parties() -> None:
    with gzip.open(DATA / "huertgenwald" / "organizations.jsonl.gz", "rt", encoding="utf-8") as fh:
        names = sorted(json.loads(line)["name"] for line in fh
                       if json.loads(line).get("organizationType") == "Fraktion")
    assert {n: canonical_party(n) for n in names} == {
        "Bündnis 90/Die Grünen": "GRÜNE", "Christlich Demokratische Union": "CDU",
        "Freie Demokratische Partei": "FDP", "Freie für Hürtgenwald": "FfH",
        "Sozialdemokratische Partei Deutschlands": "SPD"}


def test_the_originators_of_leipzig_map_to_parties_or_to_none() -> None:
    originators = {json.loads(line)["originator"] for line in
                   (DATA / "leipzig" / "records.jsonl").read_text(encoding="utf-8").splitlines()}
    single = {o: canonical_party(o) for o in originators if o.startswith("Fraktion") and ";" not in o}
    assert single == {"Fraktion Bündnis 90/Die Grünen": "GRÜNE", "Fraktion AfD": "AfD",
                      "Fraktion DIE LINKE": "LINKE", "Fraktion CDU": "CDU", "Fraktion Freibeuter": "Freibeuter"}
    assert canonical_party("SPD-Fraktion") == "SPD"
    assert canonical_parties("Fraktion Bündnis 90/Die Grünen; Fraktion DIE LINKE; SPD-Fraktion") == [
        "GRÜNE", "LINKE", "SPD"]
    assert canonical_party("Fraktion Bündnis 90/Die Grünen; Fraktion DIE LINKE") is None
    assert canonical_party("OR Mölkau") is None
    assert canonical_party("SR Dr. A. Bednarsky; SR M. Götze") is None


def test_the_table_is_consistent() -> None:
    rows = load_party_table()
    table = party_table()
    assert {r.canonical for r in rows} == {
        "CDU", "CSU", "SPD", "FDP", "GRÜNE", "LINKE", "AfD", "Freie Wähler", "Volt", "Die PARTEI", "ÖDP", "Piraten",
        "Tierschutzpartei", "BSW", "NPD", "DKP", "KLIMA FREUNDE", "GUT", "Die FRAKTION", "KAL", "KULT", "GfK", "GLG",
        "BüKa", "FfH", "Die Unabhängigen", "Freibeuter", "UWG", "WG", "BfK"}
    for row in rows:
        assert table.lookup(row.variant) is not None
        assert table.lookup(row.variant).canonical == row.canonical, row


def test_a_malformed_table_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "parties.tsv"
    bad.write_text("SPD\tSPD\tsometimes\n", encoding="utf-8")
    with pytest.raises(RuleTableError):
        load_party_table(bad)


def test_a_table_of_my_own_is_compiled_and_used(tmp_path: Path) -> None:
    table_file = tmp_path / "parties.tsv"
    table_file.write_text("Bürgerliste\tBürgerliste\tcs\nSPD\tSPD\tcs\n", encoding="utf-8")
    table = PartyTable(load_party_table(table_file))
    assert [(m.text, m.canonical) for m in find_parties("Antrag SPD/Bürgerliste", table)] == [
        ("SPD", "SPD"), ("Bürgerliste", "Bürgerliste")]


def test_the_component_overrides_the_models_org_and_trims_a_person() -> None:
    import spacy
    from spacy.tokens import Span

    nlp = spacy.blank("de")
    doc = nlp("Lino Hammer (Bündnis 90/Die Grünen): Die SPD-Fraktion stimmt zu.")
    # what a statistical model might say: a PER running into the party, an ORG for the Fraktion
    doc.ents = [Span(doc, 0, 4, label="PER"), Span(doc, 10, 11, label="ORG")]
    doc = PartyComponent()(doc)
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Lino Hammer", "PER", ""), ("Bündnis 90/Die Grünen", "PARTY", "GRÜNE"), ("SPD-Fraktion", "PARTY", "SPD")]
