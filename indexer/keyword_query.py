"""From a parsed user query to Whoosh queries over the keyword index.

Each word becomes the OR of its alternatives from the German analysis (the word itself, its
compound parts as a conjunction, its synonyms), each searched in title, heading and body. Words are
combined with AND ("all terms"); :func:`build` can also combine them with OR for the fallback when
AND finds too little. Reference numbers add a strongly boosted clause on the ``refs`` field. Words
that are not in the index at all are matched fuzzily (edit distance 1, 2 for long words), and
exact matches outrank fuzzy ones by boost.
"""

from __future__ import annotations

from typing import Protocol

from indexer import analysis
from indexer.query import Clause, ParsedQuery

TEXT_FIELDS = ("title", "heading", "body")
#: a prefix or fuzzy word expands to at most this many index terms (the most frequent)
MAX_EXPANSION_TERMS = 12
#: at most this many prefix or fuzzy words per query; further ones are matched exactly
MAX_EXPANSIVE_WORDS = 2
FUZZY_BOOST = 0.4
#: boost of a word's further alternatives (compound parts, synonyms) against the word itself
ALTERNATIVE_BOOST = 0.5
#: queries of more words than this are answered with OR at once (a question as AND finds nothing)
ALL_TERMS_MAX_WORDS = 4


class TermSource(Protocol):
    """What query building needs to know about the index (one generation of it)."""

    def term_exists(self, field: str, term: str) -> bool: ...
    def expand_prefix(self, field: str, prefix: str, limit: int) -> list[str]: ...
    def fuzzy_terms(self, field: str, term: str, maxdist: int, limit: int) -> list[str]: ...


def _any_field(term: str, boost: float = 1.0):  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    return wq.Or([wq.Term(f, term, boost=boost) for f in TEXT_FIELDS])


def _conjunction(terms: tuple[str, ...], boost: float = 1.0):  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    if len(terms) == 1:
        return _any_field(terms[0], boost)
    return wq.And([_any_field(t, boost) for t in terms])


def _primary(word: str) -> str | None:
    alts = analysis.expand_word(word)
    return alts[0][0] if alts and alts[0] else None


def _expanded(terms: list[str], boost: float):  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    return wq.Or([wq.Term(f, t, boost=boost) for t in terms for f in ("title", "body")]) if terms else None


def _word(c: Clause, index: TermSource, budget: list[int]):  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    if c.phrase:
        terms = [t for t in (_primary(w) for w in c.text.split()) if t]
        if not terms:
            return None
        if len(terms) == 1:
            return _any_field(terms[0])
        return wq.Or([wq.Phrase(f, terms) for f in TEXT_FIELDS])
    if c.prefix and budget[0] > 0:
        budget[0] -= 1
        stem = (_primary(c.text) or c.text.lower())[:max(len(c.text), 3)]
        return _expanded(index.expand_prefix("body", stem, MAX_EXPANSION_TERMS), 1.0) or _any_field(stem)
    alternatives = analysis.expand_word(c.text)
    parts = [_conjunction(alt, 1.0 if i == 0 else ALTERNATIVE_BOOST) for i, alt in enumerate(alternatives) if alt]
    primary = alternatives[0][0] if alternatives and alternatives[0] else None
    absent = primary is not None and not any(index.term_exists("body", t) or index.term_exists("title", t)
                                             for alt in alternatives for t in alt)
    if primary and (c.fuzzy or absent) and budget[0] > 0:
        budget[0] -= 1
        # the distance follows the word as typed: "Feuerwher" (9 letters) may be 2 edits from its stem
        fuzzy = _expanded(index.fuzzy_terms("body", primary, 2 if len(c.text) >= 8 else 1, MAX_EXPANSION_TERMS),
                          FUZZY_BOOST)
        if fuzzy is not None:
            parts.append(fuzzy)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _clause(c: Clause, index: TermSource, budget: list[int]):  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    options = [q for q in (_word(x, index, budget) for x in (c, *c.alternatives)) if q is not None]
    if not options:
        return None
    return options[0] if len(options) == 1 else wq.Or(options)


def build(pq: ParsedQuery, *, index: TermSource, combine: str = "and"):  # type: ignore[no-untyped-def]
    """The Whoosh query for ``pq`` (None when nothing searchable is left); ``index`` is consulted
    for the automatic fuzzy fallback and to expand prefix and fuzzy words (bounded)."""
    from whoosh import query as wq

    budget = [MAX_EXPANSIVE_WORDS]
    clauses = [q for q in (_clause(c, index, budget) for c in pq.clauses) if q is not None]
    main = None
    if clauses:
        main = clauses[0] if len(clauses) == 1 else (wq.And(clauses) if combine == "and" else wq.Or(clauses))
    if pq.references:
        refs = wq.Or([wq.Term("refs", analysis.normalize_reference(r), boost=10.0) for r in pq.references])
        main = refs if main is None else wq.Or([refs, main])
    if main is None:
        return None
    excluded = [q for q in (_clause(c, index, [0]) for c in pq.excluded) if q is not None]
    if excluded:
        main = wq.AndNot(main, wq.Or(excluded) if len(excluded) > 1 else excluded[0])
    return main
