"""extract_pdf on real council PDFs from ../shared/data/council.

Every expected string was checked against the rendered page (pdftoppm -png) and against
pdfminer's raw text of the same page.
"""

import re
from pathlib import Path

import pytest

from indexer.extract import extract_pdf
from indexer.extract.ocr import ocr_available

COUNCIL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"
KOELN = COUNCIL / "koeln" / "pdf"
ERLANGEN = COUNCIL / "erlangen" / "pdf"
AHNSEN = COUNCIL / "ahnsen" / "pdf"

KOELN_5 = KOELN / "5_Sitzung_des_Rates_20210323_Wortprotokoll_der_5_Sitzung_des_Rates.pdf"
KOELN_21 = KOELN / "21_Sitzung_des_Rates_20221110_Wortprotokoll_der_21_Sitzung_des_Rates.pdf"
SITZUNGSPAKET = AHNSEN / "ris-2026-ahnsen-meeting-3.pdf"
STELLUNGNAHME_413 = ERLANGEN / "Stadtteilbeirat-Stellungnahme_Beschlussvorlage_Ö23_StUB_Trassenführung_413.pdf"
MASSNAHMENPLAN = ERLANGEN / "2021-04-14_Anhang_Erlangen-Massnahmenplan_2035-5.pdf"


def raw_text(path: Path, number: int) -> str:
    """pdfminer's own text of one page (runs of spaces squeezed), to show what the extraction
    had to repair."""
    from pdfminer.high_level import extract_text

    return re.sub(" +", " ", extract_text(path, page_numbers=[number - 1]))


@pytest.fixture(scope="module")
def koeln_5():
    return extract_pdf(KOELN_5, ocr="off", page_numbers=[3, 4])


@pytest.fixture(scope="module")
def koeln_21():
    return extract_pdf(KOELN_21, ocr="off", page_numbers=[1, 2])


def test_koeln_pages_keep_their_numbers(koeln_5):
    assert [p.number for p in koeln_5.pages] == [3, 4]
    assert koeln_5.text_source == "pdf" and not koeln_5.needs_ocr and koeln_5.ocr_pages == ()


def test_koeln_running_header_and_page_number_are_gone(koeln_5):
    raw = raw_text(KOELN_5, 3)
    assert "5. Sitzung vom 23. März 2021" in raw and "Seite 3" in raw
    page = koeln_5.pages[0].text
    assert "Sitzung vom" not in page and "Seite" not in page and "Ó" not in page
    assert page.startswith("Oberbürgermeisterin Henriette Reker: Gibt es weitere Wortmeldungen? "
                           "- Ich sehe noch eine Wortmeldung. - Herr Boyens.\n\n")


def test_koeln_words_split_at_line_ends_are_joined(koeln_5):
    raw = raw_text(KOELN_5, 3)
    assert "Frau Oberbürgermeiste-\nrin!" in raw and "Tagesordnungs-\npunkt 3.1.9" in raw
    page = koeln_5.pages[0].text
    assert "Stephan Boyens (AfD): Frau Oberbürgermeisterin! Meine Damen und Herren! Das mit dem " \
           "Karl-Küpper-Preis sehen wir nicht so." in page
    assert "Ich rufe jetzt die Abstimmung zu Tagesordnungspunkt 3.1.9 auf." in page


def test_koeln_left_column_is_read_before_the_right_one(koeln_5):
    page = koeln_5.pages[0].text
    # pdfminer's own order puts the right column's agenda item between these two paragraphs
    assert ("Herr Wortmann und die SPD.\n\n(Christian Joisten [SPD]: Und DIE LINKE, glaube ich, auch!)\n\n"
            "- Und DIE LINKE. Entschuldigung!") in page
    # the bottom of the left column, then the top of the right one
    assert ("Enthaltungen? - Keine. Dann ist der TOP abgesetzt.\n\n"
            "Dann rufe ich Tagesordnungspunkt 12.2 auf: Beratungsbedarf der Partei Volt.") in page
    assert page.endswith("3 Anträge des Rates/Vorschläge und Anregungen der Bezirksvertretungen\n\n"
                         "Tagesordnungspunkt\n\n"
                         "3.1 Anträge gemäß § 3 der Geschäftsordnung des Rates und der Bezirksvertretungen\n\n"
                         "3.1.1 Antrag der Fraktionen Bündnis 90/Die Grünen, CDU, SPD, Die Linke., FDP, Volt und "
                         "der Gruppe KLIMA FREUNDE betr. „Änderung der Zuständigkeitsordnung des "
                         "Digitalisierungsausschusses“ AN/0540/2021\n\n"
                         "Änderungsantrag der Gruppen Die PARTEI, KLIMA FREUNDE und GUT Köln AN/0622/2021")


def test_koeln_sentence_runs_from_the_left_column_into_the_right_one(koeln_21):
    raw = raw_text(KOELN_21, 1)
    assert "„Solidarisch in der" in raw and "Energiekrise“ eingereicht" in raw
    page = koeln_21.pages[0].text
    assert ("Die Fraktionen Bündnis 90/Die Grünen, CDU, SPD, DIE LINKE, FDP und Volt sowie die Ratsmitglieder "
            "Frau Gabrysch und Herr Zimmermann haben am 09.11. fristgemäß einen Antrag auf aktuelle Stunde zum "
            "Thema „Solidarisch in der Energiekrise“ eingereicht, den wir als TOP 1.1 behandeln sollten.\n\n"
            "Darüber hinaus schlägt die Verwaltung die Zusetzung folgender Punkte vor:") in page


def test_koeln_paragraphs_and_speaker_turns_start_lines(koeln_21):
    page = koeln_21.pages[1].text
    paragraphs = page.split("\n\n")
    assert any(p.startswith("Stephan Boyens (AfD): Frau Oberbürgermeisterin! Meine sehr geehrten Damen und "
                            "Herren! Herr Joisten, da ich direkt angesprochen worden bin:") for p in paragraphs)
    assert "(Lebhafter Beifall)" in paragraphs
    assert "  " not in page and "\n\n\n" not in page


def test_text_inside_figures_of_the_sitzungspaket():
    extraction = extract_pdf(SITZUNGSPAKET, ocr="off", page_numbers=[8, 9, 10])
    page = extraction.pages[0].text
    # the form's filled-in fields are Form XObjects (figures)
    assert "Umbau und Aufstockung einer Doppelhaushälfte zum Mehrfamilienhaus\nAktenzeichen 00797/2025" in page
    assert "Die von uns gepl. Baumaßnahme kann vom Landkreis, Bauordnungsamt, nicht genehmigt werden." in page
    assert "Landkreis Schaumburg\nJahnstr. 20\n31655 Stadthagen" in page
    # its footer ("© Verlag Dashöfer …  Seite 1 von 3") repeats on the form's three pages: gone
    assert "Seite 1 von 3" in raw_text(SITZUNGSPAKET, 8)
    assert all("Dashöfer" not in p.text and "von 3" not in p.text for p in extraction.pages)


def test_ahnsen_running_footer_is_gone_even_beside_signatures():
    path = AHNSEN / "2026-03-26_niederschrift_gemeinderat_ahnsen_sitzung_17.pdf"
    extraction = extract_pdf(path, ocr="off")
    assert [p.number for p in extraction.pages] == [1, 2, 3, 4]
    assert "Öffentliche Niederschrift der 17. Sitzung des Gemeinderates Ahnsen" in raw_text(path, 4)
    assert all("Öffentliche Niederschrift der 17." not in p.text and " von 4" not in p.text for p in extraction.pages)
    assert extraction.pages[3].text == (
        "gez. Pierre Pohl gez. Olaf Humke gez. Almut Reck Bürgermeister Gemeindedirektor Protokollführerin")


def test_erlangen_page_number_header_and_hyphenation():
    path = ERLANGEN / "2020-01-22_Niederschrift_Niederschrift_1_Sitzung_Buechenbach.pdf"
    raw = raw_text(path, 3)
    assert "Seite 3" in raw and "Kinder ge-\n" in raw
    extraction = extract_pdf(path, ocr="off", page_numbers=[3])  # one page: found by its shape
    page = extraction.pages[0].text
    assert "Seite 3" not in page
    assert page.startswith("• Wie wird für die Sicherheit der Kinder in den Pausen und auf dem Schulweg gesorgt? "
                           "Hierzu gab es keine Aussage seitens der Verwaltung, wie für die Sicherheit der Kinder "
                           "gesorgt wird.\n")
    # an answer after a short line starts a line of its own
    assert "Schleichverkehr durch diese Straße befürchtet.\nAntwort: Es werden „Einfahrt verboten“-Schilder" in page


def test_erlangen_agenda_items_stay_on_their_own_lines():
    extraction = extract_pdf(ERLANGEN / "2022-04-05_Einladung_Einladung_1_Sitzung_Buechenbach.pdf", ocr="off")
    assert extraction.pages[0].text.split("\n\n")[3:6] == [
        "1. Sperrungen, Müll, Infrastruktur", "2. Offene Anträge", "3. Klimabudget"]


def test_a_plan_drawn_sideways_is_read_turned_upright():
    extraction = extract_pdf(ERLANGEN / "Anlage 1 Odenwaldallee.pdf", ocr="off")
    assert extraction.warnings == ("page 1: text runs at 90°, read turned upright",)
    text = extraction.pages[0].text
    assert "Zielsetzungen / Planungen" in text
    assert 'Strategieplan "Büchenbacher Achse"' in text
    assert "Nahversorgung erhalten bzw. entwickeln" in text
    assert not extraction.needs_ocr


def test_image_only_pages_are_flagged_without_ocr():
    extraction = extract_pdf(STELLUNGNAHME_413, ocr="off")
    assert [p.number for p in extraction.pages] == [1, 2, 3, 4, 5]
    assert extraction.needs_ocr and extraction.ocr_pages == () and extraction.text_source == "pdf"
    assert [p.text for p in extraction.pages[2:]] == ["", "", ""]
    assert extraction.pages[1].text.startswith("Anlage: Handout des Lokalforums")
    assert len(extraction.pages[0].text) > 2000


def test_a_plan_exported_as_an_image_is_flagged():
    extraction = extract_pdf(MASSNAHMENPLAN, ocr="off")
    assert extraction.needs_ocr
    assert extraction.pages[0].text == "0 50 100 150 200 250m"  # only the scale bar is text


def test_image_only_pages_with_ocr_auto():
    """Both branches, no skip: OCR'd where Tesseract (deu) and pdftoppm are installed, else flagged."""
    extraction = extract_pdf(STELLUNGNAHME_413, ocr="auto", page_numbers=[2, 3])
    if ocr_available():
        assert extraction.ocr_pages == (3,) and not extraction.needs_ocr and extraction.text_source == "ocr"
        assert extraction.pages[1].text.startswith("Variante 2: Durch Baugebiet 413")
        assert extraction.pages[0].text.startswith("Anlage: Handout des Lokalforums")  # has a text layer
    else:
        assert extraction.needs_ocr and extraction.ocr_pages == ()
        assert any("not OCR'd" in w for w in extraction.warnings)
