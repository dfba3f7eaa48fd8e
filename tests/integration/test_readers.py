"""The readers on the real council data, read in place from ../shared/data."""

from collections import Counter

import pytest

from corpora.folder import FolderReader
from corpora.oparl_dump import OParlDump
from corpora.sources import Delete, Directory, Failure, Finished, Upsert
from tests.conftest import FIXTURES


def events(reader, state=None):
    return list(reader.iter_events(state or {}))


@pytest.fixture(scope="module")
def karlsruhe(council):
    return events(OParlDump(council / "karlsruhe"))


def test_karlsruhe_dump_every_file_with_text_is_a_document(karlsruhe):
    kinds = Counter(type(e).__name__ for e in karlsruhe)
    assert kinds == {"Upsert": 4760, "Delete": 268, "Directory": 1, "Finished": 1}
    docs = {e.document.id: e.document for e in karlsruhe if isinstance(e, Upsert)}
    doc = docs["https://web1.karlsruhe.de/oparl/bodies/0001/files/608943"]
    assert doc.title == "Resolution zur Forstreform 2020"
    assert doc.paper.reference == "2019/0294" and doc.paper.paper_type == "Beschlussvorlage"
    assert doc.body.name == "Stadt Karlsruhe" and doc.document_type == "Vorlage"
    assert [o.name for o in doc.organizations] == ["Gemeinderat"]
    assert doc.date == "2019-03-26" and doc.text_source == "oparl"  # the paper's date
    assert doc.pages[0].text.lstrip().startswith("Stadt Karlsruhe")
    directory = next(e for e in karlsruhe if isinstance(e, Directory))
    # 97 Organization objects, and 10 more that meetings name but the dump lacks (named by the meetings)
    assert len(directory.organizations) == 107
    assert sum(o.modified is None for o in directory.organizations) == 10


def test_nordstemmen_pages_and_organizations_named_by_meetings(council):
    evs = events(OParlDump(council / "nordstemmen"))
    docs = {e.document.id: e.document for e in evs if isinstance(e, Upsert)}
    assert len(docs) == 2482
    doc = docs["https://nordstemmen.ratsinfomanagement.net/webservice/oparl/v1.1/body/1/file/1-37108"]
    assert doc.document_type == "Niederschrift"
    assert doc.meeting.start.startswith("2023-06-15")
    # Nordstemmen has no Organization objects: the Gremium's name comes from its meetings
    assert [o.name for o in doc.organizations] == ["Fachausschuss Finanzen, Wirtschaftsförderung, Marketing und Feuerschutz"]
    assert doc.pages[1].text.startswith("- 2 -") and len(doc.pages) > 5
    types = Counter(d.document_type for d in docs.values())
    assert types["Niederschrift"] == 632 and types["Anlage"] == 182


def test_huertgenwald_has_persons_and_tombstones_but_no_texts(council):
    evs = events(OParlDump(council / "huertgenwald"))
    assert not [e for e in evs if isinstance(e, Upsert)]
    assert len([e for e in evs if isinstance(e, Delete)]) == 39
    directory = next(e for e in evs if isinstance(e, Directory))
    assert len(directory.persons) == 49 and directory.bodies[0].name == "Gemeinde Hürtgenwald"
    memberships = [m for p in directory.persons for m in p.memberships]
    assert len(memberships) == 533
    finished = evs[-1]
    assert isinstance(finished, Finished) and finished.state["files_without_text"] == 6947


def test_unchanged_dump_does_no_work(council):
    reader = OParlDump(council / "nordstemmen")
    state = events(reader)[-1].state
    again = events(reader, state)
    assert again == [Finished(state=state, complete=False)]


def test_pdf_folders_with_metadata(council):
    for name, count, types in [
        ("koeln", 13, {"Wortprotokoll": 13}),
        ("erlangen", 55, {"Niederschrift": 14, "Einladung": 13, "Stellungnahme": 12, "Anlage": 12, "Antrag": 3,
                          "Brief": 1}),
        ("ahnsen", 6, {"Niederschrift": 3, "Bekanntmachung": 2, "Sammeldokument": 1}),
    ]:
        evs = events(FolderReader(council / name))
        docs = [e.document for e in evs if isinstance(e, Upsert)]
        assert len(docs) == count and Counter(d.document_type for d in docs) == types, name
        assert all(d.content and d.content.mime_type == "application/pdf" and not d.pages for d in docs)
        assert not [e for e in evs if isinstance(e, Failure)]
    erl = {e.document.id: e.document for e in events(FolderReader(council / "erlangen")) if isinstance(e, Upsert)}
    # file names with spaces and umlauts, NFC, relative to the folder
    doc = erl["pdf/STBR_Büchenbach_Antrag_StUB_Trasse_Rudeltplatz_Final.pdf"]
    assert doc.body.name == "Stadt Erlangen" and [o.name for o in doc.organizations] == ["Stadtteilbeirat Büchenbach"]
    assert doc.paper is not None and doc.document_type == "Antrag"
    nieder = erl["pdf/2022-04-05_Niederschrift_Niederschrift_1_Sitzung_Buechenbach.pdf"]
    assert nieder.meeting.start == "2022-04-05" and nieder.date == "2022-04-05"


def test_single_file_and_seed_auszug(data_root):
    evs = events(FolderReader(data_root / "seed" / "allris_auszug_kreis_soest_2017.txt"))
    (doc,) = [e.document for e in evs if isinstance(e, Upsert)]
    assert doc.id == "allris_auszug_kreis_soest_2017.txt"
    assert doc.title == "Antrag der FDP-Fraktion: Die Kommunen im Kreis werden Digital"
    assert doc.paper.reference == "253/2017" and doc.paper.paper_type == "Fraktionsantrag"
    assert doc.meeting.name == "12. Sitzung des Ausschusses für Personal und Organisation"
    assert doc.meeting.start == "2017-11-28T17:00:00"
    assert (doc.agenda_item.number, doc.agenda_item.public, doc.agenda_item.result) == ("Ö 17", True, "zur Kenntnis genommen")
    assert [o.name for o in doc.organizations] == ["Ausschuss für Personal, Organisation und Effizienz"]
    assert doc.extra["aktenzeichen"] == "10.24.01" and doc.extra["federfuehrend"] == "01 - Büro der Landrätin"
    assert doc.pages[0].text.startswith("Wortprotokoll\n\nFrau Oberreuter gibt einen Überblick")
    assert "Herr Münzberger (FDP) erläutert" in doc.pages[0].text
    assert evs[-1].complete is False  # a single file says nothing about other files


def test_allris_and_sessionnet_html_fixtures():
    docs = {e.document.id: e.document for e in events(FolderReader(FIXTURES / "allris", body="Stadt Musterhausen"))
            if isinstance(e, Upsert)}
    allris = docs["allris_to020_schulwege.html"]
    assert allris.title == "Antrag der SPD-Fraktion: Sichere Schulwege in der Südstadt"
    assert (allris.paper.reference, allris.paper.paper_type) == ("2023/0117", "Fraktionsantrag")
    assert allris.meeting.start == "2023-09-14T18:00:00" and allris.meeting.location.description == "Ratssaal, Rathaus, Marktplatz 1"
    assert (allris.agenda_item.number, allris.agenda_item.result) == ("Ö 5", "geändert beschlossen")
    assert allris.file.access_url == "https://ratsinfo.example-stadt.de/bi/to020.asp?TOLFDNR=104711"
    assert allris.body.name == "Stadt Musterhausen"
    text = allris.pages[0].text
    assert text.index("Wortprotokoll\n\nFrau Dr. Keller (SPD)") < text.index("Beschluss\n\nDer Ausschuss beauftragt") \
        < text.index("Abstimmungsergebnis\n\nJa: 9")
    assert "zeige(" not in text and "font-weight" not in text  # scripts and styles dropped
    session = docs["sessionnet_to0050_bebauungsplan.html"]
    assert session.title == 'Bebauungsplan Nr. 45 "Am Mühlbach" – Satzungsbeschluss'
    assert session.paper.reference == "BV 12/2024" and session.paper.paper_type == "Beschlussvorlage"
    assert session.meeting.name == "23. Sitzung des Gemeinderates" and session.meeting.start == "2024-03-05T19:00:00"
    assert [o.name for o in session.organizations] == ["Gemeinderat"]
    assert "Impressum" not in session.pages[0].text
