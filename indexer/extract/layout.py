"""Reading order of a page from the boxes of its text lines: pure geometry, no PDF library.

The input is what pdfminer (or Tesseract) gives per page: text lines with their bounding boxes.
The output is a list of :class:`Block`\\ s in reading order, each a run of :class:`Row`\\ s that
read top to bottom (a column, or a stretch of full-width text).

Columns are found by a *gutter*: a vertical strip that almost no line crosses, with a
substantial column of text on either side (Köln's Wortprotokolle: two justified columns, 14 pt
apart). The lines that do cross it (a running header "16. Sitzung vom 5. Mai 2022   Seite 3", a
full-width heading or table) cut the page into bands; inside each band the left column is read
before the right one, and each side is searched for further gutters. pdfminer's own ordering
(``boxes_flow``) interleaves the columns wherever a short box sits in one of them; this does not.

Coordinates are PDF points, measured from the top-left corner (``top`` < ``bottom``).
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass
from typing import Sequence

from .hyphenation import is_line_end_hyphen


@dataclass(frozen=True)
class _Box:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def char_width(self) -> float:
        """Mean width of one character."""
        return self.width / max(1, len(self.text))


@dataclass(frozen=True)
class TextLine(_Box):
    """One run of text on one baseline, as the PDF library found it (possibly part of a row)."""


@dataclass(frozen=True)
class Row(_Box):
    """The text lines of one column that share a baseline, joined left to right."""


@dataclass(frozen=True)
class Block:
    """Rows read top to bottom: one column of a band, or full-width text.

    ``left`` and ``right`` are the edges of the column the rows stand in (wider than the rows
    themselves when they are short); the right edge tells a deliberate line break (the next word
    would have fitted) from a wrap.
    """

    rows: tuple[Row, ...]
    left: float
    right: float


# --- tuning (points unless said otherwise) ------------------------------------------------------
#: the heights covered by text on both sides of a gutter coincide for this share of the smaller
MIN_SIDE_BY_SIDE = 0.3
#: a gutter must be at least this wide, and at least this share of the median line height
MIN_GUTTER = 4.0
GUTTER_HEIGHT_SHARE = 0.5
#: at most this share of a region's lines may cross its gutter (headers, full-width headings)
MAX_CROSSING_SHARE = 0.2
#: each side of a gutter spans at least this share of the region's width
MIN_SIDE_SHARE = 0.22
#: each side holds at least this many lines and this share of the characters
MIN_SIDE_LINES = 2
MIN_SIDE_CHAR_SHARE = 0.02
#: the longer lines of a column fill it: their 80th percentile width is this share of the column
MIN_COLUMN_FILL = 0.5
#: two lines share a row when they overlap vertically by this share of the lower one's height
ROW_OVERLAP = 0.5


def order_lines(lines: Sequence[TextLine], *, left: float | None = None,
                right: float | None = None) -> list[Block]:
    """The page's lines as blocks in reading order (see module doc).

    ``left``/``right`` are the text area's edges when known; by default each block's right edge
    is the margin its own lines reach (:func:`right_margin`).
    """
    usable = [line for line in lines if line.text.strip() and line.width >= 0 and line.height > 0]
    if not usable:
        return []
    return _order(usable, left, right, depth=0)


def _order(lines: list[TextLine], left: float | None, right: float | None, depth: int) -> list[Block]:
    split = _find_gutter(lines) if depth < 6 else None
    if split is None:
        return [_leaf(lines, left, right)]
    left_lines, right_lines, crossers, _mid = split
    l_left = min(line.x0 for line in left_lines)
    l_right = right_margin([line.x1 for line in left_lines])
    r_left = min(line.x0 for line in right_lines)
    # a right column whose lines all end early (the end of a text) is as wide as the left one
    r_right = max(right_margin([line.x1 for line in right_lines]), r_left + (l_right - l_left))
    if right is not None:
        r_right = max(r_right, right)
    # A crosser's row-mates (lines beside it on the same baseline) read with it.
    spanning: list[list[TextLine]] = []
    rest_left, rest_right = list(left_lines), list(right_lines)
    for crosser in sorted(crossers, key=lambda line: line.top):
        group = [crosser]
        for side in (rest_left, rest_right):
            mates = [line for line in side if _same_row(line, crosser)]
            for mate in mates:
                side.remove(mate)
            group.extend(mates)
        spanning.append(group)
    # Cut the page into bands at the spanning rows; consecutive spanning rows with nothing
    # between them form one full-width stretch.
    spanning.sort(key=lambda group: statistics.fmean(_mid_y(line) for line in group))
    cut_ys = [statistics.fmean(_mid_y(line) for line in group) for group in spanning]
    blocks: list[Block] = []
    pending_full: list[TextLine] = []
    for k in range(len(spanning) + 1):
        low = cut_ys[k - 1] if k > 0 else float("-inf")
        high = cut_ys[k] if k < len(spanning) else float("inf")
        band_left = [ln for ln in rest_left if low <= _mid_y(ln) < high]
        band_right = [ln for ln in rest_right if low <= _mid_y(ln) < high]
        if band_left or band_right:
            if pending_full:
                blocks.append(_leaf(pending_full, left, right))
                pending_full = []
            if band_left:
                blocks.extend(_order(band_left, left, l_right, depth + 1))
            if band_right:
                blocks.extend(_order(band_right, r_left, r_right, depth + 1))
        if k < len(spanning):
            pending_full.extend(spanning[k])
    if pending_full:
        blocks.append(_leaf(pending_full, left, right))
    return blocks


def _mid_y(line: TextLine) -> float:
    return (line.top + line.bottom) / 2


def _same_row(a: TextLine | Row, b: TextLine | Row) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= ROW_OVERLAP * min(a.height, b.height)


def _find_gutter(lines: list[TextLine]):
    """``(left lines, right lines, crossing lines, gutter centre)`` of the best gutter, or None."""
    n = len(lines)
    if n < 2 * MIN_SIDE_LINES + 1:
        return None
    x_min = min(line.x0 for line in lines)
    x_max = max(line.x1 for line in lines)
    width = x_max - x_min
    if width <= 0:
        return None
    heights = sorted(line.height for line in lines)
    half = max(MIN_GUTTER, GUTTER_HEIGHT_SHARE * heights[len(heights) // 2]) / 2
    ends = sorted(line.x1 for line in lines)
    starts = sorted(line.x0 for line in lines)
    max_cross = max(1, int(MAX_CROSSING_SHARE * n))

    # Lines that intrude into the window [x - half, x + half], on a 1-pt grid over the middle.
    lo = x_min + MIN_SIDE_SHARE * width
    hi = x_max - MIN_SIDE_SHARE * width
    if hi <= lo:
        return None
    grid: list[tuple[float, int]] = []
    x = lo
    while x <= hi:
        left_of = bisect.bisect_right(ends, x - half)
        right_of = n - bisect.bisect_left(starts, x + half)
        grid.append((x, n - left_of - right_of))
        x += 1.0
    # Runs of grid points at the same local minimum of intruders, best first.
    runs: list[tuple[int, float, float]] = []
    i = 0
    while i < len(grid):
        j = i
        while j + 1 < len(grid) and grid[j + 1][1] == grid[i][1]:
            j += 1
        count = grid[i][1]
        is_min = (i == 0 or grid[i - 1][1] > count) and (j == len(grid) - 1 or grid[j + 1][1] > count)
        if count <= max_cross and is_min:
            runs.append((count, grid[i][0], grid[j][0]))
        i = j + 1
    runs.sort(key=lambda run: (run[0], -(run[2] - run[1])))
    for count, a, b in runs:
        split = _split_at(lines, (a + b) / 2, half + (b - a) / 2, x_min, x_max)
        if split is not None:
            return split
    return None


def _split_at(lines: list[TextLine], mid: float, half: float, x_min: float, x_max: float):
    core_left = [line for line in lines if line.x1 <= mid - half]
    core_right = [line for line in lines if line.x0 >= mid + half]
    if len(core_left) < MIN_SIDE_LINES or len(core_right) < MIN_SIDE_LINES:
        return None
    l_edge = max(line.x1 for line in core_left)
    r_edge = min(line.x0 for line in core_right)
    tolerance = half
    left_lines, right_lines, crossers = [], [], []
    for line in lines:
        if line.x1 <= r_edge + tolerance and line.x0 < mid:
            left_lines.append(line)
        elif line.x0 >= l_edge - tolerance and line.x1 > mid:
            right_lines.append(line)
        else:
            crossers.append(line)
    if len(crossers) > max(1, int(MAX_CROSSING_SHARE * len(lines))):
        return None
    width = x_max - x_min
    l_min = min(line.x0 for line in left_lines)
    r_max = max(line.x1 for line in right_lines)
    l_width = max(line.x1 for line in left_lines) - l_min
    r_width = r_max - min(line.x0 for line in right_lines)
    if l_width < MIN_SIDE_SHARE * width or r_width < MIN_SIDE_SHARE * width:
        return None
    l_chars = sum(len(line.text) for line in left_lines)
    r_chars = sum(len(line.text) for line in right_lines)
    total = l_chars + r_chars
    if min(l_chars, r_chars) < MIN_SIDE_CHAR_SHARE * total:
        return None
    if _fill(left_lines, l_width) < MIN_COLUMN_FILL or _fill(right_lines, r_width) < MIN_COLUMN_FILL:
        return None
    # The two sides must stand side by side, not one above the other: the heights covered by
    # text on the left and on the right mostly coincide.
    l_cover = _union([(ln.top, ln.bottom) for ln in left_lines])
    r_cover = _union([(ln.top, ln.bottom) for ln in right_lines])
    shared = _intersection_length(l_cover, r_cover)
    if shared < MIN_SIDE_BY_SIDE * min(_length(l_cover), _length(r_cover)):
        return None
    return left_lines, right_lines, crossers, mid


def _union(intervals: list[tuple[float, float]], slack: float = 3.0) -> list[tuple[float, float]]:
    """Intervals merged where they overlap or lie within ``slack`` of each other."""
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1] + slack:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _length(intervals: list[tuple[float, float]]) -> float:
    return sum(b - a for a, b in intervals)


def _intersection_length(xs: list[tuple[float, float]], ys: list[tuple[float, float]]) -> float:
    total, i, j = 0.0, 0, 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if b > a:
            total += b - a
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return total


def _fill(lines: list[TextLine], side_width: float) -> float:
    if side_width <= 0:
        return 0.0
    widths = sorted(line.width for line in lines)
    return widths[min(len(widths) - 1, int(0.8 * len(widths)))] / side_width


def _leaf(lines: list[TextLine], left: float | None, right: float | None) -> Block:
    rows = merge_rows(lines)
    own_right = right_margin([r.x1 for r in rows])
    return Block(rows=tuple(rows), left=min([r.x0 for r in rows] + ([left] if left is not None else [])),
                 right=max(own_right, right) if right is not None else own_right)


def group_rows(lines: Sequence[TextLine]) -> list[list[int]]:
    """Indexes of the lines that share a baseline, each row left to right, rows top to bottom.

    A line joins a row when it overlaps the row's first line vertically by half the smaller
    height (so a row does not creep downwards).
    """
    order = sorted(range(len(lines)), key=lambda i: (lines[i].top, lines[i].x0))
    groups: list[list[int]] = []
    for i in order:
        for group in reversed(groups[-3:]):
            if _same_row(lines[group[0]], lines[i]):
                group.append(i)
                break
        else:
            groups.append([i])
    for group in groups:
        group.sort(key=lambda i: lines[i].x0)
    groups.sort(key=lambda g: (min(lines[i].top for i in g), lines[g[0]].x0))
    return groups


def merge_rows(lines: Sequence[TextLine]) -> list[Row]:
    """Lines that share a baseline joined left to right into rows, top to bottom; a line drawn
    twice at (almost) the same place (fake bold) is kept once."""
    rows = []
    for group in group_rows(lines):
        parts: list[TextLine] = []
        for line in (lines[i] for i in group):
            if parts and line.text == parts[-1].text and line.x0 - parts[-1].x0 < 0.5 * max(1.0, line.width):
                continue
            parts.append(line)
        rows.append(Row(
            x0=min(p.x0 for p in parts), top=min(p.top for p in parts),
            x1=max(p.x1 for p in parts), bottom=max(p.bottom for p in parts),
            text=" ".join(p.text.strip() for p in parts if p.text.strip()),
        ))
    return rows


def right_margin(x1s: Sequence[float], tolerance: float = 3.0) -> float:
    """The right edge of a text column from its lines' right ends: the furthest end that at least
    two lines (and a tenth of them) reach within ``tolerance``; a lone line sticking out (a page
    number, a reference at the margin) does not move it. The furthest end when none qualifies."""
    ends = sorted(x1s, reverse=True)
    if not ends:
        return 0.0
    need = max(2, len(ends) // 10)
    negated = [-e for e in ends]  # ascending, for bisect
    for i, end in enumerate(ends):
        j = bisect.bisect_right(negated, -(end - tolerance))
        if j - i >= need:
            return end
        if i > len(ends) // 2:
            break
    return ends[0]


def split_paragraphs(block: Block) -> list[list[Row]]:
    """A block's rows cut into paragraphs where the vertical gap is larger than between the lines
    of a paragraph, or the font size changes; never after a word broken at the line end."""
    rows = block.rows
    if not rows:
        return []
    heights = [row.height for row in rows]
    h = statistics.median(heights)
    gaps = [max(0.0, b.top - a.bottom) for a, b in zip(rows, rows[1:])]
    # the usual gap between lines of one paragraph: the lower half of the gaps
    usual = statistics.median(sorted(gaps)[: max(1, (len(gaps) + 1) // 2)]) if gaps else 0.0
    limit = max(usual + 0.45 * h, 0.6 * h)
    paragraphs: list[list[Row]] = [[rows[0]]]
    for prev, row, gap in zip(rows, rows[1:], gaps):
        size_change = max(prev.height, row.height) > 1.3 * min(prev.height, row.height)
        broken_word = is_line_end_hyphen(prev.text) and row.text[:1].islower()
        if not broken_word and (gap > limit or (size_change and gap > 0.25 * h)):
            paragraphs.append([row])
        else:
            paragraphs[-1].append(row)
    return paragraphs
