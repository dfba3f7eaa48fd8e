"""Paper references: normalisation to one key, and finding them in council text."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

import pytest

from indexer.analysis import find_references, normalize_reference

COUNCIL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["DS 26/2022", "Drucksache 26/2022", "26/2022", "Drucksache Nr. 26/2022", "Drs. 26/2022"], "26/2022"),
        (["2019/0294", "Vorlage Nr. 2019/0294", "Vorlage Nr.: 2019/0294", "Vorlage: 2019/0294", "2019/294"],
         "2019/294"),
        (["2013/0140"], "2013/140"),
        (["DS 1/2007", "01/2007"], "1/2007"),
        (["DS 10/2008 1. Ergänzung", "DS 10/2008 - 1. Ergänzung", "10/2008/1"], "10/2008/1"),
        (["102/2002"], "102/2002"),
        (["178/2018 2. Ergänzung"], "178/2018/2"),
        (["2025/0923/1"], "2025/923/1"),
        (["DHH/2019/0001"], "dhh/2019/1"),
        (["VII-HP-08642", "vii-hp-8642"], "vii-hp-8642"),
        (["Antrag-Nr. VII-A-08079-NF-02", "VII-A-08079-NF-02"], "vii-a-8079-nf-2"),
        (["24612"], "24612"),  # Karlsruhe's old five-digit references stay as they are
    ],
)
def test_spellings_of_one_reference_share_a_key(spellings: list[str], key: str) -> None:
    assert {s: normalize_reference(s) for s in spellings} == {s: key for s in spellings}


def _references(body: str) -> list[str]:
    with gzip.open(COUNCIL / body / "papers.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [r for line in fh if (r := json.loads(line).get("reference"))]


def _collisions(refs: list[str]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = defaultdict(set)
    for r in refs:
        keys[normalize_reference(r)].add(r)
    return {k: v for k, v in keys.items() if len(v) > 1}


def test_karlsruhe_and_huertgenwald_references_keep_distinct_keys() -> None:
    karlsruhe = _references("karlsruhe")
    assert len(karlsruhe) == 13736 and len(set(karlsruhe)) == 13735  # one reference is used twice
    assert _collisions(karlsruhe) == {}
    huertgenwald = _references("huertgenwald")
    assert len(set(huertgenwald)) == 2097
    assert _collisions(huertgenwald) == {}


def test_nordstemmen_keys_only_join_at_and_ds_of_the_same_number() -> None:
    refs = _references("nordstemmen")
    assert len(set(refs)) == 1564
    # the prefix written apart is dropped (documented): AT 3/2025 and DS 3/2025 share a key
    assert _collisions(refs) == {"3/2025": {"DS 3/2025", "AT 3/2025"}, "4/2025": {"DS 4/2025", "AT 4/2025"}}
    assert normalize_reference("DS 5/2009 1. Ergänzung") == "5/2009/1"


def test_leipzig_references_keep_distinct_keys() -> None:
    with open(COUNCIL / "leipzig" / "records.jsonl", encoding="utf-8") as fh:
        refs = [json.loads(line)["reference"] for line in fh]
    assert len(refs) == 308
    assert len({normalize_reference(r) for r in refs}) == 308


def test_find_references_in_council_sentences() -> None:
    # sentences as they occur in the Karlsruhe and Nordstemmen texts
    text = (
        "Im Mai 2017 (Vorlage Nr. 2017/0299) und der Doppelhaushalt 2009/2010 wurden beraten. "
        "Herr Niemann trägt die DS 82/2016 vor. Der Rat hatte zugestimmt (siehe hierzu DS 98/2013 und 21/2015); "
        "Finanzbericht 2/2023. Wie sie der Drucksache 28/2008 - 1. Ergänzung zu entnehmen ist. "
        "Vorlage: 2025/0923/1 und Antrag-Nr. VII-A-08079-NF-02, nochmals DS 82/2016."
    )
    assert find_references(text) == [
        "Vorlage Nr. 2017/0299",
        "DS 82/2016",
        "DS 98/2013",
        "21/2015",
        "Drucksache 28/2008 - 1. Ergänzung",
        "Vorlage: 2025/0923/1",
        "Antrag-Nr. VII-A-08079-NF-02",
    ]


def test_find_references_in_a_real_karlsruhe_file() -> None:
    with gzip.open(COUNCIL / "karlsruhe" / "files.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            file = json.loads(line)
            if "Vorlage: 2019/0294" in file["text"]:
                break
        else:  # pragma: no cover
            pytest.fail("the Karlsruhe file citing 2019/0294 is missing")
    found = find_references(file["text"])
    assert "2019/294" in {normalize_reference(r) for r in found}


def test_bare_karlsruhe_numbers_are_found_but_spans_of_years_and_bare_small_numbers_are_not() -> None:
    assert find_references("Beschluss 2022/2210 zum Haushalt 2022/2023, Stand 12/2019") == ["2022/2210"]
    assert find_references("DHH/2019/0001 und ANF2019/0001") == ["DHH/2019/0001", "ANF2019/0001"]
