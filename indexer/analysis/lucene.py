"""Our German analysis as a Lucene analysis chain, for an OpenSearch or Elasticsearch cluster.

A search cluster cannot run this package, so :func:`analysis_settings` rebuilds its pipeline from
token filters that OpenSearch 2.x and Elasticsearch 8 both have, fed with our own data (stop list,
stem overrides, synonym table, decompounding lexicon):

==================  =====================================================================
step                Lucene (index analyzer ``ratsuche_german``)
==================  =====================================================================
gender forms        char filters: ``Bürger*innen``, ``Bürger:innen``, ``BürgerInnen`` → ``Bürgerinnen``
tokenise            ``standard`` (UAX #29): hyphenated words and references are split
fold                ``lowercase`` → ``asciifolding`` (ä→a, ß→ss, é→e) → ``ratsuche_digraphs``
                    (ae/oe/ue → a/o/u with our guard: exactly :func:`.folding.fold`)
stop words          ``stop`` with our folded list
generic form        ``ratsuche_generic_plural``/``_singular``: exactly :func:`.stemming.generic_form`
decompound          ``dictionary_decompounder`` with :func:`decompound_words` (index side only)
stem                ``stemmer_override`` (our table) → ``snowball`` German (PyStemmer's algorithm)
                    → ``remove_duplicates``
synonyms            ``synonym_graph`` after the stemmer, search analyzer only
==================  =====================================================================

The search analyzer ``ratsuche_german_search`` is the same chain without the decompounder and
with the synonyms: as in our own search, a query word is matched by its own term, documents hold
the parts of their compounds, and synonyms are expanded at query time (``synonym_graph`` is a
query-time filter). Rules of the synonym table are parsed by the chain before the filter, so they
are folded and stemmed like the text, which is what :func:`.expansion.synonyms_of` does.

Where Lucene differs from our analysis (docs/scaling.md lists the consequences): Lucene's
decompounder finds dictionary words *inside* a token instead of choosing the best segmentation by
corpus counts; parts are not down-weighted (our ``part_boost``); a query compound is not also
matched as the conjunction of its parts; acronyms in capitals that are stop words (``OB``) are
dropped; the ``-s`` after a vowel (``Kitas``) is not removed; references, dates and numbers are
not normalised (the exported ``refs`` field carries the normalised references).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any, Iterable, Sequence

from indexer.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from indexer.analysis.errors import AnalysisError
from indexer.analysis.stemming import _stem_overrides, generic_form
from indexer.analysis.stopwords import stopwords
from indexer.analysis.synonyms import synonym_groups

INDEX_ANALYZER = "ratsuche_german"
SEARCH_ANALYZER = "ratsuche_german_search"

#: ``ae``/``oe``/``ue`` → ``a``/``o``/``u``: the ``e`` goes after ``a`` or ``o``, and after a ``u``
#: that does not follow a vowel or ``q`` (``Feuer``, ``Quelle`` keep it). Lookbehinds see the
#: unreplaced token, as :func:`.folding._fold_digraphs` looks at the original word. Valid in Java
#: and in Python (every lookbehind has a fixed width).
DIGRAPH_E = r"(?:(?<=[ao])|(?<=[^aeiouyq]u)|(?<=^u))e"
#: the plural ``-innen`` after a consonant, at least four letters before it
GENERIC_PLURAL = r"^(.{3,}[^aeiouy])innen$"
#: the singular ``-in`` after a person-noun ending: from 8 letters on any ending, at 7 not after
#: ``-at`` (Platin), at 6 only after ``-zt`` (Ärztin)
GENERIC_SINGULAR = r"^(?=.{8,}$|.{7}$(?<!atin)|.{6}$(?<=ztin))(.*(?:er|eur|ent|ant|ist|eg|at|zt))in$"
#: gender marks between a word and ``in``/``innen``, as :mod:`.tokens` joins them
GENDER_MARK = r"(?<=\p{L})(?:[*:_](?=in(?:nen)?\b)|/-?(?=innen\b))"
#: the Binnen-I: ``BürgerInnen``, ``BürgerIn``
BINNEN_I = r"(?<=[a-zäöüß])I(?=n(?:nen)?\b)"

#: Lucene's dictionary decompounder settings: our splitter's ``min_word`` and ``min_part``
MIN_WORD = 6
MIN_SUBWORD = 3


def stopword_list() -> list[str]:
    """Our stop words, folded (the chain folds before it drops them), sorted."""
    return sorted(stopwords())


def _solr_escape(entry: str) -> str:
    return entry.replace("\\", "\\\\").replace(",", "\\,")


def synonym_rules(groups: Iterable[Sequence[str]] | None = None) -> list[str]:
    """The synonym table as Solr rules of equivalence (``Gemeinderat, GR, Stadtrat``), as written:
    the chain before the ``synonym_graph`` filter folds and stems them."""
    return [", ".join(_solr_escape(e) for e in group) for group in (synonym_groups() if groups is None else groups)]


def stem_override_rules() -> list[str]:
    """Our stem overrides as ``stemmer_override`` rules (``burger => burger``)."""
    return [f"{word} => {stem}" for word, stem in sorted(_stem_overrides().items())]


def dictionary_decompound(word: str, words: frozenset[str] | set[str], *, min_word: int = MIN_WORD,
                          min_subword: int = MIN_SUBWORD, max_subword: int = 64) -> list[str]:
    """The subwords Lucene's ``DictionaryCompoundWordTokenFilter`` adds for a token (with
    ``only_longest_match: false``): every dictionary word at every start position, in order."""
    n = len(word)
    if n < min_word:
        return []
    found = []
    for i in range(0, n - min_subword + 1):
        for j in range(i + min_subword, min(n, i + max_subword) + 1):
            if word[i:j] in words:
                found.append(word[i:j])
    return found


def _candidates(maker: Any) -> set[str]:
    """Every part our splitter gives a word of the lexicon, in lexicon form and as written
    (``verwaltung`` and ``verwaltungs``; ``schule`` and ``schul``), and every run of parts."""
    decompounder = maker.decompounder
    out: set[str] = set()
    for word in maker.decompounder.lexicon.counts:
        generic = generic_form(word)
        if decompounder.split(generic):
            out.update(decompounder.subwords(generic))
            out.update(decompounder.pieces(generic))
    return out


def _agreement(maker: Any, words: set[str],
               keep: Any = lambda w: True) -> tuple[Counter, Counter, tuple[int, int, int]]:
    """Per dictionary word, the corpus occurrences in which Lucene's part agrees with ours (true)
    or not (false); and the totals (true positives, false positives, false negatives) of parts."""
    stem = maker.stemmer.stem
    good: Counter = Counter()
    bad: Counter = Counter()
    tp = fp = fn = 0
    for word, count in maker.decompounder.lexicon.counts.items():
        if not word.isalpha() or not keep(word):
            continue
        generic = generic_form(word)
        primary = stem(generic)
        ours = {p for p in maker.parts(generic) if p != primary}
        theirs: set[str] = set()
        for sub in set(dictionary_decompound(generic, words)):
            s = stem(sub)
            if s == primary:
                continue
            theirs.add(s)
            if s in ours:
                good[sub] += count
            else:
                bad[sub] += count
        tp += count * len(ours & theirs)
        fp += count * len(theirs - ours)
        fn += count * len(ours - theirs)
    return good, bad, (tp, fp, fn)


def choose_decompound_words(maker: Any, keep: Any = lambda w: True) -> frozenset[str]:
    """The word list for Lucene's decompounder: of the parts our splitter uses, those whose
    matches inside the corpus words (the lexicon, weighted by count; ``keep`` selects the words
    that decide) agree with our splitter at least as often as not.

    Lucene splits every token that contains a dictionary word, where ours weighs segmentations by
    corpus counts; unpruned, the list makes ``rat`` a part of ``Geräte`` and ``ruhe`` of
    ``Karlsruhe``. docs/scaling.md has the agreement before and after pruning.
    """
    candidates = _candidates(maker)
    good, bad, _ = _agreement(maker, candidates, keep)
    return frozenset(w for w in candidates if good[w] > 0 and good[w] >= bad[w])


def agreement(maker: Any, words: Iterable[str], keep: Any = lambda w: True) -> tuple[float, float]:
    """(precision, recall) of the compound parts Lucene finds with ``words`` against ours, over the
    lexicon's words weighted by their corpus counts (``keep`` selects the words)."""
    _, _, (tp, fp, fn) = _agreement(maker, set(words), keep)
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


@lru_cache(maxsize=2)
def decompound_words(config: AnalysisConfig = DEFAULT_CONFIG) -> tuple[str, ...]:
    """The decompounder's word list for ``config``, sorted (a few seconds on first use)."""
    from indexer.analysis.analyzer import term_maker

    maker = term_maker(config)
    if maker.decompounder is None:
        return ()
    return tuple(sorted(choose_decompound_words(maker)))


def analysis_settings(config: AnalysisConfig = DEFAULT_CONFIG, *, word_list_path: str | None = None) -> dict[str, Any]:
    """The ``analysis`` block of index settings: both analyzers and their filters.

    The decompounder's word list is inline, or, with ``word_list_path``, a file that must exist
    under that path in the config directory of every node.
    """
    if config.stemmer != "snowball" or config.keep_exact:
        raise AnalysisError("the Lucene chain mirrors the Snowball analysis without exact terms",
                            hint="export with the default analysis configuration")
    filters: dict[str, Any] = {
        "ratsuche_digraphs": {"type": "pattern_replace", "pattern": DIGRAPH_E, "replacement": "", "all": True},
        "ratsuche_generic_plural": {"type": "pattern_replace", "pattern": GENERIC_PLURAL, "replacement": "$1"},
        "ratsuche_generic_singular": {"type": "pattern_replace", "pattern": GENERIC_SINGULAR, "replacement": "$1"},
        "ratsuche_stem_override": {"type": "stemmer_override", "rules": stem_override_rules()},
        "ratsuche_stemmer": {"type": "snowball", "language": "German"},
    }
    fold = ["lowercase", "asciifolding", "ratsuche_digraphs"]
    if config.stopwords:
        filters["ratsuche_stop"] = {"type": "stop", "stopwords": stopword_list()}
        fold.append("ratsuche_stop")
    fold += ["ratsuche_generic_plural", "ratsuche_generic_singular"]
    stem = ["ratsuche_stem_override", "ratsuche_stemmer"]
    parts: list[str] = []
    words = decompound_words(config)
    if words:
        decompounder: dict[str, Any] = {"type": "dictionary_decompounder", "min_word_size": MIN_WORD,
                                        "min_subword_size": MIN_SUBWORD,
                                        "max_subword_size": max(len(w) for w in words), "only_longest_match": False}
        if word_list_path is not None:
            decompounder["word_list_path"] = word_list_path
        else:
            decompounder["word_list"] = list(words)
        filters["ratsuche_decompound"] = decompounder
        parts = ["ratsuche_decompound"]
    synonyms: list[str] = []
    if config.synonyms:
        filters["ratsuche_synonyms"] = {"type": "synonym_graph", "synonyms": synonym_rules(), "lenient": True}
        synonyms = ["ratsuche_synonyms"]
    char_filters = ["ratsuche_gender_mark", "ratsuche_binnen_i"]
    return {
        "char_filter": {
            "ratsuche_gender_mark": {"type": "pattern_replace", "pattern": GENDER_MARK, "replacement": ""},
            "ratsuche_binnen_i": {"type": "pattern_replace", "pattern": BINNEN_I, "replacement": "i"},
        },
        "filter": filters,
        "analyzer": {
            INDEX_ANALYZER: {"type": "custom", "char_filter": char_filters, "tokenizer": "standard",
                             "filter": fold + parts + stem + ["remove_duplicates"]},
            SEARCH_ANALYZER: {"type": "custom", "char_filter": char_filters, "tokenizer": "standard",
                              "filter": fold + stem + synonyms},
        },
    }
