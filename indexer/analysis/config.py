"""The settings of the analysis, with the defaults chosen by measurement (docs/analysis.md)."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.analysis.errors import AnalysisError

#: marks an unstemmed (folded, exact) term in the index: ``=burger`` beside the stem ``burg``
EXACT_MARK = "="


@dataclass(frozen=True)
class AnalysisConfig:
    """How words become index terms. Index and query side must use the same config.

    ``stemmer``      ``"snowball"`` (PyStemmer's Snowball German), ``"light"`` (Savoy) or ``"none"``.
    ``keep_exact``   also index the folded unstemmed word, marked ``=word`` (so ``Bürger`` can be
                     told from ``Burg``, both stemmed ``burg``).
    ``decompound``   index the parts of compounds at the compound's position.
    ``split_ratio``  a compound is split when its parts' geometric-mean count is at least this
                     share of the whole word's count (see :mod:`indexer.analysis.decompound`).
    ``part_boost``   the weight (term frequency) of a part term, relative to 1.0 for the word.
    ``stopwords``    drop the words of ``data/stopwords.txt``.
    ``synonyms``     :func:`indexer.analysis.expand_word` adds the synonyms of ``data/synonyms.tsv``.
    """

    stemmer: str = "snowball"
    keep_exact: bool = False
    decompound: bool = True
    split_ratio: float = 0.3
    part_boost: float = 0.5
    stopwords: bool = True
    synonyms: bool = True

    def __post_init__(self) -> None:
        if self.stemmer not in ("snowball", "light", "none"):
            raise AnalysisError(f"unknown stemmer {self.stemmer!r}", hint="snowball, light or none")
        if not 0.0 <= self.split_ratio:
            raise AnalysisError(f"split_ratio must be >= 0, got {self.split_ratio}")
        if not 0.0 < self.part_boost <= 1.0:
            raise AnalysisError(f"part_boost must be in (0, 1], got {self.part_boost}")


DEFAULT_CONFIG = AnalysisConfig()
