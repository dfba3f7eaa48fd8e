"""Copy a trained pipeline into nlp/models/ner_de/ as package data, with a meta.json that
names the training data and the measured scores, and the attribution the licenses ask for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from nlp.models import ner_model_path
from nlp.training import recipe

SOURCES: list[dict[str, str]] = [
    {
        "name": "GermEval 2014 NER (dev split only; a 25 % hold-out chose the recipe, the final model is trained on all of it)",
        "url": "https://sites.google.com/site/germeval2014ner/",
        "license": "CC BY 4.0",
        "author": "Benikova, Biemann, Reznicek: NoSta-D Named Entity Annotation for German, LREC 2014",
    },
    {
        "name": "EuroParl German NER (train; dev for model selection and logging)",
        "url": "https://nlpado.de/~sebastian/software/ner_german.shtml",
        "license": "Europarl text: no known copyright restrictions; annotations released for research",
        "author": "Faruqui, Padó: Training and Evaluating a German Named Entity Recognizer with Semantic Generalization, KONVENS 2010",
    },
    {
        "name": "Legal Entity Recognition (LER) dev split, without sentences shared with LER test",
        "url": "https://github.com/elenanereiss/Legal-Entity-Recognition",
        "license": "CC BY 4.0",
        "author": "Leitner, Rehm, Moreno-Schneider: Fine-grained Named Entity Recognition in Legal Documents, SEMANTiCS 2019",
    },
    {
        "name": "SmartData corpus v1 (train split)",
        "url": "https://github.com/DFKI-NLP/smartdata-corpus",
        "license": "CC BY 4.0",
        "author": "Schiersch, Mironova, Schmitt, Thomas, Gabryszak, Hennig: A German Corpus for Fine-Grained Named Entity Recognition and Relation Extraction of Traffic and Industry Events, LREC 2018",
    },
    {
        "name": "WikiANN German (train split, cleaned and subsampled; silver standard)",
        "url": "https://github.com/afshinrahimi/mmner",
        "license": "derived from Wikipedia (CC BY-SA)",
        "author": "Pan et al.: Cross-lingual Name Tagging and Linking for 282 Languages, ACL 2017; Rahimi, Li, Cohn: Massively Multilingual Transfer for NER, ACL 2019",
    },
]


def package_model(model_dir: Path, metrics_path: Path | None) -> Path:
    """Copy ``model_dir`` (the final run's ``model-last``) to the package directory and write its meta."""
    target = ner_model_path()
    keep = {name: (target / name).read_text(encoding="utf-8") for name in ("README.md", "LICENSE-DATA.md") if (target / name).exists()}
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(model_dir, target)
    for name, text in keep.items():
        (target / name).write_text(text, encoding="utf-8")
    _clear_training_paths(target / "config.cfg")
    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    meta.update(
        {
            "name": "ner_de",
            "version": "0.1.0",
            "description": "German NER for council documents (Ratsuche): tokenizer, tok2vec with floret "
            "vectors trained on council texts, ner with labels PER, ORG, LOC, MISC. "
            "Training and figures: docs/ner.md.",
            "author": "Ratsuche project",
            "license": "trained on CC BY 4.0 data (GermEval 2014, LER, SmartData), EuroParl research annotations and "
            "WikiANN (Wikipedia, CC BY-SA): see LICENSE-DATA.md for sources and attribution",
            "sources": SOURCES,
        }
    )
    if metrics_path is not None:
        meta["performance_ratsuche"] = summarise(json.loads(metrics_path.read_text(encoding="utf-8")))
    (target / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def summarise(metrics: dict[str, Any]) -> dict[str, Any]:
    """The figures worth keeping in meta.json from an ``evaluate --out`` file."""
    out: dict[str, Any] = {}
    for name, result in metrics.items():
        entry: dict[str, Any] = {
            "micro_f1": result["micro"]["f1"],
            "micro_precision": result["micro"]["precision"],
            "micro_recall": result["micro"]["recall"],
            "per_label_f1": {label: figures["f1"] for label, figures in result["labels"].items()},
            "sentences": result["sentences"],
        }
        if "official_12label" in result:
            entry["official_12label_outer_f1"] = result["official_12label"]["micro"]["f1"]
        out[name] = entry
    return out


def _clear_training_paths(config_path: Path) -> None:
    """The packaged config must not point into nlp/training/work (absent at run time)."""
    lines = config_path.read_text(encoding="utf-8").splitlines()
    section = ""
    for i, line in enumerate(lines):
        if line.startswith("["):
            section = line.strip()
        elif section == "[paths]" and "=" in line:
            lines[i] = line.split("=")[0].rstrip() + " = null"
    config_path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    print(package_model(recipe.WORK / "runs" / "final" / "model-last", None))
