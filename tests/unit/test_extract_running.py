"""Running headers, footers and page numbers found per document (indexer.extract.running)."""

from indexer.extract.layout import TextLine
from indexer.extract.running import find_running_lines, page_number_of, running_key

HEIGHT = 842.0
WORDS = ["Haushalt", "Radweg", "Schule", "Brücke", "Friedhof", "Kita", "Bauhof", "Feuerwehr"]


def body(n: int, rows: int = 4) -> list[str]:
    """Body lines that differ from page to page (not only in their digits)."""
    return [f"{WORDS[n % len(WORDS)]} wird beraten, Teil {'abcdefgh'[i]}" for i in range(rows)]


def page(n: int, body: list[str], *, header: list[TextLine] = (), footer: list[TextLine] = ()) -> list[TextLine]:
    lines = list(header)
    lines += [TextLine(85, 100 + 14 * i, 500, 110 + 14 * i, text) for i, text in enumerate(body)]
    return lines + list(footer)


def texts(pages, found):
    return [[line.text for i, line in enumerate(lines) if i in drop] for lines, drop in zip(pages, found)]


def test_header_repeating_modulo_digits_is_found_on_every_page():
    pages = [page(n, body(n),
                  header=[TextLine(85, 30, 257, 42, "16. Sitzung vom 5. Mai 2022"),
                          TextLine(293, 30, 335, 42, f"Seite {n}")])
             for n in range(1, 6)]
    found = find_running_lines(pages, [HEIGHT] * 5, [1, 2, 3, 4, 5])
    assert texts(pages, found) == [["16. Sitzung vom 5. Mai 2022", f"Seite {n}"] for n in range(1, 6)]


def test_footer_whose_page_number_sits_apart_is_found_piece_by_piece():
    footer = "Öffentliche Niederschrift der 17. Sitzung des Gemeinderates Ahnsen"
    pages = [page(n, body(n),
                  footer=[TextLine(57, 798, 302, 806, footer), TextLine(512, 798, 541, 806, f"{n} von 4")])
             for n in range(1, 5)]
    # the last page has only signatures: its footer is still found
    pages[3] = [TextLine(100, 100, 190, 110, "gez. Pierre Pohl"), TextLine(230, 100, 330, 110, "gez. Olaf Humke"),
                TextLine(57, 798, 302, 806, footer), TextLine(512, 798, 541, 806, "4 von 4")]
    found = find_running_lines(pages, [HEIGHT] * 4, [1, 2, 3, 4])
    assert texts(pages, found) == [[footer, f"{n} von 4"] for n in range(1, 5)]


def test_repeated_text_at_another_height_is_kept():
    # "Beschluss:" opens a block at the top of three pages, but not at the same height
    pages = [page(n, body(n, n) + ["Beschluss:"] + body(n + 3)) for n in range(1, 4)]
    found = find_running_lines(pages, [HEIGHT] * 3, [1, 2, 3])
    assert texts(pages, found) == [[], [], []]


def test_bare_page_numbers_follow_the_page_count():
    pages = [page(n, body(n, 3),
                  footer=[TextLine(290, 800, 305, 810, f"- {n + 1} -")]) for n in range(1, 4)]
    # pages 1..3 of the document carry the numbers 2..4 (an unnumbered cover sheet before them)
    found = find_running_lines(pages, [HEIGHT] * 3, [1, 2, 3])
    assert texts(pages, found) == [["- 2 -"], ["- 3 -"], ["- 4 -"]]


def test_single_page_document_loses_its_page_number_but_not_its_list_items():
    lines = [TextLine(60, 100, 72, 110, "1."), TextLine(92, 100, 300, 110, "Eröffnung der Sitzung"),
             TextLine(60, 120, 72, 130, "2."), TextLine(92, 120, 300, 130, "Anfragen von Einwohnern"),
             TextLine(512, 800, 541, 808, "1/1")]
    found = find_running_lines([lines], [HEIGHT], [1])
    assert texts([lines], found) == [["1/1"]]


def test_a_numbered_table_cell_at_the_page_bottom_is_not_a_page_number():
    first = [TextLine(60, 100, 300, 110, "Tabelle der Anträge"), TextLine(60, 790, 70, 800, "2"),
             TextLine(92, 790, 300, 800, "Antrag der Fraktion")]
    second = [TextLine(60, 100, 300, 110, "Fortsetzung"), TextLine(60, 790, 70, 800, "3"),
              TextLine(92, 790, 300, 800, "Anfrage der Gruppe")]
    assert find_running_lines([first, second], [HEIGHT, HEIGHT], [2, 3]) == [set(), set()]


def test_page_number_shapes():
    assert page_number_of("- 2 -") == (2, None)
    assert page_number_of("Seite 2 von 5") == (2, 5)
    assert page_number_of("1/1") == (1, 1)
    assert page_number_of("– 12 –", bare=False) == (12, None)
    assert page_number_of("7") == (7, None)
    assert page_number_of("7", bare=False) is None
    assert page_number_of("2.") is None
    assert page_number_of("Seite 6 von 5") is None
    assert page_number_of("TOP 2") is None


def test_running_key_ignores_numbers_spaces_and_case():
    assert running_key("16. Sitzung vom 5. Mai 2022   Seite 3") == running_key("16. sitzung vom 5. Mai 2022 Seite 14")
    assert running_key("Seite 3") != running_key("Seite 3 von 4")
