"""Reading order from line boxes (indexer.extract.layout) and the text made of it (reflow)."""

from indexer.extract.layout import Block, Row, TextLine, merge_rows, order_lines, right_margin, split_paragraphs
from indexer.extract.reflow import blocks_text, is_hard_break

LEFT = (85.0, 306.0)
RIGHT = (320.0, 541.0)


def column(x: tuple[float, float], top: float, texts: list[str], *, pitch: float = 12.0,
           short: frozenset[int] = frozenset()) -> list[TextLine]:
    """Lines of one column; those whose index is in ``short`` end early (a paragraph's last line)."""
    lines = []
    for i, text in enumerate(texts):
        x1 = x[0] + 5.0 * len(text) if i in short else x[1]
        lines.append(TextLine(x0=x[0], top=top + i * pitch, x1=x1, bottom=top + i * pitch + 10, text=text))
    return lines


def two_column_page() -> list[TextLine]:
    header = [TextLine(85, 30, 257, 42, "5. Sitzung vom 23. März 2021"), TextLine(293, 30, 335, 42, "Seite 3")]
    left = column(LEFT, 80, ["Ich rufe als Erstes den Tagesordnungs-", "punkt 3.1.3 auf. Gibt es Gegenstim-",
                             "men gegen die Absetzung? - Das sind die", "FDP und die SPD.", ],
                  short=frozenset({3}))
    left += column(LEFT, 140, ["Dann ist der TOP abgesetzt. Wir kommen", "nun zu einer Frage, die sich aus der"])
    right = column(RIGHT, 80, ["Sitzung ergibt: Wer", "stimmt dem zu?"], short=frozenset({0, 1}))
    right += column(RIGHT, 120, ["(Beifall)"], short=frozenset({0}))
    # pdfminer gives lines in content-stream order: interleave to prove the order is ours
    return [right[2], left[0], header[1], right[0], left[3], header[0], left[1], right[1], left[2], left[4], left[5]]


def test_two_columns_read_left_then_right_with_the_header_first():
    blocks = order_lines(two_column_page())
    texts = [[row.text for row in block.rows] for block in blocks]
    assert texts == [
        ["5. Sitzung vom 23. März 2021 Seite 3"],
        ["Ich rufe als Erstes den Tagesordnungs-", "punkt 3.1.3 auf. Gibt es Gegenstim-",
         "men gegen die Absetzung? - Das sind die", "FDP und die SPD.",
         "Dann ist der TOP abgesetzt. Wir kommen", "nun zu einer Frage, die sich aus der"],
        ["Sitzung ergibt: Wer", "stimmt dem zu?", "(Beifall)"],
    ]


def test_page_text_joins_lines_dehyphenates_and_follows_a_sentence_into_the_next_column():
    text = blocks_text(order_lines(two_column_page())[1:])
    assert text == (
        "Ich rufe als Erstes den Tagesordnungspunkt 3.1.3 auf. Gibt es Gegenstimmen gegen die "
        "Absetzung? - Das sind die FDP und die SPD.\n\n"
        "Dann ist der TOP abgesetzt. Wir kommen nun zu einer Frage, die sich aus der Sitzung ergibt: Wer\n"
        "stimmt dem zu?\n\n(Beifall)"
    )


def test_single_column_page_with_a_date_block_at_the_right_is_not_split():
    body = column((72.0, 523.0), 200, [f"Zeile {i} eines Absatzes, die bis zum Rand reicht." for i in range(8)])
    date = [TextLine(400, 100, 523, 110, "Erlangen, 19.04.2021"), TextLine(400, 112, 480, 122, "Amt: 13-2")]
    address = [TextLine(72, 100, 200, 110, "Stadt Erlangen"), TextLine(72, 112, 190, 122, "Referat OBM")]
    blocks = order_lines(body + date + address)
    assert len(blocks) == 1
    assert [row.text for row in blocks[0].rows[:2]] == ["Stadt Erlangen Erlangen, 19.04.2021", "Referat OBM Amt: 13-2"]


def test_merge_rows_joins_pieces_of_a_justified_line_and_drops_fake_bold_duplicates():
    lines = [TextLine(180, 100, 201, 111, "des"), TextLine(92, 100, 162, 111, "Umkleidetrakt"),
             TextLine(219, 100, 349, 111, "Dorfgemeinschaftshauses"), TextLine(92, 113, 150, 124, "weiter"),
             TextLine(92.3, 113.2, 150.3, 124.2, "weiter")]
    rows = merge_rows(lines)
    assert [row.text for row in rows] == ["Umkleidetrakt des Dorfgemeinschaftshauses", "weiter"]
    assert (rows[0].x0, rows[0].x1) == (92, 349)


def test_right_margin_ignores_a_lone_line_sticking_out():
    assert right_margin([453, 453, 452.5, 307, 541, 453, 274]) == 453
    assert right_margin([300.0]) == 300.0
    assert right_margin([310, 250, 200]) == 310  # ragged text: the furthest end


def test_paragraphs_split_at_larger_gaps_and_font_size_changes():
    rows = (Row(72, 100, 500, 111, "Erste Zeile"), Row(72, 113, 500, 124, "zweite Zeile"),
            Row(72, 140, 500, 151, "Neuer Absatz"), Row(72, 153, 300, 164, "geht weiter"),
            Row(72, 167, 400, 185, "ÜBERSCHRIFT"))
    paragraphs = split_paragraphs(Block(rows=rows, left=72, right=500))
    assert [[row.text for row in p] for p in paragraphs] == [
        ["Erste Zeile", "zweite Zeile"], ["Neuer Absatz", "geht weiter"], ["ÜBERSCHRIFT"]]


def test_hard_break_when_the_next_word_would_have_fitted():
    row = Row(72, 100, 140, 111, "1. Begrüßung")         # ends far from the margin at 500
    wrap = Row(72, 100, 495, 111, "ein Satz, der bis an den Rand geht")
    nxt = Row(72, 113, 400, 124, "Genehmigung der Niederschrift")
    assert is_hard_break(row, nxt, 500)
    assert not is_hard_break(wrap, nxt, 500)
    assert is_hard_break(wrap, Row(72, 113, 400, 124, "• Punkt"), 500)  # a bullet starts a line
