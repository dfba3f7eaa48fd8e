"""Unicode and whitespace cleanup of extracted text (indexer.extract.cleanup)."""

from indexer.extract.cleanup import SOFT_HYPHEN, clean_line, clean_text, count_cid


def test_ligatures_are_expanded():
    assert clean_line("Au\ufb02age der O\ufb00enlage, \ufb01nanziell \ufb03zient") == "Auflage der Offenlage, finanziell ffizient"


def test_nfc_composes_decomposed_umlauts():
    decomposed = "Bu\u0308rgerbu\u0308ro Stra\u00dfe"
    assert clean_line(decomposed) == "Bürgerbüro Straße"
    assert len(clean_line(decomposed)) == len("Bürgerbüro Straße")


def test_cid_placeholders_control_and_private_use_characters_are_dropped():
    raw = "(cid:3)Haus\x00halt\x07 2024\uf8ff (cid:127)\u200bplan\ufeff\ufffd"
    assert clean_line(raw) == "Haushalt 2024 plan"


def test_word_bullets_from_symbol_fonts_become_bullets():
    assert clean_line("\uf0b7 Geplante Angebote") == "• Geplante Angebote"


def test_spaces_of_justified_lines_are_squeezed():
    assert clean_line("Oberbürgermeisterin  Henriette\u00a0\u00a0Reker:\tGibt  es ") == "Oberbürgermeisterin Henriette Reker: Gibt es"


def test_soft_hyphen_kept_only_at_the_line_end():
    assert clean_line("Ver\u00adwal\u00ad") == "Verwal" + SOFT_HYPHEN
    assert clean_line("Ver\u00adwaltung") == "Verwaltung"
    assert clean_line("\u00ad") == ""


def test_unicode_hyphen_becomes_ascii_hyphen():
    assert clean_line("CDU\u2010Fraktion") == "CDU-Fraktion"


def test_clean_text_joins_soft_hyphenated_lines_and_squeezes_blank_lines():
    text = "Die Ver\u00ad\r\nwaltung  berichtet.\r\n\r\n\r\n\r\nTOP 2\r\n"
    assert clean_text(text) == "Die Verwaltung berichtet.\n\nTOP 2"


def test_clean_text_keeps_form_feeds():
    assert clean_text("Seite eins\n\fSeite  zwei\n") == "Seite eins\fSeite zwei"


def test_count_cid():
    assert count_cid("(cid:1)(cid:22) x (cid:333)") == 3
    assert count_cid("kein cid") == 0
