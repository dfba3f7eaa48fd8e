"""The NER training corpus (nlp/training): label mapping of each source, de-duplication of LER dev against
LER test, the GermEval hold-out split, the training mix, and that no GermEval 2014 test sentence reaches
training. Real files of ../shared/data/german_ner, read in place; no model (SmartData is tokenised with
spaCy's blank German tokenizer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.evaluation import iter_conll, iter_germeval
from nlp.training import recipe, sources
from nlp.training.corpus import DataPaths, build_sources, mix, unique

PATHS = DataPaths(Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "german_ner")
TRAINING = ("germeval_train", "europarl_train", "ler", "smartdata", "wikiann", "wikiann_positive")


@pytest.fixture(scope="module")
def corpora() -> dict:
    return build_sources(PATHS)


@pytest.fixture(scope="module")
def germeval_test() -> set[tuple[str, ...]]:
    return {s.words for s in iter_germeval(PATHS.germeval_test)}


def test_germeval_outer_labels_become_the_product_labels() -> None:
    sentence = list(sources.germeval(PATHS.germeval_dev))[377]
    assert list(zip(sentence.words, sentence.tags)) == [
        ("Stolze", "O"), ("1,5", "O"), ("Millionen", "O"), ("Euro", "B-MISC"), ("zahlte", "O"), ("der", "O"),
        ("Zweitligist", "O"), ("seinerzeit", "O"), ("an", "O"), ("den", "O"),
        ("bulgarischen", "O"),  # LOCderiv
        ("Erstligisten", "O"), ("Litex", "B-ORG"), ("Lovech", "I-ORG"), (".", "O")]


def test_ler_types_map_to_the_product_labels_and_citations_become_missing() -> None:
    converted = list(sources.ler(PATHS.ler_dev))
    court = converted[1431]  # GRT (court) → ORG, GS (law) → missing, LD (country) → LOC
    assert [(w, t) for w, t in zip(court.words, court.tags) if t != "O"] == [
        ("Europäischen", "B-ORG"), ("Gerichtshofs", "I-ORG"), ("für", "I-ORG"), ("Menschenrechte", "I-ORG"),
        ("Grundgesetzes", ""), ("Deutschland", "B-LOC")]
    citation = converted[1750]  # "§ 106 Abs 5e S 7 SGB V" is left unannotated, "BSG" is a court
    assert citation.tags[7:15] == ("",) * 8 and citation.tags[18] == "B-ORG" and citation.words[18] == "BSG"


def test_europarl_lower_case_misc_becomes_o() -> None:
    raw = list(iter_conll(PATHS.europarl_train))[85]
    converted = list(sources.europarl(PATHS.europarl_train))[85]
    assert raw.tags[raw.words.index("osteuropäischer")] == "I-MISC"
    assert [(w, t) for w, t in zip(converted.words, converted.tags) if t != "O"] == [
        ("Europäischen", "B-ORG"), ("Gemeinschaft", "I-ORG")]


def test_person_names_with_a_particle_stay_persons() -> None:
    converted = list(sources.europarl(PATHS.europarl_train))[8]
    start = converted.words.index("von")
    assert converted.words[start : start + 2] == ("von", "Wogau")
    assert converted.tags[start : start + 2] == ("B-PER", "I-PER")


def test_ler_dev_is_deduplicated_against_ler_test() -> None:
    dev = list(sources.ler(PATHS.ler_dev))
    test = {s.words for s in sources.ler(PATHS.ler_test)}
    distinct = {s.words for s in dev}
    assert (len(dev), len(distinct), len(distinct & test)) == (6666, 6524, 819)
    kept = unique(dev, test)
    assert len(kept) == 6524 - 819 == 5705
    assert not {s.words for s in kept} & test


def test_corpus_sizes_and_no_germeval_test_sentence_in_training(corpora: dict, germeval_test: set) -> None:
    sizes = {name: (len(s), sum(len(x.words) for x in s), sum(t.startswith("B-") for x in s for t in x.tags))
             for name, s in corpora.items()}
    assert sizes == {
        "germeval_train": (1650, 31442, 1669), "germeval_holdout": (550, 10211, 570),
        "europarl_train": (3140, 80211, 1402), "europarl_dev": (353, 9233, 168), "ler": (5705, 187891, 1103),
        "smartdata": (3534, 69993, 5722), "wikiann": (10935, 139993, 17172),
        "wikiann_positive": (10935, 139993, 17172)}
    # one WikiANN training sentence is also a GermEval 2014 test sentence: it is dropped
    assert sum(s.words in germeval_test for s in sources.wikiann(PATHS.wikiann_train)) == 1
    for name in (*TRAINING, "germeval_holdout", "europarl_dev"):
        assert not any(s.words in germeval_test for s in corpora[name]), name
    holdout = {s.words for s in corpora["germeval_holdout"]}
    assert not any(s.words in holdout for name in TRAINING for s in corpora[name])


def test_the_final_mix_weights_the_sources(corpora: dict, germeval_test: set) -> None:
    """The chosen mix (ge3_wiki), and the final one: the same with the hold-out in the GermEval weight."""
    chosen = mix(corpora, recipe.MIXES["ge3_wiki"])
    assert len(chosen) == 3 * 1650 + 3140 + round(5705 * 0.5) + 3534 + round(10935 * 0.5) == 19944
    weights = recipe.MIXES[recipe.FINAL_MIX]
    assert weights == {**recipe.MIXES["ge3_wiki"], "germeval_holdout": 3.0}
    mixed = mix(corpora, weights)
    assert len(mixed) == 19944 + 3 * 550
    assert mixed == mix(corpora, weights)  # seeded: the same mix every time
    assert {s.source for s in mixed} == {"germeval", "europarl", "ler", "smartdata", "wikiann"}
    assert not any(s.words in germeval_test for s in mixed)
