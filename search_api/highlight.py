"""Highlighting: the words of a passage that match the query, marked in escaped HTML.

The passage is analysed with the same German analysis as the index (``highlight_terms`` gives each
word's character span and the index terms it stands for: the word, its stem, its compound parts),
so "Feuerwehr" marks "Feuerwehrgerätehaus". Text is escaped first; only our own ``<mark>`` tags are
inserted, so document text can never inject markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from typing import Collection, Sequence

from indexer import analysis


_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e"})


def _fold(text: str) -> str:
    return text.lower().translate(_FOLD)


# what a folded letter may have been in the text (ä, é, ß fold to a, e, ss); runs of s stand for ß too
_LOOSE = {"a": "[aä]", "o": "[oö]", "u": "[uü]", "e": "[eé]", "s": "(?:s+|ß)"}


_NON_SPACE = re.compile(r"\S*")


@lru_cache(maxsize=1024)
def _keys_pattern(keys: frozenset[str]) -> re.Pattern[str]:
    """Where one of the folded ``keys`` occurs in the text, in any spelling that folds to it (a
    superset: one regex scan instead of folding every word)."""
    alternatives = ("".join(_LOOSE.get(ch, re.escape(ch)) for ch in re.sub("s+", "s", key))
                    for key in sorted(keys))
    return re.compile("|".join(alternatives), re.IGNORECASE)


@lru_cache(maxsize=65536)
def _chunk_terms(chunk: str) -> tuple[tuple[int, int, str], ...]:
    """The analysis of one whitespace-separated chunk (the same words come back in every passage)."""
    return tuple(analysis.highlight_terms(chunk))


def match_spans(text: str, query_terms: Collection[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` indexed under any of ``query_terms``.

    Only chunks that contain the beginning of a query term (folded) are analysed: an index term is a
    stem, part or synonym key that starts like some word it comes from, so the others cannot match
    and analysing them (decompounding is the costly step) would be wasted."""
    keys = frozenset(_fold(t)[:4] for t in query_terms if t)
    if not keys:
        return []
    spans: list[tuple[int, int]] = []
    done = 0  # the end of the last chunk analysed
    for found in _keys_pattern(keys).finditer(text):
        if found.start() < done:
            continue
        begin = found.start()
        while begin > 0 and not text[begin - 1].isspace():
            begin -= 1
        done = _NON_SPACE.match(text, found.end()).end()
        for start, end, term in _chunk_terms(text[begin:done]):
            if term not in query_terms:
                continue
            start, end = start + begin, end + begin
            if spans and start < spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], end))
            else:
                spans.append((start, end))
    return spans


def window(text: str, spans: Sequence[tuple[int, int]], size: int) -> tuple[int, int]:
    """The stretch of ``text`` of about ``size`` characters with the most marks, cut at spaces."""
    if len(text) <= size:
        return 0, len(text)
    best_start, best_count = 0, -1
    for s, _ in spans or [(0, 0)]:
        start = max(0, s - size // 4)
        count = sum(1 for a, b in spans if a >= start and b <= start + size)
        if count > best_count:
            best_start, best_count = start, count
    start = best_start
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 40 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    return start, end


def highlight(text: str, query_terms: Collection[str], *, size: int = 360) -> str:
    """An HTML fragment of ``text`` with matches in ``<mark>``; "…" where it was cut."""
    spans = match_spans(text, query_terms) if query_terms else []
    start, end = window(text, spans, size)
    out = ["…" if start > 0 else ""]
    pos = start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return " ".join("".join(out).split())


def query_terms(words: Sequence[str]) -> set[str]:
    """Every index term a query's words stand for (their analysis alternatives)."""
    terms: set[str] = set()
    for word in words:
        for alternative in analysis.expand_word(word):
            terms.update(alternative)
    return terms
