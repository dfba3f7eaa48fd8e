"""Speaker rules: each pattern of real minutes, with exact offsets (texts written for the tests, in the
shapes of the Köln Wortprotokolle, the Nordstemmen and Ahnsen Niederschriften and the ALLRIS Auszug)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.speakers import (RuleTableError, SpeakerMention, find_attendance, find_speakers, load_speech_verbs,
                          load_titles, looks_verbatim)


def spans(text: str, found: list[SpeakerMention]) -> list[tuple[str, str | None, str, str]]:
    """(name, party, role, the text at the offsets) of each mention."""
    return [(m.name, m.party, m.role, text[m.start:m.end]) for m in found]


# --- Wortprotokoll (Köln) ------------------------------------------------------------------------

KOELN = (
    "Oberbürgermeisterin  Henriette  Reker:  Jetzt hat\n"
    "Herr Hammer das Wort.\n"
    "\n"
    "Lino Hammer (Bündnis 90/Die Grünen): Sehr ge-\n"
    "ehrte Frau Oberbürgermeisterin! Herr Petelkau erklärt\n"
    "uns immer, wie es geht.\n"
    "\n"
    "(Zuruf von Jörg Detjen [DIE LINKE])\n"
    "\n"
    "(Beifall bei der AfD)\n"
    "\n"
    "(Heiterkeit)\n"
    "\n"
    "Stadtdirektorin Andrea Blome: Ich ergänze gern.\n"
    "\n"
    "(Lino Hammer [Bündnis 90/Die Grünen]:\n"
    "Dem Vertagungsantrag?)\n"
    "\n"
    "Ayşe  Yılmaz  (DIE  LINKE):  Danke.\n"
)


def test_wortprotokoll_headers_and_interjections() -> None:
    found = find_speakers(KOELN)
    assert spans(KOELN, found) == [
        ("Henriette Reker", None, "chair", "Henriette  Reker"),
        ("Lino Hammer", "GRÜNE", "speaker", "Lino Hammer"),
        ("Jörg Detjen", "LINKE", "interjection", "Jörg Detjen"),
        ("Andrea Blome", None, "speaker", "Andrea Blome"),
        ("Lino Hammer", "GRÜNE", "interjection", "Lino Hammer"),
        ("Ayşe Yılmaz", "LINKE", "speaker", "Ayşe  Yılmaz"),
    ]
    assert [(m.start, m.end) for m in found] == [
        (21, 37), (73, 84), (209, 220), (288, 300), (322, 333), (383, 395)]
    assert KOELN.index("Jörg Detjen") == 209 and KOELN.rindex("Lino Hammer") == 322


def test_in_a_wortprotokoll_reported_speech_inside_a_speech_is_no_speaker() -> None:
    names = [m.name for m in find_speakers(KOELN)]
    assert "Petelkau" not in names and "Hammer" not in names
    # forced to read it as results minutes, the quoted sentence counts
    assert "Petelkau" in [m.name for m in find_speakers(KOELN, verbatim=False)]


@pytest.mark.parametrize("line", [
    "-  Listenvorschlag 3 (CDU): Frau Muster",
    "4.1.2  NSG  Beteiligungsgesellschaft  mbH\nNeustadt-Süd  (NSG):  Bestellung  in  den",
    "Dritter  Punkt:  Liebe  Frau  Beispiel,",
    "(Beifall von Erika Muster [KLIMA FREUNDE])",
    "(Zurufe: Frau Muster!)",
])
def test_lines_that_only_look_like_speech_headers(line: str) -> None:
    assert find_speakers(line, verbatim=True) == []


def test_a_district_in_parentheses_is_no_party() -> None:
    text = "Bezirksbürgermeister  Hans  Beispiel  (Innen-\nstadt): Herr Bürgermeister!"
    assert spans(text, find_speakers(text)) == [("Hans Beispiel", None, "speaker", "Hans  Beispiel")]


def test_header_with_academic_titles() -> None:
    text = "Stadtkämmerin  Prof.  Dr.  Erika  Beispiel:  Sehr geehrte Damen und Herren!"
    (m,) = find_speakers(text)
    assert (m.name, m.role, text[m.start:m.end]) == ("Erika Beispiel", "speaker", "Erika  Beispiel")


# --- Niederschrift (Nordstemmen, Ahnsen, ALLRIS Auszug) ------------------------------------------

NIEDERSCHRIFT = (
    "Es sind anwesend:\n"
    "Herr Kai Dräger, Vorsitzender\n"
    "Herr Marco Klose\n"
    "Frau Dr. Cornelia Ott\n"
    "Herr Max Beispiel, SPD-Ratsfraktion\n"
    "Tagesordnung:\n"
    "1. Eröffnung der Sitzung\n"
    "Zu Punkt 1: Eröffnung der Sitzung\n"
    "Der Vorsitzende, Herr Dräger, eröffnet die Sitzung und begrüßt die Anwesenden.\n"
    "Ratsherr Klose erklärt, dass die Vorlage vollständig ist. Frau Krieger fragt nach dem Stand der\n"
    "Planung. Bürgermeisterin Dombrowski antwortet, dass Herr Schulz (Fachbereich 2) mitteilt, es\n"
    "dauere noch. Zur Rampe trägt Herr Richter vor, dass sie gebaut wird.\n"
    "Herr Münzberger (FDP) erläutert, dass alle Gemeinden gemeinsam aktiv werden.\n"
    "Frau Oberreuter gibt einen Überblick zum Stand. Herr Schladör hält fest, dass die Basis fehlt.\n"
    "Frau Lange wird einstimmig gewählt. Herr Kraus erschien um 19:34 Uhr zur Sitzung.\n"
    "Herr Vogt übergibt das Wort an Frau Engel. Auf Nachfrage von Herrn Dr. Hans Winter erklärt\n"
    "Herr Sommer, dass die Antwort nachgereicht wird.\n"
)


def test_niederschrift_reported_speech() -> None:
    found = find_speakers(NIEDERSCHRIFT)
    assert spans(NIEDERSCHRIFT, found) == [
        ("Dräger", None, "chair", "Dräger"),
        ("Klose", None, "speaker", "Klose"),
        ("Krieger", None, "speaker", "Krieger"),
        ("Dombrowski", None, "speaker", "Dombrowski"),
        ("Richter", None, "speaker", "Richter"),
        ("Münzberger", "FDP", "speaker", "Münzberger"),
        ("Oberreuter", None, "speaker", "Oberreuter"),
        ("Schladör", None, "speaker", "Schladör"),
        ("Vogt", None, "chair", "Vogt"),
        ("Hans Winter", None, "speaker", "Hans Winter"),
        ("Sommer", None, "speaker", "Sommer"),
    ]
    assert found[0].start == NIEDERSCHRIFT.index("Dräger, eröffnet")
    assert [m.address for m in found[:3]] == ["Herr", None, "Frau"]


def test_attendance_lists_give_names_and_parties_but_no_speakers() -> None:
    names = {m.name for m in find_speakers(NIEDERSCHRIFT)}
    assert not names & {"Kai Dräger", "Marco Klose", "Cornelia Ott", "Max Beispiel"}
    found = find_attendance(NIEDERSCHRIFT)
    assert [(a.name, a.party, NIEDERSCHRIFT[a.start:a.end]) for a in found] == [
        ("Kai Dräger", None, "Kai Dräger"), ("Marco Klose", None, "Marco Klose"),
        ("Cornelia Ott", None, "Cornelia Ott"), ("Max Beispiel", "SPD", "Max Beispiel")]


def test_attendance_with_parties_in_parentheses() -> None:
    text = ("Anwesenheiten\n\nVorsitz:\n\nPeter Vogt (SPD)\n\nAnwesend:\n\nAnna Engel (CDU)\nJan Kraus\n\n"
            "Von der Verwaltung waren anwesend:\n\nOtto Sommer (Gemeindedirektor)\n\nSitzungsbeginn: 19:30 Uhr\n\n"
            "Bürgermeister Peter Vogt eröffnet die Sitzung.")
    assert [(a.name, a.party) for a in find_attendance(text)] == [
        ("Peter Vogt", "SPD"), ("Anna Engel", "CDU"), ("Otto Sommer", None)]
    assert spans(text, find_speakers(text)) == [("Peter Vogt", None, "chair", "Peter Vogt")]


def test_a_wrapped_line_is_not_a_sentence_start() -> None:
    text = ("Der Ortsrat bittet darum, die Vorlage noch einmal zu beraten und im Anschluss daran den Bericht\n"
            "Frau Lange zu übergeben, die ihn erläutert.")
    assert find_speakers(text) == []


def test_objects_of_a_speech_verb_are_no_speakers() -> None:
    text = "Ortsbürgermeister Vogt erteilt Frau Ortsheimatpflegerin Engel das Wort. Frau Engel gibt bekannt, dass."
    assert spans(text, find_speakers(text)) == [("Vogt", None, "chair", "Vogt"), ("Engel", None, "speaker", "Engel")]


def test_verbatim_is_decided_by_the_kind_of_marks() -> None:
    assert looks_verbatim(3, 10)
    assert looks_verbatim(1, 0)
    assert not looks_verbatim(1, 2)
    assert not looks_verbatim(0, 0)


def test_the_tables_load_and_a_bad_row_is_an_error(tmp_path: Path) -> None:
    verbs = {v.verb: v for v in load_speech_verbs()}
    assert verbs["teilt"].needs == ("mit",) and verbs["eröffnet"].kind == "chair"
    for verb in ("erläutert", "fragt", "antwortet", "berichtet", "erklärt", "beantragt", "bittet", "führt",
                 "weist", "stellt", "hält", "regt", "begründet", "ergänzt", "spricht", "schlägt", "bedankt",
                 "verweist", "betont"):
        assert verb in verbs
    titles = {t.title: t for t in load_titles()}
    assert titles["Oberbürgermeisterin"].header_role == "chair" and titles["Vorsitzender"].chairs
    bad = tmp_path / "verbs.tsv"
    bad.write_text("sagt\t-\tshouts\n", encoding="utf-8")
    with pytest.raises(RuleTableError):
        load_speech_verbs(bad)
