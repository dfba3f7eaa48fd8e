"""Raw German text for unsupervised training (floret vectors, ``spacy pretrain``).

Sources: the extracted file texts of the Karlsruhe and Nordstemmen council dumps (~48 M
characters) and the raw sentences of the NER *training* corpora. Never the GermEval 2014 test
sentences, the LER test sentences, or our development sentences (GermEval hold-out, EuroParl
dev): they are excluded line by line.

Output: one paragraph per line, tokenised with spaCy's German tokenizer and joined by single
spaces (so that floret sees the tokens the model will see).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from nlp.training.sources import TrainSentence

COUNCIL_SOURCES = ("karlsruhe", "nordstemmen")

_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*([a-zäöüß])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_MAX_TOKENS = 400


def council_paragraphs(text: str) -> Iterator[str]:
    """Paragraphs of a PDF-extracted council text: hyphenation at line ends undone, lines
    joined, blank lines and form feeds as paragraph breaks, runs of spaces collapsed."""
    text = _HYPHEN_BREAK.sub(r"\1\2", text.replace("\r", ""))
    for block in re.split(r"\n\s*\n|\f", text):
        paragraph = _SPACES.sub(" ", " ".join(line.strip() for line in block.split("\n"))).strip()
        if len(paragraph) >= 20 and sum(c.isalpha() for c in paragraph) >= 0.5 * len(paragraph):
            yield paragraph


def iter_council_texts(council_root: Path) -> Iterator[str]:
    """The ``text`` of every File of the OParl dumps that have texts."""
    for name in COUNCIL_SOURCES:
        with gzip.open(council_root / name / "files.jsonl.gz", "rt", encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line).get("text")
                if text:
                    yield text


def write_raw_text(
    council_root: Path,
    training: Iterable[TrainSentence],
    excluded: set[tuple[str, ...]],
    out: Path,
) -> dict[str, int]:
    """Write the tokenised raw text to ``out``; return line and token counts per part.

    Paragraphs are de-duplicated (running headers, boilerplate); long ones are cut into pieces
    of at most 400 tokens.
    """
    import spacy

    tokenizer = spacy.blank("de").tokenizer
    excluded_lines = {" ".join(words) for words in excluded}
    seen: set[bytes] = set()
    counts = {"council_lines": 0, "council_tokens": 0, "ner_lines": 0, "ner_tokens": 0}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:

        def emit(tokens: list[str], part: str) -> None:
            for i in range(0, len(tokens), _MAX_TOKENS):
                line = " ".join(tokens[i : i + _MAX_TOKENS])
                digest = hashlib.blake2b(line.encode(), digest_size=12).digest()
                if line in excluded_lines or digest in seen:
                    continue
                seen.add(digest)
                handle.write(line + "\n")
                counts[f"{part}_lines"] += 1
                counts[f"{part}_tokens"] += len(tokens[i : i + _MAX_TOKENS])

        for text in iter_council_texts(council_root):
            for paragraph in council_paragraphs(text):
                emit([t.text for t in tokenizer(paragraph) if not t.is_space], "council")
        for sentence in training:
            emit(list(sentence.words), "ner")
    return counts


def write_pretrain_jsonl(raw_text: Path, out: Path) -> int:
    """The raw text as ``spacy pretrain`` input (``spacy.JsonlCorpus.v1``): one
    ``{"text": ...}`` object per line (the tokens joined by spaces; re-tokenising them gives
    the same tokens)."""
    count = 0
    with raw_text.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            text = line.strip()
            if text:
                dst.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                count += 1
    return count
