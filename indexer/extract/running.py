"""Running headers, footers and page numbers: found per document by repetition, not by a list.

A running header ("16. Sitzung vom 5. Mai 2022   Seite 3") or footer ("Öffentliche Niederschrift
der 17. Sitzung … 2 von 4") is a row at the top or bottom of a page that comes back, modulo its
digits, at the same height on many pages of the same document. A bare page number ("- 2 -",
"Seite 2 von 5", "1/1", "7") at the edge of a page is recognised by its shape and because its
number follows the page count (page number plus a constant offset for the document).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Sequence

from .layout import TextLine, group_rows

#: rows at each edge of a page that may be running headers or footers
EDGE_ROWS = 3
#: rows at each edge of a page that may be bare page numbers
PAGE_NUMBER_ROWS = 2
#: occurrences of one running row must lie within this many points of each other vertically
POSITION_TOLERANCE = 6.0
#: share of the document's pages a running row must appear on (at least 3; 2 in short documents)
MIN_PAGE_SHARE = 0.15

#: a line that is only part of its row must have this many letters to count by itself
MIN_PIECE_LETTERS = 3

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^(?P<lead>[-–—\s]*)(?P<word>(?:seite|s\.|blatt|page)\s*)?(?P<n>\d{1,4})"
    r"(?:\s*(?:/|von|of|aus)\s*(?P<total>\d{1,4}))?(?P<trail>[-–—\s]*)$",
    re.IGNORECASE,
)


def running_key(text: str) -> str:
    """A row's text with case, spaces and the values of numbers ignored: "Seite 3 von 10" and
    "Seite  4 von 10" share the key ``seite#von#``."""
    return _DIGITS.sub("#", _SPACE.sub("", text.lower()))


def page_number_of(text: str, *, bare: bool = True) -> tuple[int, int | None] | None:
    """``(number, total)`` if ``text`` is nothing but a page number: "- 2 -", "Seite 2",
    "Seite 2 von 5", "2/5", or (with ``bare``) a lone "2". "2." is a list item, not a page number."""
    match = _PAGE_NUMBER.match(text.strip())
    if not match:
        return None
    number = int(match.group("n"))
    total = int(match.group("total")) if match.group("total") else None
    if total is not None and number > total:
        return None
    dashes = match.group("lead") + match.group("trail")
    decorated = total is not None or bool(match.group("word")) or any(c in "-–—" for c in dashes)
    if not decorated and not bare:
        return None
    return number, total


def find_running_lines(pages: Sequence[Sequence[TextLine]], page_heights: Sequence[float],
                       page_numbers: Sequence[int]) -> list[set[int]]:
    """For each page, the indexes of its text lines that belong to running headers, footers or
    page numbers.

    The lines of a page are grouped into physical rows (across columns). A row among the
    :data:`EDGE_ROWS` at the top or bottom is running when its text (modulo digits, case and
    spaces) comes back at the same distance from that edge on enough pages; so is each of its
    lines by itself (a footer whose page number sits apart, "Seite 4", still matches
    "Seite 3"). ``page_numbers`` are the pages' numbers in the document (they need not be
    consecutive when only some pages were extracted).
    """
    found: list[set[int]] = [set() for _ in pages]
    n_pages = len(pages)
    min_count = 2 if n_pages <= 4 else max(3, math.ceil(MIN_PAGE_SHARE * n_pages))
    # (zone, key) -> [(page index, line indexes, distance from that edge)]
    seen: dict[tuple[str, str], list[tuple[int, tuple[int, ...], float]]] = defaultdict(list)
    number_candidates: list[tuple[int, tuple[int, ...], int]] = []  # (page, lines, offset)
    for p, lines in enumerate(pages):
        if not lines:
            continue
        height = page_heights[p]
        rows = group_rows(lines)
        by_bottom = sorted(rows, key=lambda row: height - max(lines[i].bottom for i in row))
        for zone, edge in (("top", rows[:EDGE_ROWS]), ("bottom", by_bottom[:EDGE_ROWS])):
            for row in edge:
                pieces = [tuple(row)] + ([(i,) for i in row] if len(row) > 1 else [])
                for piece in pieces:
                    text = " ".join(lines[i].text for i in piece)
                    if len(piece) == 1 and len(row) > 1 and _letters(text) < MIN_PIECE_LETTERS:
                        continue  # a lone number in a row of cells: too little to recognise
                    if zone == "top":
                        where = min(lines[i].top for i in piece)
                    else:
                        where = height - max(lines[i].bottom for i in piece)
                    seen[(zone, running_key(text))].append((p, piece, where))
        for row in {tuple(r) for r in rows[:PAGE_NUMBER_ROWS] + by_bottom[:PAGE_NUMBER_ROWS]}:
            pieces = [row] + ([(i,) for i in row] if len(row) > 1 else [])
            for piece in pieces:
                # a lone number only when it is the whole row (not a cell of a numbered table)
                parsed = page_number_of(" ".join(lines[i].text for i in piece), bare=piece == row)
                if parsed is not None:
                    number_candidates.append((p, piece, parsed[0] - page_numbers[p]))
    if n_pages >= 2:
        for (_zone, key), hits in seen.items():
            if not key or len({p for p, _, _ in hits}) < min_count:
                continue
            for cluster in _position_clusters(hits):
                if len({p for p, _, _ in cluster}) >= min_count:
                    for p, piece, _ in cluster:
                        found[p].update(piece)
    offsets = Counter(offset for _, _, offset in number_candidates)
    for p, piece, offset in number_candidates:
        if offset == 0 or offsets[offset] >= 2:
            found[p].update(piece)
    return found


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def _position_clusters(hits: list[tuple]) -> list[list[tuple]]:
    """Hits grouped by their distance from the page edge (within :data:`POSITION_TOLERANCE`)."""
    clusters: list[list[tuple]] = []
    for hit in sorted(hits, key=lambda h: h[2]):
        if clusters and hit[2] - clusters[-1][0][2] <= POSITION_TOLERANCE:
            clusters[-1].append(hit)
        else:
            clusters.append([hit])
    return clusters
