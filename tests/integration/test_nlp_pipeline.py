"""The nlp pipeline on real council documents: the rules (model_path=None) and, where a test says so, the packaged model.

Reads ../shared/data in place: the seed ALLRIS Auszug, the pages of the speaker gold set (Köln PDFs,
Nordstemmen texts, Ahnsen PDFs) and Nordstemmen/Köln pages for the speed check."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.model import Document, File, Page
from nlp.annotations import LABELS, SPEAKER_ROLES
from nlp.pipeline import NlpModelError, NlpPipeline, analysis_to_json, load_pipeline
from nlp.speaker_eval import (GOLD, evaluate_speakers, load_documents, load_gold, measure_throughput,
                              throughput_documents)

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / ".." / "shared" / "data" / "seed" / "allris_auszug_kreis_soest_2017.txt"


@pytest.fixture(scope="module")
def pipeline() -> NlpPipeline:
    return load_pipeline()


@pytest.fixture(scope="module")
def gold_documents() -> dict:
    return load_documents(load_gold(GOLD))


def test_the_seed_auszug(pipeline: NlpPipeline) -> None:
    text = SEED.read_text(encoding="utf-8")
    analysis = pipeline.analyze_text(text)
    assert [(s.name, s.party, s.role, s.page) for s in analysis.speakers] == [
        ("Oberreuter", None, "speaker", 1), ("Münzberger", "FDP", "speaker", 1), ("Schladör", None, "speaker", 1)]
    for s in analysis.speakers:
        assert text[s.start:s.end] == s.name
    parties = [(e.text, e.canonical) for e in analysis.entities if e.label == "PARTY"]
    assert parties == [("FDP-Fraktion", "FDP"), ("FDP-Fraktion", "FDP"), ("FDP-Fraktion", "FDP"), ("FDP", "FDP")]
    assert analysis.parties() == ["FDP"]
    assert analysis.persons() == ["Münzberger", "Oberreuter", "Schladör"]
    as_json = analysis_to_json(analysis)
    assert set(as_json) == {"entities", "speakers"}
    assert as_json["speakers"][1] == {"name": "Münzberger", "party": "FDP", "role": "speaker"}
    assert all(set(e) == {"start", "end", "label", "text", "canonical"} for e in as_json["entities"])
    assert {"start": 1492, "end": 1502, "label": "PER", "text": "Münzberger", "canonical": None} in as_json["entities"]


def test_the_speaker_gold_set_reaches_the_bar(pipeline: NlpPipeline, gold_documents: dict) -> None:
    report = evaluate_speakers(GOLD, pipeline, documents=gold_documents)
    assert report["all"]["gold"] == 227 and report["all"]["pages"] == 40
    for group in ("all", "koeln", "nordstemmen", "ahnsen", "heldout"):
        assert report[group]["f1"] >= 0.90, (group, report[group])
    assert report["all"]["precision"] >= 0.95
    assert report["all"]["role_accuracy"] >= 0.95


def test_offsets_labels_and_determinism_on_real_pages(pipeline: NlpPipeline, gold_documents: dict) -> None:
    documents = list(gold_documents.values())
    first = pipeline.analyze(documents)
    assert first == pipeline.analyze(documents)
    assert len(first) == len(documents)
    for doc, analysis in zip(documents, first):
        texts = {p.number: p.text for p in doc.pages}
        for e in analysis.entities:
            assert e.label in LABELS
            assert texts[e.page][e.start:e.end] == e.text
        for s in analysis.speakers:
            assert s.role in SPEAKER_ROLES
            assert " ".join(texts[s.page][s.start:s.end].split()) == s.name
    koeln = next(a for d, a in zip(documents, first) if d.id.startswith("koeln/pdf/23_"))
    assert {"GRÜNE", "AfD", "CDU", "Die FRAKTION", "SPD", "FDP", "Volt", "LINKE"} <= set(koeln.parties())


def test_rules_only_throughput_above_5000_words_per_second(pipeline: NlpPipeline) -> None:
    documents = throughput_documents(200, koeln_share=0.0)
    result = measure_throughput(pipeline, documents, repeat=2)
    assert result["pages"] == 200 and result["words"] > 30000
    assert result["words_per_second"] > 5000, result


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NlpModelError):
        NlpPipeline(tmp_path / "no-model")


def test_analyze_keeps_documents_apart(pipeline: NlpPipeline) -> None:
    texts = [("Herr Krause erläutert die Vorlage.", "Die SPD stimmt zu."),
             ("Herr Krausen erläutert die Vorlage.", "Die SPD stimmt zu.")]
    docs = [Document(id=str(i), file=File(id=str(i)), document_type="Niederschrift", source_key=str(i),
                     pages=(Page(1, first), Page(2, second))) for i, (first, second) in enumerate(texts)]
    a, b = pipeline.analyze(docs)
    assert [(s.name, s.page) for s in a.speakers] == [("Krause", 1)]
    assert [(s.name, s.page) for s in b.speakers] == [("Krausen", 1)]
    assert [(e.text, e.page, e.canonical) for e in b.entities if e.label == "PARTY"] == [("SPD", 2, "SPD")]
    assert pipeline.analyze([]) == []
