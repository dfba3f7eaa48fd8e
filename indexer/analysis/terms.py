"""From a token to its index terms: the primary term, and the extra terms at the same position.

For a word the primary term is the stem of its folded form; the extras are the stems of its
compound parts (and, with ``keep_exact``, the folded unstemmed word ``=word``). Other token kinds:

=========  ==================  ====================================================
kind       example             terms (primary, extras)
=========  ==================  ====================================================
word       Feuerwehrgerätehaus ``feuerwehrgeratehaus``; ``feuerwehr gerat haus``
word       Nord-Süd-Achse      ``nordsudachs``; ``nord sud achs``
word       OB                  ``ob`` (an acronym in capitals is never a stop word)
ref        2025/0923/1         ``2025/923/1``; ``2025/923 2025 923``
num        1.250.000           ``1250000``
date       12.03.2024          ``2024-03-12``; ``2024``
para       § 10                ``§10``; ``10``
abbr       z.B.                ``zb`` (a stop word)
=========  ==================  ====================================================

:class:`TermMaker` caches the terms of each distinct word (a bounded LRU cache), because council
vocabulary repeats: most of the time of analysis is the first sight of a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from indexer.analysis.config import DEFAULT_CONFIG, EXACT_MARK, AnalysisConfig
from indexer.analysis.decompound import Decompounder
from indexer.analysis.folding import fold
from indexer.analysis.lexicon import load_lexicon
from indexer.analysis.references import reference_terms
from indexer.analysis.stemming import WordStemmer, generic_form
from indexer.analysis.stopwords import stopwords

#: the cache of word → terms; council text has ~170k distinct word forms in 6 M words
WORD_CACHE_SIZE = 300_000


@dataclass(frozen=True, slots=True)
class Terms:
    """The terms of one token. ``primary`` is ``""`` for a stop word, whose folded form is ``stopped``."""

    primary: str
    extras: tuple[str, ...] = ()
    stopped: str = ""


_STOPPED_EMPTY = Terms("", (), "")


class TermMaker:
    """Turns tokens into terms under one :class:`AnalysisConfig` (cached; safe to share)."""

    def __init__(self, config: AnalysisConfig = DEFAULT_CONFIG) -> None:
        self.config = config
        lexicon = load_lexicon()
        self.stopwords = stopwords() if config.stopwords else frozenset()
        self.stemmer = WordStemmer(config.stemmer, lexicon.counts)
        self.decompounder = (
            Decompounder(lexicon, stopwords(), ratio=config.split_ratio) if config.decompound else None
        )
        self.word = lru_cache(maxsize=WORD_CACHE_SIZE)(self._word)  # type: ignore[method-assign]

    # -- words ---------------------------------------------------------------------------------

    def parts(self, folded: str) -> tuple[str, ...]:
        """The stems of the compound parts of a folded (generic) word, without the word's own stem."""
        if self.decompounder is None:
            return ()
        stem = self.stemmer.stem
        return tuple(dict.fromkeys(stem(p) for p in self.decompounder.subwords(folded)))

    def _simple_word(self, text: str) -> Terms:
        folded = fold(text)
        if folded in self.stopwords and not (text.isupper() and len(text) > 1):
            return Terms("", (), folded)
        generic = generic_form(folded)
        primary = self.stemmer.stem(generic)
        extras = [p for p in self.parts(generic) if p != primary] if generic.isalpha() else []
        if self.config.keep_exact and generic != primary:
            extras.insert(0, EXACT_MARK + generic)
        return Terms(primary, tuple(extras))

    def _word(self, text: str) -> Terms:
        if "-" not in text:
            return self._simple_word(text)
        pieces = [p for p in text.split("-") if p]
        if not pieces:
            return _STOPPED_EMPTY
        whole = self._simple_word("".join(pieces))
        extras: list[str] = list(whole.extras)
        for piece in pieces:
            if len(piece) < 2:
                continue
            t = self.word(piece)
            if t.primary:
                extras.append(t.primary)
                extras.extend(t.extras)
        primary = whole.primary or whole.stopped
        return Terms(primary, tuple(dict.fromkeys(e for e in extras if e != primary)))

    # -- tokens --------------------------------------------------------------------------------

    def token(self, kind: str, text: str) -> Terms:
        """The terms of a token of ``kind`` (see :mod:`indexer.analysis.tokens`)."""
        if kind == "word":
            return self.word(text)
        if kind == "ref" or kind == "lref":
            key, extras = reference_terms(text)
            return Terms(key, extras)
        if kind == "num":
            return Terms(text.replace(".", ""))
        if kind == "date":
            return _date_terms(text)
        if kind == "para":
            number = text.lstrip("§").strip().lower()
            return Terms("§" + number, (number,))
        # abbr: "z.B." → "zb"
        folded = fold(text.replace(".", ""))
        if folded in self.stopwords:
            return Terms("", (), folded)
        return Terms(folded)


def _date_terms(text: str) -> Terms:
    day, month, year = text.split(".")
    d, m = int(day), int(month)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return Terms(text)
    if len(year) == 2:
        year = ("20" if int(year) < 50 else "19") + year
    return Terms(f"{year}-{m:02d}-{d:02d}", (year,))
