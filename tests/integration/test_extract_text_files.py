"""extract_file on the project's seed document (a text rendering of an ALLRIS "Auszug")."""

from pathlib import Path

from indexer.extract import extract_file

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "seed" / "allris_auszug_kreis_soest_2017.txt"


def test_seed_auszug_as_text():
    extraction = extract_file(SEED, "text/plain")
    assert extraction.text_source == "txt" and extraction.warnings == ()
    assert [p.number for p in extraction.pages] == [1]
    text = extraction.pages[0].text
    assert text.startswith("Bürgerinformationssystem\n\nAuszug - Antrag der FDP-Fraktion: Die Kommunen im Kreis "
                           "werden Digital\n\n12. Sitzung des Ausschusses für Personal und Organisation\nTOP: Ö 17\n")
    # lines of spaces and no-break spaces between the sections are blank lines now, one at a time
    assert "Herr Münzberger (FDP) erläutert, dass Hintergrund des Antrags ist" in text
    assert "\n\n\n" not in text and "  " not in text and "\u00a0" not in text
