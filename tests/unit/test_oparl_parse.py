"""Vendor quirks of OParl servers, tolerated once in the parsers."""

from corpora import oparl
from corpora.doctypes import classify


def test_object_where_a_list_is_expected_and_the_reverse():
    meeting = oparl.parse_meeting({
        "id": "m1", "organization": "o1",                    # a string where a list is expected
        "location": [{"id": "l1", "locality": "Hürtgenwald"}],  # a list where an object is expected
        "agendaItem": {"id": "a1", "number": "1", "name": "Eröffnung", "public": "true"},
    })
    assert meeting.organizations == ("o1",)
    assert meeting.location.locality == "Hürtgenwald"
    assert [(a.id, a.meeting, a.public) for a in meeting.agenda_items] == [("a1", "m1", True)]


def test_file_mime_aliases_and_size_zero():
    f = oparl.parse_file({"id": "f1", "mimeType": "pdf", "size": 0, "accessUrl": "http://x/a.pdf",
                          "paper": "p1"})
    assert (f.mime_type, f.size, f.papers) == ("application/pdf", None, ("p1",))
    g = oparl.parse_file({"id": "f2", "fileName": "Anlage.PDF"})
    assert g.mime_type == "application/pdf"
    h = oparl.parse_file({"id": "f3", "mimeType": "text/html; charset=utf-8"})
    assert h.mime_type == "text/html"


def test_embedded_objects_where_ids_are_expected():
    paper = oparl.parse_paper({"id": "p1", "mainFile": {"id": "f1", "name": "Vorlage"},
                               "underDirectionOf": {"id": "o9", "name": "Bauamt"},
                               "consultation": [{"id": "c1", "meeting": {"id": "m1"}, "organization": ["o1"]}]})
    assert paper.main_file == "f1" and paper.under_direction_of == ("o9",)
    assert paper.consultations[0].meeting == "m1" and paper.consultations[0].paper == "p1"


def test_type_names_of_both_versions_and_missing_type():
    assert oparl.object_type({"type": "https://schema.oparl.org/1.0/Paper"}) == "Paper"
    assert oparl.object_type({"type": "https://schema.oparl.org/1.1/Meeting/"}) == "Meeting"
    assert oparl.object_type({"id": "x"}) is None


def test_embedded_files_with_roles():
    meeting = {"id": "m", "invitation": {"id": "f1"}, "resultsProtocol": {"id": "f2"},
               "auxiliaryFile": [{"id": "f3"}], "agendaItem": [{"id": "a", "resolutionFile": {"id": "f4"}}]}
    assert list((role, f["id"]) for role, f in oparl.embedded_files(meeting)) == [
        ("invitation", "f1"), ("resultsProtocol", "f2"), ("auxiliary", "f3"), ("resolution", "f4")]


def test_document_types_from_real_file_names():
    # names as they occur in Karlsruhe and Nordstemmen
    assert classify(name="Protokoll GR 5 TOP 3", role="auxiliary", paper_type="Antrag") == "Niederschrift"
    assert classify(name="Stellungnahme zur Anfrage", paper_type="Anfrage") == "Stellungnahme"
    assert classify(name="Änderungs-/Ergänzungsantrag") == "Antrag"
    assert classify(name="Beschlussvorlage (Antrag der Fraktion Bündnis 90/Die Grünen)") == "Vorlage"
    assert classify(name="Beschlussvorlage (Anlage zur Beschlussvorlage DS 1/2007)") == "Anlage"
    assert classify(name="Öffentliche Niederschrift (Rat)") == "Niederschrift"
    assert classify(name="Bekanntmachung (Ortsrat Adensen)") == "Bekanntmachung"
    assert classify(name="Resolution zur Forstreform 2020", role="auxiliary", paper_type="Beschlussvorlage") == "Vorlage"
    assert classify(name="Plan", role="attachment", paper_type="Beschlussvorlage") == "Anlage"
    assert classify(name="Tagesordnung OR 15.01.2025", role="invitation") == "Einladung"
    assert classify(name="x", role="verbatimProtocol") == "Wortprotokoll"
    assert classify(declared="Anhang", name="Präsentation") == "Anlage"
    assert classify(name="Notiz") == "Sonstiges"


def test_only_http_urls_are_public():
    from corpora.model import File

    assert File(id="f", access_url=" https://ris.example.org/a.pdf ").public_url == "https://ris.example.org/a.pdf"
    assert File(id="f", download_url="http://ris.example.org/b.pdf").public_url == "http://ris.example.org/b.pdf"
    assert File(id="f", access_url="javascript:alert(1)").public_url is None
    assert File(id="f", access_url="file:///etc/passwd").public_url is None
    assert File(id="f").public_url is None
