"""The word-frequency lexicon that drives decompounding (package data ``data/lexicon.tsv.gz``).

A gzipped TSV, ``folded word<TAB>count<TAB>capitalised count`` per line, most frequent first,
after ``#`` header lines that say how it was built. It is made by
``python -m indexer.analysis.build_lexicon`` from the council texts and the German retrieval
corpora in ``../shared/data`` (see that module); the counts are of folded words
(:func:`indexer.analysis.folding.fold`), so that lookups need no further folding. The capitalised
count tells nouns (German writes them with a capital) from other words.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from indexer.analysis.errors import AnalysisError

LEXICON_RESOURCE = "data/lexicon.tsv.gz"


@dataclass(frozen=True)
class Lexicon:
    """Corpus counts of folded words: how often each was seen, and how often capitalised."""

    counts: Mapping[str, int] = field(repr=False)
    capitalised: Mapping[str, int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.counts)

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def noun_share(self, word: str) -> float:
        """The share of the word's occurrences written with a capital (nouns: near 1)."""
        n = self.counts.get(word, 0)
        return self.capitalised.get(word, 0) / n if n else 0.0


def read_lexicon(raw: bytes) -> Lexicon:
    """Parse the gzipped TSV ``raw``."""
    counts: dict[str, int] = {}
    capitalised: dict[str, int] = {}
    with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3 or not fields[1].isdigit() or not fields[2].isdigit():
                raise AnalysisError(f"lexicon line {lineno}: expected 'word<TAB>count<TAB>count', got {line!r}")
            counts[fields[0]] = int(fields[1])
            capitalised[fields[0]] = int(fields[2])
    return Lexicon(counts, capitalised)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged lexicon, loaded once per process."""
    resource = resources.files("indexer.analysis").joinpath(LEXICON_RESOURCE)
    try:
        raw = resource.read_bytes()
    except FileNotFoundError as exc:
        raise AnalysisError(
            "the decompounding lexicon is missing", hint="python -m indexer.analysis.build_lexicon"
        ) from exc
    return read_lexicon(raw)


def write_lexicon(path: Path, rows: Iterable[tuple[str, int, int]], header: Iterable[str]) -> None:
    """Write ``(word, count, capitalised count)`` rows (already in order) as a reproducible gzipped
    TSV (no timestamp in the gzip header)."""
    buf = io.StringIO()
    for line in header:
        buf.write(f"# {line}\n")
    for word, count, cap in rows:
        buf.write(f"{word}\t{count}\t{cap}\n")
    with open(path, "wb") as fh, gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
