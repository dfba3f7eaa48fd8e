"""The curated synonym table, and the packaged lexicon it and the splitter rely on."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from indexer.analysis import AnalysisConfig, AnalysisError, expand_word, synonyms_of
from indexer.analysis.build_lexicon import count_words
from indexer.analysis.lexicon import LEXICON_RESOURCE, load_lexicon
from indexer.analysis.synonyms import parse_synonyms, synonym_groups

PACKAGE = Path(__file__).resolve().parents[2] / "indexer" / "analysis"
COUNCIL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Kita", ("kindertagesstatt",)),
        ("KiTa", ("kindertagesstatt",)),
        ("Kindergarten", ("kita",)),
        ("ÖPNV", ("nahverkehr",)),
        ("Nahverkehr", ("opnv",)),
        ("OB", ("oberburgermeist",)),
        ("Oberbürgermeisterin", ("ob",)),  # the feminine form meets the group too
        ("GR", ("gemeinderat",)),
        ("FNP", ("flachennutzungsplan",)),
        ("B-Plan", ("bebauungsplan",)),
        ("DS", ("drucksach",)),
        ("Ortsrat", ("ortschaftsrat",)),
        ("Müll", ("abfall",)),
    ],
)
def test_synonyms_of_council_vocabulary(word: str, expected: tuple[str, ...]) -> None:
    assert expected in expand_word(word)


def test_a_synonym_of_several_words_is_a_conjunction() -> None:
    assert ("offent", "nahverkehr") in expand_word("ÖPNV")
    assert ("industri", "handelskamm") in expand_word("IHK")
    assert ("flora", "fauna", "habitat") not in expand_word("FFH")  # hyphenated: one word
    assert ("florafaunahabitat",) in expand_word("FFH")


def test_synonyms_can_be_switched_off() -> None:
    assert expand_word("Kita", AnalysisConfig(synonyms=False)) == (("kita",),)
    assert synonyms_of("kita", AnalysisConfig(synonyms=False)) == (
        ("kindertagesstatt",), ("kindertageseinricht",), ("kindergart",),
    )  # the table itself stays readable


def test_table_size_and_no_entry_in_two_groups() -> None:
    groups = synonym_groups()
    assert 40 <= len(groups) <= 80
    entries = [e.lower() for g in groups for e in g]
    assert len(entries) == len(set(entries))


def test_a_broken_table_is_refused() -> None:
    with pytest.raises(AnalysisError, match="line 2"):
        parse_synonyms("Kita\tKindertagesstätte\nnur ein Eintrag\n")


def test_lexicon_is_compact_and_counts_council_words() -> None:
    path = PACKAGE / LEXICON_RESOURCE
    assert path.stat().st_size < 2_000_000
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = [line for line in fh if line.startswith("#")]
    assert "python -m indexer.analysis.build_lexicon" in "".join(header)
    lexicon = load_lexicon()
    assert len(lexicon) > 50_000
    assert lexicon.count("gemeinderat") > 5_000 and lexicon.noun_share("gemeinderat") > 0.9
    assert lexicon.count("uber") > lexicon.count("feuerwehr") > 1_000
    assert lexicon.noun_share("feststellen") < 0.5


def test_count_words_on_a_real_file() -> None:
    with gzip.open(COUNCIL / "nordstemmen" / "files.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            file = json.loads(line)
            if "Feuerwehrgerätehaus Mahlerten" in file["text"]:
                break
    counts, capitalised, per_source = count_words(iter([("test", file["text"])]))
    assert counts["feuerwehrgeratehaus"] >= 3
    assert capitalised["feuerwehrgeratehaus"] == counts["feuerwehrgeratehaus"]
    assert per_source["test"] == sum(counts.values())
