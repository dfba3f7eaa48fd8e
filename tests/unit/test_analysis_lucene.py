"""Our analysis as a Lucene chain: the regular expressions do what our Python does, on real words.

No cluster is at hand, so the Java-side filters are checked where they are ours (the patterns,
which mean the same in Python's ``re`` as in ``java.util.regex``; ``\\p{L}`` is spelled for Python)
and the decompounder by a re-implementation of Lucene's algorithm.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from pathlib import Path

import pytest

from indexer.analysis.analyzer import term_maker
from indexer.analysis.folding import fold
from indexer.analysis.lexicon import load_lexicon
from indexer.analysis.lucene import (BINNEN_I, DIGRAPH_E, GENDER_MARK, GENERIC_PLURAL, GENERIC_SINGULAR,
                                     INDEX_ANALYZER, SEARCH_ANALYZER, agreement, analysis_settings,
                                     decompound_words, dictionary_decompound, stem_override_rules,
                                     stopword_list, synonym_rules)
from indexer.analysis.stemming import generic_form
from indexer.analysis.stopwords import stopwords
from indexer.analysis.synonyms import synonym_groups
from indexer.analysis.tokens import iter_token_tuples

COUNCIL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"
BUILTIN_FILTERS = {"lowercase", "asciifolding", "remove_duplicates"}


def lucene_fold(word: str) -> str:
    """lowercase → asciifolding (the part of it German text meets) → our digraph pattern."""
    w = word.lower().translate(str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"}))
    w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    return re.sub(DIGRAPH_E, "", w)


def real_words(n_files: int = 40) -> set[str]:
    words: set[str] = set()
    with gzip.open(COUNCIL / "nordstemmen" / "files.jsonl.gz", "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n_files:
                break
            text = json.loads(line).get("text") or ""
            words.update(t for kind, t, _s, _e in iter_token_tuples(text) if kind == "word" and "-" not in t)
    return words


def test_the_digraph_pattern_folds_as_we_do():
    words = real_words() | {"Feuer", "Quelle", "Bauer", "neue", "Straße", "Buergermeister", "Ueberweisung",
                            "aktuell", "Soest", "Poesie", "Aue", "Treue", "Koeln", "Café", "Mäuer", "Oeuvre"}
    assert len(words) > 4500
    assert [w for w in words if lucene_fold(w) != fold(w)] == []


def test_the_generic_form_patterns_agree_on_every_lexicon_word():
    plural, singular = re.compile(GENERIC_PLURAL), re.compile(GENERIC_SINGULAR)
    words = list(load_lexicon().counts) + ["burgermeisterin", "kolleginnen", "arztin", "platin", "hierin",
                                           "termin", "beginnen", "binnen", "stadtratin", "akteurin"]
    assert [w for w in words if singular.sub(r"\1", plural.sub(r"\1", w)) != generic_form(w)] == []
    assert generic_form("burgermeisterin") == "burgermeister" and generic_form("platin") == "platin"


@pytest.mark.parametrize(("written", "joined"), [
    ("Bürger*innen", "Bürgerinnen"), ("Bürger:innen", "Bürgerinnen"), ("Bürger_innen", "Bürgerinnen"),
    ("Bürger/-innen", "Bürgerinnen"), ("Bürger/innen", "Bürgerinnen"), ("BürgerInnen", "Bürgerinnen"),
    ("Lehrer*in", "Lehrerin"), ("LehrerIn", "Lehrerin"), ("Termin", "Termin"), ("Berlin", "Berlin"),
    ("Ausschuss:in", "Ausschussin"), ("Nord/in", "Nord/in"),
])
def test_gender_char_filters_join_as_the_tokenizer_does(written, joined):
    python = lambda p: p.replace(r"\p{L}", r"[^\W\d_]")  # noqa: E731
    out = re.sub(python(BINNEN_I), "i", re.sub(python(GENDER_MARK), "", written))
    assert out == joined
    if written.endswith(("innen", "In")):  # our tokenizer joins these alike (a singular "*in" it keeps)
        assert [t for _k, t, _s, _e in iter_token_tuples(written)] == [joined]


def test_synonym_and_override_rules_are_our_tables():
    rules = synonym_rules()
    assert len(rules) == len(synonym_groups()) == 64
    assert rules[0] == "Gemeinderat, GR, Stadtrat"
    assert "Industrie- und Handelskammer, IHK" in rules
    assert synonym_rules([("a,b", "c\\d")]) == ["a\\,b, c\\\\d"]
    assert len(stem_override_rules()) == 18 and "burger => burger" in stem_override_rules()
    assert stopword_list() == sorted(stopwords()) and "der" in stopword_list() and "weg" not in stopword_list()


def test_the_decompounder_word_list_keeps_parts_that_agree_with_our_splitter():
    words = set(decompound_words())
    assert len(words) == 7978
    assert {"feuerwehr", "verwaltung", "gebaude", "kita", "gebuhr", "radweg", "verbindung", "rat", "weg"} <= words
    # parts that Lucene would find inside frequent whole words more often than in compounds
    assert not {"haus", "ruhe", "karl", "halt", "plan", "tung"} & words  # Haushalt, Karlsruhe, Planung
    assert dictionary_decompound("verwaltungsgebaude", words) == ["verwaltung", "verwaltungs", "gebaude"]
    assert dictionary_decompound("kitagebuhren", words) == ["kita", "gebuhr", "gebuhren"]
    assert dictionary_decompound("karlsruhe", words) == ["karlsruhe"]
    assert dictionary_decompound("haus", words) == []  # shorter than min_word_size
    precision, recall = agreement(term_maker(), words)
    assert (round(precision, 2), round(recall, 2)) == (0.79, 0.77)


def test_analysis_settings_define_every_filter_the_analyzers_use():
    settings = analysis_settings()
    analyzers = settings["analyzer"]
    assert set(analyzers) == {INDEX_ANALYZER, SEARCH_ANALYZER}
    assert analyzers[INDEX_ANALYZER]["filter"] == [
        "lowercase", "asciifolding", "ratsuche_digraphs", "ratsuche_stop", "ratsuche_generic_plural",
        "ratsuche_generic_singular", "ratsuche_decompound", "ratsuche_stem_override", "ratsuche_stemmer",
        "remove_duplicates"]
    assert analyzers[SEARCH_ANALYZER]["filter"] == [
        "lowercase", "asciifolding", "ratsuche_digraphs", "ratsuche_stop", "ratsuche_generic_plural",
        "ratsuche_generic_singular", "ratsuche_stem_override", "ratsuche_stemmer", "ratsuche_synonyms"]
    for analyzer in analyzers.values():
        assert analyzer["tokenizer"] == "standard"
        assert set(analyzer["filter"]) <= set(settings["filter"]) | BUILTIN_FILTERS
        assert set(analyzer["char_filter"]) <= set(settings["char_filter"])
    assert settings["filter"]["ratsuche_stemmer"] == {"type": "snowball", "language": "German"}
    decompound = settings["filter"]["ratsuche_decompound"]
    assert decompound["word_list"] == sorted(decompound["word_list"]) and decompound["min_word_size"] == 6
    assert decompound["max_subword_size"] == max(map(len, decompound["word_list"]))
    by_path = analysis_settings(word_list_path="analysis/x.txt")["filter"]["ratsuche_decompound"]
    assert by_path["word_list_path"] == "analysis/x.txt" and "word_list" not in by_path
