"""Text that a source already gives (OParl ``File.text``, TXT files), cleaned like extracted text.

Such text was extracted by someone else, so it has the same artefacts but no layout left to use:
characters are cleaned (:func:`cleanup.clean_text`), running headers and footers are found by
repetition of a line, modulo its digits, at the top or bottom of many pages (the text-only
counterpart of :mod:`running`), page numbers ("- 2 -", "Seite 2 von 5") are dropped, and words
broken at line ends are joined (:func:`hyphenation.dehyphenate`).
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from corpora.model import Page

from .cleanup import clean_text
from .hyphenation import dehyphenate
from .running import page_number_of, running_key

#: lines at each edge of a page that may be running headers or footers
EDGE_LINES = 2
#: share of the pages a running line must come back on: without positions to go by, text alone
#: needs more evidence than the layout-based detection of PDFs
MIN_PAGE_SHARE = 0.5


#: running headers and footers are short lines; a long line at a page edge is text
MAX_RUNNING_LENGTH = 120


def _edges(lines: list[str]) -> list[int]:
    """Indexes of the first and last ``EDGE_LINES`` non-empty lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def running_keys(pages: Sequence[list[str]]) -> set[str]:
    """Keys of lines that come back at a page edge on many pages of one document."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({running_key(lines[i]) for i in _edges(lines)
                     if sum(c.isalpha() for c in lines[i]) >= 3 and len(lines[i]) <= MAX_RUNNING_LENGTH})
    need = max(3, int(MIN_PAGE_SHARE * len(pages) + 0.999))
    return {key for key, n in seen.items() if n >= need}


def clean_source_pages(pages: Sequence[Page]) -> list[Page]:
    split = [clean_text(p.text).split("\n") for p in pages]
    keys = running_keys(split)
    out = []
    for page, lines in zip(pages, split):
        drop = {i for i in _edges(lines) if running_key(lines[i]) in keys}
        # decorated page numbers anywhere ("- 2 -", "Seite 2 von 5"): page furniture of a text
        # whose page breaks were lost
        drop |= {i for i, line in enumerate(lines) if line and page_number_of(line, bare=False)}
        kept = "\n".join(line for i, line in enumerate(lines) if i not in drop).strip("\n")
        out.append(Page(page.number, dehyphenate(kept)))
    return out
