"""Passages: the pieces of a document that are indexed, embedded and shown as hits.

A document's pages are cut at agenda items (TOP 5, Zu Punkt 5:, Tagesordnungspunkt 5, the sections
of an Auszug), at speaker turns (from the NER speakers, else a simple "Name (Partei):" rule) and at
paragraphs; paragraphs are packed into passages up to ``max_tokens`` word pieces of the embedding
model's tokenizer, and a paragraph that alone is too long is cut at sentences, then at words.
Passages never cross a page, so each has one page number; ``start``/``end`` are offsets into that
page's text, so ``page.text[start:end] == passage.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from corpora.model import Page
from nlp.annotations import Speaker

TokenCounter = Callable[[str], int]

_AGENDA = re.compile(
    r"^(?:(?:TOP|Top)\s*[ÖöNn]?\s*\d+(?:\.\d+)*\b|Zu\s+(?:Punkt|TOP)\s+\d+|Tagesordnungspunkt\s+\d+"
    r"|(?:Wortprotokoll|Beschlussvorschlag|Beschluss|Abstimmungsergebnis|Sachverhalt|Begründung)\s*:?\s*$)",
    re.MULTILINE,
)
# Fallback when NER found no speakers: "Herr Dräger (SPD):", "Oberbürgermeisterin Henriette Reker:",
# "Lino Hammer (Bündnis 90/Die Grünen):" at the start of a line (a title or a party is required).
_NAME = r"(?:Dr\.[ \t]+)?[A-ZÄÖÜ][\w'.-]+(?:[ \t]+[A-ZÄÖÜ][\w'.-]+){0,3}"
_TITLE = (r"(?:Herr|Frau|Ratsherr|Ratsfrau|Stadtrat|Stadträtin|(?:Ober)?[Bb]ürgermeister(?:in)?|"
          r"Stadtdirektor(?:in)?|Beigeordnete[r]?|Bezirksbürgermeister(?:in)?)")
_TURN = re.compile(
    rf"^(?:{_TITLE}[ \t]+{_NAME}(?:[ \t]*\([^()\n]{{1,40}}\))?|{_NAME}[ \t]*\([^()\n]{{1,40}}\)):(?=\s)",
    re.MULTILINE,
)
_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-ZÄÖÜ0-9„\"(])")
_WORDS_PER_PIECE = 1 / 2.4  # German text: ~2.4 word pieces per word in the MiniLM tokenizer


def estimate_tokens(text: str) -> int:
    """Word pieces of German text without a tokenizer at hand (when embeddings are off)."""
    return int(len(text.split()) / _WORDS_PER_PIECE) + 1


@dataclass(frozen=True)
class Passage:
    ord: int
    page: int
    start: int
    end: int
    text: str
    heading: str | None = None
    speaker: str | None = None
    tokens: int = 0


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    boundary: str | None  # "agenda" or "turn" when the block opens one
    label: str | None     # the agenda heading or the speaker


def _blocks(text: str, turns: Sequence[tuple[int, str]]) -> list[_Block]:
    """Paragraphs of a page, cut also where an agenda item or a speaker turn begins."""
    cuts: dict[int, tuple[str, str]] = {}
    for m in _AGENDA.finditer(text):
        line_end = text.find("\n", m.start())
        label = text[m.start(): line_end if line_end != -1 else len(text)].strip()
        cuts[m.start()] = ("agenda", label[:200])
    for offset, name in turns:
        cuts.setdefault(offset, ("turn", name))
    for m in _PARAGRAPH.finditer(text):
        cuts.setdefault(m.end(), ("", ""))
    bounds = sorted(set(cuts) | {0})
    blocks = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else len(text)
        # trim white space at both ends, keep offsets exact
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        kind, label = cuts.get(bounds[i], ("", ""))
        blocks.append(_Block(start, end, kind or None, label or None))
    return blocks


def _split_long(text: str, start: int, end: int, count: TokenCounter, max_tokens: int) -> list[tuple[int, int]]:
    """Cut an over-long block at sentence ends, then at word boundaries."""
    pieces: list[tuple[int, int]] = []
    cur_start = start
    sentence_bounds = [start + m.start() for m in _SENTENCE_END.finditer(text[start:end])] + [end]
    cur_end = start
    for b in sentence_bounds:
        if count(text[cur_start:b]) <= max_tokens:
            cur_end = b
            continue
        if cur_end > cur_start:
            pieces.append((cur_start, cur_end))
            cur_start = cur_end
            while cur_start < b and text[cur_start].isspace():
                cur_start += 1
        # the sentence itself may be too long: cut at words
        while count(text[cur_start:b]) > max_tokens:
            words = [m.end() for m in re.finditer(r"\S+", text[cur_start:b])]
            lo, hi = 1, len(words)
            while lo < hi:  # largest prefix of words that fits
                mid = (lo + hi + 1) // 2
                if count(text[cur_start:cur_start + words[mid - 1]]) <= max_tokens:
                    lo = mid
                else:
                    hi = mid - 1
            cut = cur_start + words[max(lo, 1) - 1]
            pieces.append((cur_start, cut))
            cur_start = cut
            while cur_start < b and text[cur_start].isspace():
                cur_start += 1
        cur_end = b
    if cur_end > cur_start:
        pieces.append((cur_start, cur_end))
    return pieces


def _turn_start(text: str, name_start: int) -> int:
    """A speaker's offset points at the name; the turn starts with the line when only a title or
    form of address stands before it ("Oberbürgermeisterin Henriette Reker:")."""
    line_start = text.rfind("\n", 0, name_start) + 1
    prefix = text[line_start:name_start]
    if len(prefix) <= 60 and not re.search(r"[.!?:;]", prefix):
        return line_start
    return name_start


def make_passages(pages: Iterable[Page], *, count: TokenCounter = estimate_tokens, max_tokens: int = 240,
                  speakers: Sequence[Speaker] = (), min_tokens: int = 24) -> list[Passage]:
    """Cut pages into passages (see the module docstring)."""
    pages = list(pages)
    turns_by_page: dict[int, list[tuple[int, str]]] = {}
    for s in speakers:
        if s.role in ("speaker", "chair"):
            label = f"{s.name} ({s.party})" if s.party else s.name
            turns_by_page.setdefault(s.page, []).append((s.start, label))
    texts = {p.number: p.text for p in pages} if turns_by_page else {}
    for number, turns in turns_by_page.items():
        turns[:] = [(_turn_start(texts.get(number, ""), start), label) for start, label in turns]
    out: list[Passage] = []
    heading: str | None = None
    speaker: str | None = None
    for page in pages:
        text = page.text
        turns = turns_by_page.get(page.number)
        if turns is None:
            turns = [(m.start(), m.group(0).rstrip(":").strip()) for m in _TURN.finditer(text)]
        # passage under construction: [start, end) and its token count
        cur: list[int] | None = None
        cur_tokens = 0
        cur_heading, cur_speaker = heading, speaker

        def flush() -> None:
            nonlocal cur, cur_tokens
            if cur is not None and cur[1] > cur[0]:
                out.append(Passage(ord=len(out), page=page.number, start=cur[0], end=cur[1],
                                   text=text[cur[0]:cur[1]], heading=cur_heading, speaker=cur_speaker,
                                   tokens=cur_tokens))
            cur, cur_tokens = None, 0

        for block in _blocks(text, turns):
            if block.boundary == "agenda":
                flush()
                heading, speaker = block.label, None
            elif block.boundary == "turn":
                if cur_tokens >= min_tokens:
                    flush()
                speaker = block.label
            n = count(text[block.start:block.end])
            if n > max_tokens:
                flush()
                cur_heading, cur_speaker = heading, speaker
                for s, e in _split_long(text, block.start, block.end, count, max_tokens):
                    cur, cur_tokens = [s, e], count(text[s:e])
                    flush()
                continue
            if cur is not None and cur_tokens + n > max_tokens:
                flush()
            if cur is None:
                cur, cur_tokens = [block.start, block.end], n
                cur_heading, cur_speaker = heading, speaker
            else:
                cur[1], cur_tokens = block.end, cur_tokens + n
        flush()
    return out
