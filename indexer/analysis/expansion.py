"""Query-side helpers: what a query word may match (:func:`expand_word`), the words of a query
(:func:`query_words`), and which index terms each word of a text carries (:func:`highlight_terms`).
"""

from __future__ import annotations

from functools import lru_cache

from indexer.analysis.analyzer import term_maker
from indexer.analysis.config import DEFAULT_CONFIG, EXACT_MARK, AnalysisConfig
from indexer.analysis.stemming import generic_form
from indexer.analysis.folding import fold
from indexer.analysis.synonyms import synonym_groups
from indexer.analysis.tokens import iter_token_tuples

Alternative = tuple[str, ...]


def _primaries(text: str, config: AnalysisConfig) -> Alternative:
    """The primary terms of the non-stop tokens of ``text``, in order."""
    maker = term_maker(config)
    out: list[str] = []
    for kind, token, _s, _e in iter_token_tuples(text):
        primary = maker.token(kind, token).primary
        if primary:
            out.append(primary)
    return tuple(out)


@lru_cache(maxsize=8)
def _synonym_index(config: AnalysisConfig) -> dict[str, tuple[Alternative, ...]]:
    """primary term of a one-word entry → the analysed forms of the other entries of its group(s)."""
    index: dict[str, list[Alternative]] = {}
    for group in synonym_groups():
        analysed = [a for a in (_primaries(entry, config) for entry in group) if a]
        for a in analysed:
            if len(a) != 1:
                continue
            bucket = index.setdefault(a[0], [])
            for other in analysed:
                if other != a and other not in bucket:
                    bucket.append(other)
    return {k: tuple(v) for k, v in index.items()}


def synonyms_of(term: str, config: AnalysisConfig = DEFAULT_CONFIG) -> tuple[Alternative, ...]:
    """The analysed synonyms of a primary term: ``kita`` → ``(("kindertagesstatt",), …)``."""
    return _synonym_index(config).get(term, ())


@lru_cache(maxsize=50_000)
def expand_word(word: str, config: AnalysisConfig = DEFAULT_CONFIG) -> tuple[Alternative, ...]:
    """The alternatives a query word may match; each alternative is a conjunction of index terms.

    The first alternative is the word's own term; then (with ``keep_exact``) its unstemmed form;
    the parts of a compound (``Kitagebühren`` → ``("kita", "gebuhr")``), found in a document
    whether it wrote the compound or the words apart; the synonyms of the word (``Kita`` →
    ``("kindertagesstatt",)``), a synonym of several words as their conjunction. A stop word gives
    ``()``. ``word`` is one token as :func:`query_words` gives them (``DS 26/2022`` is two).
    """
    maker = term_maker(config)
    tokens = list(iter_token_tuples(word))
    if len(tokens) != 1:
        primaries = _primaries(word, config)
        return (primaries,) if primaries else ()
    kind, text, _s, _e = tokens[0]
    terms = maker.token(kind, text)
    if not terms.primary:
        return ()
    alternatives: list[Alternative] = [(terms.primary,)]
    if kind == "word":
        if config.keep_exact:
            exact = [e for e in terms.extras if e.startswith(EXACT_MARK)]
            alternatives.extend((e,) for e in exact)
        pieces = [p for p in text.split("-") if len(p) > 1]
        if len(pieces) > 1:
            parts = tuple(t for p in pieces if (t := maker.word(p).primary))
            if len(parts) > 1:
                alternatives.append(parts)
        elif maker.decompounder is not None:
            split = maker.decompounder.split(generic_form(fold(text)))
            if len(split) > 1:
                alternatives.append(tuple(dict.fromkeys(maker.stemmer.stem(p) for p in split)))
        if config.synonyms:
            alternatives.extend(synonyms_of(terms.primary, config))
    return tuple(dict.fromkeys(alternatives))


def query_words(query: str, config: AnalysisConfig = DEFAULT_CONFIG) -> list[str]:
    """The words of a query as the analysis sees them, stop words left out, each as written.

    ``"Kita Gebühren in der DS 26/2022"`` → ``["Kita", "Gebühren", "DS", "26/2022"]``; a hyphenated
    compound, a reference, a date and ``§ 10`` stay one word each.
    """
    maker = term_maker(config)
    return [
        query[s:e] for kind, text, s, e in iter_token_tuples(query) if maker.token(kind, text).primary
    ]


def highlight_terms(text: str, config: AnalysisConfig = DEFAULT_CONFIG) -> list[tuple[int, int, str]]:
    """``(start, end, term)`` for every index term of every word of ``text`` (character spans of the
    original text), the word's own term first and then its parts, words in order; stop words none.

    A passage's words that match a query are those whose term is among the query's terms.
    """
    maker = term_maker(config)
    out: list[tuple[int, int, str]] = []
    for kind, token, s, e in iter_token_tuples(text):
        terms = maker.token(kind, token)
        if not terms.primary:
            continue
        out.append((s, e, terms.primary))
        out.extend((s, e, extra) for extra in terms.extras)
    return out
