"""Tokenisation and the terms of each token kind."""

from __future__ import annotations

import pytest

from indexer.analysis.analyzer import term_maker
from indexer.analysis.terms import Terms
from indexer.analysis.tokens import RawToken, iter_tokens


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in iter_tokens(text)]


def test_references_numbers_dates_paragraphs_and_abbreviations_are_single_tokens() -> None:
    text = "Vorlage Nr.: 2021/0601, DS 26/2022; § 10 BauGB kostet 1.250.000 € am 12.03.2024, z.B. 3,5 Mio."
    assert kinds(text) == [
        ("word", "Vorlage"), ("word", "Nr"), ("ref", "2021/0601"), ("word", "DS"), ("ref", "26/2022"),
        ("para", "§ 10"), ("word", "BauGB"), ("word", "kostet"), ("num", "1.250.000"), ("word", "am"),
        ("date", "12.03.2024"), ("abbr", "z.B."), ("num", "3,5"), ("word", "Mio"),
    ]


def test_leipzig_and_prefixed_karlsruhe_references() -> None:
    assert kinds("Antrag-Nr. VII-A-08079-NF-02 und DHH/2019/0001 sowie 2025/0923/1") == [
        ("word", "Antrag-Nr"), ("lref", "VII-A-08079-NF-02"), ("word", "und"), ("ref", "DHH/2019/0001"),
        ("word", "sowie"), ("ref", "2025/0923/1"),
    ]


def test_hyphenated_compounds_stay_whole() -> None:
    assert kinds("B-Plan E-Mobilität Nord-Süd-Achse IT-Sicherheit CO2-Einsparung") == [
        ("word", "B-Plan"), ("word", "E-Mobilität"), ("word", "Nord-Süd-Achse"), ("word", "IT-Sicherheit"),
        ("word", "CO2-Einsparung"),
    ]


def test_line_end_hyphens_are_joined_but_not_before_conjunctions() -> None:
    # as in Karlsruhe texts: "Doppelhaushalt 2011/2012 voraus-\nsichtlich", "Feuerwehr-\nGerätehaus"
    text = (
        "voraus-\nsichtlich und entschei-\n dungen, Feuerwehr-\nGerätehaus, "
        "Kinder-\nund Jugendhilfe, Kinder- und Jugend"
    )
    tokens = list(iter_tokens(text))
    assert [(t.kind, t.text) for t in tokens] == [
        ("word", "voraussichtlich"), ("word", "und"), ("word", "entscheidungen"), ("word", "Feuerwehr-Gerätehaus"),
        ("word", "Kinder"), ("word", "und"), ("word", "Jugendhilfe"), ("word", "Kinder"), ("word", "und"),
        ("word", "Jugend"),
    ]
    assert tokens[0] == RawToken("word", "voraussichtlich", 0, 17)
    assert text[tokens[0].start : tokens[0].end] == "voraus-\nsichtlich"


@pytest.mark.parametrize(
    "written", ["Bürger*innen", "Bürger:innen", "Bürger_innen", "Bürger/-innen", "BürgerInnen"]
)
def test_gender_forms_are_one_word_and_meet_the_generic_form(written: str) -> None:
    # "Bürger*innen" occurs 263 times in the Karlsruhe texts, "Einwohner*innen" 408 times
    assert kinds(written) == [("word", "Bürgerinnen")]
    maker = term_maker()
    (token,) = iter_tokens(written)
    assert maker.word(token.text).primary == maker.word("Bürger").primary == "burger"


def test_terms_of_each_token_kind() -> None:
    maker = term_maker()
    assert maker.token("ref", "2025/0923/1") == Terms("2025/923/1", ("2025/923", "2025", "923"))
    assert maker.token("ref", "2026/2027") == Terms("2026/2027", ("2026", "2027"))
    assert maker.token("ref", "DHH/2019/0001") == Terms("dhh/2019/1", ("dhh", "2019"))
    assert maker.token("lref", "VII-A-08079-NF-02") == Terms("vii-a-8079-nf-2", ("vii-a-8079",))
    assert maker.token("num", "1.250.000") == Terms("1250000")
    assert maker.token("num", "3,5") == Terms("3,5")
    assert maker.token("date", "12.03.2024") == Terms("2024-03-12", ("2024",))
    assert maker.token("date", "1.3.24") == Terms("2024-03-01", ("2024",))
    assert maker.token("date", "45.13.2024") == Terms("45.13.2024")  # not a date: kept as written
    assert maker.token("para", "§ 10") == Terms("§10", ("10",))
    assert maker.token("para", "§§ 1a") == Terms("§1a", ("1a",))
    assert maker.token("abbr", "z.B.") == Terms("", (), "zb")  # a stop word
    assert maker.token("abbr", "i.V.m.") == Terms("ivm")


def test_hyphenated_words_index_the_whole_and_the_parts() -> None:
    maker = term_maker()
    assert maker.word("B-Plan") == Terms("bplan", ("plan",))
    assert maker.word("E-Mobilität") == Terms("emobilitat", ("mobilitat",))
    assert maker.word("Nord-Süd-Achse") == Terms("nordsudachs", ("nord", "sud", "achs"))
    assert maker.word("Bebauungsplan-Verfahren").primary == maker.word("Bebauungsplanverfahren").primary


def test_acronyms_in_capitals_are_not_stop_words() -> None:
    maker = term_maker()
    assert maker.word("ob") == Terms("", (), "ob")  # "ob" (whether) is a stop word
    assert maker.word("OB") == Terms("ob")  # OB = Oberbürgermeister
