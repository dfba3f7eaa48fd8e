"""Readers of the training sources in ../shared/data/german_ner, each yielding sentences with
model tags (see :mod:`nlp.training.labels`): GermEval 2014, EuroParl, LER, SmartData, WikiANN."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.evaluation import Span, iter_conll, iter_germeval
from nlp.training import labels


@dataclass(frozen=True)
class TrainSentence:
    """Tokens and model tags (``B-X``, ``I-X``, ``O``, or ``""`` for missing) of one sentence
    or paragraph, and the name of the source it came from."""

    words: tuple[str, ...]
    tags: tuple[str, ...]
    source: str


def germeval(path: Path, source: str = "germeval") -> Iterator[TrainSentence]:
    for s in iter_germeval(path):
        yield TrainSentence(s.words, labels.relabel(s.words, s.tags, labels.GERMEVAL), source)


def europarl(path: Path, source: str = "europarl") -> Iterator[TrainSentence]:
    """EuroParl (IOB1). Its MISC follows CoNLL 2003 and includes nationality adjectives
    ("europäischen", 69 times in train): lower-case spans become O, as GermEval's LOCderiv."""
    for s in iter_conll(path, scheme="iob1"):
        tags = labels.relabel(s.words, s.tags, labels.CONLL, lowercase=True)
        yield TrainSentence(s.words, tags, source)


def ler(path: Path, source: str = "ler") -> Iterator[TrainSentence]:
    for s in iter_conll(path, scheme="iob2"):
        yield TrainSentence(s.words, labels.relabel(s.words, s.tags, labels.LER), source)


def wikiann(path: Path, source: str = "wikiann") -> Iterator[TrainSentence]:
    for s in iter_conll(path, scheme="iob2", token_prefix="de:"):
        yield TrainSentence(s.words, labels.relabel(s.words, s.tags, labels.CONLL), source)


# ---------------------------------------------------------------------------------------------
# SmartData: raw text with character offsets, tokenised here with spaCy's German tokenizer
# ---------------------------------------------------------------------------------------------

_NON_SPACE = re.compile(r"\S")


def iter_json_documents(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON documents of a file that holds several pretty-printed documents back to back."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    decoder = json.JSONDecoder()
    position = 0
    while match := _NON_SPACE.search(text, position):
        document, position = decoder.raw_decode(text, match.start())
        yield document


def smartdata(path: Path, source: str = "smartdata") -> Iterator[TrainSentence]:
    """SmartData v1 documents, one :class:`TrainSentence` per non-empty line of text.

    Mentions are char offsets into ``text.string``; they are aligned to spaCy tokens (expanded
    to token boundaries). Nested mentions keep the outermost; lower-case spans become O.
    """
    import spacy

    tokenizer = spacy.blank("de").tokenizer
    for document in iter_json_documents(path):
        text: str = document["text"]["string"]
        mentions = sorted(
            (
                (m["span"]["start"], m["span"]["end"], m["type"])
                for m in (document.get("conceptMentions") or {}).get("array", [])
            ),
            key=lambda m: (m[0], -m[1]),
        )
        line_start = 0
        for line in text.split("\n"):
            line_end = line_start + len(line)
            inside = [(s - line_start, e - line_start, t) for s, e, t in mentions if s >= line_start and e <= line_end]
            sentence = _smartdata_line(tokenizer, line, inside, source)
            if sentence is not None:
                yield sentence
            line_start = line_end + 1


def _smartdata_line(
    tokenizer: Any, line: str, mentions: list[tuple[int, int, str]], source: str
) -> TrainSentence | None:
    doc = tokenizer(line)
    words = tuple(t.text for t in doc if not t.is_space)
    if not words:
        return None
    index = {t.i: n for n, t in enumerate(t for t in doc if not t.is_space)}
    tags = ["O"] * len(words)
    taken = [False] * len(words)
    for start, end, kind in mentions:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        token_ids = [index[t.i] for t in span if t.i in index]
        if not token_ids or any(taken[i] for i in token_ids):
            continue
        if kind not in labels.SMARTDATA:
            raise KeyError(f"no mapping for SmartData type {kind!r}")
        target = labels.lowercase_to_o(labels.SMARTDATA[kind], words[token_ids[0] :])
        labels.write_span(tags, Span(token_ids[0], token_ids[-1] + 1, "x"), target)
        for i in token_ids:
            taken[i] = True
    return TrainSentence(words, tuple(tags), source)
