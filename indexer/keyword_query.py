"""From a parsed user query to a query plan over the keyword index.

Each word becomes the OR of its alternatives from the German analysis — the word itself, its
compound parts as a conjunction, its synonyms — each searched in title, heading and body. Words are
combined with AND ("all terms"); :func:`build` can also combine them with OR, for the fallback when
AND finds too little and for long questions. Reference numbers add a strongly boosted clause on the
``refs`` field. Words that are not in the index at all are matched fuzzily (edit distance 1, 2 for
long words), prefix words (``Radweg*``) expand to index terms; both are bounded. Exact matches
outrank fuzzy ones by boost.

A :class:`Plan` is plain data. :mod:`indexer.keyword` executes it with vectorised BM25F over the
index's posting lists; :func:`to_whoosh` turns it into a Whoosh query (for phrases, and to check
in the tests that both give the same matches and scores).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from indexer import analysis
from indexer.query import Clause, ParsedQuery

TEXT_FIELDS = ("title", "heading", "body")
EXPANSION_FIELDS = ("title", "body")
#: a prefix or fuzzy word expands to at most this many index terms (the most frequent)
MAX_EXPANSION_TERMS = 12
#: at most this many prefix or fuzzy words per query; further ones are matched exactly
MAX_EXPANSIVE_WORDS = 2
FUZZY_BOOST = 0.4
#: boost of a word's further alternatives (compound parts, synonyms) against the word itself
ALTERNATIVE_BOOST = 0.5
#: a compound word found in at least this many passages is not also looked up by its parts: its own
#: matches are plenty, and parts like "plan" or "beschluss" would make the query slow for no gain
PARTS_ONLY_BELOW = 50
#: queries of more words than this are answered with OR at once (a question as AND finds nothing)
ALL_TERMS_MAX_WORDS = 4
REFERENCE_BOOST = 10.0


class TermSource(Protocol):
    """What query building needs to know about the index (one generation of it)."""

    def term_exists(self, field: str, term: str) -> bool: ...
    def doc_frequency(self, field: str, term: str) -> int: ...
    def expand_prefix(self, field: str, prefix: str, limit: int) -> list[str]: ...
    def fuzzy_terms(self, field: str, term: str, maxdist: int, limit: int) -> list[str]: ...


@dataclass(frozen=True)
class Terms:
    """Passages with every one of ``terms`` (each in any of ``fields``), scored with ``boost``."""

    terms: tuple[str, ...]
    boost: float = 1.0
    fields: tuple[str, ...] = TEXT_FIELDS


@dataclass(frozen=True)
class Phrase:
    terms: tuple[str, ...]
    boost: float = 1.0
    fields: tuple[str, ...] = TEXT_FIELDS


Option = Terms | Phrase


@dataclass(frozen=True)
class PlanClause:
    """Passages matching any of the options; the scores of the options they match add up."""

    options: tuple[Option, ...]


@dataclass(frozen=True)
class Plan:
    clauses: tuple[PlanClause, ...]
    combine: str = "and"
    references: tuple[str, ...] = ()
    excluded: tuple[PlanClause, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.clauses and not self.references


def _primary(word: str) -> str | None:
    alts = analysis.expand_word(word)
    return alts[0][0] if alts and alts[0] else None


def _word(c: Clause, index: TermSource, budget: list[int]) -> list[Option]:
    if c.phrase:
        terms = tuple(t for t in (_primary(w) for w in c.text.split()) if t)
        if not terms:
            return []
        return [Terms(terms[:1])] if len(terms) == 1 else [Phrase(terms)]
    if c.prefix and budget[0] > 0:
        budget[0] -= 1
        stem = (_primary(c.text) or c.text.lower())[: max(len(c.text), 3)]
        expanded = index.expand_prefix("body", stem, MAX_EXPANSION_TERMS)
        return [Terms((t,), 1.0, EXPANSION_FIELDS) for t in expanded] or [Terms((stem,))]
    alternatives = [alt for alt in analysis.expand_word(c.text) if alt]
    if not alternatives:
        return []
    primary = alternatives[0]
    options: list[Option] = [Terms(primary)]
    common = len(primary) == 1 and index.doc_frequency("body", primary[0]) >= PARTS_ONLY_BELOW
    for alt in alternatives[1:]:
        if common and len(alt) > 1 and set(alt) - set(primary):
            continue  # the compound's parts: not needed for a common compound
        options.append(Terms(alt, ALTERNATIVE_BOOST))
    absent = not any(index.term_exists("body", t) or index.term_exists("title", t) for alt in alternatives for t in alt)
    if (c.fuzzy or absent) and budget[0] > 0:
        budget[0] -= 1
        # the distance follows the word as typed: "Feuerwher" (9 letters) may be 2 edits from its stem
        maxdist = 2 if len(c.text) >= 8 else 1
        options += [Terms((t,), FUZZY_BOOST, EXPANSION_FIELDS)
                    for t in index.fuzzy_terms("body", primary[0], maxdist, MAX_EXPANSION_TERMS)]
    return options


def _clause(c: Clause, index: TermSource, budget: list[int]) -> PlanClause | None:
    options = [o for x in (c, *c.alternatives) for o in _word(x, index, budget)]
    return PlanClause(tuple(options)) if options else None


def build(pq: ParsedQuery, *, index: TermSource, combine: str = "and") -> Plan:
    budget = [MAX_EXPANSIVE_WORDS]
    clauses = tuple(q for q in (_clause(c, index, budget) for c in pq.clauses) if q is not None)
    excluded = tuple(q for q in (_clause(c, index, [0]) for c in pq.excluded) if q is not None)
    refs = tuple(r for r in dict.fromkeys(analysis.normalize_reference(r) for r in pq.references) if r)
    return Plan(clauses=clauses, combine=combine, references=refs, excluded=excluded)


def to_whoosh(plan: Plan):  # type: ignore[no-untyped-def]
    """The same plan as a Whoosh query (None for an empty plan)."""
    from whoosh import query as wq

    def option(o: Option):  # type: ignore[no-untyped-def]
        if isinstance(o, Phrase):
            return wq.Or([wq.Phrase(f, list(o.terms), boost=o.boost) for f in o.fields])
        per_term = [wq.Or([wq.Term(f, t, boost=o.boost) for f in o.fields]) for t in o.terms]
        return per_term[0] if len(per_term) == 1 else wq.And(per_term)

    def clause(c: PlanClause):  # type: ignore[no-untyped-def]
        parts = [option(o) for o in c.options]
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    clauses = [clause(c) for c in plan.clauses]
    main = None
    if clauses:
        main = clauses[0] if len(clauses) == 1 else (wq.And(clauses) if plan.combine == "and" else wq.Or(clauses))
    if plan.references:
        refs = wq.Or([wq.Term("refs", r, boost=REFERENCE_BOOST) for r in plan.references])
        main = refs if main is None else wq.Or([refs, main])
    if main is not None and plan.excluded:
        excluded = [clause(c) for c in plan.excluded]
        main = wq.AndNot(main, excluded[0] if len(excluded) == 1 else wq.Or(excluded))
    return main
