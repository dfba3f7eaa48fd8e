"""Models shipped as package data.

``ner_de/``: this project's German NER pipeline (spaCy: tokenizer, tok2vec, ner; labels PER,
ORG, LOC, MISC), trained by ``python -m nlp.training all`` (see docs/ner.md). Load it with
``spacy.load(ner_model_path())``; it needs no network and no other package than spaCy.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ner_model_path"]


def ner_model_path() -> Path:
    """The directory of the packaged German NER pipeline (``nlp.to_disk`` layout)."""
    return Path(__file__).resolve().parent / "ner_de"
