"""The Whoosh analyzers: German analysis as one Whoosh ``Analyzer`` for index and query time.

Whoosh stores a pickled schema in the index, analyzers included. :class:`GermanAnalyzer` pickles as
its :class:`AnalysisConfig` and flags only, and rebuilds its caches on load, so an index stays
readable as long as this class keeps its import path ``indexer.analysis.analyzer.GermanAnalyzer``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Analyzer, Token

from indexer.analysis.config import DEFAULT_CONFIG, EXACT_MARK, AnalysisConfig
from indexer.analysis.terms import TermMaker
from indexer.analysis.tokens import iter_token_tuples


@lru_cache(maxsize=8)
def term_maker(config: AnalysisConfig = DEFAULT_CONFIG) -> TermMaker:
    """The shared :class:`TermMaker` of ``config`` (one per config and process: its caches are big)."""
    return TermMaker(config)


class GermanAnalyzer(Analyzer):
    """Tokenises, folds, drops stop words, stems and decompounds German text (see the package doc).

    At index time (``mode="index"``, Whoosh's default when it indexes) each word yields its primary
    term and, at the same position, the terms of its parts. At query time (``mode="query"``, as
    Whoosh's ``QueryParser`` calls it) and always when ``parts=False``, only the primary term.
    Positions count the words that are not stop words, as Whoosh's own ``StopFilter`` does, so
    phrase queries see ``Feuerwehr der Stadt`` as ``feuerwehr stadt``.
    """

    def __init__(self, config: AnalysisConfig = DEFAULT_CONFIG, parts: bool = True) -> None:
        self.config = config
        self.parts = parts
        self._terms = term_maker(config)

    def __getstate__(self) -> dict:
        return {"config": self.config, "parts": self.parts}

    def __setstate__(self, state: dict) -> None:
        self.config = state["config"]
        self.parts = state["parts"]
        self._terms = term_maker(self.config)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, GermanAnalyzer) and self.config == other.config and self.parts == other.parts
        )

    def __hash__(self) -> int:
        return hash((self.config, self.parts))

    def __repr__(self) -> str:
        return f"GermanAnalyzer({self.config!r}, parts={self.parts})"

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        with_parts = self.parts and mode != "query"
        part_boost = self.config.part_boost
        terms_of = self._terms.token
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for kind, text, start, end in iter_token_tuples(value):
            terms = terms_of(kind, text)
            primary = terms.primary
            if not primary and removestops:
                continue
            # one Token object is reused for every term (Whoosh's convention); a stop word keeps
            # its position slot only when stop words are kept
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            t.stopped = not primary
            t.text = primary or terms.stopped
            t.boost = 1.0
            yield t
            if not primary:
                continue
            if with_parts and terms.extras:
                for extra in terms.extras:  # parts at the compound's own position
                    t.text = extra
                    t.boost = 1.0 if extra[0] == EXACT_MARK else part_boost
                    yield t
            pos += 1


def index_analyzer(config: AnalysisConfig = DEFAULT_CONFIG) -> GermanAnalyzer:
    """The analyzer for body and title fields: words with their parts (primary only at query time)."""
    return GermanAnalyzer(config, parts=True)


def query_analyzer(config: AnalysisConfig = DEFAULT_CONFIG) -> GermanAnalyzer:
    """The analyzer for query text: one primary term per word, usable by Whoosh's QueryParser."""
    return GermanAnalyzer(config, parts=False)
