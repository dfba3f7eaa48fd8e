"""Folding, stop words and stemming: the same at index and at query time."""

from __future__ import annotations

import pytest

from indexer.analysis.analyzer import term_maker
from indexer.analysis.config import AnalysisConfig
from indexer.analysis.folding import fold
from indexer.analysis.stemming import WordStemmer, _snowball, generic_form, light_stem
from indexer.analysis.stopwords import stopwords


@pytest.mark.parametrize(
    ("spellings", "folded"),
    [
        (["Straße", "Strasse", "STRASSE", "straße"], "strasse"),
        (["Bürgermeister", "Buergermeister", "Burgermeister", "BÜRGERMEISTER"], "burgermeister"),
        (["Gebühren", "Gebuehren", "Gebuhren"], "gebuhren"),
        (["Ämter", "Aemter", "Amter"], "amter"),
        (["Köln", "Koeln", "Koln"], "koln"),
        (["Rössing", "Roessing"], "rossing"),  # a Nordstemmen Ortsteil, written both ways in file names
        (["Café", "Cafe"], "cafe"),
    ],
)
def test_spellings_fold_alike(spellings: list[str], folded: str) -> None:
    assert {s: fold(s) for s in spellings} == {s: folded for s in spellings}


@pytest.mark.parametrize(
    ("word", "folded"),
    [("Feuer", "feuer"), ("Bauer", "bauer"), ("neue", "neue"), ("Steuer", "steuer"), ("Quelle", "quelle")],
)
def test_ue_after_a_vowel_or_q_is_no_umlaut(word: str, folded: str) -> None:
    assert fold(word) == folded


def test_index_and_query_terms_agree_on_folding_variants() -> None:
    maker = term_maker()
    assert {maker.word(w).primary for w in ["Straße", "Strasse", "Straßen"]} == {"strass"}
    assert {maker.word(w).primary for w in ["Bürgermeister", "Buergermeister", "Burgermeister"]} == {"burgermeist"}


def test_stop_list_has_no_english_and_keeps_negation_and_weg() -> None:
    stops = stopwords()
    assert {"der", "und", "fur", "uber", "dass", "wann", "warum", "zb", "bzw"} <= stops
    assert not {"nicht", "kein", "keine", "ohne", "gegen", "weg", "the", "it", "not", "us", "tbd"} & stops


def test_feminine_and_gender_forms_reduce_to_the_generic_form() -> None:
    assert generic_form("ortsburgermeisterin") == "ortsburgermeister"
    assert generic_form("burgerinnen") == "burger"
    assert generic_form("kolleginnen") == "kolleg"
    assert generic_form("akteurin") == "akteur"
    assert generic_form("stadtratinnen") == generic_form("stadtratin") == "stadtrat"
    assert generic_form("arztinnen") == generic_form("arztin") == "arzt"
    for kept in ["beginnen", "gewinnen", "ansinnen", "hierin", "termin", "binnen", "medizin", "benzin", "platin"]:
        assert generic_form(kept) == kept


def test_snowball_over_stemming_cases() -> None:
    raw_snowball = _snowball()
    # the known over-stemming of Snowball German (GROUND.md): Bürger = Burg, Straße = strass
    assert raw_snowball("burger") == raw_snowball("burg") == "burg"
    assert raw_snowball("strasse") == "strass"
    assert raw_snowball("trager") == raw_snowball("tragen") == "trag"
    assert raw_snowball("muller") == raw_snowball("mull") == "mull"
    # the override table keeps the collisions apart that matter in council text
    stemmer = WordStemmer("snowball")
    assert {w: stemmer.stem(w) for w in ["burger", "burgern", "burgerinnen", "burg"]} == {
        "burger": "burger", "burgern": "burger", "burgerinnen": "burger", "burg": "burg",
    }
    assert stemmer.stem("trager") != stemmer.stem("tragen")
    assert stemmer.stem("muller") != stemmer.stem("mull")
    assert stemmer.stem("baden") != stemmer.stem("bad")
    # related words stay merged
    assert stemmer.stem("schuler") == stemmer.stem("schule") == "schul"
    assert stemmer.stem("kinder") == stemmer.stem("kind") == "kind"
    # with keep_exact the unstemmed form is indexed as well
    exact = term_maker(AnalysisConfig(keep_exact=True))
    assert exact.word("Schüler").extras == ("=schuler",)
    assert exact.word("Schule").extras == ("=schule",)


def test_plural_s_after_a_vowel_goes_when_the_singular_is_known() -> None:
    lexicon_stemmer = term_maker().stemmer
    assert lexicon_stemmer.stem("kitas") == lexicon_stemmer.stem("kita") == "kita"
    assert lexicon_stemmer.stem("autos") == "auto"
    assert lexicon_stemmer.stem("haus") == "haus"  # "us" is not a plural
    assert WordStemmer("snowball").stem("kitas") == "kitas"  # Snowball alone keeps it


def test_light_stemmer() -> None:
    assert light_stem("planungen") == "planung"
    assert light_stem("tagesordnung") == "tagesordnung"
    assert light_stem("gebuhren") == "gebuhr"
    assert light_stem("hauser") == "haus"
