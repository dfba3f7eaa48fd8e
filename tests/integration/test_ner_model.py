"""The packaged German NER model (nlp/models/ner_de): it loads from its own directory (no download, no
path into nlp/training/work), is the final stage of the training recipe, finds names on a real page of
Nordstemmen minutes alone and inside the whole nlp pipeline, and ``ratsuche eval ner`` scores it.

Reads ../shared/data in place: one Nordstemmen Niederschrift (Rat, 2018) and GermEval 2014 dev."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpora.model import Document, File, Page
from nlp.models import ner_model_path
from nlp.pipeline import NlpPipeline, default_model_path, load_pipeline
from nlp.speaker_eval import GOLD, evaluate_speakers

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / ".." / "shared" / "data"
NORDSTEMMEN_FILES = DATA / "council" / "nordstemmen" / "files.jsonl.gz"
GERMEVAL_DEV = DATA / "german_ner" / "germeval2014" / "NER-de-dev.tsv"
#: "Öffentliche Niederschrift (Rat)", page 2: the Einwohnerfragestunde
RAT_MINUTES = "https://nordstemmen.ratsinfomanagement.net/webservice/oparl/v1.1/body/1/file/1-27003"

pytestmark = pytest.mark.slow


def _page_text(file_id: str, page: int) -> str:
    with gzip.open(NORDSTEMMEN_FILES, "rt", encoding="utf-8") as handle:
        for line in handle:
            if file_id in line[:200]:
                item = json.loads(line)
                if item["id"] == file_id:
                    return item["text"].split("\f")[page - 1]
    raise AssertionError(f"{file_id} not in {NORDSTEMMEN_FILES}")


@pytest.fixture(scope="module")
def page() -> str:
    return _page_text(RAT_MINUTES, 2)


@pytest.fixture(scope="module")
def model():
    import spacy

    return spacy.load(ner_model_path())


def test_the_model_is_packaged_and_is_the_default(model) -> None:
    assert default_model_path() == ner_model_path() == REPO / "nlp" / "models" / "ner_de"
    assert model.pipe_names == ["tok2vec", "ner"]
    assert sorted(model.get_pipe("ner").labels) == ["LOC", "MISC", "ORG", "PER"]
    assert model.vocab.vectors.shape == (50000, 100) and model.vocab.vectors.mode == "floret"
    meta = json.loads((ner_model_path() / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "ner_de" and len(meta["sources"]) == 5


def test_the_model_finds_person_organisation_and_place_in_council_minutes(model, page: str) -> None:
    start = page.index("Herr Willi Runne")
    sentences = page[start:page.index("CDU-Landtagsfraktion vor.", start) + len("CDU-Landtagsfraktion vor.")]
    assert sentences.startswith("Herr Willi Runne erläutert ein Vorhaben der Landesregierung Niedersachsens")
    assert [(e.text, e.label_) for e in model(sentences).ents] == [
        ("Willi Runne", "PER"), ("Niedersachsens", "LOC"), ("Niedersachsen", "LOC"), ("CDU-Landtagsfraktion", "ORG")]


def test_the_model_directory_is_self_contained(page: str, tmp_path: Path) -> None:
    """A copy elsewhere loads and tags alike: the config points at nothing outside the directory."""
    import spacy

    config = (ner_model_path() / "config.cfg").read_text(encoding="utf-8")
    assert "nlp/training/work" not in config and "/work/" not in config
    copy = shutil.copytree(ner_model_path(), tmp_path / "ner_de")
    original, copied = spacy.load(ner_model_path()), spacy.load(copy)
    found = [(e.start_char, e.label_) for e in original(page).ents]
    assert len(found) == 12
    assert [(e.start_char, e.label_) for e in copied(page).ents] == found


def test_the_packaged_model_is_the_recipe_final_stage() -> None:
    """The packaged config equals configs/ner.cfg except [paths] (training files, nulled on packaging)."""
    from spacy.util import load_config

    from nlp.training import recipe

    packaged = load_config(ner_model_path() / "config.cfg", interpolate=False)
    recipe_config = load_config(recipe.FINAL_CONFIG, interpolate=False)
    assert ({k: v for k, v in packaged.items() if k != "paths"}
            == {k: v for k, v in recipe_config.items() if k != "paths"})
    assert set(packaged["paths"].values()) == {None}
    assert recipe.MIXES[recipe.FINAL_MIX] == {"germeval_train": 3.0, "germeval_holdout": 3.0, "europarl_train": 1.0,
                                             "ler": 0.5, "smartdata": 1.0, "wikiann": 0.5}
    assert packaged["training"]["max_steps"] == 2500
    assert packaged["training"]["optimizer"]["use_averages"] is True
    assert packaged["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] is True


def test_the_whole_pipeline_with_the_model_on_the_page(page: str) -> None:
    document = Document(id=RAT_MINUTES, file=File(id=RAT_MINUTES), document_type="Niederschrift",
                        source_key=RAT_MINUTES, pages=(Page(2, page),))
    analysis = NlpPipeline(ner_model_path()).analyze([document])[0]
    # "Anwesenden" (a noun at a line end: "der Anwesenden") as ORG is a model error, kept here as what it does;
    # the model took the line break after it into the span, the offsets do not
    assert [(e.text, e.label) for e in analysis.entities] == [
        ("Landkreis\nHildesheim", "LOC"), ("Flegel", "PER"), ("Anwesenden", "ORG"), ("Pallentin", "PER"),
        ("Willi Runne", "PER"), ("Niedersachsens", "LOC"), ("Niedersachsen", "LOC"), ("CDU-Landtagsfraktion", "PARTY"),
        ("Nordstemmen", "LOC"), ("Runne", "PER"), ("Runne", "PER"), ("Zuckerfabrik", "ORG")]
    assert all(page[e.start:e.end] == e.text and e.page == 2 for e in analysis.entities)
    assert [(s.name, s.role) for s in analysis.speakers] == [
        ("Pallentin", "speaker"), ("Willi Runne", "speaker"), ("Runne", "speaker"), ("Runne", "speaker")]


def test_the_speaker_gold_set_with_the_model() -> None:
    """With the model the gold set keeps the rules-only figures (F1 0.998): the model only adds
    sentence-initial PER names without Herr/Frau, and none of them is spurious here."""
    report = evaluate_speakers(GOLD, load_pipeline(ner_model_path()))
    assert (report["all"]["gold"], report["all"]["precision"], report["all"]["recall"]) == (227, 1.0, 0.9956)
    for group in ("koeln", "nordstemmen", "ahnsen", "heldout"):
        assert report[group]["f1"] >= 0.90, (group, report[group])
    assert report["all"]["role_accuracy"] == 1.0


def test_ratsuche_eval_ner_on_a_germeval_dev_slice(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, "-m", "ratsuche", "--data-dir", str(tmp_path), "eval", "ner",
                          "--data", str(GERMEVAL_DEV), "--format", "germeval", "--limit", "50"],
                         env=env, capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(run.stdout)
    assert set(result) == {"path", "format", "scheme", "sentences", "words", "seconds", "words_per_second",
                           "label_mapping", "micro", "labels", "official_12label"}
    assert (result["format"], result["scheme"], result["sentences"], result["words"]) == ("germeval", "iob2", 50, 940)
    assert set(result["labels"]) == {"PER", "ORG", "LOC", "MISC"}
    assert len(result["official_12label"]["labels"]) == 12
    # gold counts of the first 50 sentences: 49 outer PER/ORG/LOC/OTH spans, 61 with *deriv/*part
    assert result["micro"]["gold"] == 49 and result["official_12label"]["micro"]["gold"] == 61
    assert set(result["micro"]) == {"precision", "recall", "f1", "gold", "predicted", "correct"}
    assert result["official_12label"]["micro"]["correct"] == result["micro"]["correct"] > 0
    assert result["micro"]["f1"] >= 0.6 and result["words_per_second"] > 0
