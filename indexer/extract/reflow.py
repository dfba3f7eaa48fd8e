"""From blocks of rows to the text of a page: paragraphs, line joins, de-hyphenation.

The text of a page is a sequence of paragraphs separated by one blank line. Inside a paragraph,
lines that the typesetter wrapped are joined with a space (or across a hyphen, see
:mod:`indexer.extract.hyphenation`); a line that ends early although the next word would have
fitted was broken on purpose (a list item, an address line, a heading) and keeps its line break.
So agenda items ("TOP 5", "3.1.1 Antrag …") and speaker turns ("Jörg Detjen (DIE LINKE): …") stay
at line starts, where the passage splitter looks for them, while NER and phrase search see whole
sentences.

A paragraph that runs from the bottom of one column into the top of the next (no early line end
at the bottom of the first) is read as one paragraph.
"""

from __future__ import annotations

from typing import Sequence

from .cleanup import SOFT_HYPHEN
from .hyphenation import first_token, is_line_end_hyphen, join_hyphenated
from .layout import Block, Row, split_paragraphs

_BULLETS = ("•", "▪", "●", "◦", "‣", "■", "□", "➢", "→")


def is_hard_break(row: Row, next_row: Row, right_edge: float) -> bool:
    """Whether the line break after ``row`` was made on purpose: the first word of ``next_row``
    would have fitted into the space left at the end of ``row`` (up to ``right_edge``)."""
    if next_row.text.startswith(_BULLETS):
        return True
    space_left = right_edge - row.x1
    char = max(row.char_width, next_row.char_width, 0.5)
    needed = (len(first_token(next_row.text)) + 1) * char
    return space_left > 1.1 * needed + char


def join_rows(text: str, row: Row, prev: Row, right_edge: float, vocabulary: frozenset[str] = frozenset()) -> str:
    """``text`` (ending with ``prev``'s text) continued by ``row``."""
    joined = join_hyphenated(text, row.text, vocabulary)
    if joined is not None:
        return joined
    sep = "\n" if is_hard_break(prev, row, right_edge) else " "
    return text + sep + row.text


def paragraph_text(rows: Sequence[Row], right_edge: float, vocabulary: frozenset[str] = frozenset()) -> str:
    text = rows[0].text
    for prev, row in zip(rows, rows[1:]):
        text = join_rows(text, row, prev, right_edge, vocabulary)
    return text


def blocks_text(blocks: Sequence[Block], vocabulary: frozenset[str] = frozenset()) -> str:
    """The text of a page from its blocks in reading order (see module doc). ``vocabulary``:
    the document's words, for doubtful hyphens (:func:`~indexer.extract.hyphenation.join_hyphenated`)."""
    paragraphs: list[str] = []
    tail: tuple[Row, Block] | None = None
    for block in blocks:
        if not block.rows:
            continue
        paras = split_paragraphs(block)
        for i, rows in enumerate(paras):
            text = paragraph_text(rows, block.right, vocabulary)
            if i == 0 and tail is not None and paragraphs and _continues(tail[0], tail[1], rows[0], block):
                paragraphs[-1] = _join_across(paragraphs[-1], text, vocabulary)
            else:
                paragraphs.append(text)
        tail = (paras[-1][-1], block)
    return "\n\n".join(p.replace(SOFT_HYPHEN, "") for p in paragraphs if p)


def _continues(last: Row, last_block: Block, first: Row, block: Block) -> bool:
    """Whether the paragraph ending with ``last`` goes on with ``first`` at the top of the next
    block (the next column)."""
    if first.top >= last.top - 0.5 * last.height and first.x0 >= last.x0:
        return False  # the next block is not further up (a new column) but below: no flow
    if first.x0 > block.left + 2 * max(first.char_width, 0.5):
        return False  # indented or centred: a new paragraph
    if is_line_end_hyphen(last.text):
        return True
    return not is_hard_break(last, first, last_block.right)


def _join_across(text: str, next_text: str, vocabulary: frozenset[str]) -> str:
    joined = join_hyphenated(text, next_text, vocabulary)
    if joined is not None:
        return joined
    return text + " " + next_text
